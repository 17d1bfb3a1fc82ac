"""Logins and password-reset requests are throttled per client address and per e-mail address.

The limits (jimtraining/config.py): 10 login tries a minute per address typed, 30 a minute per client address;
3 reset requests an hour per address, 5 a minute per client address. tests/support/limiter.py resets the counts
before every test, so no test sleeps and the rest of the suite, which logs in a lot, is never throttled by accident.
"""

import re

import pytest

from tests.support.factories import PASSWORD

LOGIN_REFUSED = "Er is te vaak geprobeerd in te loggen. Wacht een paar minuten en probeer het dan opnieuw."
RESET_REFUSED = "Er zijn te veel aanvragen voor een nieuw wachtwoord gedaan."
WRONG = "Dit e-mailadres en wachtwoord horen niet bij een actief account."


def try_login(client, email, password="fout wachtwoord"):
    return client.submit("/login", {"email": email, "password": password}, page="/login")


def visible_text(response) -> str:
    """The page without what differs per request (the CSRF token, the address typed)."""
    html = response.get_data(as_text=True)
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", html)
    return re.sub(r'(id="email"[^>]*value=")[^"]*"', r'\1"', html)


def test_the_eleventh_try_for_one_account_is_refused_even_with_the_right_password(app, client, make_user):
    user = make_user(email="sam@example.org")
    for _ in range(10):
        response = try_login(client, "sam@example.org")
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)
    refused = try_login(client, "sam@example.org", PASSWORD)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert LOGIN_REFUSED in page
    assert 'name="csrf_token"' in page and 'name="password"' in page  # the form is still there
    assert 'value="sam@example.org"' in page
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/profile").status_code == 302
    # Another account from the same device is not affected.
    other = make_user(email="noor@example.org")
    assert try_login(client, other.email, PASSWORD).status_code == 302
    assert user.last_login_at is None


def test_the_account_limit_holds_from_another_device_too(app, make_user):
    make_user(email="sam@example.org")
    for _ in range(10):
        try_login(app.test_client(), "sam@example.org")
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert try_login(elsewhere, "sam@example.org", PASSWORD).status_code == 429


def test_the_address_is_counted_as_the_login_finds_it(client, make_user):
    make_user(email="sam@example.org")
    variants = ["sam@example.org", "SAM@example.org", " Sam@Example.org ", "sam@EXAMPLE.ORG", "Sam@example.org"]
    for variant in variants * 2:
        assert try_login(client, variant).status_code == 200
    assert try_login(client, "Sam@example.org", PASSWORD).status_code == 429


def test_the_refusal_is_the_same_whether_or_not_the_account_exists(app, make_user):
    make_user(email="sam@example.org")
    known, unknown = app.test_client(), app.test_client()
    unknown.environ_base["REMOTE_ADDR"] = "192.0.2.45"
    for _ in range(10):
        try_login(known, "sam@example.org")
        try_login(unknown, "niemand@example.org")
    refused_known = try_login(known, "sam@example.org")
    refused_unknown = try_login(unknown, "niemand@example.org")
    assert refused_known.status_code == refused_unknown.status_code == 429
    assert LOGIN_REFUSED in refused_unknown.get_data(as_text=True)
    assert visible_text(refused_known) == visible_text(refused_unknown)
    # Both windows started within the same moment (a second boundary may lie in between).
    assert abs(int(refused_known.headers["Retry-After"]) - int(refused_unknown.headers["Retry-After"])) <= 1


def test_many_accounts_from_one_client_address_are_throttled(app, client, make_user):
    user = make_user()
    for number in range(30):
        assert try_login(client, f"persoon{number}@example.org").status_code == 200
    refused = try_login(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert LOGIN_REFUSED in refused.get_data(as_text=True)
    # Someone on another connection logs in as usual.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.46"
    assert try_login(other, user.email, PASSWORD).status_code == 302


def test_showing_the_login_page_is_not_counted(client, make_user):
    user = make_user()
    for _ in range(40):
        assert client.get("/login").status_code == 200
    assert try_login(client, user.email, PASSWORD).status_code == 302


def test_a_forwarded_address_is_ignored_unless_a_proxy_is_trusted(app, monkeypatch, make_user):
    user = make_user()
    for number in range(30):
        spoofing = app.test_client()
        spoofing.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{number}"
        try_login(spoofing, f"persoon{number}@example.org")
    assert try_login(app.test_client(), user.email, PASSWORD).status_code == 429

    # Behind one trusted reverse proxy, the address it saw is the one that counts.
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    behind_proxy = app.test_client()
    behind_proxy.environ_base["HTTP_X_FORWARDED_FOR"] = "made.up.by.client, 203.0.113.7"
    assert try_login(behind_proxy, user.email, PASSWORD).status_code == 302


def test_the_third_reset_request_for_an_address_within_the_hour_is_the_last(client, make_user, outbox):
    make_user(email="sam@example.org")
    for _ in range(3):
        response = client.submit("/password/forgot", {"email": "sam@example.org"}, page="/password/forgot")
        assert response.status_code == 302
    refused = client.submit("/password/forgot", {"email": " SAM@example.org"}, page="/password/forgot")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert RESET_REFUSED in page and 'name="email"' in page
    assert len(outbox) == 3


@pytest.mark.parametrize("email", ["sam@example.org", "niemand@example.org"])
def test_reset_requests_from_one_client_address_are_throttled(client, make_user, outbox, email):
    make_user(email="sam@example.org")
    for number in range(5):
        client.submit("/password/forgot", {"email": f"persoon{number}@example.org"}, page="/password/forgot")
    refused = client.submit("/password/forgot", {"email": email}, page="/password/forgot")
    assert refused.status_code == 429
    assert RESET_REFUSED in refused.get_data(as_text=True)
    assert outbox == []


def test_throttling_leaves_csrf_protection_in_place(client):
    response = client.post("/login", data={"email": "sam@example.org", "password": "x"})
    assert response.status_code == 400
    response = client.post("/password/forgot", data={"email": "sam@example.org"})
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)


def test_the_counter_store_and_trusted_proxies_come_from_the_environment(monkeypatch, tmp_path):
    from jimtraining.config import from_environment

    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://redis.internal:6379/2")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    settings = from_environment(str(tmp_path), {"SECRET_KEY": "x", "MAIL_BACKEND": "locmem"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://redis.internal:6379/2"
    assert settings["TRUSTED_PROXIES"] == 1
    monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    monkeypatch.delenv("TRUSTED_PROXIES")
    settings = from_environment(str(tmp_path), {"SECRET_KEY": "x", "MAIL_BACKEND": "locmem"})
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert "TRUSTED_PROXIES" not in settings  # the default (0) from DEFAULTS


@pytest.mark.parametrize("value", ["een", "-1", "1.5"])
def test_a_wrong_trusted_proxies_value_stops_the_start_with_a_reason(monkeypatch, tmp_path, value):
    from jimtraining.config import from_environment

    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES must be a number"):
        from_environment(str(tmp_path), {"SECRET_KEY": "x", "MAIL_BACKEND": "locmem"})


def test_logins_go_on_when_the_redis_store_is_down(app, make_user, shared_limiter):
    """The redis client is installed, and an unreachable Redis makes the limits count per process instead. (The
    limiter is one object for every app: shared_limiter gives it back the suite's memory store afterwards.)"""
    from jimtraining import create_app
    from tests.support.client import CSRFClient
    from tests.support.database import config_for_tests

    user = make_user()
    down = create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"],
                                       RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    down.test_client_class = CSRFClient
    client = down.test_client()
    assert try_login(client, user.email, PASSWORD).status_code == 302
    client.submit("/logout")
    for _ in range(10):
        try_login(client, user.email)
    assert try_login(client, user.email, PASSWORD).status_code == 429
