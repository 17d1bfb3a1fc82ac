"""Scenario pages: the list, a scenario's introduction, branching practice and the trainer's choice overview."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import trainer_required
from jimtraining.access.scenarios import run_or_404
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.cohorts.enrolment import learner_ids_of_trainer
from jimtraining.rendering import render_markdown
from jimtraining.scenarios import services
from jimtraining.scenarios.services import PracticeError

bp = Blueprint("scenarios", __name__)


def _scenario_or_404(slug):
    scenario = services.get_scenario_or_none(slug)
    if scenario is None:
        abort(404)
    return scenario


def public_roles(scenario) -> list[dict]:
    """Roles as everyone may see them: name, kind and the trainee brief, never the actor brief."""
    return [{"id": r["id"], "name": r["name"], "kind": r["kind"], "trainee_brief": r["trainee_brief"]}
            for r in scenario.data["roles"]]


@bp.route("/scenarios/")
@login_required
def index():
    return render_template("scenarios/index.html", scenarios=services.active_scenarios())


@bp.route("/scenarios/<slug>")
@login_required
def show(slug):
    scenario = _scenario_or_404(slug)
    runs = services.runs_of(current_user.id, slug)
    return render_template("scenarios/show.html", scenario=scenario, roles=public_roles(scenario), runs=runs,
                           situation=render_markdown(scenario.data["situation"]), form=ConfirmForm())


@bp.route("/scenarios/<slug>/practice", methods=["POST"])
@login_required
def start(slug):
    scenario = _scenario_or_404(slug)
    run = services.start_run(current_user, scenario)
    return redirect(url_for("scenarios.play", run_id=run.id))


@bp.route("/practice/<id:run_id>")
@login_required
def play(run_id):
    run = run_or_404(run_id)
    if run.finished_at is not None:
        return redirect(url_for("scenarios.result", run_id=run.id))
    node = {n["id"]: n for n in run.practice["nodes"]}[run.current_node]
    last = None
    if run.active_choices:
        made = run.active_choices[-1]
        last = {n["id"]: n for n in run.practice["nodes"]}[made.node_id]["choices"][made.choice_index]
    scenario = services.get_scenario_or_none(run.scenario_slug)
    return render_template("scenarios/play.html", run=run, node=node, text=render_markdown(node.get("text", "")),
                           choices=services.choices_on_screen(run, node), last=last, scenario=scenario,
                           step=len(run.active_choices) + 1, form=ConfirmForm())


@bp.route("/practice/<id:run_id>/choose", methods=["POST"])
@login_required
def choose(run_id):
    run = run_or_404(run_id)
    try:
        choice_index = int(request.form.get("choice", ""))
    except ValueError:
        choice_index = -1
    try:
        services.choose(run, request.form.get("node", ""), choice_index)
    except PracticeError as error:
        flash(str(error), "error")
    return redirect(url_for("scenarios.play", run_id=run.id))


@bp.route("/practice/<id:run_id>/back", methods=["POST"])
@login_required
def back(run_id):
    run = run_or_404(run_id)
    try:
        services.go_back(run)
    except PracticeError as error:
        flash(str(error), "error")
    return redirect(url_for("scenarios.play", run_id=run.id))


@bp.route("/practice/<id:run_id>/result")
@login_required
def result(run_id):
    run = run_or_404(run_id)
    if run.finished_at is None:
        return redirect(url_for("scenarios.play", run_id=run.id))
    outcome = services.result(run)
    return render_template("scenarios/result.html", run=run, outcome=outcome,
                           ending_text=render_markdown(outcome["ending"].get("text", "")),
                           scenario=services.get_scenario_or_none(run.scenario_slug), form=ConfirmForm())


@bp.route("/scenarios/<slug>/choices")
@trainer_required
def choices(slug):
    """Per node, how the trainer's learners chose: to discuss in the session."""
    scenario = _scenario_or_404(slug)
    counts = services.choice_overview(scenario, learner_ids_of_trainer(current_user))
    rows = []
    for node in scenario.practice["nodes"]:
        if node.get("ending") or node.get("redirect"):
            continue
        node_counts = counts.get(node["id"], {})
        total = sum(node_counts.values())
        rows.append({"node": node, "total": total, "choices": [
            (choice["text"], node_counts.get(index, 0)) for index, choice in enumerate(node.get("choices", []))]})
    if not any(row["total"] for row in rows):
        flash(_("Nog niemand uit je groepen heeft dit scenario geoefend."), "info")
    return render_template("scenarios/choices.html", scenario=scenario, rows=rows)
