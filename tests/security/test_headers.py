"""Security headers on every kind of response, the CSP itself, HSTS in production only, and the cookie flags."""

from __future__ import annotations

import pytest

from jimtraining import create_app
from jimtraining.extensions import db
from tests.support.client import CSRFClient
from tests.support.database import config_for_tests
from tests.support.factories import PASSWORD

#: Headers that every response carries, with their exact values.
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
#: The only sources the CSP may name: nothing from another host, nothing inline.
ALLOWED_SOURCES = {"'self'", "'none'"}


def assert_security_headers(response, *, production: bool = False) -> None:
    what = f"{response.request.method} {response.request.path} ({response.status_code}, {response.mimetype})"
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, f"{what}: {name} is {response.headers.get(name)!r}"
    assert_strict_csp(response.headers.get("Content-Security-Policy", ""), what)
    if production:
        assert response.headers.get("Strict-Transport-Security") == HSTS, what
    else:
        assert "Strict-Transport-Security" not in response.headers, what


def assert_strict_csp(csp: str, what: str = "CSP") -> None:
    directives = {}
    for part in csp.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    assert directives.get("default-src") == ["'self'"], f"{what}: {csp}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{what}: {csp}"
    assert directives.get("object-src") == ["'none'"], f"{what}: {csp}"
    for directive in ("script-src", "style-src", "base-uri", "form-action"):
        assert directive in directives, f"{what}: no {directive} in {csp}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{what}: {csp}"
    for name, sources in directives.items():
        other = [s for s in sources if s not in ALLOWED_SOURCES]
        assert other == [], f"{what}: {name} allows {other} (another host, a scheme or inline code)"


def _cookies(response) -> dict[str, str]:
    """Set-Cookie headers of a response: cookie name -> the whole header."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def _attributes(set_cookie: str) -> dict[str, str]:
    attributes = {}
    for part in set_cookie.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value
    return attributes


def _responses(client, login, make_user):
    """One response of every kind: pages, errors, JSON, CSV, static files, redirects."""
    yield client.get("/")                                         # HTML page, anonymous
    yield client.get("/login")                                    # HTML form
    yield client.get("/bestaat-niet")                             # 404 page
    yield client.get("/healthz")                                  # JSON
    yield client.get("/api/v1/certificates/unknown-code")         # JSON 404
    yield client.get("/static/css/app.css")                       # static file
    yield client.get("/static/favicon.svg")                       # static SVG
    yield client.get("/profile")                                  # redirect to the login page
    yield client.post("/login", data={"email": "x@example.org"})  # 400: no CSRF token
    yield client.put("/login")                                    # 405
    learner = make_user()
    login(client, learner)
    yield client.get("/")                                         # HTML page, logged in
    yield client.get("/certification/skj.csv")                    # CSV download
    yield client.get("/admin/users")                              # 403 page


def test_every_kind_of_response_sends_the_security_headers(client, login, make_user):
    kinds = set()
    for response in _responses(client, login, make_user):
        assert_security_headers(response)
        kinds.add((response.status_code, response.mimetype))
    # The list above really covers these kinds.
    for expected in [(200, "text/html"), (404, "text/html"), (200, "application/json"), (200, "text/csv"),
                     (200, "text/css"), (302, "text/html"), (400, "text/html"), (403, "text/html"),
                     (405, "text/html")]:
        assert expected in kinds, (expected, sorted(kinds))


def test_a_server_error_page_sends_the_security_headers(tmp_path):
    broken = create_app(config_for_tests(f"sqlite:///{tmp_path}/x.db", PROPAGATE_EXCEPTIONS=False))

    @broken.route("/kapot")
    def kapot():
        raise RuntimeError("boom")

    response = broken.test_client().get("/kapot")
    assert response.status_code == 500
    assert_security_headers(response)


def test_the_content_security_policy_allows_only_this_site():
    from jimtraining import CONTENT_SECURITY_POLICY

    assert_strict_csp(CONTENT_SECURITY_POLICY)


@pytest.fixture
def production_app(app):
    """A second app on the suite's database, with PRODUCTION=True (and a SECRET_KEY and BASE_URL, as production
    requires)."""
    prod = create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"], PRODUCTION=True,
                                       SECRET_KEY="production-test-key-" + "x" * 40,
                                       BASE_URL="https://jim.example.nl"))
    prod.test_client_class = CSRFClient
    yield prod
    with prod.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_sends_hsts_on_every_kind_of_response(production_app, login, make_user):
    assert production_app.config["PRODUCTION"] is True
    client = production_app.test_client()
    for response in _responses(client, login, make_user):
        assert_security_headers(response, production=True)


@pytest.mark.parametrize("path", ["/", "/healthz", "/static/css/app.css", "/bestaat-niet"])
def test_no_hsts_outside_production(client, path):
    assert "Strict-Transport-Security" not in client.get(path).headers


def test_production_settings_come_from_the_environment_too(monkeypatch, tmp_path):
    from jimtraining.config import from_environment

    monkeypatch.setenv("JIM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    settings = from_environment(str(tmp_path), {})
    assert settings["PRODUCTION"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["REMEMBER_COOKIE_SECURE"] is True
    monkeypatch.delenv("JIM_ENV")
    settings = from_environment(str(tmp_path), {"SECRET_KEY": "given"})
    assert settings["PRODUCTION"] is False and settings["SESSION_COOKIE_SECURE"] is False


def _log_in_remembered(client, user):
    response = client.submit("/login", {"email": user.email, "password": PASSWORD, "remember": "y"}, page="/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def test_production_cookies_are_secure_httponly_and_samesite_lax(production_app, make_user):
    client = production_app.test_client()
    response = _log_in_remembered(client, make_user())
    cookies = _cookies(response)
    session_name = production_app.config["SESSION_COOKIE_NAME"]
    remember_name = production_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    assert session_name in cookies and remember_name in cookies, list(cookies)
    for name in (session_name, remember_name):
        attributes = _attributes(cookies[name])
        assert "secure" in attributes, cookies[name]
        assert "httponly" in attributes, cookies[name]
        assert attributes.get("samesite") == "Lax", cookies[name]
    # Every cookie this response sets is protected the same way.
    for header in cookies.values():
        attributes = _attributes(header)
        assert "secure" in attributes and "httponly" in attributes, header


def test_local_cookies_are_httponly_and_samesite_lax_but_not_secure(app, client, make_user):
    """Without HTTPS (make run on 127.0.0.1) a Secure cookie would never come back; the other flags stay."""
    response = _log_in_remembered(client, make_user())
    cookies = _cookies(response)
    for name in (app.config["SESSION_COOKIE_NAME"], app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
        attributes = _attributes(cookies[name])
        assert "secure" not in attributes, cookies[name]
        assert "httponly" in attributes and attributes.get("samesite") == "Lax", cookies[name]


def test_permissions_policy_switches_off_camera_microphone_and_location(client):
    header = client.get("/").headers["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    assert features == {"camera": "()", "microphone": "()", "geolocation": "()"}


@pytest.mark.parametrize("host", ["a" * 64 + ".example.org", "jim..example.org"])
def test_a_host_header_that_cannot_be_encoded_gets_the_400_page_with_the_security_headers(client, host):
    """Issue 14 item 6: a Host header whose label is longer than 63 characters (or empty) cannot be IDNA-encoded.
    It used to give a bare 500 without security headers, because the error page itself failed in url_for."""
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dit verzoek klopt niet" in page
    assert 'href="/static/css/app.css' in page  # the normal page, with its style sheet
    assert_security_headers(response)
