"""What the API reads, always within one organisation. Each function costs a fixed number of queries whatever
the number of rows; the progress per track is the checklist of jimtraining/certification/eligibility.py (the same
figures the learner and the trainer see), not a count of its own."""

from __future__ import annotations

from sqlalchemy import func, select

from jimtraining.accounts.models import User
from jimtraining.certification.eligibility import followed_tracks, learner_eligibilities
from jimtraining.certification.models import Certificate
from jimtraining.cohorts.models import Cohort, CohortSession, Enrollment
from jimtraining.extensions import db
from jimtraining.roles import Role


def _professionals(organisation_id: int):
    return select(User).where(User.organisation_id == organisation_id, User.role == Role.LEARNER)


def professionals_page(organisation_id: int, page: int, per_page: int) -> tuple[list[User], int]:
    """One page of the organisation's professionals (learner accounts, by name) and how many there are."""
    total = db.session.scalar(select(func.count()).select_from(_professionals(organisation_id).subquery()))
    users = list(db.session.scalars(_professionals(organisation_id).order_by(User.name, User.id)
                                    .offset((page - 1) * per_page).limit(per_page)))
    return users, total or 0


def professional_or_none(organisation_id: int, user_id: int) -> User | None:
    """The professional, when they belong to the organisation; None for anyone else's (not told apart)."""
    return db.session.scalar(_professionals(organisation_id).where(User.id == user_id))


def certificates_of(user_ids: list[int]) -> dict[int, list[Certificate]]:
    """Every certificate of these people (revoked ones too: their status says so), oldest first. One query."""
    found: dict[int, list[Certificate]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        for certificate in db.session.scalars(select(Certificate).where(Certificate.user_id.in_(user_ids))
                                              .order_by(Certificate.issued_at, Certificate.id)):
            found[certificate.user_id].append(certificate)
    return found


def progress_of(user: User) -> list:
    """(cohort, track, eligibility) for each of the person's groups that follows a track."""
    pairs = followed_tracks(user)
    return [(cohort, track, eligibility) for (cohort, track), eligibility
            in zip(pairs, learner_eligibilities(pairs, user.id), strict=True) if eligibility is not None]


def _cohorts(organisation_id: int):
    return select(Cohort).where(Cohort.organisation_id == organisation_id)


def cohorts_page(organisation_id: int, page: int, per_page: int) -> tuple[list[Cohort], int]:
    """One page of the organisation's groups (newest start first), with their trainers, and how many there are."""
    total = db.session.scalar(select(func.count()).select_from(_cohorts(organisation_id).subquery()))
    cohorts = list(db.session.scalars(
        _cohorts(organisation_id).options(db.selectinload(Cohort.trainers))
        .order_by(Cohort.starts_on.desc().nulls_last(), Cohort.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return cohorts, total or 0


def cohort_or_none(organisation_id: int, cohort_id: int) -> Cohort | None:
    """The group with its trainers and sessions, when it belongs to the organisation."""
    return db.session.scalar(_cohorts(organisation_id).where(Cohort.id == cohort_id)
                             .options(db.selectinload(Cohort.trainers), db.selectinload(Cohort.sessions)))


def learner_counts(cohort_ids: list[int]) -> dict[int, int]:
    """Active members per group. One query."""
    if not cohort_ids:
        return {}
    rows = db.session.execute(select(Enrollment.cohort_id, func.count()).where(
        Enrollment.cohort_id.in_(cohort_ids), Enrollment.removed_at.is_(None)).group_by(Enrollment.cohort_id))
    return {cohort_id: count for cohort_id, count in rows}


def sessions_of(cohort: Cohort) -> list[CohortSession]:
    return list(cohort.sessions)
