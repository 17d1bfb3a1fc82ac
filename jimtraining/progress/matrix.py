"""The trainer's progress matrix: one row per active learner of a cohort, with modules and lessons done, the best
quiz score per module and the attendance percentage."""

from __future__ import annotations

from dataclasses import dataclass, field

from jimtraining.certification.group_progress import GroupProgress, Person, groups_progress
from jimtraining.cohorts.models import Cohort
from jimtraining.content.catalogue import catalogue
from jimtraining.timeutil import as_utc, utcnow


@dataclass
class LearnerRow:
    user: Person
    modules_done: int = 0
    lessons_done: int = 0
    quiz: dict = field(default_factory=dict)  # module slug -> (best percent or None, passed)
    #: (best percent rounded, or None; passed; an open answer waits for a trainer) per module with a quiz, in the
    #: order of the matrix's columns.
    quiz_cells: list = field(default_factory=list)
    #: Quizzes of this learner with an open answer waiting for a trainer.
    quizzes_waiting: int = 0
    #: Sessions present at, and sessions expected at (ended, held since joining or marked, not excused).
    attended: int = 0
    expected: int = 0
    attendance_percent: int | None = None
    #: "75% (3 van 4)" for the dashboard (progress.dashboard.cohort_overview writes it).
    attendance_text: str | None = None


def matrix_modules(cohort: Cohort) -> list:
    """The cohort's modules that are not archived, in the cohort's order (from the curriculum catalogue)."""
    return [module for module in catalogue().modules(cohort.module_slugs) if not module.archived]


def cohort_matrix(cohort: Cohort, learner_id: int | None = None, progress: GroupProgress | None = None,
                  now=None) -> tuple[list[LearnerRow], list, int]:
    """One row per active learner: modules done, quiz best score and pass per module, attendance percentage;
    with the cohort's modules and the number of sessions that have ended.

    Costs the same number of queries for 5 or 500 learners: every figure is an aggregate in SQL. `progress`
    (groups_progress for at least the cohort's modules) saves loading it again.
    """
    modules = matrix_modules(cohort)
    if progress is None:
        progress = groups_progress([cohort], [m.slug for m in modules],
                                   None if learner_id is None else [learner_id], now=now)[0]
    rows = []
    for user_id, person in progress.people.items():
        if learner_id is not None and user_id != learner_id:
            continue
        row = LearnerRow(person)
        for module in modules:
            count = progress.lessons_done.get((user_id, module.slug), 0)
            row.lessons_done += count
            if module.active_quiz is None:
                if count >= len(module.active_lessons) > 0:
                    row.modules_done += 1
                continue
            best, ok = progress.quiz.get((user_id, module.slug), (None, False))
            row.quiz[module.slug] = (best, ok)
            waiting = (user_id, module.slug) in progress.quiz_waiting
            row.quizzes_waiting += waiting
            row.quiz_cells.append((None if best is None else int(round(best)), ok, waiting))
            if count >= len(module.active_lessons) > 0 and ok:
                row.modules_done += 1
        row.attended, row.expected = progress.attendance.get(user_id, (0, 0))
        row.attendance_percent = round(100 * row.attended / row.expected) if row.expected else None
        rows.append(row)
    now = now or utcnow()
    ended = sum(1 for s in cohort.sessions if as_utc(s.ends_at) <= now)
    return sorted(rows, key=lambda r: r.user.name.lower()), modules, ended
