"""What an accepted launch does: the person, the course's class cohort, the link that was clicked, where to go.

- The person is found by (platform, `sub`) and made on their first launch (domains.create_account): never matched
  to an existing account by e-mail. Instructor (or Administrator) in the course makes them a trainer and the class
  cohort's lecturer; everyone else is a learner in the class cohort.
- The course (context) becomes a class cohort of the organisation named after the platform (a hogeschool).
- A resource link opens what it points at ("module:<slug>", "quiz:<slug>", "scenario:<slug>": the custom parameter
  `jim_target`, or `?target=` on the launch address), and keeps its gradebook column (AGS line item).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from flask import session, url_for
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import domains
from jimtraining.lti.course_sync import sync_course_quietly
from jimtraining.lti.launch import LaunchRefusedError, consume_nonce
from jimtraining.lti.models import LtiContext, LtiPlatform, LtiResourceLink, LtiUserLink
from jimtraining.lti.targets import target_of, target_title, target_url
from jimtraining.roles import Role
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
#: Where the session keeps what the LTI pages need (small: the cookie session holds it).
SESSION_KEY = "lti"
DEEP_LINK_KEY = "lti_deep_link"


# Framing ----------------------------------------------------------------------------------------------------

_ORIGIN_HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


def origin_of(url: str | None) -> str | None:
    """scheme://host[:port] of an http(s) URL with a plain host name; None for anything else."""
    try:
        parts = urlsplit(str(url or "").strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or not _ORIGIN_HOST.match(parts.hostname):
        return None
    return f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "")


def frame_origins(platform: LtiPlatform, body: dict | None = None) -> list[str]:
    """Origins whose pages may show the tool in an iframe after a launch from this platform: the platform's own
    URLs and configured origins, and the LMS pages the signed launch names (return URL, platform URL)."""
    urls = [platform.issuer, platform.auth_login_url, *(platform.frame_origins or [])]
    if body:
        urls.append((body.get(LTI + "launch_presentation") or {}).get("return_url"))
        urls.append((body.get(LTI + "tool_platform") or {}).get("url"))
    found = []
    for url in urls:
        origin = origin_of(url)
        if origin and origin not in found:
            found.append(origin)
    return found[:10]


# The launch -------------------------------------------------------------------------------------------------

def is_instructor(launch) -> bool:
    return launch.check_teacher_access()


def _claim_text(body: dict, name: str, length: int) -> str:
    value = body.get(name)
    return value.strip()[:length] if isinstance(value, str) else ""


def user_for(platform: LtiPlatform, body: dict, instructor: bool):
    """The account of the platform's user (made on the first launch)."""
    sub = _claim_text(body, "sub", 255)
    if not sub:
        raise LaunchRefusedError("message", "no sub")
    link = db.session.scalar(select(LtiUserLink).where(LtiUserLink.platform_id == platform.id,
                                                       LtiUserLink.sub == sub))
    user = domains.load_user(link.user_id) if link is not None else None
    if user is None:
        name = _claim_text(body, "name", 120) or " ".join(
            part for part in (_claim_text(body, "given_name", 60), _claim_text(body, "family_name", 60)) if part)
        user = domains.create_account(name=name, email=_claim_text(body, "email", 254), issuer=platform.issuer,
                                      sub=sub, role=Role.TRAINER if instructor else Role.LEARNER)
        link = LtiUserLink(platform_id=platform.id, sub=sub, user_id=user.id)
        db.session.add(link)
        log.info("LTI account made: user=%s platform=%s", user.id, platform.id)
    if not user.is_enabled:
        raise LaunchRefusedError("account", "account disabled")
    link.last_launch_at = utcnow()
    db.session.commit()
    return user


def context_for(platform: LtiPlatform, body: dict) -> LtiContext | None:
    """The course of the launch with its class cohort (both made when new) and its service addresses."""
    claim = body.get(LTI + "context") or {}
    context_id = str(claim.get("id") or "").strip()[:255] if isinstance(claim, dict) else ""
    if not context_id:
        return None
    context = db.session.scalar(select(LtiContext).where(LtiContext.platform_id == platform.id,
                                                         LtiContext.context_id == context_id))
    title = str(claim.get("title") or claim.get("label") or context_id).strip()[:255]
    if context is None:
        context = LtiContext(platform_id=platform.id, context_id=context_id, title=title, ags_scopes=[])
        db.session.add(context)
    context.title = title or context.title
    if not domains.cohort_exists(context.cohort_id):
        context.cohort_id = domains.make_class_cohort(title, platform.name)
        log.info("LTI course %s of platform %s became cohort %s", context_id, platform.id, context.cohort_id)
    nrps = body.get(NRPS_CLAIM) or {}
    if isinstance(nrps, dict) and nrps.get("context_memberships_url"):
        context.memberships_url = str(nrps["context_memberships_url"])[:500]
    ags = body.get(AGS_CLAIM) or {}
    if isinstance(ags, dict):
        if ags.get("lineitems"):
            context.lineitems_url = str(ags["lineitems"])[:500]
        if isinstance(ags.get("scope"), list):
            context.ags_scopes = [str(scope) for scope in ags["scope"]]
    db.session.commit()
    return context


def resource_link_for(context: LtiContext, body: dict, target: str | None) -> LtiResourceLink | None:
    claim = body.get(LTI + "resource_link") or {}
    link_id = str(claim.get("id") or "").strip()[:255] if isinstance(claim, dict) else ""
    if not link_id or target is None:
        return None
    link = db.session.scalar(select(LtiResourceLink).where(LtiResourceLink.context_id == context.id,
                                                           LtiResourceLink.resource_link_id == link_id))
    if link is None:
        link = LtiResourceLink(context_id=context.id, resource_link_id=link_id, target=target)
        db.session.add(link)
    link.target = target
    link.title = str(claim.get("title") or "").strip()[:255] or target_title(target)
    ags = body.get(AGS_CLAIM) or {}
    if isinstance(ags, dict) and ags.get("lineitem"):
        link.lineitem_url = str(ags["lineitem"])[:500]
    db.session.commit()
    return link


def accept(launch) -> str:
    """Act on a launch the library validated: log the person in and return where their browser goes next."""
    platform = launch.platform
    body = launch.get_launch_data()
    consume_nonce(str(body.get("nonce")), body.get("exp"))
    deep_linking = launch.is_deep_link_launch()
    instructor = is_instructor(launch)
    if deep_linking and not instructor:
        raise LaunchRefusedError("deep_link_role")
    user = user_for(platform, body, instructor)
    context = context_for(platform, body)
    if instructor:
        domains.make_trainer(user)
    if context is not None:
        if instructor:
            domains.add_trainer(context.cohort_id, user)
        else:
            domains.enrol(context.cohort_id, user)
    target = target_of(body)
    if context is not None and launch.is_resource_launch():
        resource_link_for(context, body, target)
    domains.log_in(user)
    session[SESSION_KEY] = {"platform": platform.id, "user": user.id, "frame": frame_origins(platform, body),
                            "context": context.id if context is not None else None}
    log.info("LTI launch: user=%s platform=%s %s", user.id, platform.id, "deep linking" if deep_linking else target)
    if deep_linking:
        settings = body.get(DEEP_LINKING_CLAIM) or {}
        session[DEEP_LINK_KEY] = {
            "platform": platform.id, "deployment_id": body.get(LTI + "deployment_id"),
            "return_url": settings.get("deep_link_return_url"), "data": settings.get("data"),
            "multiple": str(settings.get("accept_multiple", True)).lower() != "false",
            "line_items": str(settings.get("accept_lineitem", True)).lower() != "false",
            "context": context.id if context is not None else None}
        return url_for("lti.deep_link")
    if context is not None:
        sync_course_quietly(context, roster=instructor)
    return target_url(target) or (url_for("cohorts.dashboard", cohort_id=context.cohort_id)
                                  if instructor and context is not None else url_for("curriculum.overview"))


def lti_session() -> dict | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, dict) else None
