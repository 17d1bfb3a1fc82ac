"""CSV downloads, written one way for every export.

Every export offers two variants of the same rows:

- standard (the default): UTF-8 without a byte order mark, comma-separated, CRLF line ends, quoted where needed
  (RFC 4180). For LibreOffice, Numbers, Google Sheets, R, Python and every other program.
- Excel (`?variant=excel`): what a Dutch Excel opens straight into columns when the file is double-clicked: UTF-8
  with a byte order mark (without it Excel reads the bytes as Windows-1252: mojibake), semicolons (the list
  separator of a Dutch Windows; with commas everything lands in one column) and decimal commas (`3,5` instead of
  `3.5`, which Dutch Excel would read as a date or as text).

Every cell goes through `safe_cell`, whatever its column or type, so no value a user typed (a name, an e-mail
address such as `=cmd|'/C calc'!A0@example.org`, a reason) is run by a spreadsheet as a formula.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, request

#: The query parameter value that asks for the Excel variant.
EXCEL = "excel"

#: A spreadsheet evaluates a cell that starts with one of these (also the full-width forms, which some
#: spreadsheets and input methods turn into the ASCII ones) as a formula.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
#: Cells that start with one of these are prefixed too (OWASP: tab and CR, and LF alike): a spreadsheet may
#: drop them, and what follows is then read on its own.
INVISIBLE_STARTS = frozenset("\t\r\n")
#: A plain number cannot be a formula: `-3` stays a number instead of becoming the text `'-3`. ASCII digits only.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+\Z")


def _first_visible(text: str) -> str:
    """The first character that is not white space, a control character or an invisible format character: a
    spreadsheet that trims a cell (LibreOffice can, on import) sees `  =1+1` as a formula."""
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")):
            return char
    return ""


def cell_text(value) -> str:
    """A value as the text of a cell: nothing for None, ISO 8601 for dates and times."""
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def safe_cell(value) -> str:
    """The text of a cell that no spreadsheet runs as a formula: a cell that starts with = + - @ (also after
    leading white space), or with a tab or line break, gets a leading apostrophe, which spreadsheets show as
    text. Plain numbers such as -3 are left alone."""
    text = cell_text(value)
    if PLAIN_NUMBER.match(text):
        return text
    if text[:1] in INVISIBLE_STARTS or _first_visible(text) in FORMULA_STARTS:
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable], excel: bool = False) -> str:
    """The rows as CSV text, every cell made safe; the Excel variant with semicolons and decimal commas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    for row in rows:
        cells = [safe_cell(value) for value in row]
        if excel:
            cells = [cell.replace(".", ",") if DECIMAL.match(cell) else cell for cell in cells]
        writer.writerow(cells)
    return buffer.getvalue()


def wants_excel() -> bool:
    """True when the request asks for the Excel variant (`?variant=excel`)."""
    return request.args.get("variant") == EXCEL


def excel_filename(filename: str) -> str:
    """`groep-3.csv` -> `groep-3-excel.csv`: both variants can sit in one folder."""
    stem, dot, extension = filename.rpartition(".")
    return f"{stem}-excel.{extension}" if dot else f"{filename}-excel"


def attachment(filename: str) -> str:
    """A Content-Disposition value for a download; a name with non-ASCII letters also in RFC 6266 form."""
    simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    simple = re.sub(r'[^A-Za-z0-9._-]', "_", simple) or "download"
    if simple == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{simple}\"; filename*=UTF-8''{quote(filename, safe='')}"


def csv_response(rows: Iterable[Iterable], filename: str, excel: bool | None = None) -> Response:
    """A CSV download of the rows (the first row is the header). `excel=None` takes the variant from the
    request (`?variant=excel`); the Excel variant is saved as `<name>-excel.csv`."""
    if excel is None:
        excel = wants_excel()
    text = csv_text(rows, excel=excel)
    body = ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")
    # content_type, not mimetype: werkzeug adds "; charset=utf-8" to a text/* mimetype a second time.
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": attachment(excel_filename(filename) if excel else filename)})
