"""A real OpenID Connect provider for the SSO tests (the fixtures that start it are in tests/sso/conftest.py).

oidc-provider-mock's provider (a Flask app signing RS256 ID tokens, with discovery, JWKS, token and userinfo
endpoints) runs on a thread at 127.0.0.1 and is our client's issuer: the tests choose the person's claims with
`Provider.set_user`, "log in" at the provider with `Provider.authorize` (its consent form posted with a subject),
and bring the browser back to our callback. The mock does not check PKCE itself, so the provider here does: a token
request whose code_verifier does not hash to the code_challenge of its authorization request is refused, as
SURFconext does. Nonces are required.
"""

import base64
import hashlib
import warnings
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

import authlib.deprecate  # noqa: F401 - its import switches its warnings on; imported first, they can be quieted
import pytest
import requests
from flask import jsonify
from flask import request as provider_request

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the mock still imports authlib.jose, which Authlib has deprecated
    import oidc_provider_mock

#: The mock signs with Authlib's old JWT configuration, which Authlib warns about on every token it issues.
QUIET = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

CLIENT_ID = "jim-training-test"
CLIENT_SECRET = "geen-echt-geheim"


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def provider_app():
    provider = oidc_provider_mock.app(require_nonce=True)
    challenges: dict[str, tuple[str | None, str | None]] = {}

    @provider.after_request
    def remember_challenge(response):
        if provider_request.path == "/oauth2/authorize" and response.status_code in (302, 303):
            code = parse_qs(urlsplit(response.location or "").query).get("code", [None])[0]
            if code:
                challenges[code] = (provider_request.args.get("code_challenge"),
                                    provider_request.args.get("code_challenge_method"))
        return response

    @provider.before_request
    def check_code_verifier():
        if provider_request.path == "/oauth2/token" and provider_request.form.get("grant_type") == \
                "authorization_code":
            challenge, method = challenges.pop(provider_request.form.get("code") or "", (None, None))
            verifier = provider_request.form.get("code_verifier") or ""
            if method != "S256" or not challenge or s256(verifier) != challenge:
                return jsonify(error="invalid_grant", error_description="PKCE verification failed"), 400
        return None

    return provider


@dataclass
class Provider:
    issuer: str

    def set_user(self, sub: str, **claims) -> None:
        """The claims the provider releases for this subject (in the ID token and at userinfo)."""
        response = requests.put(f"{self.issuer}/users/{quote(sub, safe='')}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorization_url: str, sub: str | None = None, deny: bool = False) -> str:
        """Log in at the provider as `sub` (or refuse): returns where it sends the browser back to."""
        assert authorization_url.startswith(self.issuer + "/"), authorization_url
        data = {"action": "deny"} if deny else {"sub": sub}
        response = requests.post(authorization_url, data=data, allow_redirects=False, timeout=5)
        assert response.status_code in (302, 303), response.text[:500]
        return response.headers["Location"]


def configure(app, monkeypatch, key: str, issuer: str, **extra) -> None:
    prefix = key.upper()
    monkeypatch.setitem(app.config, f"{prefix}_ISSUER", issuer)
    monkeypatch.setitem(app.config, f"{prefix}_CLIENT_ID", CLIENT_ID)
    monkeypatch.setitem(app.config, f"{prefix}_CLIENT_SECRET", CLIENT_SECRET)
    for name, value in extra.items():
        monkeypatch.setitem(app.config, f"{prefix}_{name.upper()}", value)


_counter = {"n": 0}


def new_sub() -> str:
    """An opaque subject like SURFconext's, new for every login of the run (the providers live all run long)."""
    _counter["n"] += 1
    return f"{_counter['n']:04d}c0ffee{_counter['n']:04d}" + "a" * 24


def surf_claims(**changes) -> dict:
    """SURF-style claims of a fictional hogeschool student (names as SURFconext's gateway releases them)."""
    claims = {
        "name": "Sanne de Student",
        "given_name": "Sanne",
        "family_name": "de Student",
        "email": "Sanne.deStudent@hogeschool.example",
        "schac_home_organization": "hogeschool.example",
        "eduperson_principal_name": "s1234567@hogeschool.example",
        "eduperson_affiliation": ["student", "member"],
        "eduperson_scoped_affiliation": ["student@hogeschool.example"],
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def start(client, provider_key: str = "surfconext", next_url: str | None = None):
    """Click the provider's button on the login page: returns the response (a redirect to the provider)."""
    query = f"?next={quote(next_url)}" if next_url else ""
    return client.get(f"/sso/{provider_key}/login{query}")


def sso_login(client, provider: Provider, sub: str, provider_key: str = "surfconext", next_url: str | None = None):
    """The whole login: our button, the provider's form as `sub`, back to our callback. Returns the callback's
    response."""
    response = start(client, provider_key, next_url)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client.get(provider.authorize(response.location, sub))
