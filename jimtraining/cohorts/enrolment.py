"""Who is in which cohort: join codes, enrolment and removal, the trainer's and the learner's lists of cohorts, and
the rows of a cohort's active learners that the progress pages count from."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from jimtraining.accounts.models import User
from jimtraining.cohorts.models import Cohort, CohortSession, Enrollment, Invitation, cohort_trainer
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class CohortError(Exception):
    """An action on a cohort that cannot be done; the message is shown to the person."""


# Join codes -------------------------------------------------------------------------------------------------

def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))


def rotate_join_code(cohort: Cohort) -> str:
    """Give the cohort a new join code; the old one stops working at once."""
    cohort.join_code = new_join_code()
    db.session.commit()
    log.info("cohort %s: join code rotated", cohort.id)
    return cohort.join_code


# Lists of cohorts -------------------------------------------------------------------------------------------

def cohorts_for(user) -> list[Cohort]:
    """The cohorts a trainer trains (all of them for an admin)."""
    query = select(Cohort).order_by(Cohort.status, Cohort.name).options(db.selectinload(Cohort.trainers),
                                                                       db.joinedload(Cohort.organisation))
    if user.role != Role.ADMIN:
        query = query.where(Cohort.trainers.any(User.id == user.id))
    return list(db.session.scalars(query).unique())


def trained_cohorts(user) -> list[tuple[int, str, str | None]]:
    """(id, name, track slug) of the cohorts this user trains that are not archived, by name: one query."""
    return db.session.execute(
        select(Cohort.id, Cohort.name, Cohort.track_slug).where(Cohort.trainers.any(User.id == user.id),
                                                               Cohort.status != "archived").order_by(Cohort.name)).all()


def memberships(user) -> list[Cohort]:
    """The cohorts a learner is an active member of."""
    return list(db.session.scalars(
        select(Cohort).join(Enrollment).where(Enrollment.user_id == user.id, Enrollment.removed_at.is_(None))
        .options(db.selectinload(Cohort.sessions), db.selectinload(Cohort.trainers)).order_by(Cohort.name)
    ).unique())


def learner_ids_of_trainer(trainer) -> set[int] | None:
    """Ids of learners in the cohorts this trainer trains; None for admins (everyone)."""
    if trainer.role == Role.ADMIN:
        return None
    return set(db.session.scalars(
        select(Enrollment.user_id).join(Cohort).where(Cohort.trainers.any(User.id == trainer.id),
                                                      Enrollment.removed_at.is_(None))
    ))


#: Separates the trainers' names that the database strings together (a character no name contains).
_NAME_SEPARATOR = "\x1f"


def trainer_names_of(cohort_id):
    """A scalar subquery: the names of the trainers of the cohort `cohort_id` (a column) strung together; read
    them back with `split_names`."""
    return (select(func.aggregate_strings(User.name, _NAME_SEPARATOR)).select_from(cohort_trainer)
            .join(User, User.id == cohort_trainer.c.user_id).where(cohort_trainer.c.cohort_id == cohort_id)
            .scalar_subquery())


def split_names(strung: str | None) -> list[str]:
    """The names trainer_names_of strung together, by name."""
    return sorted(strung.split(_NAME_SEPARATOR)) if strung else []


@dataclass
class GroupCard:
    """What the learner's start page shows of one of their cohorts."""

    id: int
    name: str
    module_slugs: list[str]
    trainer_names: list[str] = field(default_factory=list)
    #: (id, title, starts_at) of the first session that has not ended, or None.
    next_session: tuple | None = None
    #: When that session ends (UTC), or None.
    next_ends_at: datetime | None = None


_MY_COHORT = aliased(Cohort)
_COMING = aliased(CohortSession)
#: The learner's cohorts with their trainers' names and their first session that has not ended, in one query.
_GROUP_CARDS = (
    select(
        _MY_COHORT.id, _MY_COHORT.name, _MY_COHORT.module_slugs, trainer_names_of(_MY_COHORT.id),
        _COMING.id, _COMING.title, _COMING.starts_at, _COMING.ends_at)
    .join(Enrollment, Enrollment.cohort_id == _MY_COHORT.id)
    .outerjoin(_COMING, _COMING.id == (
        select(CohortSession.id)
        .where(CohortSession.cohort_id == _MY_COHORT.id, CohortSession.ends_at >= bindparam("now"))
        .order_by(CohortSession.starts_at, CohortSession.id).limit(1).scalar_subquery()))
    .where(Enrollment.user_id == bindparam("user_id"), Enrollment.removed_at.is_(None))
    .order_by(_MY_COHORT.name, _MY_COHORT.id))


def group_cards(user, now=None) -> list[GroupCard]:
    """The cohorts a learner is an active member of, with trainers and next session: one query."""
    cards = []
    for id_, name, slugs, trainers, session_id, title, starts_at, ends_at in db.session.execute(
            _GROUP_CARDS, {"user_id": user.id, "now": now or utcnow()}):
        cards.append(GroupCard(id=id_, name=name, module_slugs=list(slugs or []),
                               trainer_names=split_names(trainers),
                               next_session=(session_id, title, as_utc(starts_at)) if session_id else None,
                               next_ends_at=as_utc(ends_at)))
    return cards


# The active learners of cohorts, for the progress pages -------------------------------------------------------

# Built once: building and caching a select in SQLAlchemy costs more than SQLite needs to run it on its indexes.
# The lists are bound at run time (expanding IN).
#: The active learners of the cohorts `cohort_ids`: cohort id, moment they joined, user id, name, e-mail, SKJ number
#: and progress token (jimtraining/progress/stamps.py).
ENROLLED = (
    select(Enrollment.cohort_id, Enrollment.enrolled_at, User.id, User.name, User.email, User.skj_number,
           Enrollment.progress_token)
    .join(User, User.id == Enrollment.user_id)
    .where(Enrollment.cohort_id.in_(bindparam("cohort_ids", expanding=True)), Enrollment.removed_at.is_(None)))
_ENROLLED_AMONG = ENROLLED.where(Enrollment.user_id.in_(bindparam("user_ids", expanding=True)))


def enrolments(cohorts: list[Cohort], user_ids=None) -> list:
    """The active learners of the cohorts (or the given ones among them), one query: rows as ENROLLED gives them."""
    cohort_ids = [cohort.id for cohort in cohorts]
    if user_ids is None:
        return db.session.execute(ENROLLED, {"cohort_ids": cohort_ids}).all()
    return db.session.execute(_ENROLLED_AMONG, {"cohort_ids": cohort_ids, "user_ids": list(user_ids)}).all()


# Enrolment --------------------------------------------------------------------------------------------------

def enroll(cohort: Cohort, user: User, source: str, reactivate: bool = True) -> Enrollment:
    """Add a learner to a cohort (idempotent). A removed learner comes back only when a trainer adds them."""
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                            Enrollment.user_id == user.id))
    if enrollment is None:
        enrollment = Enrollment(cohort_id=cohort.id, user_id=user.id, source=source)
        try:
            with db.session.begin_nested():
                db.session.add(enrollment)
        except IntegrityError:
            enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                                    Enrollment.user_id == user.id))
    elif enrollment.removed_at is not None:
        if not reactivate:
            raise CohortError(_("Je bent uit deze groep gehaald. Vraag je trainer om je weer toe te voegen."))
        enrollment.removed_at = None
    db.session.commit()
    log.info("cohort %s: user %s enrolled (%s)", cohort.id, user.id, source)
    return enrollment


def remove_learner(cohort: Cohort, user_id: int) -> None:
    """End a learner's access to the cohort; their progress and attendance stay."""
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                                            Enrollment.user_id == user_id))
    if enrollment is None:
        raise CohortError(_("Deze deelnemer zit niet in deze groep."))
    enrollment.removed_at = enrollment.removed_at or utcnow()
    # An invitation sent earlier must not bring them back.
    email = db.session.scalar(select(User.email).where(User.id == user_id))
    db.session.execute(update(Invitation).where(
        Invitation.cohort_id == cohort.id, func.lower(Invitation.email) == (email or "").lower(),
        Invitation.used_at.is_(None)).values(expires_at=utcnow()))
    db.session.commit()
    log.info("cohort %s: user %s removed", cohort.id, user_id)


def join_by_code(user: User, code: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == code.strip().upper().replace(" ", "")))
    if cohort is None or cohort.status in ("finished", "archived"):
        raise CohortError(_("Deze code klopt niet (meer). Vraag je trainer om de code van je groep."))
    enroll(cohort, user, "code", reactivate=False)
    return cohort
