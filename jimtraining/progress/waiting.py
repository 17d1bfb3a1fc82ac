"""What waits for a trainer or lecturer: open quiz answers to grade, practice versions to review, rounds to release
and coming sessions with sketches but no trainee-actor booked. The pages where the work is done (the review queue,
a cohort's practice queue, a session page) list from the same selects the start page counts from, so a count on
the start page is always what the page it links to holds (tests/main/test_workspaces.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, func, literal_column, null, select, union_all
from sqlalchemy.orm import aliased

from jimtraining.certification.models import PracticeAssignment, PracticeVersion
from jimtraining.cohorts.models import Cohort, CohortSession, Enrollment, cohort_trainer
from jimtraining.extensions import db
from jimtraining.quizzes.models import PENDING_REVIEW, AttemptAnswer, QuizAttempt
from jimtraining.roleplay.models import ActorBooking, RolePlayRound
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, utcnow

# Open answers --------------------------------------------------------------------------------------------------
# Every select here is built once, with the person, groups and sessions bound when it runs (expanding IN for the
# lists): building a statement costs more than running it on a start page that is opened all day.

_USER = bindparam("user_id")
_OPEN_ANSWERS = (select(AttemptAnswer).join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
                 .where(AttemptAnswer.needs_review.is_(True), QuizAttempt.status == PENDING_REVIEW,
                        QuizAttempt.user_id != _USER))
#: The learners this person trains in a cohort they are active in.
_TRAINED = (select(Enrollment.user_id).join(cohort_trainer, cohort_trainer.c.cohort_id == Enrollment.cohort_id)
            .where(cohort_trainer.c.user_id == _USER, Enrollment.removed_at.is_(None)))
_OPEN_ANSWERS_OF_TRAINED = _OPEN_ANSWERS.where(QuizAttempt.user_id.in_(_TRAINED))


def _review_select(user):
    """Open answers waiting for a trainer: of the learners this person trains in a cohort they are active in
    (everyone's for an admin), never their own. Runs with {"user_id": user.id}."""
    return _OPEN_ANSWERS if user.role == Role.ADMIN else _OPEN_ANSWERS_OF_TRAINED


def review_queue_for(user) -> list[AttemptAnswer]:
    """The review queue page: the open answers `user` may grade, oldest first, with attempt and learner."""
    query = (_review_select(user)
             .options(db.joinedload(AttemptAnswer.attempt).joinedload(QuizAttempt.user))
             .order_by(QuizAttempt.submitted_at, AttemptAnswer.id))
    return list(db.session.scalars(query, {"user_id": user.id}).unique())


#: The learners this person trains (each once), themselves left out.
_TRAINED_LEARNERS = (select(Enrollment.user_id)
                     .join(cohort_trainer, cohort_trainer.c.cohort_id == Enrollment.cohort_id)
                     .where(cohort_trainer.c.user_id == _USER, Enrollment.removed_at.is_(None),
                            Enrollment.user_id != _USER).distinct().subquery())
#: Per learner of _TRAINED_LEARNERS: their open answers (what _OPEN_ANSWERS_OF_TRAINED holds of them).
_OPEN_OF_LEARNER = (select(func.count()).select_from(AttemptAnswer)
                    .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
                    .where(QuizAttempt.status == PENDING_REVIEW, QuizAttempt.user_id == _TRAINED_LEARNERS.c.user_id,
                           AttemptAnswer.needs_review.is_(True))
                    .correlate(_TRAINED_LEARNERS).scalar_subquery())
_PER_LEARNER = select(_OPEN_OF_LEARNER.label("open")).select_from(_TRAINED_LEARNERS).subquery()
#: How many answers _OPEN_ANSWERS_OF_TRAINED holds, counted learner by learner: an index lookup per learner the
#: person trains, so the cost follows the size of their own groups. The same count written as one join let
#: PostgreSQL start from every open attempt in the country (its statistics rarely see the few open ones, so it
#: expects one) and check each against the person's groups: the start page's slowest statement.
_COUNT_OF_TRAINED = select(func.coalesce(func.sum(_PER_LEARNER.c.open), 0).cast(Integer))


_COUNT_ALL = select(func.count()).select_from(_OPEN_ANSWERS.subquery())


def _count_select(user):
    """The count of `_review_select(user)`; runs with {"user_id": user.id}."""
    return _COUNT_ALL if user.role == Role.ADMIN else _COUNT_OF_TRAINED


def review_count(user) -> int:
    """How many answers `review_queue_for` lists: one statement."""
    return db.session.scalar(_count_select(user), {"user_id": user.id})


# Practice versions ---------------------------------------------------------------------------------------------

_ANY_VERSION = aliased(PracticeVersion)
_NEWEST = (select(func.max(_ANY_VERSION.number)).where(_ANY_VERSION.assignment_id == PracticeAssignment.id)
           .correlate(PracticeAssignment).scalar_subquery())
#: Per active learner of the cohorts: 1 when their practice assignment for the cohort's track has a newest version
#: waiting for a decision (what the cohort's practice queue marks "Wacht op jou"), else 0. A subquery per learner,
#: not a join: it looks each learner's assignment up by (user, track), where PostgreSQL's planner would otherwise
#: read every practice assignment in the country to join a group's few learners.
_PRACTICE_OF_LEARNER = (
    select(func.count()).select_from(PracticeAssignment)
    .join(PracticeVersion, PracticeVersion.assignment_id == PracticeAssignment.id)
    .where(PracticeAssignment.user_id == Enrollment.user_id, PracticeAssignment.track_slug == Cohort.track_slug,
           PracticeVersion.number == _NEWEST, PracticeVersion.decision.is_(None))
    .correlate(Enrollment, Cohort).scalar_subquery())
_PRACTICE_PER_LEARNER = (
    select(Enrollment.cohort_id.label("cohort_id"), _PRACTICE_OF_LEARNER.label("waiting"))
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
    .where(Enrollment.cohort_id.in_(bindparam("cohort_ids", expanding=True)), Enrollment.removed_at.is_(None))
    .subquery())
#: (cohort id, count) of the practice versions waiting for a decision, per cohort.
_PRACTICE_WAITING = (select(_PRACTICE_PER_LEARNER.c.cohort_id,
                            func.sum(_PRACTICE_PER_LEARNER.c.waiting).cast(Integer))
                     .group_by(_PRACTICE_PER_LEARNER.c.cohort_id))


# Rounds and trainee-actors -------------------------------------------------------------------------------------

#: (session id, count) of rounds whose verdict the trainer has not released yet (the session page lists them
#: without the tag "vrijgegeven").
_UNRELEASED = (select(RolePlayRound.session_id, func.count())
               .where(RolePlayRound.session_id.in_(bindparam("session_ids", expanding=True)),
                      RolePlayRound.released_at.is_(None))
               .group_by(RolePlayRound.session_id))
#: (session id, 1) of the sessions among the coming ones with a trainee-actor booked.
_BOOKED = select(ActorBooking.session_id, literal_column("1", Integer)).where(
    ActorBooking.session_id.in_(bindparam("coming_ids", expanding=True)))


# All of it at once ---------------------------------------------------------------------------------------------

def _waiting(answers_count):
    """Every kind of waiting work as rows of (group or session id, count, kind)."""
    return union_all(
        answers_count.with_only_columns(null().cast(Integer), *answers_count.selected_columns,
                                        literal_column("'answers'")),
        _PRACTICE_WAITING.add_columns(literal_column("'practice'")),
        _UNRELEASED.add_columns(literal_column("'release'")),
        _BOOKED.add_columns(literal_column("'booked'")))


#: The query of all waiting work, for an admin (every open answer) and for everyone else (their learners' ones).
_WAITING = {count: _waiting(count) for count in (_COUNT_ALL, _COUNT_OF_TRAINED)}


@dataclass
class WaitingWork:
    #: Open answers `review_queue_for` lists.
    answers: int = 0
    #: cohort id -> practice versions waiting for a decision.
    practice: dict[int, int] = field(default_factory=dict)
    #: session id -> rounds not released yet.
    release: dict[int, int] = field(default_factory=dict)
    #: Sessions that have not ended, plan sketches and have no trainee-actor booked yet, in time order.
    actor: list[CohortSession] = field(default_factory=list)


def waiting_work(user, cohorts: list[Cohort], now=None) -> WaitingWork:
    """What waits for `user` in these groups (their sessions loaded): one query, each kind of work counted by
    the select its own page lists from."""
    now = now or utcnow()
    sessions = [s for cohort in cohorts for s in cohort.sessions]
    coming = [s for s in sessions if as_utc(s.ends_at) >= now and s.sketches]
    work, booked = WaitingWork(), set()
    for key, count, kind in db.session.execute(
            _WAITING[_count_select(user)],
            {"user_id": user.id, "cohort_ids": [c.id for c in cohorts if c.track_slug],
             "session_ids": [s.id for s in sessions], "coming_ids": [s.id for s in coming]}):
        if kind == "answers":
            work.answers = count
        elif kind == "practice":
            work.practice[key] = count
        elif kind == "release":
            work.release[key] = count
        else:
            booked.add(key)
    work.actor = sorted((s for s in coming if s.id not in booked), key=lambda s: (as_utc(s.starts_at), s.id))
    return work
