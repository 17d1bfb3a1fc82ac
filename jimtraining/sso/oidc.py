"""The OpenID Connect client (Authlib): authorization code flow with PKCE (S256), state and nonce.

`begin` reads the provider's discovery document (its issuer must be the configured one), keeps state, nonce and
PKCE verifier in the session and returns the provider's authorization URL. `finish` checks the state, exchanges
the code (with the verifier), verifies the ID token (signature against the provider's JWKS, issuer, audience,
expiry, nonce; asymmetric algorithms only), reads the userinfo endpoint (SURFconext releases most claims there; its
``sub`` must be the ID token's) and returns the `Identity`. Every failure raises `LoginFailedError` (the login cannot
be trusted: 400) or `ProviderUnavailableError` (the provider could not be reached or is not what was configured).
"""

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, session
from joserfc.errors import JoseError

from jimtraining.sso.claims import ClaimsError, Identity, identity_from_claims
from jimtraining.sso.providers import HTTP_TIMEOUT, SCOPE, Settings

log = logging.getLogger(__name__)

#: ID tokens signed otherwise (none, or HS* with the client secret as key) are refused.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class LoginFailedError(Exception):
    """The answer from the provider cannot be trusted or was a refusal. ``kind``: "state", "cancelled",
    "token"."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


class ProviderUnavailableError(Exception):
    """The provider could not be reached, or its discovery document does not match the settings."""


def _client(settings: Settings) -> FlaskOAuth2App:
    """One Authlib client per app and provider settings (it keeps the discovery document and the keys)."""
    clients = current_app.extensions.setdefault("jim_sso_clients", {})
    client = clients.get(settings)
    if client is None:
        client = FlaskOAuth2App(
            FlaskIntegration(settings.key), settings.key,
            client_id=settings.client_id, client_secret=settings.client_secret,
            server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": HTTP_TIMEOUT})
        clients.clear()  # settings changed (tests): the old clients are of no use any more
        clients[settings] = client
    return client


def _metadata(client: FlaskOAuth2App, settings: Settings) -> dict:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        log.warning("sso %s: discovery document not readable: %s", settings.key, error)
        raise ProviderUnavailableError(str(error)) from error
    if metadata.get("issuer") != settings.issuer:
        log.error("sso %s: the discovery document names issuer %r, the settings %r", settings.key,
                  metadata.get("issuer"), settings.issuer)
        client.server_metadata.clear()
        raise ProviderUnavailableError("issuer mismatch")
    algorithms = [alg for alg in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
                  if alg in SIGNING_ALGORITHMS]
    if not algorithms:
        log.error("sso %s: the provider signs ID tokens with no algorithm accepted here", settings.key)
        raise ProviderUnavailableError("no usable signing algorithm")
    metadata["id_token_signing_alg_values_supported"] = algorithms
    return metadata


def _state_prefix(settings: Settings) -> str:
    return f"_state_{settings.key}_"


def begin(settings: Settings, redirect_uri: str) -> tuple[str, str]:
    """(authorization URL, state) for a new login; the state data waits in the session. An earlier unfinished
    login with this provider in the same browser is forgotten: its data would only make the cookie grow."""
    client = _client(settings)
    _metadata(client, settings)
    for key in [key for key in session if key.startswith(_state_prefix(settings))]:
        session.pop(key)
    extra = {"login_hint": settings.login_hint} if settings.login_hint else {}
    try:
        found = client.create_authorization_url(redirect_uri, **extra)
    except requests.RequestException as error:
        raise ProviderUnavailableError(str(error)) from error
    client.save_authorize_data(redirect_uri=redirect_uri, state=found["state"], nonce=found["nonce"],
                               code_verifier=found["code_verifier"])
    return found["url"], found["state"]


def finish(settings: Settings) -> Identity:
    """The verified identity behind the callback request (raises LoginFailedError or ProviderUnavailableError)."""
    client = _client(settings)
    metadata = _metadata(client, settings)
    try:
        token = client.authorize_access_token()
        id_claims = token.get("userinfo")
        if not id_claims:
            raise LoginFailedError("token", "no ID token")
        claims = dict(id_claims)
        if metadata.get("userinfo_endpoint"):
            response = client.get(metadata["userinfo_endpoint"], token=token)
            response.raise_for_status()
            userinfo = response.json()
            if not isinstance(userinfo, dict) or userinfo.get("sub") != id_claims.get("sub"):
                raise LoginFailedError("token", "userinfo is about someone else")
            claims = {**userinfo, **id_claims}
        return identity_from_claims(settings.key, settings.issuer, claims)
    except MismatchingStateError as error:
        raise LoginFailedError("state") from error
    except OAuthError as error:
        if error.error == "access_denied":
            raise LoginFailedError("cancelled", error.description or "") from error
        raise LoginFailedError("token", f"{error.error}: {error.description}") from error
    except (AuthlibBaseError, JoseError, ClaimsError, ValueError, requests.HTTPError) as error:
        # A refused code or userinfo request, a bad signature, a wrong nonce, issuer or audience, an expired token.
        raise LoginFailedError("token", f"{type(error).__name__}: {error}") from error
    except requests.RequestException as error:
        log.warning("sso %s: provider not reachable during login: %s", settings.key, error)
        raise ProviderUnavailableError(str(error)) from error
