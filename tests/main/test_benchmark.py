"""Bench mode (JIM_BENCH=1, `make bench` only): the baseline page and the query-count header."""

import pytest

from jimtraining import create_app
from jimtraining.accounts.services import create_user
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from tests.support.client import CSRFClient
from tests.support.database import config_for_tests
from tests.support.factories import PASSWORD


@pytest.fixture
def bench_app(app):
    bench = create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"], BENCH=True,
                                        RATELIMIT_ENABLED=False))
    bench.test_client_class = CSRFClient
    return bench


def log_in(client, email):
    token = client.csrf_token("/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_baseline_page_shows_twenty_rows_in_the_base_template_with_a_query_count(bench_app):
    with bench_app.app_context():
        db.session.add_all(Organisation(name=f"Organisatie {n:02d}", kind="jeugdzorg") for n in range(25))
        db.session.commit()
        create_user(email="lena@example.org", name="Lena", password=PASSWORD)
        client = bench_app.test_client()
        log_in(client, "lena@example.org")
        response = client.get("/bench/baseline")
        html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<tr><td>Organisatie") == 20
    assert "Organisatie 00" in html and "Organisatie 20" not in html
    assert 'class="site-header"' in html  # the same base template as every page
    assert int(response.headers["X-SQL-Queries"]) >= 2  # the login session and the rows, at least


def test_baseline_page_needs_a_login(bench_app):
    with bench_app.app_context():
        response = bench_app.test_client().get("/bench/baseline")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_normal_installation_has_no_bench_page_and_no_query_header(client):
    response = client.get("/bench/baseline")
    assert response.status_code == 404
    assert "X-SQL-Queries" not in client.get("/").headers


def test_bench_mode_is_refused_in_production(app):
    with pytest.raises(RuntimeError, match="JIM_BENCH"):
        create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"], BENCH=True, PRODUCTION=True,
                                    SECRET_KEY="k" * 64, BASE_URL="https://jim.example.nl"))


def test_bench_mode_from_the_environment_switches_off_login_throttling(monkeypatch, tmp_path):
    from jimtraining.config import from_environment

    monkeypatch.setenv("JIM_BENCH", "1")
    settings = from_environment(str(tmp_path), {"SECRET_KEY": "x", "MAIL_BACKEND": "locmem"})
    assert settings["BENCH"] is True and settings["RATELIMIT_ENABLED"] is False
