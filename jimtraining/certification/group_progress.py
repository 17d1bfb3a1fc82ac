"""What the active learners of cohorts did: lessons done and best quiz results in the named modules, and their
attendance. Counted in SQL with a fixed number of queries, whatever the number of cohorts or learners.

The certification checklist (eligibility.py) and the trainer's progress matrix (jimtraining/progress/matrix.py)
both read it, so a dashboard counts everything once. It lives here, not in jimtraining/progress/, because
certification (which checks eligibility again at sign-off) sits below progress and may not import it; and not in
cohorts, which sits below the quizzes it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, case, func, select

from jimtraining.cohorts.attendance import attendance_counts_of
from jimtraining.cohorts.enrolment import enrolments
from jimtraining.cohorts.models import Cohort
from jimtraining.content.catalogue import catalogue
from jimtraining.curriculum.models import Lesson, LessonProgress, Module
from jimtraining.extensions import db
from jimtraining.quizzes.models import PENDING_REVIEW, QuizAttempt
from jimtraining.timeutil import as_utc


@dataclass(frozen=True, slots=True)
class Person:
    """The fields of an account that the progress pages show."""

    id: int
    name: str
    email: str
    skj_number: str | None


@dataclass
class GroupProgress:
    """What the active learners of one cohort did, counted in SQL (see groups_progress)."""

    cohort: Cohort
    #: Active learners by user id.
    people: dict[int, Person] = field(default_factory=dict)
    #: user id -> moment they joined the cohort (UTC).
    joined: dict = field(default_factory=dict)
    #: (user id, module slug) -> active lessons of the module marked as done.
    lessons_done: dict[tuple[int, str], int] = field(default_factory=dict)
    #: (user id, module slug) -> (best percentage or None, passed), for every module with attempts.
    quiz: dict[tuple[int, str], tuple[float | None, bool]] = field(default_factory=dict)
    #: (user id, module slug) of quizzes with an attempt whose open answer waits for a trainer.
    quiz_waiting: set[tuple[int, str]] = field(default_factory=set)
    #: user id -> (sessions present at, sessions that count); see cohorts.attendance.attendance_counts_of.
    attendance: dict[int, tuple[int, int]] = field(default_factory=dict)


# Built once (see jimtraining/cohorts/enrolment.py, ENROLLED); the lists are bound at run time (expanding IN).
_LESSONS_DONE = (
    select(LessonProgress.user_id, LessonProgress.module_slug, func.count())
    .where(LessonProgress.user_id.in_(bindparam("user_ids", expanding=True)),
           LessonProgress.module_slug.in_(bindparam("slugs", expanding=True)),
           LessonProgress.completed_at.is_not(None))
    .group_by(LessonProgress.user_id, LessonProgress.module_slug))
# The same, leaving out lessons that were archived: only needed when one of the modules has such a lesson.
_ACTIVE_LESSONS_DONE = (
    _LESSONS_DONE.join(Module, Module.slug == LessonProgress.module_slug)
    .join(Lesson, (Lesson.module_id == Module.id) & (Lesson.slug == LessonProgress.lesson_slug))
    .where(Lesson.archived.is_(False)))
_QUIZ_RESULTS = (
    select(QuizAttempt.user_id, QuizAttempt.module_slug, func.max(QuizAttempt.percent),
           func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)),
           func.max(case((QuizAttempt.status == PENDING_REVIEW, 1), else_=0)))
    .where(QuizAttempt.user_id.in_(bindparam("user_ids", expanding=True)),
           QuizAttempt.module_slug.in_(bindparam("slugs", expanding=True)))
    .group_by(QuizAttempt.user_id, QuizAttempt.module_slug))


def groups_progress(cohorts: list[Cohort], module_slugs, user_ids=None, now=None,
                    enrolled: list | None = None) -> list[GroupProgress]:
    """Progress of the active learners (or of the given ones among them) of several cohorts in the named modules.

    Four queries, whatever the number of cohorts or learners: enrolments (unless `enrolled`, rows of
    cohorts.enrolment.enrolments, brings them), lessons done, quiz results, attendance.
    """
    groups = [GroupProgress(cohort) for cohort in cohorts]
    by_cohort = {group.cohort.id: group for group in groups}
    for cohort_id, joined_at, user_id, name, email, skj_number, _token in (
            enrolled if enrolled is not None else enrolments(cohorts, user_ids)):
        group = by_cohort[cohort_id]
        group.people[user_id] = Person(user_id, name, email, skj_number)
        group.joined[user_id] = as_utc(joined_at)
    ids = list(dict.fromkeys(user_id for group in groups for user_id in group.joined))
    if not ids:
        return groups
    slugs = list(dict.fromkeys(module_slugs or ()))
    lessons_done, quiz, quiz_waiting = {}, {}, set()
    if slugs:
        content = catalogue()
        archived = any(len(module.lessons) != len(module.active_lessons) for module in content.modules(slugs))
        lessons_done = {(user_id, slug): count for user_id, slug, count in db.session.execute(
            _ACTIVE_LESSONS_DONE if archived else _LESSONS_DONE, {"user_ids": ids, "slugs": slugs})}
        for user_id, slug, best, ok, waiting in db.session.execute(_QUIZ_RESULTS, {"user_ids": ids, "slugs": slugs}):
            quiz[(user_id, slug)] = (best, bool(ok))
            if waiting:
                quiz_waiting.add((user_id, slug))
    attendance = attendance_counts_of([(group.cohort, group.joined) for group in groups], now)
    for group, counts in zip(groups, attendance, strict=True):
        group.lessons_done, group.quiz, group.quiz_waiting, group.attendance = lessons_done, quiz, quiz_waiting, counts
    return groups
