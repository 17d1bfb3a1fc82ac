"""Server-rendered, accessible SVG charts for the national dashboard (no JavaScript, no external hosts).

Every chart is inline SVG markup (``markupsafe.Markup``) that can be dropped into a template as ``{{ chart }}``:

* ``role="img"`` with ``aria-labelledby`` pointing at a ``<title>`` and a ``<desc>`` that sums the data up in
  words, so a screen reader gets the numbers without reading the picture;
* only SVG presentation attributes (fill, stroke, font-size, ...): the site's Content-Security-Policy
  (``style-src 'self'``) blocks ``style="..."`` attributes and ``<style>`` elements;
* dark text (#1a1a1a) on a white background, dark blue bars and a dashed dark orange goal line, all at least
  4.5:1 on white, and a visible value on every bar or column, so no reading depends on colour;
* ``width="100%"`` with a viewBox 640 units wide (progress charts with very many periods get wider), and no
  text smaller than 12 units;
* everything that comes from data is escaped.

Fixed words go through flask_babel's ``gettext``, so the functions need an app (or request) context.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

__all__ = ["bar_chart", "format_number", "progress_chart"]

#: Width of the viewBox; the svg itself scales to its container (width="100%").
WIDTH = 640
#: Colours (contrast on white): text 17.4:1, bars 8.9:1, goal 6.5:1, axis 7:1.
TEXT = "#1a1a1a"
BAR = "#1f4e79"
GOAL = "#a14a00"
AXIS = "#595959"
GRID = "#d0d7de"
BACKGROUND = "#ffffff"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
#: Font sizes in viewBox units (never below 12).
FONT = 14
SMALL = 12
#: A generous estimate of the average glyph width as a share of the font size, for layout.
CHAR_WIDTH = 0.6
#: Bar labels longer than this are cut off with an ellipsis; the full label stays in the bar's <title>.
MAX_LABEL_CHARS = 28
#: Period labels of a progress chart longer than this are cut off likewise.
MAX_PERIOD_CHARS = 16
#: The description lists every value when there are at most this many.
LIST_ALL_UP_TO = 20
#: A progress chart column slot is never narrower than this (one line of rotated 12-unit text).
MIN_SLOT = 16
#: A bar or column for a value above zero is never thinner than this, however far the scale runs (45 of 3.000).
MIN_BAR = 3
#: The goal stretches a progress chart's axis only while it is at most this many times the highest value; further
#: away, the axis fits the data and the goal is written above the plot (a 0-3.000 axis hid columns of 45).
GOAL_STRETCH = 2
#: Below this viewBox width a bar chart writes each label above its bar, so bars keep the whole width.
STACK_BELOW = 500

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


def format_number(n: int) -> str:
    """A whole number the Dutch way, with a dot between thousands: 10000 -> "10.000"."""
    return f"{round(n):,}".replace(",", ".")


def bar_chart(rows: Sequence[tuple[str, int]], *, id: str, title: str, description: str | None = None,
              goal: int | None = None, width: int = WIDTH) -> Markup:
    """Horizontal bars, one row per (label, value), in the order given.

    ``description`` (optional) opens the <desc>; a summary of the data in words always follows it. With a
    ``goal`` a dashed vertical line marks it, labelled "Doel: 3.000", and the scale runs to max(goal, values).
    A narrow ``width`` (below STACK_BELOW, for phones) writes each label above its bar.
    """
    if width < STACK_BELOW and goal is None:
        return _stacked_bar_chart(rows, id=id, title=title, description=description, width=width)
    _check_id(id)
    _check_goal(goal)
    rows = [(str(label), _check_value(value)) for label, value in rows]
    if not rows:
        return _empty_chart(id, title, description, width)

    values = [value for _label, value in rows]
    top = max(max(values), goal or 0)
    scale = top or 1

    labels = [_truncate(label, MAX_LABEL_CHARS) for label, _value in rows]
    label_width = max(_text_width(max(len(label) for label in labels), FONT), 60)
    value_width = _text_width(max(len(format_number(v)) for v in values), FONT) + 10
    pad = 8
    bar_left = pad + label_width + 10
    bar_room = width - pad - value_width - bar_left
    row_height, bar_height = 30, 20
    top_margin = 8 + (24 if goal is not None else 0)
    height = top_margin + row_height * len(rows) + 8

    parts = [_svg_open(id, title, _bar_desc(rows, description, goal), width, height)]
    parts.append(_line(bar_left, top_margin - 4, bar_left, top_margin + row_height * len(rows) + 4, AXIS))
    # The goal goes first: bars and their (haloed) value labels are drawn over the dashed line.
    if goal is not None:
        x = bar_left + bar_room * goal / scale
        parts.append('<g class="goal">')
        parts.append(_line(x, top_margin - 18, x, top_margin + row_height * len(rows) + 4, GOAL, dashed=True))
        anchor, text_x = ("end", x - 4) if x > bar_left + bar_room / 2 else ("start", x + 4)
        parts.append(_text(_goal_label(goal), text_x, top_margin - 8, size=SMALL, anchor=anchor, fill=GOAL,
                           weight="bold"))
        parts.append("</g>")
    for index, ((label, value), shown) in enumerate(zip(rows, labels, strict=True)):
        y = top_margin + index * row_height
        middle = y + row_height / 2
        bar_width = _visible(bar_room * value / scale, value)
        parts.append('<g class="bar">')
        parts.append(_title(f"{label}: {format_number(value)}"))
        parts.append(_text(shown, bar_left - 8, middle + FONT * 0.35, size=FONT, anchor="end"))
        parts.append(f'<rect x="{_n(bar_left)}" y="{_n(middle - bar_height / 2)}" width="{_n(bar_width)}" '
                     f'height="{bar_height}" fill="{BAR}"/>')
        parts.append(_text(format_number(value), bar_left + bar_width + 6, middle + FONT * 0.35, size=FONT,
                           anchor="start", css_class="value", halo=True))
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _stacked_bar_chart(rows, *, id: str, title: str, description: str | None, width: int) -> Markup:
    """bar_chart for a narrow viewBox: the label on its own line above each bar, the value right of the bar."""
    _check_id(id)
    rows = [(str(label), _check_value(value)) for label, value in rows]
    if not rows:
        return _empty_chart(id, title, description, width)
    scale = max(value for _label, value in rows) or 1
    pad = 4
    value_width = _text_width(max(len(format_number(v)) for _l, v in rows), FONT) + 10
    bar_room = width - 2 * pad - value_width
    max_chars = int((width - 2 * pad) / (FONT * CHAR_WIDTH))
    row_height, bar_height = 46, 18
    height = row_height * len(rows) + 8
    parts = [_svg_open(id, title, _bar_desc(rows, description, None), width, height)]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_height
        bar_width = _visible(bar_room * value / scale, value)
        parts.append('<g class="bar">')
        parts.append(_title(f"{label}: {format_number(value)}"))
        parts.append(_text(_truncate(label, max_chars), pad, y + FONT, size=FONT, anchor="start"))
        parts.append(f'<rect x="{pad}" y="{_n(y + 22)}" width="{_n(bar_width)}" height="{bar_height}" fill="{BAR}"/>')
        parts.append(_text(format_number(value), pad + bar_width + 6, y + 22 + bar_height / 2 + FONT * 0.35,
                           size=FONT, anchor="start", css_class="value", halo=True))
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def progress_chart(points: Sequence[tuple[str, int]], *, id: str, title: str, goal: int | None = None,
                   width: int = WIDTH) -> Markup:
    """Vertical columns of the (cumulative) total per period, e.g. ``[("2026-03", 120), ...]``, in the order given.

    The y-axis runs from 0 to max(goal, values). With a ``goal`` a dashed horizontal line marks it, labelled
    "Doel: 3.000" just right of the plot. When the columns get too narrow for horizontal labels, the period
    and value labels turn vertical; beyond about 35 periods the viewBox gets wider than 640 units (group by
    quarter instead to keep the text large).
    """
    _check_id(id)
    _check_goal(goal)
    points = [(str(label), _check_value(value)) for label, value in points]
    if not points:
        return _empty_chart(id, title, None, width)

    values = [value for _label, value in points]
    goal_note = goal is not None and goal > GOAL_STRETCH * max(values)
    top = max(values) if goal_note else max(max(values), goal or 0)
    step = _tick_step(top)
    if goal_note:  # the axis fits the data, up to the next gridline
        top = step * math.ceil(top / step) if top else 0
    scale = top or 1
    ticks = [step * i for i in range(int(top // step) + 1)] if top else [0]

    labels = [_truncate(label, MAX_PERIOD_CHARS) for label, _value in points]
    tick_width = _text_width(max(len(format_number(t)) for t in ticks), SMALL)
    left = 8 + tick_width + 8
    right = (_text_width(len(_goal_label(goal)), SMALL) + 14) if goal is not None and not goal_note else 12
    slot = (width - left - right) / len(points)
    if slot < MIN_SLOT:
        slot = MIN_SLOT
        width = math.ceil(left + right + slot * len(points))
    plot_right = width - right

    value_chars = max(len(format_number(v)) for v in values)
    label_chars = max(len(label) for label in labels)
    values_upright = slot < _text_width(value_chars, SMALL) + 4
    labels_upright = slot < _text_width(label_chars, SMALL) + 6
    top_margin = (_text_width(value_chars, SMALL) + 10) if values_upright else 24
    top_margin += 20 if goal_note else 0
    plot_height = 240
    bottom = top_margin + plot_height
    height = bottom + ((_text_width(label_chars, SMALL) + 14) if labels_upright else 28)
    column_width = min(slot * 0.7, 48)

    def y_of(value: float) -> float:
        return bottom - plot_height * value / scale

    parts = [_svg_open(id, title, _progress_desc(points, goal), width, height)]
    parts.append('<g class="axis">')
    for tick in ticks:
        y = y_of(tick)
        parts.append(_line(left, y, plot_right, y, AXIS if tick == 0 else GRID))
        parts.append(_text(format_number(tick), left - 6, y + SMALL * 0.35, size=SMALL, anchor="end"))
    parts.append("</g>")
    if goal_note:
        parts.append('<g class="goal">')
        parts.append(_text(_("%(goal)s (hoger dan de schaal)", goal=_goal_label(goal)), left, 16, size=SMALL,
                           anchor="start", fill=GOAL, weight="bold"))
        parts.append("</g>")
    # The goal goes first: bars and their (haloed) value labels are drawn over the dashed line.
    elif goal is not None:
        y = y_of(goal)
        parts.append('<g class="goal">')
        parts.append(_line(left, y, plot_right, y, GOAL, dashed=True))
        parts.append(_text(_goal_label(goal), plot_right + 6, y + SMALL * 0.35, size=SMALL, anchor="start",
                           fill=GOAL, weight="bold"))
        parts.append("</g>")
    for index, ((label, value), shown) in enumerate(zip(points, labels, strict=True)):
        centre = left + slot * (index + 0.5)
        y = bottom - _visible(bottom - y_of(value), value)
        parts.append('<g class="bar">')
        parts.append(_title(f"{label}: {format_number(value)}"))
        parts.append(f'<rect x="{_n(centre - column_width / 2)}" y="{_n(y)}" width="{_n(column_width)}" '
                     f'height="{_n(bottom - y)}" fill="{BAR}"/>')
        if values_upright:
            parts.append(_text(format_number(value), centre + SMALL * 0.35, y - 4, size=SMALL, anchor="start",
                               css_class="value", rotate=True, halo=True))
        else:
            parts.append(_text(format_number(value), centre, y - 6, size=SMALL, anchor="middle", css_class="value",
                               halo=True))
        if labels_upright:
            parts.append(_text(shown, centre + SMALL * 0.35, bottom + 8, size=SMALL, anchor="end", rotate=True))
        else:
            parts.append(_text(shown, centre, bottom + 18, size=SMALL, anchor="middle"))
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


# -- descriptions -------------------------------------------------------------------------------------------------


def _bar_desc(rows: list[tuple[str, int]], description: str | None, goal: int | None) -> str:
    sentences = [description.strip()] if description and description.strip() else []
    count = len(rows)
    if count == 1:
        label, value = rows[0]
        sentences.append(_("1 staaf: %(label)s %(value)s.", label=label, value=format_number(value)))
    elif all(value == 0 for _label, value in rows):
        sentences.append(ngettext("%(count)s staaf, met waarde 0.", "%(count)s staven, alle met waarde 0.", count,
                                  count=format_number(count)))
    else:
        label, value = max(rows, key=lambda row: row[1])
        sentences.append(ngettext("%(count)s staaf; hoogste: %(label)s %(value)s.",
                                  "%(count)s staven; hoogste: %(label)s %(value)s.", count,
                                  count=format_number(count), label=label, value=format_number(value)))
        if count <= LIST_ALL_UP_TO:
            sentences.append(_("Waarden: %(values)s.", values=_listing(rows)))
    if goal is not None:
        sentences.append(_goal_label(goal) + ".")
    return " ".join(sentences)


def _progress_desc(points: list[tuple[str, int]], goal: int | None) -> str:
    first, last = points[0], points[-1]
    if len(points) == 1:
        sentences = [_("Stand in %(period)s: %(value)s.", period=first[0], value=format_number(first[1]))]
    else:
        sentences = [_("Stand per periode van %(first)s tot en met %(last)s; laatste stand: %(value)s.",
                       first=first[0], last=last[0], value=format_number(last[1]))]
        if len(points) <= LIST_ALL_UP_TO:
            sentences.append(_("Waarden: %(values)s.", values=_listing(points)))
    if goal is not None:
        sentences.append(_("Doel: %(goal)s; bereikt: %(percent)s%%.", goal=format_number(goal),
                           percent=format_number(100 * last[1] // goal)))
    return " ".join(sentences)


def _listing(rows: list[tuple[str, int]]) -> str:
    return ", ".join(f"{label} {format_number(value)}" for label, value in rows)


def _goal_label(goal: int) -> str:
    return _("Doel: %(goal)s", goal=format_number(goal))


# -- SVG pieces ---------------------------------------------------------------------------------------------------


def _empty_chart(id: str, title: str, description: str | None, width: int = WIDTH) -> Markup:
    message = _("Nog geen gegevens")
    desc = f"{description.strip()} {message}." if description and description.strip() else f"{message}."
    return Markup(_svg_open(id, title, desc, width, 80)
                  + _text(message, width / 2, 46, size=16, anchor="middle", css_class="empty")
                  + "</svg>")


def _svg_open(id: str, title: str, desc: str, width: float, height: float) -> str:
    chart_id = escape(id)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'width="100%" font-family="{escape(FONT_FAMILY)}">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
            f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="{BACKGROUND}"/>')


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _text(content: str, x: float, y: float, *, size: int, anchor: str, fill: str = TEXT, weight: str | None = None,
          css_class: str | None = None, rotate: bool = False, halo: bool = False) -> str:
    attributes = [f'x="{_n(x)}"', f'y="{_n(y)}"', f'font-size="{size}"', f'text-anchor="{anchor}"', f'fill="{fill}"']
    if weight:
        attributes.append(f'font-weight="{weight}"')
    if css_class:
        attributes.append(f'class="{css_class}"')
    if halo:
        # A white outline painted under the glyphs keeps the text legible where it crosses the goal line.
        attributes.append(f'stroke="{BACKGROUND}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"')
    if rotate:
        attributes.append(f'transform="rotate(-90 {_n(x)} {_n(y)})"')
    return f"<text {' '.join(attributes)}>{escape(content)}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, *, dashed: bool = False) -> str:
    dash = ' stroke-width="2" stroke-dasharray="6 4"' if dashed else ' stroke-width="1"'
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}"{dash}/>'


# -- helpers ------------------------------------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate with at most one decimal."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _visible(length: float, value: int) -> float:
    """The drawn length of a bar: a value above zero never disappears (MIN_BAR units at least)."""
    return max(length, MIN_BAR) if value > 0 else length


def _text_width(chars: int, size: int) -> float:
    return chars * size * CHAR_WIDTH


def _truncate(label: str, limit: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _tick_step(top: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) that gives at most five gridlines above zero."""
    if top <= 0:
        return 1
    magnitude = 10 ** max(0, int(math.log10(top)) - 1)
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if top / step <= 5:
                return step
        magnitude *= 10


def _check_id(chart_id: str) -> None:
    if not _ID_RE.match(chart_id or ""):
        raise ValueError(f"a chart id starts with a letter and holds only letters, digits, -, _ and .: {chart_id!r}")


def _check_goal(goal: int | None) -> None:
    if goal is not None and goal <= 0:
        raise ValueError(f"goal must be positive, not {goal!r}")


def _check_value(value: int) -> int:
    if value < 0:
        raise ValueError(f"chart values are counts and cannot be negative: {value!r}")
    return value
