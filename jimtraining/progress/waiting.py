"""What waits for a trainer or lecturer: open quiz answers to grade, practice versions to review, rounds to release
and coming sessions with sketches but no trainee-actor booked. The pages where the work is done (the review queue,
a cohort's practice queue, a session page) list from the same selects the start page counts from, so a count on
the start page is always what the page it links to holds (tests/main/test_workspaces.py)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from jimtraining.certification.models import PracticeAssignment, PracticeVersion
from jimtraining.cohorts.models import Cohort, CohortSession, Enrollment, cohort_trainer
from jimtraining.extensions import db
from jimtraining.quizzes.models import PENDING_REVIEW, AttemptAnswer, QuizAttempt
from jimtraining.roleplay.models import ActorBooking, RolePlayRound
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, utcnow

# Open answers --------------------------------------------------------------------------------------------------


def _review_select(user):
    """Open answers waiting for a trainer: of the learners this person trains in a cohort they are active in
    (everyone's for an admin), never their own."""
    query = (select(AttemptAnswer).join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
             .where(AttemptAnswer.needs_review.is_(True), QuizAttempt.status == PENDING_REVIEW,
                    QuizAttempt.user_id != user.id))
    if user.role != Role.ADMIN:
        trained = (select(Enrollment.user_id)
                   .join(cohort_trainer, cohort_trainer.c.cohort_id == Enrollment.cohort_id)
                   .where(cohort_trainer.c.user_id == user.id, Enrollment.removed_at.is_(None)))
        query = query.where(QuizAttempt.user_id.in_(trained))
    return query


def review_queue_for(user) -> list[AttemptAnswer]:
    """The review queue page: the open answers `user` may grade, oldest first, with attempt and learner."""
    query = (_review_select(user)
             .options(db.joinedload(AttemptAnswer.attempt).joinedload(QuizAttempt.user))
             .order_by(QuizAttempt.submitted_at, AttemptAnswer.id))
    return list(db.session.scalars(query).unique())


def review_count(user) -> int:
    """How many answers `review_queue_for` lists: one COUNT."""
    return db.session.scalar(select(func.count()).select_from(_review_select(user).subquery()))


# Practice versions ---------------------------------------------------------------------------------------------

_ANY_VERSION = aliased(PracticeVersion)
_NEWEST = (select(func.max(_ANY_VERSION.number)).where(_ANY_VERSION.assignment_id == PracticeAssignment.id)
           .correlate(PracticeAssignment).scalar_subquery())


def practice_waiting(cohorts: list[Cohort]) -> dict[int, int]:
    """cohort id -> practice assignments of the cohort's active learners, for the cohort's track, whose newest
    version waits for a decision: what the cohort's practice queue marks "Wacht op jou". One query."""
    with_track = [c for c in cohorts if c.track_slug]
    if not with_track:
        return {}
    rows = db.session.execute(
        select(Enrollment.cohort_id, func.count())
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(PracticeAssignment, (PracticeAssignment.user_id == Enrollment.user_id)
              & (PracticeAssignment.track_slug == Cohort.track_slug))
        .join(PracticeVersion, PracticeVersion.assignment_id == PracticeAssignment.id)
        .where(Enrollment.cohort_id.in_([c.id for c in with_track]), Enrollment.removed_at.is_(None),
               PracticeVersion.number == _NEWEST, PracticeVersion.decision.is_(None))
        .group_by(Enrollment.cohort_id))
    return {cohort_id: count for cohort_id, count in rows}


# Rounds and trainee-actors -------------------------------------------------------------------------------------

def unreleased_rounds(session_ids: list[int]) -> dict[int, int]:
    """session id -> rounds whose verdict the trainer has not released yet (the session page lists them without
    the tag "vrijgegeven"). One query."""
    if not session_ids:
        return {}
    return dict(db.session.execute(
        select(RolePlayRound.session_id, func.count()).where(RolePlayRound.session_id.in_(session_ids),
                                                             RolePlayRound.released_at.is_(None))
        .group_by(RolePlayRound.session_id)).all())


def sessions_needing_actor(sessions: list[CohortSession], now=None) -> list[CohortSession]:
    """The sessions that have not ended, plan sketches and have no trainee-actor booked yet, in time order.
    One query (the booked sessions among them)."""
    now = now or utcnow()
    coming = [s for s in sessions if as_utc(s.ends_at) >= now and s.sketches]
    if not coming:
        return []
    booked = set(db.session.scalars(select(ActorBooking.session_id).where(
        ActorBooking.session_id.in_([s.id for s in coming]))))
    return sorted((s for s in coming if s.id not in booked), key=lambda s: (as_utc(s.starts_at), s.id))
