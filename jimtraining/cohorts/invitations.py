"""Invitations to a cohort: a single-use link that expires, of which only a hash is stored."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from jimtraining.accounts.models import User
from jimtraining.cohorts.enrolment import CohortError, enroll
from jimtraining.cohorts.models import Cohort, Invitation
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

INVITATION_DAYS = 14


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(cohort: Cohort, email: str, name: str, invited_by, organisation_id: int | None = None,
                      skj_number: str | None = None, commit: bool = True) -> tuple[Invitation, str]:
    """A new single-use invitation; returns it with the token for the link (only its hash is stored). With
    commit=False the caller commits (with the mail that carries the link)."""
    [(invitation, token)] = create_invitations(cohort, [Invitee(email, name, organisation_id, skj_number)],
                                               invited_by)
    if commit:
        db.session.commit()
    return invitation, token


class Invitee(NamedTuple):
    """Who an invitation is for: a person typed in by the trainer or a row of an uploaded list."""

    email: str
    name: str
    organisation_id: int | None = None
    skj_number: str | None = None


def create_invitations(cohort: Cohort, invitees: list[Invitee], invited_by) -> list[tuple[Invitation, str]]:
    """New single-use invitations for these people, written in one batched insert however many they are (not
    committed: the caller commits them with their mails). Returns each invitation with the token for its link, in
    the order given."""
    expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    tokens, rows = {}, []
    for person in invitees:
        token = secrets.token_urlsafe(32)
        tokens[_hash(token)] = token
        rows.append({"cohort_id": cohort.id, "email": person.email.strip().lower(), "name": person.name.strip(),
                     "token_hash": _hash(token), "invited_by_id": invited_by.id if invited_by else None,
                     "expires_at": expires_at, "organisation_id": person.organisation_id or cohort.organisation_id,
                     "skj_number": person.skj_number or None})
    if not rows:
        return []
    # One multi-row INSERT ... RETURNING (SQLAlchemy's insertmanyvalues); the rows come back in any order, so
    # each is matched to its token by the token's hash, which is unique.
    made = {invitation.token_hash: invitation
            for invitation in db.session.scalars(insert(Invitation).returning(Invitation), rows)}
    log.info("cohort %s: %s invitation(s) created", cohort.id, len(made))
    return [(made[row["token_hash"]], tokens[row["token_hash"]]) for row in rows]


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link; raises CohortError for a changed, used or expired link."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token or "")))
    if invitation is None:
        raise CohortError(_("Deze uitnodigingslink klopt niet. Controleer of je de hele link hebt gekopieerd."))
    if invitation.used_at is not None:
        raise CohortError(_("Deze uitnodiging is al gebruikt. Log in met je account."))
    if as_utc(invitation.expires_at) < utcnow():
        raise CohortError(_("Deze uitnodiging is verlopen. Vraag je trainer om een nieuwe."))
    return invitation


def accept_invitation(invitation: Invitation, user: User) -> Cohort:
    """Use an invitation once (atomic: a second use at the same moment fails) and enrol the user as a learner."""
    if user.role != Role.LEARNER:
        raise CohortError(_("Deze uitnodiging is voor deelnemers. Je account heeft een andere rol; vraag een "
                            "beheerder om je aan de groep toe te voegen."))
    now = utcnow()
    result = db.session.execute(update(Invitation).where(Invitation.id == invitation.id,
                                                         Invitation.used_at.is_(None)).values(used_at=now))
    if result.rowcount != 1:
        db.session.rollback()
        raise CohortError(_("Deze uitnodiging is al gebruikt. Log in met je account."))
    # Other open invitations to the same group for the same address are done too.
    db.session.execute(update(Invitation).where(
        Invitation.cohort_id == invitation.cohort_id, Invitation.email == invitation.email,
        Invitation.used_at.is_(None)).values(used_at=now))
    db.session.commit()
    return enroll(invitation.cohort, user, "invitation").cohort
