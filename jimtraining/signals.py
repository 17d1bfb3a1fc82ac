"""Signals from lower layers to higher ones (blinker, as Flask's own signals): a domain announces that something
happened without importing whoever cares; a signal without receivers costs nothing.

Results, sent after the commit: `quiz_graded`, `lesson_done`, `scenario_finished` (the LTI tool's grade passback,
jimtraining/lti/grades.py, listens).

Progress, sent before the commit: `progress_changed`. A domain that writes a learner's progress with a Core
statement (an UPDATE or INSERT that the ORM's flush listener does not see) announces it, in the same transaction,
and the cohort dashboards' progress stamps (jimtraining/progress/stamps.py) renew those learners' tokens. ORM
writes need no announcement: the stamps' flush listener sees them.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the SQLAlchemy session as sender and `user_ids`: learners whose progress figures a Core write changed.
learner_progress_written = _signals.signal("learner-progress-written")


def progress_changed(session, user_ids) -> None:
    """Announce a Core write that changed what the cohort dashboards count about these learners."""
    learner_progress_written.send(session, user_ids=list(user_ids))


#: A quiz attempt got its final grade (handed in and graded at once, or its last open answer was reviewed).
#: Keyword arguments: attempt_id, user_id, module_slug, score, max_score, percent, passed, graded_at, by_id (who
#: caused it: the learner handing in, or the trainer who reviewed the last open answer).
quiz_graded = _signals.signal("quiz-graded")

#: A learner marked a lesson as done. Keyword arguments: user_id, module_slug, by_id.
lesson_done = _signals.signal("lesson-done")

#: A practice scenario run reached an ending. Keyword arguments: run_id, user_id, scenario_slug, by_id.
scenario_finished = _signals.signal("scenario-finished")
