"""Background jobs that need an admin: those that failed on every try, and those a stopped worker left uncertain
(jimtraining/jobs/). The admin sees the error and may try a job again."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from jimtraining.access import admin_required
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.admin.blueprint import bp
from jimtraining.jobs import services as jobs


@bp.route("/admin/jobs")
@admin_required
def jobs_page():
    return render_template("admin/jobs.html", jobs=jobs.needing_attention(), counts=jobs.counts(),
                           form=ConfirmForm())


@bp.post("/admin/jobs/<id:job_id>/retry")
@admin_required
def job_retry(job_id):
    job = jobs.job_or_none(job_id)
    if job is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if jobs.retry(job):
        flash(_("De taak wordt opnieuw geprobeerd."), "success")
    else:
        flash(_("Deze taak hoeft niet opnieuw: hij is al gelukt of wordt al uitgevoerd."), "info")
    return redirect(url_for("admin.jobs_page"))
