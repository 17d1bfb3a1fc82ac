"""The trainer's groups: the list, a new group, editing it, the dashboard with its progress matrix, the export,
the page per learner, removing a learner and a new join code."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jimtraining.access import trainer_required
from jimtraining.access.cohorts import cohort_or_404, dashboard_or_404
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.accounts.services import users_with_role
from jimtraining.cohorts.attendance import attendance_of, next_session
from jimtraining.cohorts.enrolment import CohortError, cohorts_for, new_join_code, remove_learner, rotate_join_code
from jimtraining.cohorts.forms import CohortForm
from jimtraining.cohorts.models import ATTENDANCE_STATUSES, Cohort
from jimtraining.cohorts.views.blueprint import bp
from jimtraining.exports.csv import csv_response
from jimtraining.extensions import db
from jimtraining.progress.dashboard import cohort_overview, learner_certification, roster, track_gap
from jimtraining.progress.matrix import cohort_matrix
from jimtraining.roles import Role


@bp.route("/cohorts/")
@trainer_required
def index():
    return render_template("cohorts/index.html", cohorts=cohorts_for(current_user))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@trainer_required
def new():
    form = CohortForm()
    if request.method == "GET" and current_user.role == Role.TRAINER:
        form.trainer_ids.data = [current_user.id]
    if form.validate_on_submit():
        cohort = Cohort(join_code=new_join_code())
        _apply_cohort_form(cohort, form)
        db.session.add(cohort)
        db.session.commit()
        flash(_("De groep %(name)s is aangemaakt.", name=cohort.name), "success")
        return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=None)


def _apply_cohort_form(cohort, form):
    for name in ("name", "organisation_id", "region", "starts_on", "ends_on", "status", "module_slugs"):
        setattr(cohort, name, getattr(form, name).data)
    cohort.work_context = form.work_context.data or None
    cohort.track_slug = form.track_slug.data or None
    trainer_ids = set(form.trainer_ids.data or [])
    if current_user.role == Role.TRAINER:
        trainer_ids.add(current_user.id)  # a trainer never locks themselves out of their own cohort
    cohort.trainers = users_with_role(trainer_ids, Role.TRAINER)


@bp.route("/cohorts/<id:cohort_id>/edit", methods=["GET", "POST"])
@trainer_required
def edit(cohort_id):
    cohort = cohort_or_404(cohort_id)
    form = CohortForm(obj=cohort)
    if request.method == "GET":
        form.trainer_ids.data = [t.id for t in cohort.trainers]
        form.work_context.data = cohort.work_context or ""
        form.track_slug.data = cohort.track_slug or ""
    if form.validate_on_submit():
        _apply_cohort_form(cohort, form)
        db.session.commit()
        flash(_("De groep is opgeslagen."), "success")
        return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=cohort)


SORT_KEYS = {
    "name": lambda r: r.user.name.lower(),
    "modules": lambda r: (-r.modules_done, r.user.name.lower()),
    "lessons": lambda r: (-r.lessons_done, r.user.name.lower()),
    "attendance": lambda r: (-(r.attendance_percent or 0), r.user.name.lower()),
}


@bp.route("/cohorts/<id:cohort_id>")
@trainer_required
def dashboard(cohort_id):
    # The page a trainer keeps open during a session: the loader checks access in the query that loads the cohort.
    cohort, trainer_names = dashboard_or_404(cohort_id)
    sessions, enrolled = roster(cohort)
    overview = cohort_overview(cohort, enrolled=enrolled, sessions=sessions)
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORT_KEYS else "name"
    return render_template("cohorts/dashboard.html", cohort=cohort, learners=len(overview.rows),
                           trainer_names=trainer_names, sessions=sessions,
                           matrix=overview.table(cohort, sort, SORT_KEYS[sort]), sort=sort,
                           next_session=next_session(sessions), certification=overview.certification,
                           track_gap=track_gap(cohort, overview.certification["track"]),
                           waiting=overview.waiting())


@bp.route("/cohorts/<id:cohort_id>/export.csv")
@trainer_required
def export(cohort_id):
    cohort = cohort_or_404(cohort_id)
    rows, modules, past = cohort_matrix(cohort)
    quiz_modules = [m for m in modules if m.quiz is not None and not m.quiz.archived]
    table = [["name", "email", "skj_number", "modules_done", "lessons_done", "attendance_percent"]
             + [f"quiz_{m.slug}_best" for m in quiz_modules] + [f"quiz_{m.slug}_passed" for m in quiz_modules]]
    for row in rows:
        quiz = [row.quiz.get(m.slug, (None, False)) for m in quiz_modules]
        table.append([row.user.name, row.user.email, row.user.skj_number or "", row.modules_done,
                      row.lessons_done, "" if row.attendance_percent is None else row.attendance_percent]
                     + ["" if best is None else round(best) for best, _ok in quiz]
                     + ["yes" if ok else "no" for _best, ok in quiz])
    return csv_response(table, f"groep-{cohort.id}.csv")


@bp.route("/cohorts/<id:cohort_id>/learners/<id:user_id>")
@trainer_required
def learner(cohort_id, user_id):
    cohort = cohort_or_404(cohort_id)
    rows, modules, past = cohort_matrix(cohort, learner_id=user_id)
    if not rows:
        abort(404)
    return render_template("cohorts/learner.html", cohort=cohort, row=rows[0], modules=modules, past=past,
                           attendance=attendance_of(cohort, user_id), statuses=ATTENDANCE_STATUSES,
                           confirm=ConfirmForm(), certification=learner_certification(cohort, user_id, current_user))


@bp.route("/cohorts/<id:cohort_id>/learners/<id:user_id>/remove",
          methods=["POST"])
@trainer_required
def remove(cohort_id, user_id):
    cohort = cohort_or_404(cohort_id)
    try:
        remove_learner(cohort, user_id)
    except CohortError as error:
        flash(str(error), "error")
    else:
        flash(_("De deelnemer is uit de groep gehaald. Voortgang en aanwezigheid blijven bewaard."), "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


@bp.route("/cohorts/<id:cohort_id>/join-code", methods=["POST"])
@trainer_required
def rotate_code(cohort_id):
    cohort = cohort_or_404(cohort_id)
    rotate_join_code(cohort)
    flash(_("De groep heeft een nieuwe code: %(code)s. De oude code werkt niet meer.", code=cohort.join_code),
          "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
