"""The lecturer's edubadges page: who completed the class, the badge class fields, and the download."""

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _

from jimtraining.access import trainer_required
from jimtraining.access.cohorts import cohort_or_404
from jimtraining.certification.services import cohort_track
from jimtraining.edubadges import services
from jimtraining.edubadges.forms import EdubadgesForm

bp = Blueprint("edubadges", __name__)


@bp.route("/cohorts/<id:cohort_id>/edubadges", methods=["GET", "POST"])
@trainer_required
def export(cohort_id):
    """GET: what the download holds; POST (with the choices the course unit leaves open): the zip."""
    cohort = cohort_or_404(cohort_id)
    track = cohort_track(cohort)
    form = EdubadgesForm()
    if track is None:
        return render_template("edubadges/export.html", cohort=cohort, track=None, form=form)
    recipients = services.completions(cohort, track)
    fields = services.badge_class_fields(track)
    problem = None
    if form.validate_on_submit():
        if not recipients:
            problem = _("Niemand in deze groep heeft het traject al afgerond. Er valt nog niets uit te reiken.")
        else:
            files = services.recipients_files(recipients)
            files["edubadges-badgeclass.csv"] = services.badge_class_file(
                fields, int(form.eqf_level.data), form.assessment_type.data, form.participation.data)
            return Response(services.export_zip(files), mimetype="application/zip", headers={
                "Content-Disposition": f'attachment; filename="edubadges-groep-{cohort.id}.zip"',
                "Cache-Control": "private, no-store"})
    status = 400 if form.errors or problem else 200
    return render_template("edubadges/export.html", cohort=cohort, track=track, form=form, recipients=recipients,
                           fields=fields, problem=problem, assessment_types=services.ASSESSMENT_TYPES,
                           participation=services.PARTICIPATION), status
