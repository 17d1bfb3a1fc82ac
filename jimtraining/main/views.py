"""Start page, dashboard, language switch, health check."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from jimtraining.cohorts import enrolment as cohort_services
from jimtraining.curriculum import services as curriculum
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.web import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    progress = curriculum.learner_progress(current_user)
    cohorts = []
    if current_user.role == Role.LEARNER:
        for card in cohort_services.group_cards(current_user):
            todo = [s for s in progress.statuses if s.module.slug in card.module_slugs and not s.completed]
            cohorts.append({"cohort": card, "next": card.next_session, "todo": todo})
    return render_template(
        "main/dashboard.html",
        statuses=progress.statuses,
        continue_lesson=curriculum.continue_lesson(current_user, progress),
        completed_modules=progress.completed_modules,
        cohorts=cohorts,
    )


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language; remembered in the session and, when logged in, in the profile."""
    code = request.form.get("locale", "")
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        current_app.logger.exception("health check: database unavailable")
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
