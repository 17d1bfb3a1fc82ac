"""Scenario sync and branching practice: start, choose, go back, results; the trainer's choice overview."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import Counter

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jimtraining.content.sync import SyncReport, sync_by_slug
from jimtraining.extensions import db
from jimtraining.scenarios import engine
from jimtraining.scenarios.models import Scenario, ScenarioChoice, ScenarioRun
from jimtraining.signals import scenario_finished
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)


class PracticeError(Exception):
    """A practice action that cannot be done; the message is shown to the learner."""


def sync_scenarios(sources, report: SyncReport) -> None:
    """Upsert scenarios by slug; archive the ones whose file is gone, restore the ones that came back."""
    sync_by_slug(Scenario, db.session.scalars(select(Scenario)), sources, report, prefix="scenarios/")


def active_scenarios() -> list[Scenario]:
    return list(db.session.scalars(Scenario.active().order_by(Scenario.title)))


def get_scenario_or_none(slug: str) -> Scenario | None:
    return db.session.scalar(Scenario.active().where(Scenario.slug == slug))


def runs_of(user_id: int, slug: str) -> list[ScenarioRun]:
    """Someone's practice runs of a scenario, newest first."""
    return list(db.session.scalars(select(ScenarioRun).where(ScenarioRun.user_id == user_id,
                                                             ScenarioRun.scenario_slug == slug)
                                   .order_by(ScenarioRun.started_at.desc())))


def start_run(user, scenario: Scenario) -> ScenarioRun:
    practice = scenario.practice
    variables = engine.start_variables(practice)
    current = engine.follow_redirects({n["id"]: n for n in practice["nodes"]}, practice["start"], variables)
    run = ScenarioRun(user_id=user.id, scenario_slug=scenario.slug, current_node=current, variables=variables,
                      practice=practice)
    db.session.add(run)
    db.session.commit()
    log.info("practice run %s started: user=%s scenario=%s", run.id, user.id, scenario.slug)
    return run


def choice_seed(run: ScenarioRun) -> str:
    """The seed of the order in which this run shows choices: derived from the run's id and the app's secret, so it
    is the same on every page of the run (refresh, "een stap terug") and differs from run to run, with nothing
    stored. A new SECRET_KEY reshuffles the order of open runs; the stored choices (written indexes) stay valid."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(secret, f"scenario-run:{run.id}".encode(), hashlib.sha256).hexdigest()


def choices_on_screen(run: ScenarioRun, node: dict) -> list[tuple[int, dict]]:
    """(written index, choice) of the choices the learner can make at the node, in this run's order."""
    return engine.visible_choices(node, run.variables, choice_seed(run))


def _state(run: ScenarioRun) -> None:
    current, variables, _path = engine.replay(run.practice, [c.choice_index for c in run.active_choices])
    run.current_node, run.variables = current, variables
    node = {n["id"]: n for n in run.practice["nodes"]}[current]
    run.finished_at = (run.finished_at or utcnow()) if node.get("ending") else None


def choose(run: ScenarioRun, node_id: str, choice_index: int) -> dict:
    """Make a choice at the current node; returns the choice (for its feedback).

    `node_id` is the node the learner saw: a choice posted from an old page (another tab, the back button of the
    browser) is refused instead of being applied somewhere else.
    """
    if run.finished_at is not None:
        raise PracticeError(_("Deze oefening is al afgelopen. Begin opnieuw om een andere weg te kiezen."))
    if node_id != run.current_node:
        raise PracticeError(_("Deze keuze hoort bij een eerdere stap. Hier ben je nu."))
    node = {n["id"]: n for n in run.practice["nodes"]}[run.current_node]
    available = dict(engine.visible_choices(node, run.variables))
    if choice_index not in available:
        raise PracticeError(_("Deze keuze kan hier niet."))
    step = (max((c.step for c in run.choices), default=0)) + 1
    try:
        with db.session.begin_nested():
            db.session.add(ScenarioChoice(run_id=run.id, step=step, node_id=node_id, choice_index=choice_index))
    except IntegrityError:
        raise PracticeError(_("Je keuze was al opgeslagen.")) from None
    db.session.flush()
    db.session.refresh(run)
    _state(run)
    finished = run.finished_at is not None
    run_id, user_id, slug = run.id, run.user_id, run.scenario_slug
    db.session.commit()
    if finished:
        scenario_finished.send(None, run_id=run_id, user_id=user_id, scenario_slug=slug, by_id=user_id)
    return available[choice_index]


def go_back(run: ScenarioRun) -> None:
    """Undo the last choice, when the scenario allows it; the choice stays stored, marked as undone."""
    if not run.practice.get("allow_back"):
        raise PracticeError(_("In dit scenario kun je niet terug."))
    active = run.active_choices
    if not active:
        raise PracticeError(_("Je bent al bij het begin."))
    active[-1].undone = True
    db.session.flush()
    _state(run)
    db.session.commit()


def result(run: ScenarioRun) -> dict:
    """The path taken (with the feedback of every choice), the final variables and the ending."""
    nodes = {n["id"]: n for n in run.practice["nodes"]}
    steps = []
    for choice in run.active_choices:
        option = nodes[choice.node_id]["choices"][choice.choice_index]
        steps.append({"node": nodes[choice.node_id], "choice": option})
    labels = {v["id"]: v.get("label", v["id"]) for v in run.practice.get("variables", [])}
    return {"steps": steps, "ending": nodes[run.current_node],
            "variables": [(labels.get(k, k), v) for k, v in run.variables.items()]}


def choice_overview(scenario: Scenario, user_ids: set[int] | None) -> dict[str, Counter]:
    """How often each choice was made per node (undone choices left out), over the given learners' runs.

    One grouped query whatever the number of learners or runs.
    """
    query = (select(ScenarioChoice.node_id, ScenarioChoice.choice_index, func.count())
             .join(ScenarioRun).where(ScenarioRun.scenario_slug == scenario.slug, ScenarioChoice.undone.is_(False))
             .group_by(ScenarioChoice.node_id, ScenarioChoice.choice_index))
    if user_ids is not None:
        query = query.where(ScenarioRun.user_id.in_(user_ids or {-1}))
    counts: dict[str, Counter] = {}
    for node_id, index, count in db.session.execute(query):
        counts.setdefault(node_id, Counter())[index] = count
    return counts
