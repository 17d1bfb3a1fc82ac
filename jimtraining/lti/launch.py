"""The OIDC login and the launch, on pylti1p3next's Flask adapter, with every refusal named.

The library checks the state cookie, the nonce, the registration, the signature (with the platform's key set), the
deployment and the message claims. Here each check that fails becomes a `LaunchRefusedError` with its kind, so the page
says what went wrong (views.refused). What the library would keep in the session (the whole launch, a key per state
and per nonce) is not kept: the cookie session stays small. The tool keeps the few nonces it handed out at login in
the session, and every nonce of an accepted launch in the database (lti_nonce), so a launch sent again is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from flask import render_template, session
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskSessionService
from pylti1p3.exception import LtiException, OIDCException
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from jimtraining.extensions import db
from jimtraining.lti import toolconf
from jimtraining.lti.models import LtiNonce
from jimtraining.lti.toolconf import CachingServiceConnector, DatabaseToolConf
from jimtraining.timeutil import utcnow

#: Nonces handed out at /lti/login that this browser may still come back with (a few tabs at once).
KEEP_NONCES = 5
_NONCES = "lti_nonces"
#: How long an accepted nonce is remembered when the token says nothing (it says: exp).
NONCE_MEMORY = timedelta(days=1)


class LaunchRefusedError(Exception):
    """A login or launch that is not accepted. `kind` names the reason (REFUSALS in views.py)."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail = kind, detail


class JimSessionService(FlaskSessionService):
    """Nonces in the session (a few), nothing else: no launch data, no state marks."""

    def save_nonce(self, nonce):
        session[_NONCES] = [*session.get(_NONCES, [])[-(KEEP_NONCES - 1):], nonce]

    def check_nonce(self, nonce):
        return nonce in session.get(_NONCES, []) and not nonce_used(nonce)

    def save_launch_data(self, key, jwt_body):
        pass

    def get_launch_data(self, key):
        return None

    def set_state_valid(self, state, id_token_hash):
        pass

    def check_state_is_valid(self, state, id_token_hash):
        return False  # the state must match the cookie set at /lti/login, every time


def nonce_used(nonce: str) -> bool:
    return bool(db.session.scalar(select(exists().where(LtiNonce.nonce == nonce))))


def consume_nonce(nonce: str, expires: int | None) -> None:
    """Mark the nonce of an accepted launch as used; raises LaunchRefusedError("nonce") when it already was."""
    session[_NONCES] = [n for n in session.get(_NONCES, []) if n != nonce]
    now = utcnow()
    until = datetime.fromtimestamp(expires, UTC) if isinstance(expires, int | float) else now + NONCE_MEMORY
    db.session.execute(delete(LtiNonce).where(LtiNonce.expires_at < now))
    try:
        with db.session.begin_nested():
            db.session.add(LtiNonce(nonce=nonce[:255], expires_at=max(until, now) + timedelta(minutes=5)))
    except IntegrityError:
        raise LaunchRefusedError("nonce", "nonce used before") from None
    db.session.commit()


class JimMessageLaunch(FlaskMessageLaunch):
    """The library's launch, with named refusals and the platform's row at hand."""

    def __init__(self, request, tool_config: DatabaseToolConf):
        super().__init__(request, tool_config, session_service=JimSessionService(request),
                         requests_session=toolconf.http_session(), service_connector_cls=CachingServiceConnector)

    @property
    def platform(self):
        return self._tool_config.platform

    def _step(self, kind, step):
        try:
            return step()
        except LaunchRefusedError:
            raise
        except (LtiException, AssertionError, KeyError, TypeError, ValueError) as error:
            raise LaunchRefusedError(kind, str(error)) from error

    def validate_state(self):
        if not self._get_request_param("state") or not self._get_request_param("id_token"):
            raise LaunchRefusedError("request", "no state or id_token")
        return self._step("state", super().validate_state)

    def validate_jwt_format(self):
        return self._step("request", super().validate_jwt_format)

    def validate_nonce(self):
        return self._step("nonce", super().validate_nonce)

    def validate_registration(self):
        return self._step("platform", super().validate_registration)

    def fetch_public_key(self, key_set_url):
        """The platform's key set, from this process's copy while it is fresh and holds the launch's key."""
        kid = self._jwt.get("header", {}).get("kid")
        return toolconf.cached_key_set(key_set_url, super().fetch_public_key, lambda key_set: any(
            isinstance(key, dict) and key.get("kid") == kid for key in (key_set or {}).get("keys", [])))

    def validate_jwt_signature(self):
        public_key, algorithm = self._step("signature", self.get_public_key)
        try:
            jwt.decode(self._get_id_token(), public_key, algorithms=[algorithm], options=self._jwt_verify_options)
        except jwt.ExpiredSignatureError as error:
            raise LaunchRefusedError("expired", str(error)) from error
        except jwt.InvalidTokenError as error:
            raise LaunchRefusedError("signature", str(error)) from error
        return self

    def validate_deployment(self):
        return self._step("deployment", super().validate_deployment)

    def validate_message(self):
        return self._step("message", super().validate_message)


class JimOIDCLogin(FlaskOIDCLogin):
    """The library's OIDC login; its cookie check is our own page (no inline script: the CSP forbids it)."""

    def __init__(self, request, tool_config: DatabaseToolConf):
        super().__init__(request, tool_config, session_service=JimSessionService(request))

    def validate_oidc_login(self):
        try:
            return super().validate_oidc_login()
        except OIDCException as error:
            kind = "platform" if "registration" in str(error) else "request"
            raise LaunchRefusedError(kind, str(error)) from error

    def get_cookies_allowed_js_check(self):
        _protocol, params = self.get_cookies_allowed_js_check_params()
        return render_template("lti/cookie_check.html", params=params)
