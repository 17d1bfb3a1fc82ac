"""Progress tokens: a learner's enrolment rows get a new random token whenever something the cohort dashboard
counts about them is written: lessons done, quiz attempts, attendance, live role-play rounds they played as the
professional, practice assignments, observed co-trainings and certificates.

The dashboard reads the tokens with the learners' names (a query it needs anyway) and may reuse what it computed
before while every token, the cohort's own fields and sessions, the curriculum and the clock say nothing changed
(jimtraining/progress/dashboard.py, `cohort_overview`).

ORM writes are seen by a flush listener, in the same transaction. A write with a Core statement (UPDATE/INSERT
on one of these tables) must announce it with `jimtraining.signals.progress_changed` (the domains sit below this
package and do not import it); tests/cohorts/test_dashboard_freshness.py checks every way a figure on the
dashboard can change.

One race is left to the dashboard's time limit (DASHBOARD_CACHE_SECONDS): on PostgreSQL, a learner's write that
runs while a trainer's enrolment of that learner in another cohort is not yet committed cannot renew the new
enrolment row, so that cohort's dashboard may show the older figure for up to that long.
"""

from __future__ import annotations

import uuid
from itertools import chain

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

from jimtraining.certification.models import Certificate, ObservedCoTraining, PracticeAssignment, PracticeVersion
from jimtraining.cohorts.models import Attendance, Enrollment
from jimtraining.curriculum.models import LessonProgress
from jimtraining.quizzes.models import QuizAttempt
from jimtraining.roleplay.models import RolePlayRound
from jimtraining.signals import learner_progress_written

#: Written rows of these kinds change a learner's figures; the attribute names the learner.
_LEARNER_OF = {
    LessonProgress: "user_id",
    QuizAttempt: "user_id",
    Attendance: "user_id",
    RolePlayRound: "professional_id",
    PracticeAssignment: "user_id",
    Certificate: "user_id",
    ObservedCoTraining: "candidate_id",
}


_RENEW = (update(Enrollment).where(Enrollment.user_id.in_(bindparam("user_ids", expanding=True)))
          .values(progress_token=bindparam("token")))


def renew_tokens(session: Session, user_ids) -> None:
    """Give the enrolment rows of these learners a new token (in the session's transaction, not committed)."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if ids:
        session.connection().execute(_RENEW, {"user_ids": ids, "token": uuid.uuid4().hex})


@learner_progress_written.connect
def _announced(session: Session, user_ids) -> None:
    """A domain wrote progress with a Core statement (jimtraining.signals.progress_changed)."""
    renew_tokens(session, user_ids)


@event.listens_for(Session, "after_flush")
def _progress_written(session, _flush_context) -> None:
    learners, assignments = set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        attribute = _LEARNER_OF.get(type(obj))
        if attribute is None and not isinstance(obj, PracticeVersion):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        values = inspect(obj).dict  # what is loaded: reading a deleted row's attribute could load it again
        if attribute is not None:
            learners.add(values.get(attribute))
        else:
            assignments.add(values.get("assignment_id"))
    assignments.discard(None)
    if assignments:
        learners.update(session.connection().execute(
            select(PracticeAssignment.user_id).where(PracticeAssignment.id.in_(sorted(assignments)))).scalars())
    renew_tokens(session, learners)
