"""Certification pages: the learner's checklist and practice assignment, the trainer's review and sign-off, and
the public verification and progress. The admin's pages (licences, certificates, audit log, national figures) are
in jimtraining/admin/certification.py."""

from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from jimtraining.access import trainer_required
from jimtraining.access.certification import certificate_or_404, practice_or_404, practice_track_or_404
from jimtraining.access.cohorts import cohort_or_404, cohort_session_or_404
from jimtraining.accounts.services import user_or_404
from jimtraining.certification import accreditation as skj
from jimtraining.certification import co_training, documents, practice_criteria, services
from jimtraining.certification import practice as practice_work
from jimtraining.certification.charts import bar_chart, format_number, progress_chart
from jimtraining.certification.eligibility import (
    followed_tracks,
    learner_eligibilities,
    practice_status,
    previous_certificate_moment,
)
from jimtraining.certification.forms import (
    AccreditationForm,
    ClearAccreditationForm,
    CoTrainingForm,
    PracticeForm,
    ReviewForm,
    SignOffForm,
)
from jimtraining.certification.models import (
    Certificate,
)
from jimtraining.certification.services import CertificationError
from jimtraining.certification.stats import current_national_figures
from jimtraining.client_data import client_data_findings
from jimtraining.cohorts.attendance import attended_sessions
from jimtraining.cohorts.enrolment import trained_cohorts
from jimtraining.content.catalogue import catalogue
from jimtraining.exports.csv import csv_response
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.scenarios.verdict import VerdictError
from jimtraining.timeutil import as_utc, local_date, local_date_iso, utcnow
from jimtraining.web import absolute_url

bp = Blueprint("certification", __name__)
bp.add_app_template_global(bar_chart, "bar_chart")
bp.add_app_template_global(progress_chart, "progress_chart")
bp.add_app_template_global(format_number, "format_number")


def forbidden(message: str, title: str | None = None):
    """A 403 page that says why."""
    return render_template("errors/error.html", code=403, title=title or _("Geen toegang"), message=message), 403


# Learners ---------------------------------------------------------------------------------------------------

@bp.route("/certification")
@login_required
def mine():
    tracks = followed_tracks(current_user)
    followed = [(cohort, track, eligibility) for (cohort, track), eligibility
                in zip(tracks, learner_eligibilities(tracks, current_user.id), strict=True)]
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == current_user.id).order_by(Certificate.issued_at.desc())))
    return render_template("certification/mine.html", followed=followed, certificates=certificates, now=utcnow(),
                           leading=_leading(current_user))


def _leading(user) -> dict | None:
    """For a trainer or lecturer: the groups they lead (with their track) and their licence. They earn no
    certificate through their own groups: they sign their learners' certificates off, with a licence."""
    if user.role != Role.TRAINER:
        return None
    content = catalogue()
    groups = [(cohort_id, name, content.track(track_slug)) for cohort_id, name, track_slug in trained_cohorts(user)]
    return {"groups": groups, "licence": services.valid_licence(user)}


@bp.route("/certification/<track_slug>/practice", methods=["GET", "POST"])
@login_required
def practice(track_slug):
    track = practice_track_or_404(track_slug)
    assignment = practice_work.practice_assignment(current_user, track)
    status = practice_status(assignment, previous_certificate_moment(current_user.id, track.qualification))
    form = PracticeForm()

    def page(code, findings=()):
        return render_template("certification/practice.html", track=track, assignment=assignment, form=form,
                               findings=list(findings), status=status), code

    if form.validate_on_submit():
        findings = client_data_findings(form.text.data)
        if findings and not form.no_client_data.data:
            # Nothing is saved yet: the text stays in the form so the learner can take the data out.
            flash(_("Je tekst is nog niet ingeleverd. Controleer hem eerst."), "error")
            return page(422, findings)
        try:
            practice_work.submit_practice(current_user, track, form.text.data)
        except CertificationError as error:
            form.text.errors.append(str(error))
            return page(422)
        flash(_("Je praktijkopdracht is ingeleverd. Je trainer kijkt ernaar."), "success")
        return redirect(url_for("certification.practice", track_slug=track.slug))
    if request.method == "GET" and assignment is not None and status in ("returned", "old"):
        form.text.data = assignment.latest.text
    return page(400 if form.errors else 200)


@bp.route("/certification/skj.csv")
@login_required
def skj_export():
    """The learner's certificates and attended sessions, for their registration at the SKJ."""
    user = current_user
    rows = [["skj_number", "name", "kind", "date", "title", "hours", "certificate_number", "valid_until",
             "status", "accreditation_number", "points"]]
    for certificate in db.session.scalars(
            select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at)):
        accreditation = certificate.accreditation or {}
        rows.append([user.skj_number or "", user.name, "certificate", local_date_iso(certificate.issued_at),
                     certificate.track_title, accreditation.get("contact_hours", ""), certificate.number,
                     local_date_iso(certificate.expires_at), certificate.status(), accreditation.get("number", ""),
                     accreditation.get("points", "")])
    for session, cohort_name in attended_sessions(user.id):
        hours = (as_utc(session.ends_at) - as_utc(session.starts_at)).total_seconds() / 3600
        rows.append([user.skj_number or "", user.name, "session", local_date_iso(session.starts_at),
                     f"{cohort_name}: {session.title}", f"{hours:.1f}", "", "", "present", "", ""])
    return csv_response(rows, "jim-training-skj.csv")


@bp.route("/certificates/<id:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id):
    """The PDF a background job drew (certification/documents.py); until it is there, a page that says so."""
    certificate = certificate_or_404(certificate_id)
    if certificate.revoked_at is not None:
        # A revoked certificate must not circulate as a clean document.
        return render_template("errors/error.html", code=410, title=_("Certificaat ingetrokken"),
                               message=_("Dit certificaat is ingetrokken. Er is geen PDF meer van.")), 410
    pdf = documents.stored_pdf(certificate)
    if pdf is None:
        documents.queue_pdf(certificate)
        db.session.commit()
        return render_template("certification/pdf_pending.html", certificate=certificate), 202
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificaat-{certificate.number}.pdf"',
        "Cache-Control": "private, no-store"})


# Trainers: practice review and sign-off ---------------------------------------------------------------------

@bp.route("/cohorts/<id:cohort_id>/practice")
@trainer_required
def practice_queue(cohort_id):
    cohort = cohort_or_404(cohort_id)
    track = services.cohort_track(cohort)
    assignments = practice_work.practice_queue(cohort, track) if track is not None and track.practice else []
    return render_template("certification/practice_queue.html", cohort=cohort, track=track, assignments=assignments)


@bp.route("/cohorts/<id:cohort_id>/practice/<id:assignment_id>",
          methods=["GET", "POST"])
@trainer_required
def practice_review(cohort_id, assignment_id):
    cohort = cohort_or_404(cohort_id)
    assignment = practice_or_404(cohort, assignment_id)
    form = ReviewForm()
    latest = assignment.latest
    track = services.cohort_track(cohort)
    practice = track.practice if track is not None else None
    findings, proposal = [], None
    levels = practice_criteria.read_levels(practice, request.form)[0] if request.method == "POST" else {}
    if form.validate_on_submit():
        findings = [] if form.no_client_data.data else client_data_findings(form.feedback.data or "")
        if findings:
            # Nothing is decided yet: the feedback stays in the form.
            form.feedback.errors.append(_("Staan hier gegevens van cliënten in? Haal ze weg, of vink hieronder aan "
                                          "dat het geen gegevens van cliënten zijn."))
        else:
            try:
                practice_work.review_practice(latest, form.decision.data, form.feedback.data, current_user, levels,
                                         form.reason.data)
            except CertificationError as error:
                form.feedback.errors.append(str(error))
            except VerdictError as error:
                form.reason.errors.append(str(error))
            else:
                flash(_("Je besluit is opgeslagen."), "success")
                return redirect(url_for("certification.practice_queue", cohort_id=cohort.id))
    status = (422 if findings else 400) if form.errors else 200
    if form.errors and levels:
        proposal = practice_criteria.proposal(practice, levels)
    return render_template("certification/practice_review.html", cohort=cohort, assignment=assignment, form=form,
                           track=track, findings=findings, levels=levels, proposal=proposal), status


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/co-training", methods=["GET", "POST"])
@trainer_required
def co_training_sign(cohort_id, session_id):
    """A trainer of the cohort signs that a JIM-trainer candidate co-trained this session under their eyes."""
    cohort, session = cohort_session_or_404(cohort_id, session_id)
    form = CoTrainingForm()
    if form.validate_on_submit():
        try:
            record = co_training.sign(session, form.email.data, form.note.data, current_user)
        except CertificationError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("De co-training van %(name)s is ondertekend.", name=record.candidate.name), "success")
            return redirect(url_for("certification.co_training_sign", cohort_id=cohort.id, session_id=session.id))
    return render_template("certification/co_training.html", cohort=cohort, session=session, form=form,
                           signed=co_training.of_session(session.id)), 400 if form.errors else 200


@bp.route("/cohorts/<id:cohort_id>/learners/<id:user_id>/certificate",
          methods=["GET", "POST"])
@login_required
def sign_off(cohort_id, user_id):
    """Sign off in two steps: a preview of the certificate (GET, or a POST without the confirmation, such as an old
    one-click form), then the confirmed POST issues it. Everything is checked again here, whatever the page showed."""
    cohort = cohort_or_404(cohort_id, need=None)  # who may sign off, refusal() says (with the reason)
    learner = user_or_404(user_id)
    reason = services.refusal(current_user, cohort)
    if reason:
        return forbidden(reason)
    form = SignOffForm()
    try:
        if not form.validate_on_submit():
            preview = services.signoff_preview(cohort, learner, current_user)
            return render_template("certification/sign_off.html", cohort=cohort, learner=learner, form=form,
                                   **preview)
        certificate = services.issue_certificate(cohort, learner, current_user)
    except CertificationError as error:
        db.session.rollback()
        return forbidden(str(error), _("Aftekenen kan (nog) niet"))
    flash(_("Het certificaat %(number)s voor %(name)s is afgetekend.", number=certificate.number,
            name=learner.name), "success")
    return redirect(url_for("cohorts.learner", cohort_id=cohort.id, user_id=learner.id))


# Trainers: SKJ accreditation of a cohort's run and its points list -------------------------------------------

@bp.route("/cohorts/<id:cohort_id>/accreditation", methods=["GET", "POST"])
@trainer_required
def accreditation(cohort_id):
    """The SKJ accreditation that applies to the cohort (its track's, or its own where the run differs), a form to
    set the cohort's own, and the points list for Mijn SKJ."""
    cohort = cohort_or_404(cohort_id)
    track = services.cohort_track(cohort)
    own = skj.cohort_override(cohort.id)
    has_quizzes = bool(track is not None and (track.requirements or {}).get("quizzes"))
    form = AccreditationForm(has_quizzes=has_quizzes, obj=own if request.method == "GET" else None)
    clear_form = ClearAccreditationForm(prefix="clear")
    if track is not None and clear_form.clear.data and clear_form.validate_on_submit():
        skj.clear_override(cohort, current_user)
        flash(_("De groep gebruikt weer de accreditatie van het traject."), "success")
        return redirect(url_for("certification.accreditation", cohort_id=cohort.id))
    if track is not None and not clear_form.clear.data and form.validate_on_submit():
        skj.set_override(cohort, form.number.data, form.points.data, form.contact_hours.data,
                         form.register_section.data, form.final_test_required.data, current_user)
        flash(_("De SKJ-accreditatie van deze groep is opgeslagen."), "success")
        return redirect(url_for("certification.accreditation", cohort_id=cohort.id))
    points = skj.points_list(cohort, track) if track is not None else None
    return render_template("certification/accreditation.html", cohort=cohort, track=track, own=own, form=form,
                           clear_form=clear_form, track_accreditation=track.accreditation if track else None,
                           points=points), 400 if form.errors else 200


@bp.route("/cohorts/<id:cohort_id>/skj.csv")
@trainer_required
def cohort_skj_export(cohort_id):
    """The points list of a cohort run, for the provider to enter in Mijn SKJ: one row per learner whose points
    are awardable (attendance and, where required, the final test), in the order of SKJ_COLUMNS."""
    cohort = cohort_or_404(cohort_id)
    track = services.cohort_track(cohort)
    points = skj.points_list(cohort, track) if track is not None else None
    if points is None:
        flash(_("Deze groep heeft geen SKJ-accreditatie. Er is dus geen puntenlijst."), "error")
        return redirect(url_for("certification.accreditation", cohort_id=cohort.id))
    found = points.accreditation
    rows = [list(SKJ_COLUMNS)]
    for line in points.awarded:
        rows.append([found["number"], points.starts_on.isoformat() if points.starts_on else "",
                     points.ends_on.isoformat() if points.ends_on else "", line.skj_number, line.name,
                     found["contact_hours"], found["points"]])
    return csv_response(rows, f"skj-punten-groep-{cohort.id}.csv")


#: The columns of the points list: the accredited activity and its run first, then per participant (see README,
#: "SKJ accreditation").
SKJ_COLUMNS = ("accreditatienummer", "startdatum", "einddatum", "registratienummer", "naam", "contacturen",
               "punten")


# Public verification ----------------------------------------------------------------------------------------

def _public_fields(certificate: Certificate) -> dict:
    """What anyone may know about a certificate: no e-mail address, no scores, no reason for revocation."""
    return {"number": certificate.number, "name": certificate.holder_name, "track": certificate.track_title,
            "issued_on": local_date_iso(certificate.issued_at), "expires_on": local_date_iso(certificate.expires_at),
            "issued_by": certificate.trainer_name, "organisation": certificate.organisation_name,
            "accreditation": dict(certificate.accreditation) if certificate.accreditation else None}


def _no_index(response):
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/verify/<path:code>")
def verify(code):
    certificate = services.certificate_by_code(code)
    if certificate is None:
        html, status = render_template("certification/verify.html", certificate=None, status="unknown"), 404
    else:
        html, status = render_template(
            "certification/verify.html", certificate=_public_fields(certificate), status=certificate.status(),
            code=certificate.code, issued_on=local_date(certificate.issued_at),
            expires_on=local_date(certificate.expires_at)), 200
    return _no_index(Response(html, status=status))


@bp.route("/api/v1/certificates/<path:code>")
def verify_json(code):
    certificate = services.certificate_by_code(code)
    if certificate is None:
        return _no_index(jsonify(status="unknown")), 404
    # The certificate as an Open Badges 3.0 credential (jimtraining/credentials/), revoked ones too.
    return _no_index(jsonify(status=certificate.status(), **_public_fields(certificate),
                             credential=absolute_url("credentials.credential_json", code=certificate.code)))


@bp.route("/progress")
def public_progress():
    """The national progress toward 3000, without any personal data."""
    return render_template("certification/public_progress.html", figures=current_national_figures())
