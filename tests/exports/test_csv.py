"""The CSV helper every export uses: cells that no spreadsheet runs, and a standard and an Excel variant."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from jimtraining.exports.csv import csv_response, csv_text, safe_cell
from tests.exports import BOM, runs_as_formula

ATTACKS = [
    "=cmd|'/C calc'!A0@example.org",  # an e-mail address the profile form accepts
    "=HYPERLINK(\"https://example.org\",\"klik\")",
    "+31 6 12345678", "-2+3", "@SUM(A1:A2)",
    " =1+1", "  @SUM(A1)", "\u00a0=1+1", "\u200b=1+1", "\u3000+1",  # after (invisible) white space
    "\t=1+1", "\r=1+1", "\n=1+1", "\tlater", "\r\n",  # a spreadsheet may drop what is in front
    "\uff1d1+1", "\uff20SUM(A1)",  # full-width = and @
    "-", "+", "=",
]


@pytest.mark.parametrize("value", ATTACKS)
def test_every_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(value):
    """Issue 14 item 11: a cell that starts with = + - @ (also after leading white space or invisible characters,
    also full-width) or with a tab or line break is written with a leading apostrophe, whatever its column."""
    assert runs_as_formula(value)
    assert safe_cell(value) == "'" + value
    assert not runs_as_formula(safe_cell(value))


@pytest.mark.parametrize(("value", "written"), [
    ("Lotte Leerling", "Lotte Leerling"), ("lotte@example.org", "lotte@example.org"), ("a=b", "a=b"),
    ("", ""), (None, ""), (3, "3"), (-3, "-3"), (2.5, "2.5"), ("-3.5", "-3.5"), ("0012345678", "0012345678"),
    (date(2027, 3, 28), "2027-03-28"), (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), "2027-03-28T01:30:00+00:00"),
    ("'al tekst", "'al tekst"),
])
def test_plain_values_and_numbers_are_written_as_they_are(value, written):
    """Issue 14 item 11: the guard leaves numbers (also negative ones) and ordinary text alone."""
    assert safe_cell(value) == written


def test_numbers_that_come_as_other_types_go_through_the_guard_too():
    """Issue 14 item 11: not only text columns: any value is turned into text first and then guarded."""

    class Odd:
        def __str__(self):
            return "=1+1"

    assert csv_text([[Odd(), 7]]) == "'=1+1,7\r\n"


def test_standard_variant_is_utf8_with_commas_and_no_byte_order_mark(app):
    """Issue 14 item 12: the standard file is RFC 4180: UTF-8 without BOM, commas, CRLF, quotes where needed."""
    with app.test_request_context("/"):
        response = csv_response([["naam", "uren"], ["Sanne; de Vries, \"JIM\"", 2.5]], "groep-3.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="groep-3.csv"'
    assert response.data == b'naam,uren\r\n"Sanne; de Vries, ""JIM""",2.5\r\n'


def test_excel_variant_has_a_byte_order_mark_semicolons_and_decimal_commas(app):
    """Issue 14 item 12: Dutch Excel opens the Excel variant in columns, with é intact and 2,5 as a number."""
    rows = [["naam", "uren", "datum"], ["Zoë; de Vries", 2.5, "2027-03-28"], ["=1+1", "-1.25", "v1.2.3"]]
    with app.test_request_context("/?variant=excel"):
        response = csv_response(rows, "groep-3.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="groep-3-excel.csv"'
    assert response.data.startswith(BOM)
    text = response.data[len(BOM):].decode("utf-8")
    assert text.splitlines()[0] == "naam;uren;datum" and text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";")) == [
        ["naam", "uren", "datum"], ["Zoë; de Vries", "2,5", "2027-03-28"], ["'=1+1", "-1,25", "v1.2.3"]]


@pytest.mark.parametrize("variant", ["", "standard", "EXCEL", "nonsense"])
def test_anything_but_variant_excel_gives_the_standard_file(app, variant):
    """Issue 14 item 12: the standard variant is the default."""
    with app.test_request_context(f"/?variant={variant}"):
        response = csv_response([["a"]], "x.csv")
    assert response.data == b"a\r\n"


def test_a_file_name_with_other_letters_gets_an_ascii_fallback(app):
    with app.test_request_context("/"):
        response = csv_response([["a"]], "toetsresultaten-één.csv")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"toetsresultaten-een.csv\"; filename*=UTF-8''toetsresultaten-%C3%A9%C3%A9n.csv")
