"""pylti1p3next's tool configuration, backed by our tables, and the HTTP side of talking to a platform.

`DatabaseToolConf` implements the library's ToolConfAbstract: a platform is found by issuer and client id (one
issuer may hold several registrations), a deployment by its id. Every registration signs with the tool's current key
(jimtraining/lti/keys.py) and always names it (`kid`): Brightspace refuses a deep-linking answer or a token request
without one.
"""

from __future__ import annotations

import threading
import time

import requests
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.service_connector import REQUESTS_USER_AGENT, ServiceConnector
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import keys
from jimtraining.lti.models import LtiPlatform

#: Seconds to wait for a platform (key set, token, scores, roster) before giving up; a grade is retried later.
HTTP_TIMEOUT = 10


class TimeoutSession(requests.Session):
    """A requests session that never waits for ever: the library passes no timeout."""

    def __init__(self):
        super().__init__()
        self.headers["User-Agent"] = f"JIM-training ({REQUESTS_USER_AGENT})"

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(method, url, **kwargs)


def http_session() -> requests.Session:
    """The session every call to a platform goes through (the tests put their emulated LMS behind it)."""
    return TimeoutSession()


class JimRegistration(Registration):
    """A registration that signs with the tool's current key and names it in every JWT header."""

    def __init__(self, platform: LtiPlatform):
        super().__init__()
        self.platform_id = platform.id
        self.set_issuer(platform.issuer).set_client_id(platform.client_id)
        self.set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
        self.set_key_set_url(platform.keyset_url)
        if platform.auth_audience:
            self.set_auth_audience(platform.auth_audience)
        self._key = None

    def _tool_key(self):
        if self._key is None:
            self._key = keys.ensure_key()
        return self._key

    def get_tool_private_key(self):
        return keys.private_pem(self._tool_key())

    def get_tool_public_key(self):
        return self._tool_key().public_pem

    def get_kid(self):
        return self._tool_key().kid

    def get_jwks(self):
        return keys.jwks()["keys"]


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The registration of this issuer with this client id; without a client id (it is optional in the login
    request), the issuer's only registration."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = list(db.session.scalars(query.limit(2)))
    return found[0] if len(found) == 1 else None


class DatabaseToolConf(ToolConfAbstract):
    """Registrations and deployments from lti_platform."""

    def __init__(self):
        super().__init__()
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss):
        return False  # always look up by issuer and client id

    def check_iss_has_many_clients(self, iss):
        return True

    def _registration(self, iss, client_id):
        platform = find_platform(iss, client_id)
        if platform is None:
            return None
        self.platform = platform
        return JimRegistration(platform)

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self._registration(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        return self._registration(iss, client_id)

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = find_platform(iss, client_id)
        if platform is None or deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)


class CachingServiceConnector(ServiceConnector):
    """Asks a platform for an access token once per scope set until it expires (per process)."""

    _tokens: dict[str, tuple[str, float]] = {}
    _lock = threading.Lock()

    def _scope_key(self, scopes):
        registration = self._registration
        return "|".join([registration.get_issuer() or "", registration.get_client_id() or "",
                         registration.get_auth_token_url() or "", *sorted(scopes)])

    def _get_cached_access_token(self, scope_key):
        with self._lock:
            found = self._tokens.get(scope_key)
        if found and found[1] > time.monotonic():
            return found[0]
        return None

    def _cache_access_token(self, scope_key, access_token, expires_in):
        # A minute's margin; a token without a lifetime is not kept.
        lifetime = float(expires_in or 0) - 60
        if lifetime > 0:
            with self._lock:
                self._tokens[scope_key] = (access_token, time.monotonic() + lifetime)


def forget_access_tokens() -> None:
    """Forget the platforms' access tokens and key sets this process keeps (tests; a platform that was removed)."""
    with CachingServiceConnector._lock:
        CachingServiceConnector._tokens.clear()
        _KEY_SETS.clear()


#: A platform's key set is fetched at most this often; a launch signed with a key it does not hold (the platform
#: rotated its keys) fetches it again, at most every KEY_SET_REFETCH seconds.
KEY_SET_SECONDS = 300
KEY_SET_REFETCH = 60
#: keyset URL -> (key set, fetched at, monotonic seconds).
_KEY_SETS: dict[str, tuple[dict, float]] = {}


def cached_key_set(url: str, fetch, key_found) -> dict:
    """The platform's key set from this process's copy when it is fresh and holds the key (`key_found(key_set)`);
    fetched again (with `fetch(url)`) otherwise. A whole class launching at once costs the platform one fetch."""
    now = time.monotonic()
    with CachingServiceConnector._lock:
        cached = _KEY_SETS.get(url)
    if cached and now - cached[1] < KEY_SET_SECONDS and (key_found(cached[0]) or now - cached[1] < KEY_SET_REFETCH):
        return cached[0]
    key_set = fetch(url)
    with CachingServiceConnector._lock:
        _KEY_SETS[url] = (key_set, now)
    return key_set


def connector_for(platform: LtiPlatform) -> CachingServiceConnector:
    return CachingServiceConnector(JimRegistration(platform), http_session())
