"""Who may see and do what with branching practice, and its loader.

A practice run is its learner's own: for anyone else it does not exist (404, not 403). Trainers see how the
learners of their cohorts chose (scenarios.choices), never a run itself.
"""

from __future__ import annotations

from flask import abort

from jimtraining.access import can, get_or_404, rule
from jimtraining.scenarios.models import ScenarioRun


@rule("run.play")
def play_run(user, run) -> bool:
    """Only the learner plays, goes back in and reads the result of their own run."""
    return run.user_id == user.id


def run_or_404(run_id) -> ScenarioRun:
    """A practice run of the current user; 404 when it does not exist or is someone else's."""
    run = get_or_404(ScenarioRun, run_id)
    if not can(play_run, run):
        abort(404)
    return run
