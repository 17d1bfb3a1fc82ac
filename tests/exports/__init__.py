"""Checks shared by the tests of every CSV export (jimtraining/exports/csv.py)."""

import csv
import html
import io
import re

BOM = b"\xef\xbb\xbf"
#: What a spreadsheet runs as a formula: = + - @ (or their full-width forms) as the first visible character, or a
#: tab or line break in front. Written here apart from the guard itself, so the tests do not just repeat it.
_FORMULA = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n]")
_NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")


def runs_as_formula(cell: str) -> bool:
    return bool(_FORMULA.match(cell)) and not _NUMBER.fullmatch(cell)


def read_csv(response, excel: bool = False) -> list[list[str]]:
    """The rows of a CSV download, after checking that no cell of any row runs as a formula (first, so that a test
    of that fails for that reason) and how the file is framed (one charset, BOM, separator, line ends, name)."""
    assert response.status_code == 200, response.status_code
    data = response.data[len(BOM):] if response.data.startswith(BOM) else response.data
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
    formulas = [cell for row in rows for cell in row if runs_as_formula(cell)]
    assert formulas == [], f"cells a spreadsheet would run: {formulas}"
    assert rows and all(len(row) == len(rows[0]) for row in rows), "every row has the header's columns"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    if excel:
        assert response.data.startswith(BOM), "Excel needs the byte order mark to read UTF-8"
        assert disposition.endswith('-excel.csv"')
    else:
        assert not response.data.startswith(BOM)
        assert disposition.endswith('.csv"') and "-excel" not in disposition
    assert text.endswith("\r\n")  # RFC 4180, and what Excel writes
    return rows


def both_variants(client, url: str) -> tuple[list[list[str]], list[list[str]]]:
    """The rows of the standard and of the Excel variant of one export."""
    separator = "&" if "?" in url else "?"
    return read_csv(client.get(url)), read_csv(client.get(f"{url}{separator}variant=excel"), excel=True)


def offers_both_variants(page: str, url: str) -> bool:
    """The page links to the export twice, each link saying which variant it is."""
    page, separator = html.unescape(page), "&" if "?" in url else "?"
    return (f'href="{url}{separator}variant=excel" download>Voor Excel (puntkomma\'s)</a>' in page
            and f'href="{url}" download>Standaard CSV (komma\'s, voor andere programma\'s)</a>' in page)
