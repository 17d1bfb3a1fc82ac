"""A certificate as a one-page PDF (A4 landscape, in Dutch) with a QR code to its verification page.

``certificate_pdf`` takes plain data and returns the PDF's bytes: it reads no database and needs no app context,
so the caller (a view or a mail) decides what to put on the certificate.

Tools:

- fpdf2 draws the page; segno makes the QR code (error level M) as a PNG in memory.
- The font is DejaVu Sans (regular and bold), embedded as a subset. The PDF core fonts are Latin-1 only, and
  names such as "Zeynep Şahin" or "Łukasz Nowak" need more. The two TTF files are committed in
  ``static/fonts/`` with their licence (``LICENSE-DejaVu.txt``: the Bitstream Vera / Arev licence, which allows
  redistribution and embedding). They were copied unchanged from Debian's ``fonts-dejavu-core`` package.
  Committing them was the simplest robust choice: no well-kept PyPI package ships DejaVu (the font packages
  there are small, one-off ones), nothing may be downloaded at run time, and a fresh machine may have no system
  fonts. The path is found from this file, never from /usr/share.
- Dates are written the Dutch way ("1 december 2026") with Babel, which is already a dependency.

The output is deterministic: the PDF's creation date is the issue date, so the same certificate gives the same
bytes every time.
"""

from __future__ import annotations

import datetime
import io
import logging
from pathlib import Path

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

# fontTools reports every step of embedding the font at INFO; that is noise in the app's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: static/fonts/ at the root of the project (this file is jimtraining/certification/pdf.py).
FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT = "DejaVuSans"

# Colours from static/css/app.css (--ink, --muted, --brand, --line).
INK = (0x1D, 0x23, 0x27)
MUTED = (0x4A, 0x55, 0x60)
BRAND = (0x0B, 0x5A, 0x55)
LINE = (0xC9, 0xD3, 0xD1)

# Page geometry in millimetres (A4 landscape is 297 x 210).
PAGE_W, PAGE_H = 297, 210
MARGIN = 25
CONTENT_W = PAGE_W - 2 * MARGIN
QR_SIZE = 35
QR_X = PAGE_W - MARGIN - QR_SIZE
QR_Y = PAGE_H - MARGIN - QR_SIZE - 2
DETAILS_TOP = 128
#: The area for the holder's name and the sentence under it.
BLOCK_TOP, BLOCK_BOTTOM = 62, DETAILS_TOP - 8
LABEL_W = 52
VALUE_W = QR_X - 8 - MARGIN - LABEL_W

PT = 25.4 / 72  # one point in millimetres


def dutch_date(day: datetime.date) -> str:
    """A date as Dutch people write it in a letter: "1 december 2026"."""
    return format_date(day, "d MMMM y", locale="nl")


def certificate_pdf(
    *,
    holder_name: str,
    number: str,
    track_title: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
    trainer_name: str,
    organisation_name: str,
    verify_url: str,
    accreditation: dict | None = None,
) -> bytes:
    """The certificate as PDF bytes: one A4 page in landscape, in Dutch, with a QR code to ``verify_url``."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(FONT_REGULAR))
    pdf.add_font(FONT, "B", str(FONT_BOLD))
    pdf.set_title(f"Certificaat {number}")
    pdf.set_subject(f"Certificaat JIM-aanpak voor {holder_name}")
    pdf.set_author("JIM-training")
    pdf.set_creator("JIM-training")
    pdf.set_lang("nl-NL")
    pdf.set_creation_date(datetime.datetime.combine(issued_on, datetime.time(), tzinfo=datetime.UTC))
    pdf.add_page()

    _frame(pdf)

    # Heading.
    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 34)
    pdf.set_xy(MARGIN, 27)
    pdf.cell(CONTENT_W, 14, "Certificaat", align="C")
    pdf.set_font(FONT, "", 14)
    pdf.set_xy(MARGIN, 43)
    pdf.cell(CONTENT_W, 8, "JIM-aanpak (Jouw Ingebrachte Mentor)", align="C")
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(0.6)
    pdf.line(PAGE_W / 2 - 30, 56, PAGE_W / 2 + 30, 56)

    # Who, and what they did, as one sentence: "Hierbij verklaren wij dat <name> het traject '<title>' met goed
    # gevolg heeft afgerond." It is centred between the heading and the facts; the name and the rest of the
    # sentence shrink (and then wrap) until they fit the width.
    sentence = f"het traject \u2018{track_title}\u2019 met goed gevolg heeft afgerond."
    name_size, name_h = _fit(pdf, holder_name, style="B", largest=30, smallest=12, max_lines=3)
    sentence_size, sentence_h = _fit(pdf, sentence, style="", largest=14, smallest=10, max_lines=2)
    intro_h, gap = 7, 4
    block_h = intro_h + gap + name_h + gap + sentence_h
    top = max(BLOCK_TOP, BLOCK_TOP + (BLOCK_BOTTOM - BLOCK_TOP - block_h) / 2)

    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, "", 12)
    pdf.set_xy(MARGIN, top)
    pdf.cell(CONTENT_W, intro_h, "Hierbij verklaren wij dat", align="C")
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN, top + intro_h + gap)
    _write_centred(pdf, holder_name, style="B", size=name_size)
    pdf.set_xy(MARGIN, pdf.get_y() + gap)
    _write_centred(pdf, sentence, style="", size=sentence_size)

    # The facts, as a small table on the left; the QR code on the right.
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, DETAILS_TOP - 4, PAGE_W - MARGIN, DETAILS_TOP - 4)
    rows = [
        ("Uitgereikt op", dutch_date(issued_on)),
        ("Geldig tot", dutch_date(expires_on)),
        ("Afgetekend door", trainer_name),
    ]
    if organisation_name.strip():
        rows.append(("Organisatie", organisation_name))
    rows.append(("Certificaatnummer", number))
    if accreditation:
        rows.append(("SKJ-accreditatie", accreditation_text(accreditation)))
    pdf.set_xy(MARGIN, DETAILS_TOP)
    for label, value in rows:
        _detail_row(pdf, label, value)

    pdf.set_y(max(pdf.get_y() + 3, PAGE_H - MARGIN - 14))
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(LABEL_W + VALUE_W, 4.5, f"Controleer dit certificaat: {verify_url}", align="L")

    pdf.image(_qr_png(verify_url), x=QR_X, y=QR_Y, w=QR_SIZE, h=QR_SIZE, alt_text="QR-code naar " + verify_url)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_xy(QR_X - 5, QR_Y + QR_SIZE + 0.5)
    pdf.cell(QR_SIZE + 10, 4, "Scan om te controleren", align="C")

    return bytes(pdf.output())


def amount(value) -> str:
    """A number of points or hours as Dutch people write it: 4, 2,5."""
    return format_decimal(value, locale="nl")


def accreditation_text(accreditation: dict) -> str:
    """One line: "nummer 12345, 4 punten, 8 contacturen, kamer Jeugd- en gezinsprofessionals"."""
    return (f"nummer {accreditation['number']}, {amount(accreditation['points'])} punten, "
            f"{amount(accreditation['contact_hours'])} contacturen, kamer {accreditation['register_section']}")


def _frame(pdf: FPDF) -> None:
    """A double border: a strong line in the brand colour with a thin one inside it."""
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13.5, 13.5, PAGE_W - 27, PAGE_H - 27)


def _fit(pdf: FPDF, text: str, *, style: str, largest: int, smallest: int, max_lines: int) -> tuple[int, float]:
    """The font size for ``text`` centred over the content width, as large as fits, and the height it takes.

    The font first shrinks (down to 60% of ``largest``) to keep the text on one line. Text that is longer than
    that wraps, at the largest size from there down to ``smallest`` that needs at most ``max_lines`` lines. Text
    too long even for that is set at ``smallest`` and simply takes more lines: it never runs off the page's side.
    """
    one_line_smallest = max(smallest, round(largest * 0.6))
    size, lines = smallest, 0
    for candidate in range(largest, smallest - 1, -1):
        lines = _line_count(pdf, text, style, candidate)
        if lines == 1 or (candidate < one_line_smallest and lines <= max_lines):
            size = candidate
            break
    else:
        lines = _line_count(pdf, text, style, smallest)
    return size, lines * _line_height(size)


def _line_count(pdf: FPDF, text: str, style: str, size: float) -> int:
    pdf.set_font(FONT, style, size)
    return len(pdf.multi_cell(CONTENT_W, 1, text, dry_run=True, output="LINES"))


def _line_height(size: float) -> float:
    """Line height in millimetres for a font size in points."""
    return size * PT * 1.3


def _write_centred(pdf: FPDF, text: str, *, style: str, size: float) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_x(MARGIN)
    pdf.multi_cell(CONTENT_W, _line_height(size), text, align="C")


def _detail_row(pdf: FPDF, label: str, value: str) -> None:
    """One line of the facts table: a muted label and the value beside it (the value wraps when long)."""
    y = pdf.get_y()
    pdf.set_xy(MARGIN, y)
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, "", 10.5)
    pdf.cell(LABEL_W, 6.5, label)
    pdf.set_xy(MARGIN + LABEL_W, y)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 10.5)
    pdf.multi_cell(VALUE_W, 6.5, value, align="L")
    pdf.set_x(MARGIN)


def _qr_png(url: str) -> io.BytesIO:
    """A QR code of ``url`` as PNG bytes (error correction M, the standard quiet zone of 4 modules)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", boost_error=False, micro=False).save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer
