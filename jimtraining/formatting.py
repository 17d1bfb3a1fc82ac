"""Numbers, plurals, dates and months in templates, through Babel's formatters in the page's language.

Dates: Flask-Babel's `datetimeformat` and `dateformat` filters, remembered per moment, pattern, language and time
zone. Babel builds the text from the pattern on every call, which costs about a tenth of a millisecond; a cohort
page formats every session of the cohort on every view, and the same few moments come back all day.

Numbers: `number` ("3,0" in Dutch, "3.0" in English; whole numbers without decimals unless `places` asks for
them), `points` ("1 punt", "2 punten", "1,5 punten"), `score_of` ("3 van 8 punten"), `month` ("oktober 2023" from
"2023-10" or a date) and `maildate` (an e-mail's Date header as a Dutch date and time).
"""

import datetime as dt
from email.utils import parsedate_to_datetime
from functools import lru_cache

import flask_babel
from babel.numbers import format_decimal
from flask_babel import get_locale, get_timezone, ngettext

from jimtraining.content.catalogue import catalogue


def _remembered(formatter):
    @lru_cache(maxsize=4096)
    def remembered(moment, pattern, rebase, _locale: str, _timezone: str) -> str:
        # The language and time zone are part of the key; the formatter reads them from the request again.
        return formatter(moment, pattern, rebase)

    def template_filter(moment=None, pattern=None, rebase=True) -> str:
        if moment is None:  # "now": nothing to remember
            return formatter(moment, pattern, rebase)
        return remembered(moment, pattern, rebase, str(get_locale()), str(get_timezone()))

    template_filter.__doc__ = formatter.__doc__
    return template_filter


datetimeformat = _remembered(flask_babel.format_datetime)
dateformat = _remembered(flask_babel.format_date)


def decimalformat(number, pattern: str = "#,##0.#") -> str:
    """A number in the page's language: 3,5 in Dutch, 3.5 in English (one decimal unless told)."""
    return flask_babel.format_decimal(number, format=pattern)


def decimal(value, pattern: str = "0.00") -> str:
    """A number in the reader's language (0,75 in Dutch), two decimals by default."""
    return flask_babel.format_decimal(value, pattern)


def percent(value) -> str:
    """A share (0-1) as a percentage in the reader's language (75%)."""
    return flask_babel.format_percent(value)


def number(value, places: int | None = None) -> str:
    """A number in the page's language: 3.0 -> "3", 2.5 -> "2,5", 1234 -> "1.234"; with `places` always that
    many decimals (number(0.3, 2) -> "0,30"). None gives "–"."""
    if value is None:
        return "–"
    if places is None:
        pattern = "#,##0" if float(value).is_integer() else "#,##0.#"
    else:
        pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=get_locale())


def _plural_count(value) -> int:
    # Dutch and English: only exactly one is singular ("1 punt", "1,5 punten", "0 punten").
    return 1 if value == 1 else 2


def points(value) -> str:
    """ "1 punt", "2 punten", "1,5 punten" (the plural follows the number)."""
    return ngettext("%(points)s punt", "%(points)s punten", _plural_count(value), points=number(value))


def score_of(got, maximum) -> str:
    """ "3 van 8 punten", "0,5 van 1 punt" (the plural follows the maximum, as people read it)."""
    return ngettext("%(got)s van %(max)s punt", "%(got)s van %(max)s punten", _plural_count(maximum),
                    got=number(got), max=number(maximum))


def month(value, pattern: str = "MMMM y") -> str:
    """A month: "2023-10" (or a date in it) -> "oktober 2023"; `pattern` "MMM y" gives "okt 2023". A text that is
    not a month comes back unchanged."""
    if isinstance(value, str):
        try:
            value = dt.date(int(value[:4]), int(value[5:7]), 1)
        except (ValueError, IndexError):
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return flask_babel.format_date(value, pattern)


def months(rows, pattern: str = "MMMM y") -> list[tuple[str, object]]:
    """(month, value) rows with every "2023-10" named: [("okt 2023", 5), ...] with pattern "MMM y"."""
    return [(month(label, pattern), value) for label, value in rows]


def maildate(value) -> str:
    """An e-mail's Date header ("Sun, 06 Dec 2026 23:47:33 -0000") as "6 dec 2026, 00:47" in the page's time zone;
    a header that cannot be read comes back unchanged."""
    if isinstance(value, str):
        try:
            value = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return value
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return flask_babel.format_datetime(value, "d MMM y, HH:mm")


def title_of(slug: str | None, kind: str = "module") -> str:
    """The title people read for a module or scenario slug (from the curriculum catalogue, no query); never the
    slug itself: an unknown one gives "–"."""
    content = catalogue()
    item = content.scenario(slug) if kind == "scenario" else content.module(slug)
    return item.title if item is not None else "–"


def register(app) -> None:
    app.jinja_env.filters.update(datetimeformat=datetimeformat, dateformat=dateformat, number=number,
                                 points=points, month=month, months=months, maildate=maildate, decimal=decimal,
                                 percent=percent, decimalformat=decimalformat)
    app.jinja_env.globals.update(score_of=score_of, title_of=title_of)
