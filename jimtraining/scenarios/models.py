"""Role-play scenarios (from modules/scenarios/) and branching practice runs.

Live role-play in a cohort session (rounds, scores, notes, trainee-actors) is in jimtraining/roleplay/."""

from jimtraining.content.models import ContentModel, slug_column
from jimtraining.extensions import db
from jimtraining.scenarios.rubric import RubricCutoff, cutoff_of
from jimtraining.timeutil import utcnow


class Scenario(ContentModel, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    #: The file name without .yml: stable identity.
    slug = slug_column()
    title = db.Column(db.String(200), nullable=False)
    work_context = db.Column(db.String(30), nullable=False)
    #: The whole checked file: roles (with actor briefs), rubric, debrief, practice graph. Never sent to a page
    #: as is: views pick what each role may see.
    data = db.Column(db.JSON, nullable=False)

    @property
    def practice(self) -> dict:
        return self.data["practice"]

    @property
    def nodes(self) -> dict[str, dict]:
        return {node["id"]: node for node in self.practice["nodes"]}

    @property
    def cutoff(self) -> RubricCutoff | None:
        """The rubric's cut-off for "voldoende" (scenarios.rubric.RubricCutoff), None for data from before."""
        return cutoff_of(self.data)


class ScenarioRun(db.Model):
    """One play-through of a scenario's branching practice by one learner."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    scenario_slug = db.Column(db.String(100), nullable=False, index=True)
    started_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: Where the learner is now, and the variables there (derived from the choices; kept for quick pages).
    current_node = db.Column(db.String(100), nullable=False)
    variables = db.Column(db.JSON, nullable=False, default=dict)
    #: A copy of the practice graph as it was when the run started: later edits never break a run.
    practice = db.Column(db.JSON, nullable=False)

    choices = db.relationship("ScenarioChoice", back_populates="run", order_by="ScenarioChoice.step",
                              cascade="all, delete-orphan")

    @property
    def active_choices(self):
        return [c for c in self.choices if not c.undone]


class ScenarioChoice(db.Model):
    """Every choice a learner made, kept even when they went back (then marked undone)."""

    __table_args__ = (db.UniqueConstraint("run_id", "step", name="uq_scenario_choice_run_step"),)

    id = db.Column(db.Integer, primary_key=True)
    run_id = db.Column(db.Integer, db.ForeignKey("scenario_run.id", ondelete="CASCADE"), nullable=False, index=True)
    #: 1, 2, 3, ... in the order the choices were made (going back does not reuse a step number).
    step = db.Column(db.Integer, nullable=False)
    node_id = db.Column(db.String(100), nullable=False)
    choice_index = db.Column(db.Integer, nullable=False)
    undone = db.Column(db.Boolean, nullable=False, default=False)
    made_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    run = db.relationship("ScenarioRun", back_populates="choices")
