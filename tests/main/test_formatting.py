"""Numbers, plurals, months and mail dates read the Dutch way (and the English way on English pages)."""

import datetime as dt

import pytest
from flask_babel import force_locale

from jimtraining import formatting


@pytest.fixture
def dutch(app):
    with app.test_request_context(), force_locale("nl"):
        yield


@pytest.fixture
def english(app):
    with app.test_request_context(), force_locale("en"):
        yield


def test_dutch_numbers_use_a_decimal_comma_and_drop_a_zero_fraction(dutch):
    assert formatting.number(3.0) == "3"
    assert formatting.number(2.5) == "2,5"
    assert formatting.number(3.0, 1) == "3,0"
    assert formatting.number(0.3, 2) == "0,30"
    assert formatting.number(12345) == "12.345"
    assert formatting.number(None) == "–"


def test_english_numbers_keep_the_decimal_point(english):
    assert formatting.number(2.5) == "2.5"
    assert formatting.number(0.3, 2) == "0.30"


def test_points_are_singular_only_for_exactly_one(dutch):
    assert formatting.points(1) == "1 punt"
    assert formatting.points(2) == "2 punten"
    assert formatting.points(1.5) == "1,5 punten"
    assert formatting.points(0) == "0 punten"


def test_a_score_reads_got_of_maximum_with_the_plural_of_the_maximum(dutch):
    assert formatting.score_of(0.0, 1) == "0 van 1 punt"
    assert formatting.score_of(3.0, 8.0) == "3 van 8 punten"
    assert formatting.score_of(2.5, 8) == "2,5 van 8 punten"


def test_months_are_named_in_dutch(dutch):
    assert formatting.month("2023-10") == "oktober 2023"
    assert formatting.month(dt.date(2026, 3, 14), "MMM y") == "mrt 2026"
    assert formatting.month("geen maand") == "geen maand"


def test_mail_dates_become_a_dutch_date_and_time(dutch):
    assert formatting.maildate("Sun, 06 Dec 2026 11:47:33 -0000") == "6 dec 2026, 12:47"
    assert formatting.maildate("onleesbaar") == "onleesbaar"


def test_the_filters_are_available_in_templates(app, dutch):
    rendered = app.jinja_env.from_string(
        "{{ 2.5|number }} · {{ 2|points }} · {{ '2023-10'|month }} · {{ score_of(1, 4) }}").render()
    assert rendered == "2,5 · 2 punten · oktober 2023 · 1 van 4 punten"


def test_the_outbox_shows_mail_dates_in_dutch(app, client, login, make_user, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_PATH", str(tmp_path))
    (tmp_path / "20261206-234733-1.log").write_bytes(
        b"Content-Type: text/plain; charset=\"utf-8\"\nSubject: Uitnodiging\nTo: sam@example.org\n"
        b"Date: Sun, 06 Dec 2026 11:47:33 -0000\n\nKom je meedoen? https://jim.example.nl/" + b"x" * 200 + b"\n")
    login(client, make_user(role="admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "6 dec 2026, 12:47" in page
    assert "Sun, 06 Dec" not in page
