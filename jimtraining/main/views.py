"""Start page (a workspace per role), language switch, health check."""

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from jimtraining.cohorts import enrolment as cohort_services
from jimtraining.curriculum import services as curriculum
from jimtraining.extensions import db
from jimtraining.jobs import services as jobs
from jimtraining.progress import homes
from jimtraining.progress.workspace import trainer_workspace
from jimtraining.roles import Role
from jimtraining.timeutil import utcnow
from jimtraining.web import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """The start page: the welcome for visitors; after login the workspace of the person's role."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.role == Role.TRAINER:
        return render_template("main/trainer.html", workspace=trainer_workspace(current_user))
    if current_user.role == Role.ACTOR:
        coming, past = homes.actor_bookings(current_user.id)
        return render_template("main/actor.html", coming=coming, past=past)
    if current_user.role == Role.ADMIN:
        return render_template("main/admin.html", home=homes.admin_home(), jobs_failed=jobs.needing_attention_count())
    return _learner_home()


def _learner_home():
    progress = curriculum.learner_progress(current_user)
    now = utcnow()
    cohorts = []
    for card in cohort_services.group_cards(current_user, now):
        todo = [s for s in progress.statuses if s.module.slug in card.module_slugs and not s.completed]
        starts_at = card.next_session[2] if card.next_session else None
        cohorts.append({"cohort": card, "next": card.next_session, "todo": todo,
                        "checkin": homes.checkin_open_now(starts_at, card.next_ends_at, now),
                        "today": starts_at is not None and starts_at - now < timedelta(hours=24)})
    return render_template(
        "main/dashboard.html",
        statuses=progress.statuses,
        continue_lesson=curriculum.continue_lesson(current_user, progress),
        completed_modules=progress.completed_modules,
        cohorts=cohorts,
        certificates=homes.learner_certificates(current_user.id),
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
    """The database and the job queue: 200 with their figures, 503 when either cannot be reached."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        current_app.logger.exception("health check: database unavailable")
        return jsonify(status="error", database="unavailable", queue={"status": "unknown"}), 503
    try:
        queue = jobs.queue_health()
    except Exception:  # noqa: BLE001 - Redis or the queue file cannot be reached
        db.session.rollback()
        current_app.logger.exception("health check: job queue unavailable")
        return jsonify(status="error", database="ok", queue={"status": "unavailable"}), 503
    return jsonify(status="ok", database="ok", queue=queue)
