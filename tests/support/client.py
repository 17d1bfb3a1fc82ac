"""The test client that posts forms with a CSRF token as a browser would, and logging people in."""

import re

import pytest
from flask.testing import FlaskClient

from jimtraining.extensions import db
from tests.support.factories import PASSWORD

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class CSRFClient(FlaskClient):
    """A test client that can post forms with a valid CSRF token, as a browser would.

    Every request runs in an app context of its own, as in production: otherwise it would share the test's
    ``g`` (and Flask-Login's cached user) and its database session. The test's session is committed around
    each request so it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response

    def csrf_token(self, page: str = "/") -> str:
        html = self.get(page).get_data(as_text=True)
        match = TOKEN_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, page: str = "/", **kwargs):
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(page)
        return self.post(url, data=data, **kwargs)


def log_in(client: CSRFClient, user, password: str = PASSWORD):
    """Log a client in through the real login form."""
    response = client.submit("/login", {"email": user.email, "password": password}, page="/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def client_with_host(app):
    """A test client whose every request names `host` in its Host header (forged, or a proxy's internal name):
    client_with_host("evil.example")."""

    def make(host: str) -> CSRFClient:
        class HostClient(CSRFClient):
            def open(self, *args, **kwargs):
                if args and isinstance(args[0], str):
                    kwargs.setdefault("base_url", f"http://{host}")
                return super().open(*args, **kwargs)

        return HostClient(app, app.response_class, use_cookies=True)

    return make


@pytest.fixture
def login():
    """Log a client in through the real login form: login(client, user, password=...)."""
    return log_in


@pytest.fixture
def client_for(app):
    """A fresh logged-in client for each person: client_for(user)."""

    def make(user):
        client = app.test_client()
        log_in(client, user)
        return client

    return make
