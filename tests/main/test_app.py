"""Health check, configuration and the SQLite settings."""

import os
import stat

import pytest
from sqlalchemy import text

from jimtraining import create_app
from jimtraining.config import from_environment, local_secret_key, normalise_database_url
from jimtraining.extensions import db
from tests.support.database import config_for_tests


def test_healthz_reports_the_database_as_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok",
                                   "queue": {"status": "ok", "pending": 0, "failed": 0}}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    broken = create_app(config_for_tests(f"sqlite:///{tmp_path}/missing-folder/x.db"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable", "queue": {"status": "unknown"}}


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("JIM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        from_environment(str(tmp_path), {})


def test_production_uses_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("JIM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    settings = from_environment(str(tmp_path), {})
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert not (tmp_path / "secret_key").exists()


def test_local_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = local_secret_key(str(tmp_path))
    second = local_secret_key(str(tmp_path))
    assert first == second and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_database_url_defaults_to_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("JIM_ENV", raising=False)
    monkeypatch.delenv("FLASK_ENV", raising=False)
    settings = from_environment(str(tmp_path), {})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/jimtraining.db"


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"])
def test_postgresql_urls_use_psycopg_3(url):
    assert normalise_database_url(url) == "postgresql+psycopg://u@h/db"


def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings; this run uses PostgreSQL")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL: see extensions.sqlite_synchronous


def test_sqlite_synchronous_can_be_full_and_refuses_other_values(monkeypatch, tmp_path):
    from jimtraining.extensions import sqlite_synchronous

    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "full")
    assert sqlite_synchronous() == "FULL"
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(RuntimeError, match="SQLITE_SYNCHRONOUS"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "x.db"), "SECRET_KEY": "x"})


def test_unknown_page_gets_a_dutch_404_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_welcome_page_for_visitors_has_landmarks_and_skip_link(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert 'href="#inhoud"' in page and '<main id="inhoud"' in page
    assert "<header" in page and "<nav" in page and "<footer" in page


@pytest.mark.parametrize("path", ["/", "/profile", "/modules/", "/modules/basis", "/modules/basis/eerste"])
def test_pages_load_nothing_from_other_hosts(client, login, make_user, synced_content, path):
    import re

    login(client, make_user())
    page = client.get(path).get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources
    remote = [url for url in sources if re.match(r"^([a-z]+:)?//", url, re.I)]
    assert remote == []


def test_every_page_sends_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_nul_byte_in_a_form_is_refused_with_a_message(client, make_user):
    make_user(email="sam@example.org")
    response = client.submit("/login", {"email": "sam\x00@example.org", "password": "x"}, page="/login")
    assert response.status_code == 400
    assert "Er ging iets mis met wat je stuurde" in response.get_data(as_text=True)


def test_messages_that_no_page_showed_do_not_pile_up_in_the_session_cookie(client, make_user, login,
                                                                           synced_content):
    """A client that never follows the redirect after a form (a script, a load test) keeps getting messages;
    the session keeps the newest five, so the cookie cannot outgrow what browsers accept."""
    login(client, make_user())
    token = client.csrf_token()
    for _ in range(30):
        response = client.post("/modules/basis/eerste/undo", data={"csrf_token": token})  # flashes a message
        assert response.status_code == 302
    with client.session_transaction() as session:
        waiting = session.get("_flashes", [])
    assert 1 <= len(waiting) <= 5
    page = client.get("/modules/basis/eerste").get_data(as_text=True)
    assert page.count("De les staat weer op") == len(waiting)


GOOD_KEY = "k" * 64


@pytest.fixture
def start(monkeypatch, tmp_path):
    """Start the app as a server would: everything from the environment, nothing given by a test."""
    for name in ("JIM_ENV", "FLASK_ENV", "BASE_URL", "SECRET_KEY", "JIM_BENCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JIM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")

    def start_with(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return create_app()

    return start_with


@pytest.mark.parametrize(("environment", "names"), [
    ({"JIM_ENV": "production", "SECRET_KEY": GOOD_KEY}, "BASE_URL"),
    ({"JIM_ENV": "production", "SECRET_KEY": "k" * 31, "BASE_URL": "https://jim.example.nl"}, "SECRET_KEY"),
    # 16 characters but 32 bytes would pass; 15 of them (30 bytes) do not: bytes count, not characters.
    ({"JIM_ENV": "production", "SECRET_KEY": "é" * 15, "BASE_URL": "https://jim.example.nl"}, "SECRET_KEY"),
    ({"JIM_ENV": "prod", "SECRET_KEY": GOOD_KEY, "BASE_URL": "https://jim.example.nl"}, "JIM_ENV"),
    ({"FLASK_ENV": "staging"}, "FLASK_ENV"),
    ({"BASE_URL": "jim.example.nl"}, "BASE_URL"),
])
def test_the_app_refuses_to_start_with_one_clear_line_per_problem(start, environment, names):
    """Issue 14 item 5 (acceptance): JIM_ENV=production without BASE_URL, with a SECRET_KEY shorter than 32 bytes,
    or an unknown JIM_ENV (`prod` used to run in development mode) stop the app at start with one line."""
    with pytest.raises(RuntimeError) as refused:
        start(**environment)
    message = str(refused.value)
    assert names in message
    assert "\n" not in message.strip(), message


def test_each_production_problem_gets_its_own_line(start):
    with pytest.raises(RuntimeError) as refused:
        start(JIM_ENV="production", SECRET_KEY="kort")
    lines = str(refused.value).splitlines()
    assert len(lines) == 2
    assert any("BASE_URL" in line for line in lines) and any("SECRET_KEY" in line for line in lines)


def test_production_starts_with_base_url_and_a_long_secret_key(start):
    app = start(JIM_ENV="Production", SECRET_KEY="é" * 16, BASE_URL="https://jim.example.nl/")
    assert app.config["PRODUCTION"] is True
    assert app.config["BASE_URL"] == "https://jim.example.nl"


@pytest.mark.parametrize("environment", [{}, {"JIM_ENV": "development"}, {"FLASK_ENV": "development"}])
def test_development_starts_without_base_url_or_secret_key(start, environment):
    """`make run` and the demo need neither: the key is generated in instance/, links use the request."""
    app = start(**environment)
    assert app.config["PRODUCTION"] is False and not app.config.get("BASE_URL")


@pytest.mark.parametrize("base", ["https://scholing.example.nl/jim", "https://scholing.example.nl/jim/"])
def test_absolute_links_start_with_base_url_including_its_path(app, monkeypatch, base):
    """Issue 14 item 5: behind a proxy that serves the app under a path, links keep that path; no request needed
    (the expiry reminders run from cron)."""
    from jimtraining.web import absolute_url

    monkeypatch.setitem(app.config, "BASE_URL", base)
    assert absolute_url("certification.verify", code="abc") == "https://scholing.example.nl/jim/verify/abc"
