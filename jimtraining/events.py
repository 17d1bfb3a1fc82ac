"""What happened in one domain that another may act on: blinker signals, sent after the commit.

A domain sends; a package above it (the LTI tool's grade passback, jimtraining/lti/grades.py) listens. The sender
never knows who listens, so no domain imports a package above its layer. A signal without receivers costs nothing.
"""

from blinker import Namespace

_signals = Namespace()

#: A quiz attempt got its final grade (handed in and graded at once, or its last open answer was reviewed).
#: Keyword arguments: attempt_id, user_id, module_slug, score, max_score, percent, passed, graded_at, by_id (who
#: caused it: the learner handing in, or the trainer who reviewed the last open answer).
quiz_graded = _signals.signal("quiz-graded")

#: A learner marked a lesson as done. Keyword arguments: user_id, module_slug, by_id.
lesson_done = _signals.signal("lesson-done")

#: A practice scenario run reached an ending. Keyword arguments: run_id, user_id, scenario_slug, by_id.
scenario_finished = _signals.signal("scenario-finished")
