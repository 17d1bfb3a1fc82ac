"""What the tool reads from a course: its roster (Names and Role Provisioning Services) into the class cohort, and
its gradebook columns (Assignment and Grade Services line items) for the links nobody opened yet.

Line items: a link placed by Deep Linking carries its target as the line item's resourceId. The tool learns a link's
column when someone opens the link; reading the course's line items at a launch (at most every LINE_ITEMS_EVERY)
also finds the columns of links nobody opened yet, so a quiz done from its module's page still reaches the quiz's
column.

Roster:
Learners on the roster are enrolled (an account is made for those who never launched: from the roster's name and
e-mail, matched on the platform's user id as at a launch), instructors become the cohort's lecturers, and learners
who joined through LTI but are no longer active on the roster leave the cohort (their progress stays). Read at every
Instructor launch and by `flask lti sync-rosters`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.roles import TeacherRole
from requests import RequestException
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import domains
from jimtraining.lti.models import LtiContext, LtiResourceLink, LtiUserLink
from jimtraining.lti.targets import parse_target
from jimtraining.lti.toolconf import connector_for
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
LINE_ITEM_SCOPES = ("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly")
#: A course's line items are read at most this often (at launches).
LINE_ITEMS_EVERY = timedelta(minutes=10)


def _account(context: LtiContext, member: dict, instructor: bool, links: dict):
    sub = str(member.get("user_id") or "").strip()[:255]
    if not sub:
        return None
    link = links.get(sub)
    user = domains.load_user(link.user_id) if link is not None else None
    if user is None:
        name = str(member.get("name") or " ".join(
            str(member.get(part) or "") for part in ("given_name", "family_name")).strip())
        user = domains.create_account(name=name, email=str(member.get("email") or ""),
                                      issuer=context.platform.issuer, sub=sub,
                                      role=Role.TRAINER if instructor else Role.LEARNER)
        link = LtiUserLink(platform_id=context.platform_id, sub=sub, user_id=user.id)
        db.session.add(link)
        db.session.commit()
        links[sub] = link
    return user


def sync_roster(context: LtiContext) -> tuple[int, int, int]:
    """Read the roster into the class cohort; returns (learners, lecturers, left). Raises LtiException or
    RequestException when the platform does not answer as it should."""
    service = NamesRolesProvisioningService(connector_for(context.platform),
                                            {"context_memberships_url": context.memberships_url})
    members = service.get_members()
    links = {link.sub: link for link in db.session.scalars(
        select(LtiUserLink).where(LtiUserLink.platform_id == context.platform_id))}
    learners, lecturers, active = 0, 0, set()
    for member in members:
        if not isinstance(member, dict):
            continue
        instructor = TeacherRole({ROLES_CLAIM: list(member.get("roles") or [])}).check()
        status = str(member.get("status") or "Active")
        user = _account(context, member, instructor, links)
        if user is None or status != "Active" or not user.is_enabled:
            continue
        if instructor:
            domains.make_trainer(user)
            domains.add_trainer(context.cohort_id, user)
            lecturers += 1
        else:
            domains.enrol(context.cohort_id, user)
            active.add(user.id)
            learners += 1
    left = 0
    for user_id in domains.lti_enrolled_ids(context.cohort_id) - active:
        domains.unenrol(context.cohort_id, user_id)
        left += 1
    context.roster_synced_at = utcnow()
    db.session.commit()
    log.info("LTI roster of context %s: %s learners, %s lecturers, %s left", context.id, learners, lecturers, left)
    return learners, lecturers, left


def sync_line_items(context: LtiContext) -> int:
    """Links of the course's line items whose resourceId names a target (placed by Deep Linking); returns how many
    links the tool did not know yet."""
    service = AssignmentsGradesService(connector_for(context.platform), {
        "scope": list(context.ags_scopes or []), "lineitems": context.lineitems_url})
    known = {link.resource_link_id: link for link in db.session.scalars(
        select(LtiResourceLink).where(LtiResourceLink.context_id == context.id))}
    added = 0
    for item in service.get_lineitems():
        if not isinstance(item, dict):
            continue
        target, link_id, url = item.get("resourceId"), str(item.get("resourceLinkId") or "")[:255], item.get("id")
        if parse_target(target) is None or not link_id or not url:
            continue
        link = known.get(link_id)
        if link is None:
            link = LtiResourceLink(context_id=context.id, resource_link_id=link_id, target=target,
                                   title=str(item.get("label") or "")[:255])
            db.session.add(link)
            known[link_id] = link
            added += 1
        link.lineitem_url = link.lineitem_url or str(url)[:500]
    context.lineitems_synced_at = utcnow()
    db.session.commit()
    return added


def _line_items_due(context: LtiContext) -> bool:
    return bool(context.lineitems_url and set(context.ags_scopes or []) & set(LINE_ITEM_SCOPES) and (
        context.lineitems_synced_at is None or as_utc(context.lineitems_synced_at) < utcnow() - LINE_ITEMS_EVERY))


def sync_course_quietly(context: LtiContext, roster: bool) -> None:
    """At a launch: the line items when due, the roster for a lecturer. A platform that does not answer must not
    stop the person who launched."""
    for wanted, action, what in ((_line_items_due(context), sync_line_items, "line items"),
                                 (roster and bool(context.memberships_url), sync_roster, "roster")):
        if not wanted:
            continue
        try:
            action(context)
        except (LtiException, RequestException, ValueError, KeyError) as error:
            db.session.rollback()
            log.warning("LTI %s of context %s not read: %s", what, context.id, error)


def sync_all_rosters() -> list[tuple[LtiContext, str]]:
    """Every course with a roster service: (context, outcome) for the command line."""
    outcomes = []
    for context in db.session.scalars(select(LtiContext).where(LtiContext.memberships_url.is_not(None))
                                      .order_by(LtiContext.id)):
        if not domains.cohort_exists(context.cohort_id):
            continue
        try:
            learners, lecturers, left = sync_roster(context)
            outcomes.append((context, f"{learners} learners, {lecturers} lecturers, {left} left"))
        except (LtiException, RequestException, ValueError, KeyError) as error:
            db.session.rollback()
            outcomes.append((context, f"not read: {error}"))
    return outcomes
