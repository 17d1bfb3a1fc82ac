"""Certification pages: the learner's checklist and practice assignment, the trainer's review and sign-off,
the admin's licences, certificates, audit log and national dashboard, and the public verification."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from jimtraining.accounts.models import User
from jimtraining.certification import services
from jimtraining.certification.charts import bar_chart, format_number, progress_chart
from jimtraining.certification.eligibility import learner_eligibilities, practice_status, previous_certificate_moment
from jimtraining.certification.forms import LicenceForm, PracticeForm, ReasonForm, ReviewForm
from jimtraining.certification.models import (
    AuditEvent,
    Certificate,
    PracticeAssignment,
    Track,
    TrainerLicence,
)
from jimtraining.certification.privacy import client_data_findings
from jimtraining.certification.services import CertificationError
from jimtraining.certification.stats import current_national_figures
from jimtraining.cohorts import services as cohort_services
from jimtraining.cohorts.models import Attendance, Cohort, CohortSession, Enrollment
from jimtraining.curriculum.catalogue import catalogue
from jimtraining.exports.csv import csv_response
from jimtraining.extensions import db
from jimtraining.permissions import admin_required, trainer_required
from jimtraining.timeutil import as_utc, local_date, local_date_iso, utcnow
from jimtraining.web import absolute_url, like_pattern, page_of

bp = Blueprint("certification", __name__)
bp.add_app_template_global(bar_chart, "bar_chart")
bp.add_app_template_global(progress_chart, "progress_chart")
bp.add_app_template_global(format_number, "format_number")
bp.add_app_template_global(services.can_view_certificate, "can_view_certificate")


def forbidden(message: str, title: str | None = None):
    """A 403 page that says why."""
    return render_template("errors/error.html", code=403, title=title or _("Geen toegang"), message=message), 403


def _page(query, per_page=50):
    return page_of(query, per_page)




# Learners ---------------------------------------------------------------------------------------------------

def _my_tracks(user) -> list[tuple[Cohort, Track]]:
    """The learner's active cohorts that follow a track, with the track."""
    cohorts = [c for c in cohort_services.memberships(user) if c.track_slug]
    tracks = {t.slug: t for t in db.session.scalars(
        select(Track).where(Track.slug.in_([c.track_slug for c in cohorts] or [None]), Track.archived.is_(False)))}
    return [(c, tracks[c.track_slug]) for c in cohorts if c.track_slug in tracks]


@bp.route("/certification")
@login_required
def mine():
    tracks = _my_tracks(current_user)
    followed = [(cohort, track, eligibility) for (cohort, track), eligibility
                in zip(tracks, learner_eligibilities(tracks, current_user.id), strict=True)]
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == current_user.id).order_by(Certificate.issued_at.desc())))
    return render_template("certification/mine.html", followed=followed, certificates=certificates, now=utcnow(),
                           leading=_leading(current_user))


def _leading(user) -> dict | None:
    """For a trainer or lecturer: the groups they lead (with their track) and their licence. They earn no
    certificate through their own groups: they sign their learners' certificates off, with a licence."""
    if user.role != "trainer":
        return None
    content = catalogue()
    groups = [(cohort_id, name, content.track(track_slug)) for cohort_id, name, track_slug in db.session.execute(
        select(Cohort.id, Cohort.name, Cohort.track_slug).where(Cohort.trainers.any(User.id == user.id),
                                                               Cohort.status != "archived").order_by(Cohort.name))]
    return {"groups": groups, "licence": services.valid_licence(user)}


def _practice_track_or_404(track_slug) -> Track:
    track = db.session.scalar(select(Track).where(Track.slug == track_slug, Track.archived.is_(False)))
    if track is None or not track.practice:
        abort(404)
    if not any(t.slug == track.slug for _c, t in _my_tracks(current_user)):
        abort(403)
    return track


@bp.route("/certification/<track_slug>/practice", methods=["GET", "POST"])
@login_required
def practice(track_slug):
    track = _practice_track_or_404(track_slug)
    assignment = services.practice_assignment(current_user, track)
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
            services.submit_practice(current_user, track, form.text.data)
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
             "status"]]
    for certificate in db.session.scalars(
            select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at)):
        rows.append([user.skj_number or "", user.name, "certificate", local_date_iso(certificate.issued_at),
                     certificate.track_title, "", certificate.number, local_date_iso(certificate.expires_at),
                     certificate.status()])
    sessions = db.session.execute(
        select(CohortSession, Cohort.name).join(Attendance, Attendance.session_id == CohortSession.id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(Attendance.user_id == user.id, Attendance.status == "present").order_by(CohortSession.starts_at)).all()
    for session, cohort_name in sessions:
        hours = (as_utc(session.ends_at) - as_utc(session.starts_at)).total_seconds() / 3600
        rows.append([user.skj_number or "", user.name, "session", local_date_iso(session.starts_at),
                     f"{cohort_name}: {session.title}", f"{hours:.1f}", "", "", "present"])
    return csv_response(rows, "jim-training-skj.csv")


@bp.route("/certificates/<id:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id):
    from jimtraining.certification.pdf import certificate_pdf as render_pdf

    certificate = db.get_or_404(Certificate, certificate_id)
    if not services.can_view_certificate(current_user, certificate):
        abort(403)
    if certificate.revoked_at is not None:
        # A revoked certificate must not circulate as a clean document.
        return render_template("errors/error.html", code=410, title=_("Certificaat ingetrokken"),
                               message=_("Dit certificaat is ingetrokken. Er is geen PDF meer van.")), 410
    pdf = render_pdf(holder_name=certificate.holder_name, number=certificate.number,
                     track_title=certificate.track_title, issued_on=local_date(certificate.issued_at),
                     expires_on=local_date(certificate.expires_at), trainer_name=certificate.trainer_name,
                     organisation_name=certificate.organisation_name,
                     verify_url=absolute_url("certification.verify", code=certificate.code))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificaat-{certificate.number}.pdf"',
        "Cache-Control": "private, no-store"})


# Trainers: practice review and sign-off ---------------------------------------------------------------------

def _managed_cohort_or_404(cohort_id) -> Cohort:
    cohort = db.get_or_404(Cohort, cohort_id)
    if not cohort.can_manage(current_user):
        abort(403)
    return cohort


@bp.route("/cohorts/<id:cohort_id>/practice")
@trainer_required
def practice_queue(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    track = services.cohort_track(cohort)
    assignments = []
    if track is not None and track.practice:
        assignments = list(db.session.scalars(
            select(PracticeAssignment)
            .join(Enrollment, (Enrollment.user_id == PracticeAssignment.user_id) & (Enrollment.cohort_id == cohort.id))
            .where(PracticeAssignment.track_slug == track.slug, Enrollment.removed_at.is_(None))))
        order = {"waiting": 0, "returned": 1, "approved": 2}
        assignments.sort(key=lambda a: (order.get(a.status, 3), a.user.name.lower()))
    return render_template("certification/practice_queue.html", cohort=cohort, track=track, assignments=assignments)


@bp.route("/cohorts/<id:cohort_id>/practice/<id:assignment_id>",
          methods=["GET", "POST"])
@trainer_required
def practice_review(cohort_id, assignment_id):
    cohort = _managed_cohort_or_404(cohort_id)
    assignment = db.get_or_404(PracticeAssignment, assignment_id)
    if assignment.track_slug != cohort.track_slug or not cohort.is_member(assignment.user):
        abort(404)
    form = ReviewForm()
    latest = assignment.latest
    findings = []
    if form.validate_on_submit():
        findings = [] if form.no_client_data.data else client_data_findings(form.feedback.data or "")
        if findings:
            # Nothing is decided yet: the feedback stays in the form.
            form.feedback.errors.append(_("Staan hier gegevens van cliënten in? Haal ze weg, of vink hieronder aan "
                                          "dat het geen gegevens van cliënten zijn."))
        else:
            try:
                services.review_practice(latest, form.decision.data, form.feedback.data, current_user)
            except CertificationError as error:
                form.feedback.errors.append(str(error))
            else:
                flash(_("Je besluit is opgeslagen."), "success")
                return redirect(url_for("certification.practice_queue", cohort_id=cohort.id))
    status = (422 if findings else 400) if form.errors else 200
    return render_template("certification/practice_review.html", cohort=cohort, assignment=assignment, form=form,
                           track=services.cohort_track(cohort), findings=findings), status


@bp.route("/cohorts/<id:cohort_id>/learners/<id:user_id>/certificate",
          methods=["POST"])
@login_required
def sign_off(cohort_id, user_id):
    """Issue the certificate. Everything is checked again here, whatever the page showed."""
    cohort = db.get_or_404(Cohort, cohort_id)
    learner = db.get_or_404(User, user_id)
    reason = services.refusal(current_user, cohort)
    if reason:
        return forbidden(reason)
    try:
        certificate = services.issue_certificate(cohort, learner, current_user)
    except CertificationError as error:
        db.session.rollback()
        return forbidden(str(error), _("Aftekenen kan (nog) niet"))
    flash(_("Het certificaat %(number)s voor %(name)s is afgetekend.", number=certificate.number,
            name=learner.name), "success")
    return redirect(url_for("cohorts.learner", cohort_id=cohort.id, user_id=learner.id))


# Public verification ----------------------------------------------------------------------------------------

def _public_fields(certificate: Certificate) -> dict:
    """What anyone may know about a certificate: no e-mail address, no scores, no reason for revocation."""
    return {"number": certificate.number, "name": certificate.holder_name, "track": certificate.track_title,
            "issued_on": local_date_iso(certificate.issued_at), "expires_on": local_date_iso(certificate.expires_at),
            "issued_by": certificate.trainer_name, "organisation": certificate.organisation_name}


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


# Admins -----------------------------------------------------------------------------------------------------

@bp.route("/admin/licences", methods=["GET", "POST"])
@admin_required
def licences():
    form = LicenceForm()
    if form.validate_on_submit():
        trainer = db.session.get(User, form.user_id.data)
        try:
            if trainer is None:
                raise CertificationError(_("Kies een trainer."))
            licence = services.grant_licence(trainer, form.months.data, current_user, form.reason.data)
        except CertificationError as error:
            form.user_id.errors.append(str(error))
        else:
            flash(_("%(name)s heeft een licentie tot %(date)s.", name=trainer.name,
                    date=local_date(licence.expires_at).strftime("%d-%m-%Y")), "success")
            return redirect(url_for("certification.licences"))
    elif request.method == "GET" and re.fullmatch(r"[0-9]{1,9}", request.args.get("user", "")):
        form.user_id.data = int(request.args["user"])
    trainers = list(db.session.scalars(select(User).where(User.role == "trainer").order_by(User.name)))
    by_trainer: dict[int, list[TrainerLicence]] = {t.id: [] for t in trainers}
    for licence in db.session.scalars(
            select(TrainerLicence).where(TrainerLicence.user_id.in_(list(by_trainer) or [-1]))
            .order_by(TrainerLicence.valid_from.desc())):
        by_trainer[licence.user_id].append(licence)
    status = 400 if form.errors else 200
    return render_template("certification/licences.html", form=form, trainers=trainers, by_trainer=by_trainer,
                           reason_form=ReasonForm(), now=utcnow()), status


@bp.route("/admin/licences/<id:licence_id>/withdraw", methods=["POST"])
@admin_required
def withdraw_licence(licence_id):
    licence = db.get_or_404(TrainerLicence, licence_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Geef een reden op om de licentie in te trekken."), "error")
        return redirect(url_for("certification.licences"))
    try:
        services.withdraw_licence(licence, current_user, form.reason.data)
    except CertificationError as error:
        flash(str(error), "error")
    else:
        flash(_("De licentie van %(name)s is ingetrokken.", name=licence.user.name), "success")
    return redirect(url_for("certification.licences"))


STATUS_FILTERS = ("valid", "expired", "revoked")


@bp.route("/admin/certificates")
@admin_required
def admin_certificates():
    query = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    q = request.args.get("q", "").strip()[:100]
    if q:
        like = like_pattern(q)
        query = query.where(or_(Certificate.number.ilike(like, escape="\\"),
                                Certificate.holder_name.ilike(like, escape="\\")))
    status = request.args.get("status", "")
    now = utcnow()
    if status == "valid":
        query = query.where(Certificate.revoked_at.is_(None), Certificate.expires_at > now)
    elif status == "expired":
        query = query.where(Certificate.revoked_at.is_(None), Certificate.expires_at <= now)
    elif status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    page = _page(query)
    return render_template("certification/admin_certificates.html", page=page, q=q,
                           status=status if status in STATUS_FILTERS else "", now=now)


@bp.route("/admin/certificates/<id:certificate_id>", methods=["GET", "POST"])
@admin_required
def admin_certificate(certificate_id):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(certificate, current_user, form.reason.data)
        except CertificationError as error:
            form.reason.errors.append(str(error))
        else:
            flash(_("Certificaat %(number)s is ingetrokken.", number=certificate.number), "success")
            return redirect(url_for("certification.admin_certificate", certificate_id=certificate.id))
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "certificate",
                                                              AuditEvent.object_id == certificate.id)
                                     .order_by(AuditEvent.at, AuditEvent.id)))
    status = 400 if form.errors else 200
    return render_template("certification/admin_certificate.html", certificate=certificate, form=form,
                           events=events, actions=AUDIT_ACTIONS), status


AUDIT_ACTIONS = {
    "certificate.issued": _l("Certificaat afgetekend"),
    "certificate.revoked": _l("Certificaat ingetrokken"),
    "licence.granted": _l("Licentie gegeven"),
    "licence.renewed": _l("Licentie verlengd"),
    "licence.withdrawn": _l("Licentie ingetrokken"),
    "practice.approved": _l("Praktijkopdracht goedgekeurd"),
    "practice.returned": _l("Praktijkopdracht teruggegeven"),
}


def _audit_query():
    # Newest first by the moment it happened: an event may be dated before events written earlier (a certificate
    # signed with an earlier date, the demo's history); the id only breaks ties.
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "")
    if action in AUDIT_ACTIONS:
        query = query.where(AuditEvent.action == action)
    return query, action if action in AUDIT_ACTIONS else ""


@bp.route("/admin/audit")
@admin_required
def audit_log():
    query, action = _audit_query()
    return render_template("certification/audit.html", page=_page(query), action=action, actions=AUDIT_ACTIONS)


@bp.route("/admin/audit.csv")
@admin_required
def audit_export():
    query, _action = _audit_query()
    rows = [["id", "at", "action", "actor_id", "actor_name", "subject_id", "subject_name", "object_type",
             "object_id", "reason", "details"]]
    for event in db.session.scalars(query.execution_options(yield_per=1000)):
        rows.append([event.id, as_utc(event.at).isoformat(), event.action, event.actor_id, event.actor_name,
                     event.subject_id, event.subject_name, event.object_type, event.object_id, event.reason,
                     "; ".join(f"{k}={v}" for k, v in sorted((event.details or {}).items()))])
    return csv_response(rows, "audit-log.csv")


@bp.route("/admin/national")
@admin_required
def national():
    return render_template("certification/national.html", figures=current_national_figures())


@bp.route("/admin/national.csv")
@admin_required
def national_export():
    figures = current_national_figures()
    rows = [["section", "label", "value"],
            ["total", "goal", figures.goal], ["total", "certified", figures.certified],
            ["total", "valid_now", figures.valid_now], ["total", "certificates_issued", figures.issued],
            ["total", "certificates_expired", figures.expired], ["total", "certificates_revoked", figures.revoked],
            ["trainers", "trainers", figures.trainers], ["trainers", "licensed", figures.licensed_trainers],
            ["trainers", "licence_ends_within_60_days", figures.licences_ending_soon]]
    rows += [["over_time", month, count] for month, count in figures.over_time]
    rows += [["region", label, count] for label, count in figures.by_region]
    rows += [["organisation_kind", label, count] for label, count in figures.by_organisation_kind]
    rows += [["work_context", label, count] for label, count in figures.by_work_context]
    rows += [["cohorts", label, count] for label, count in figures.cohorts]
    return csv_response(rows, "landelijke-voortgang.csv")
