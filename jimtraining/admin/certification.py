"""Certification for admins: trainer licences, all certificates (and revoking one), the audit log and the national
figures, with their CSV downloads."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from jimtraining.access import admin_required, get_or_404
from jimtraining.access.certification import certificate_or_404
from jimtraining.accounts.models import User
from jimtraining.admin.blueprint import bp
from jimtraining.certification import services
from jimtraining.certification.audit import AUDIT_ACTIONS
from jimtraining.certification.forms import LicenceForm, ReasonForm
from jimtraining.certification.models import AuditEvent, Certificate, TrainerLicence
from jimtraining.certification.services import CertificationError
from jimtraining.certification.stats import current_national_figures
from jimtraining.exports.csv import csv_response
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, local_date, utcnow
from jimtraining.web import like_pattern, page_of

#: Rows per page of the certificates and the audit log.
PER_PAGE = 50


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
            return redirect(url_for("admin.licences"))
    elif request.method == "GET" and re.fullmatch(r"[0-9]{1,9}", request.args.get("user", "")):
        form.user_id.data = int(request.args["user"])
    trainers = list(db.session.scalars(select(User).where(User.role == Role.TRAINER).order_by(User.name)))
    by_trainer: dict[int, list[TrainerLicence]] = {t.id: [] for t in trainers}
    for licence in db.session.scalars(
            select(TrainerLicence).where(TrainerLicence.user_id.in_(list(by_trainer) or [-1]))
            .order_by(TrainerLicence.valid_from.desc())):
        by_trainer[licence.user_id].append(licence)
    status = 400 if form.errors else 200
    return render_template("admin/licences.html", form=form, trainers=trainers, by_trainer=by_trainer,
                           reason_form=ReasonForm(), now=utcnow()), status


@bp.route("/admin/licences/<id:licence_id>/withdraw", methods=["POST"])
@admin_required
def withdraw_licence(licence_id):
    licence = get_or_404(TrainerLicence, licence_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Geef een reden op om de licentie in te trekken."), "error")
        return redirect(url_for("admin.licences"))
    try:
        services.withdraw_licence(licence, current_user, form.reason.data)
    except CertificationError as error:
        flash(str(error), "error")
    else:
        flash(_("De licentie van %(name)s is ingetrokken.", name=licence.user.name), "success")
    return redirect(url_for("admin.licences"))


STATUS_FILTERS = ("valid", "expired", "revoked")


@bp.route("/admin/certificates")
@admin_required
def certificates():
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
    page = page_of(query, PER_PAGE)
    return render_template("admin/certificates.html", page=page, q=q,
                           status=status if status in STATUS_FILTERS else "", now=now)


@bp.route("/admin/certificates/<id:certificate_id>", methods=["GET", "POST"])
@admin_required
def certificate(certificate_id):
    certificate = certificate_or_404(certificate_id, need=None)  # admins see every certificate
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(certificate, current_user, form.reason.data)
        except CertificationError as error:
            form.reason.errors.append(str(error))
        else:
            flash(_("Certificaat %(number)s is ingetrokken.", number=certificate.number), "success")
            return redirect(url_for("admin.certificate", certificate_id=certificate.id))
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "certificate",
                                                              AuditEvent.object_id == certificate.id)
                                     .order_by(AuditEvent.at, AuditEvent.id)))
    status = 400 if form.errors else 200
    return render_template("admin/certificate.html", certificate=certificate, form=form,
                           events=events, actions=AUDIT_ACTIONS), status


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
    return render_template("admin/audit.html", page=page_of(query, PER_PAGE), action=action, actions=AUDIT_ACTIONS)


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
    return render_template("admin/national.html", figures=current_national_figures())


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
