"""Registering platforms (command line, admin page, Dynamic Registration) and the tool's own addresses."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import domains, keys
from jimtraining.lti.models import LtiPlatform, LtiUserLink
from jimtraining.lti.services import origin_of
from jimtraining.web import absolute_url

log = logging.getLogger(__name__)


class PlatformError(ValueError):
    """A registration that cannot be saved; the message is for the person who typed it."""


@dataclass(frozen=True)
class ToolUrls:
    """What an LMS administrator pastes into the LMS."""

    login: str
    launch: str
    jwks: str
    deep_linking: str
    dynamic_registration: str


def tool_urls() -> ToolUrls:
    launch = absolute_url("lti.launch")
    return ToolUrls(login=absolute_url("lti.login"), launch=launch, jwks=absolute_url("lti.jwks"),
                    deep_linking=launch, dynamic_registration=absolute_url("lti.admin"))


def _url(value: str, label: str) -> str:
    value = (value or "").strip()
    if origin_of(value) is None or len(value) > 500:
        raise PlatformError(_("%(label)s is geen geldig webadres (https://...).", label=label))
    if current_app.config.get("PRODUCTION") and not value.startswith("https://"):
        raise PlatformError(_("%(label)s moet met https:// beginnen.", label=label))
    return value


def split_list(text: str | list | tuple | None) -> list[str]:
    """Deployment ids or origins typed with commas, spaces or new lines between them."""
    if isinstance(text, list | tuple):
        items = [str(item) for item in text]
    else:
        items = (text or "").replace(",", " ").split()
    found = []
    for item in (item.strip() for item in items):
        if item and item not in found:
            found.append(item[:255])
    return found


def add_platform(*, issuer: str, client_id: str, deployment_ids, auth_login_url: str, auth_token_url: str,
                 keyset_url: str, name: str = "", auth_audience: str = "", frame_origins=(),
                 require_deployment: bool = True) -> tuple[LtiPlatform, bool]:
    """Register a platform, or add deployment ids to the registration with this issuer and client id. Makes the
    tool's key when there is none yet, so the platform can launch right away. Returns (platform, new)."""
    issuer = (issuer or "").strip()
    client_id = (client_id or "").strip()
    if not issuer or len(issuer) > 255:
        raise PlatformError(_("Vul de issuer van de leeromgeving in."))
    if not client_id or len(client_id) > 255:
        raise PlatformError(_("Vul de client-id in die de leeromgeving gaf."))
    deployments = split_list(deployment_ids)
    if not deployments and require_deployment:
        raise PlatformError(_("Vul minstens een deployment-id in."))
    urls = {"auth_login_url": _url(auth_login_url, _("De OIDC-inlog-URL")),
            "auth_token_url": _url(auth_token_url, _("De token-URL")),
            "keyset_url": _url(keyset_url, _("De keyset-URL"))}
    origins = []
    for value in split_list(frame_origins):
        origin = origin_of(value)
        if origin is None:
            raise PlatformError(_("%(value)s is geen geldige herkomst (https://lms.example.nl).", value=value))
        origins.append(origin)
    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == issuer,
                                                           LtiPlatform.client_id == client_id))
    new = platform is None
    if new:
        platform = LtiPlatform(issuer=issuer, client_id=client_id, deployment_ids=[], frame_origins=[],
                               name=(name or "").strip()[:200] or (origin_of(issuer) or issuer)[:200])
        db.session.add(platform)
    elif name:
        platform.name = name.strip()[:200]
    platform.deployment_ids = [*(platform.deployment_ids or []),
                               *(d for d in deployments if d not in (platform.deployment_ids or []))]
    platform.frame_origins = [*(platform.frame_origins or []),
                              *(o for o in origins if o not in (platform.frame_origins or []))]
    for field, value in urls.items():
        setattr(platform, field, value)
    if auth_audience:
        platform.auth_audience = auth_audience.strip()[:500]
    db.session.commit()
    keys.ensure_key()
    log.info("LTI platform %s %s: issuer=%s client_id=%s deployments=%s", platform.id,
             "registered" if new else "updated", issuer, client_id, platform.deployment_ids)
    return platform, new


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name, LtiPlatform.id)))


def remove_platform(platform: LtiPlatform) -> None:
    """Remove a registration: its launches stop at once. Accounts and class cohorts stay; the links between them
    and the platform, its courses' gradebook links and unsent grades go."""
    log.info("LTI platform %s removed (issuer=%s client_id=%s)", platform.id, platform.issuer, platform.client_id)
    db.session.delete(platform)
    db.session.commit()


def link_account(platform_id: int, sub: str, email: str) -> LtiUserLink:
    """Point a platform's user at an existing account (an admin decides this; a launch never links by e-mail).
    The account the launches made before, if any, stays as it is."""
    platform = db.session.get(LtiPlatform, platform_id)
    user = domains.find_account(email)
    if platform is None:
        raise PlatformError(_("Deze leeromgeving bestaat niet."))
    if user is None:
        raise PlatformError(_("Er is geen account met dit e-mailadres."))
    sub = (sub or "").strip()[:255]
    link = db.session.scalar(select(LtiUserLink).where(LtiUserLink.platform_id == platform.id, LtiUserLink.sub == sub))
    if link is None:
        link = LtiUserLink(platform_id=platform.id, sub=sub, user_id=user.id)
        db.session.add(link)
    link.user_id = user.id
    db.session.commit()
    log.info("LTI user %s of platform %s linked to account %s", sub, platform.id, user.id)
    return link
