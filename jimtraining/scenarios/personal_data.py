"""The scenarios' part of a person's data export: branching practice runs.

jimtraining/privacy/registry.py says which tables point at a person and what erasure does with each; this module
builds these tables' export sections (docs/PRIVACY.md says why).
"""

from sqlalchemy import select

from jimtraining.exports.values import pick
from jimtraining.extensions import db
from jimtraining.scenarios.models import ScenarioRun


def export_scenario_runs(user) -> dict:
    runs = db.session.scalars(select(ScenarioRun).where(ScenarioRun.user_id == user.id)
                              .order_by(ScenarioRun.started_at, ScenarioRun.id)
                              .options(db.selectinload(ScenarioRun.choices))).all()
    return {"scenario_runs": [
        {**pick(run, ("scenario_slug", "started_at", "finished_at", "current_node", "variables")),
         "choices": [pick(c, ("step", "node_id", "choice_index", "undone", "made_at")) for c in run.choices]}
        for run in runs]}
