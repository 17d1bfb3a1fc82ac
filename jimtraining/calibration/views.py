"""Calibration pages: the reference rounds, scoring one (phone friendly), and the result with the expert's reasons."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import require
from jimtraining.access.calibration import attempt_or_404
from jimtraining.calibration import services
from jimtraining.calibration.services import CalibrationError
from jimtraining.rendering import render_markdown

bp = Blueprint("calibration", __name__)


def _levels_from_form(rubric) -> dict:
    """{criterion id: level} of what was chosen; a missing or strange value is left out (the service refuses)."""
    levels = {}
    for criterion in rubric:
        value = request.form.get(f"level-{criterion['id']}", "")
        if value in ("1", "2", "3", "4"):
            levels[criterion["id"]] = int(value)
    return levels


@bp.route("/calibration/")
@login_required
def index():
    require("calibration.score")
    attempts = services.attempts_of(current_user.id)
    scored = {attempt.scenario_slug for attempt in attempts}
    rounds = services.reference_rounds()
    return render_template("calibration/index.html", rounds=rounds, attempts=attempts, scored=scored,
                           titles={reference.slug: reference.title for reference in rounds},
                           threshold=services.threshold())


@bp.route("/calibration/<slug>", methods=["GET", "POST"])
@login_required
def score(slug):
    require("calibration.score")
    reference = services.reference_round(slug)
    if reference is None:
        abort(404)
    recent = services.recent_attempt(current_user.id, slug)
    chosen, status = {}, 200
    if request.method == "POST" and recent is None:
        chosen = _levels_from_form(reference.rubric)
        try:
            attempt = services.score(current_user, slug, chosen)
        except CalibrationError as error:
            flash(str(error), "error")
            status = 400
        else:
            return redirect(url_for("calibration.result", attempt_id=attempt.id))
    elif request.method == "POST":
        flash(_("Je hebt deze ronde het afgelopen jaar al gescoord. Kies een andere ronde."), "error")
        return redirect(url_for("calibration.result", attempt_id=recent.id))
    missing = {c["id"] for c in reference.rubric if c["id"] not in chosen} if status == 400 else set()
    return render_template("calibration/score.html", reference=reference, recent=recent, chosen=chosen,
                           missing=missing, transcript=render_markdown(reference.transcript)), status


@bp.route("/calibration/results/<id:attempt_id>")
@login_required
def result(attempt_id):
    attempt = attempt_or_404(attempt_id)
    reference = services.reference_round(attempt.scenario_slug)
    expert = services.expert_of(attempt.scenario_slug) or {}
    criteria = {c["id"]: c for c in reference.rubric} if reference is not None else {}
    return render_template("calibration/result.html", attempt=attempt, reference=reference, criteria=criteria,
                           agreement=services.attempt_agreement(attempt), expert=expert,
                           threshold=services.threshold())
