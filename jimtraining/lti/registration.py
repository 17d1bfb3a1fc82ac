"""LTI Dynamic Registration (where the LMS offers it: Moodle, Canvas, Brightspace...).

An admin makes a registration address on /admin/lti (valid REGISTRATION_DAYS, for one registration). The LMS
administrator pastes it into the LMS, which opens it with `openid_configuration` and `registration_token`; the page
asks to confirm, then the tool reads the platform's OpenID configuration, sends its own configuration (pylti1p3next's
DynamicRegistration) and registers the platform with the client id (and deployment id) the platform answers with.
The secret address is what allows it: without one nobody can make the tool fetch an address or register a platform.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from pylti1p3.dynamic_registration import DynamicRegistration
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import platforms, toolconf
from jimtraining.lti.models import LtiPlatform, LtiRegistrationInvite
from jimtraining.timeutil import as_utc, utcnow
from jimtraining.web import absolute_url

log = logging.getLogger(__name__)

REGISTRATION_DAYS = 14
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score",
          "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_invite(name: str) -> str:
    """A new registration address (returned once; only its hash is kept)."""
    token = secrets.token_urlsafe(24)
    db.session.add(LtiRegistrationInvite(token_hash=_hash(token), name=(name or "").strip()[:200] or "LMS",
                                         expires_at=utcnow() + timedelta(days=REGISTRATION_DAYS)))
    db.session.commit()
    return absolute_url("lti.register", token=token)


def open_invite(token: str) -> LtiRegistrationInvite | None:
    """The unused, unexpired invite of this token, or None."""
    if not token or len(token) > 100:
        return None
    invite = db.session.scalar(select(LtiRegistrationInvite).where(LtiRegistrationInvite.token_hash == _hash(token)))
    if invite is None or invite.used_at is not None or as_utc(invite.expires_at) < utcnow():
        return None
    return invite


class ToolRegistration(DynamicRegistration):
    """The tool's side of the registration, with our addresses."""

    client_name = "JIM-training"
    description = "JIM-aanpak: modules, toetsen en oefenscenario's (LTI 1.3)"

    def __init__(self, openid_configuration: str, registration_token: str | None, name: str):
        self.openid_configuration_url = openid_configuration
        self.registration_token = registration_token or None
        self.name = name
        self.platform: LtiPlatform | None = None

    def get_request_session(self):
        return toolconf.http_session()

    def get_initiate_login_uri(self):
        return absolute_url("lti.login")

    def get_jwks_uri(self):
        return absolute_url("lti.jwks")

    def get_redirect_uris(self):
        return [absolute_url("lti.launch")]

    def get_target_link_uri(self):
        return absolute_url("lti.launch")

    def get_domain(self):
        return urlsplit(absolute_url("lti.launch")).netloc

    def get_scopes(self):
        return SCOPES

    def get_claims(self):
        return ["iss", "sub", "name", "given_name", "family_name", "email"]

    def get_messages(self):
        return [{"type": "LtiDeepLinkingRequest", "target_link_uri": absolute_url("lti.launch"),
                 "label": "JIM-training"}]

    def get_logo_uri(self):
        return absolute_url("static", filename="favicon.svg")

    def get_openid_configuration_endpoint(self):
        return self.openid_configuration_url

    def get_registration_token(self):
        return self.registration_token

    def complete_registration(self, openid_configuration, openid_registration):
        tool = openid_registration.get(TOOL_CONFIGURATION) or {}
        deployment = str(tool.get("deployment_id") or "").strip()
        audience = openid_configuration.get("authorization_server") or ""
        self.platform, _new = platforms.add_platform(
            name=self.name, issuer=str(openid_configuration.get("issuer") or ""),
            client_id=str(openid_registration.get("client_id") or ""), deployment_ids=[deployment] if deployment
            else [], auth_login_url=str(openid_configuration.get("authorization_endpoint") or ""),
            auth_token_url=str(openid_configuration.get("token_endpoint") or ""),
            keyset_url=str(openid_configuration.get("jwks_uri") or ""),
            auth_audience=audience if audience != openid_configuration.get("token_endpoint") else "",
            require_deployment=False)
        return self.platform


def register(invite: LtiRegistrationInvite, openid_configuration: str, registration_token: str | None) -> LtiPlatform:
    """Run the registration; raises LtiException, RequestException, AssertionError or PlatformError when it
    cannot be done."""
    registration = ToolRegistration(openid_configuration, registration_token, invite.name)
    platform = registration.register()
    invite.used_at, invite.platform_id = utcnow(), platform.id
    db.session.commit()
    log.info("LTI platform %s registered itself (Dynamic Registration)", platform.id)
    return platform
