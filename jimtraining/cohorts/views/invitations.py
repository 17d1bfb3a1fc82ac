"""Getting learners into a group: the trainer invites one person or uploads a list; a learner joins with the
group's code or accepts an invitation link."""

import base64

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from jimtraining.access import roles_required, trainer_required
from jimtraining.access.cohorts import cohort_or_404
from jimtraining.accounts import services as accounts
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.cohorts.csv_import import MAX_CSV_BYTES, parse_csv
from jimtraining.cohorts.enrolment import CohortError, join_by_code
from jimtraining.cohorts.forms import AcceptInvitationForm, InviteForm, JoinForm, UploadForm
from jimtraining.cohorts.invitations import (
    INVITATION_DAYS,
    Invitee,
    accept_invitation,
    create_invitations,
    invitation_for_token,
)
from jimtraining.cohorts.views.blueprint import bp
from jimtraining.extensions import db
from jimtraining.mailing import send_mails
from jimtraining.roles import Role
from jimtraining.web import absolute_url

# Trainers ---------------------------------------------------------------------------------------------------

def _send_invitations(cohort, invitees: list[Invitee]) -> None:
    """Create the invitations and the mails with their links in one transaction (not committed), in a few
    statements however long the list: the mails are sent by a background job once the caller commits
    (jimtraining/jobs/), and a mail that keeps failing is listed for admins at /admin/jobs."""
    subject = _("Uitnodiging voor de groep %(cohort)s", cohort=cohort.name)
    mails = []
    for invitation, token in create_invitations(cohort, invitees, current_user):
        body = _("Hallo %(name)s,\n\n%(trainer)s nodigt je uit voor de groep '%(cohort)s' op JIM-training, het "
                 "platform waarop je leert werken met de JIM-aanpak.\n\nDoe mee via deze link (hij werkt %(days)s "
                 "dagen en één keer):\n%(link)s\n\nMet vriendelijke groet,\nJIM-training",
                 name=invitation.name, trainer=current_user.name, cohort=cohort.name, days=INVITATION_DAYS,
                 link=absolute_url("cohorts.accept", token=token))
        mails.append((invitation.email, subject, body, f"invitation:{invitation.id}"))
    send_mails(mails)


@bp.route("/cohorts/<id:cohort_id>/invite", methods=["GET", "POST"])
@trainer_required
def invite(cohort_id):
    cohort = cohort_or_404(cohort_id)
    form = InviteForm()
    if form.validate_on_submit():
        _send_invitations(cohort, [Invitee(form.email.data, form.name.data)])
        db.session.commit()
        flash(_("Uitnodiging verstuurd naar %(email)s.", email=form.email.data), "success")
        return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
    return render_template("cohorts/invite.html", form=form, cohort=cohort)


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cohort-csv-upload")


@bp.route("/cohorts/<id:cohort_id>/upload", methods=["GET", "POST"])
@trainer_required
def upload(cohort_id):
    cohort = cohort_or_404(cohort_id)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_CSV_BYTES + 1)
        preview = parse_csv(data, cohort)
        payload = _serializer().dumps({"cohort": cohort.id, "data": base64.b64encode(data).decode()})
        return render_template("cohorts/upload_preview.html", cohort=cohort, preview=preview, payload=payload,
                               form=ConfirmForm())
    return render_template("cohorts/upload.html", form=form, cohort=cohort)


@bp.route("/cohorts/<id:cohort_id>/upload/confirm", methods=["POST"])
@trainer_required
def upload_confirm(cohort_id):
    cohort = cohort_or_404(cohort_id)
    try:
        payload = _serializer().loads(request.form.get("payload", ""))
    except BadSignature:
        abort(400)
    if payload.get("cohort") != cohort.id:
        abort(400)
    preview = parse_csv(base64.b64decode(payload["data"]), cohort)  # checked again: data may have changed
    if preview.problems:
        flash(" ".join(preview.problems), "error")
        return redirect(url_for("cohorts.upload", cohort_id=cohort.id))
    to_invite = [row for row in preview.ok_rows if row.action == "invite"]
    _send_invitations(cohort, [Invitee(row.email, row.name, row.organisation_id, row.skj_number)
                               for row in to_invite])
    db.session.commit()  # the invitations and their mails at once; the mails go out in the background
    invited = len(to_invite)
    flash(_("%(invited)s uitnodiging(en) verstuurd. Regels met fouten en mensen die al in de groep zitten of al "
            "zijn uitgenodigd, zijn overgeslagen.", invited=invited), "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


# Learners ---------------------------------------------------------------------------------------------------

@bp.route("/join", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort = join_by_code(current_user, form.code.data)
        except CohortError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Je doet nu mee met de groep %(name)s.", name=cohort.name), "success")
            return redirect(url_for("main.index"))
    return render_template("cohorts/join.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token):
    """An invitation link: new people make an account; existing ones log in and confirm."""
    try:
        invitation = invitation_for_token(token)
    except CohortError as error:
        return render_template("cohorts/invitation_problem.html", message=str(error)), 410
    existing = accounts.find_by_email(invitation.email)
    if existing is not None:
        if not current_user.is_authenticated:
            flash(_("Je hebt al een account. Log in; daarna kun je de uitnodiging aannemen."), "info")
            return redirect(url_for("accounts.login", next=request.path))
        if current_user.id != existing.id:
            return render_template("cohorts/invitation_problem.html", message=_(
                "Deze uitnodiging is voor een ander e-mailadres. Log uit en log in met het account van %(email)s.",
                email=invitation.email)), 403
        form = ConfirmForm()
        if form.validate_on_submit():
            return _accept(invitation, existing)
        return render_template("cohorts/invitation_confirm.html", invitation=invitation, form=form)
    form = AcceptInvitationForm(email=invitation.email, data={"name": invitation.name} if request.method == "GET"
                                else None)
    if form.validate_on_submit():
        user = accounts.create_user(email=invitation.email, name=form.name.data, password=form.password.data,
                                    role=Role.LEARNER, organisation_id=invitation.organisation_id,
                                    region=invitation.cohort.region, skj_number=invitation.skj_number)
        accounts.log_in(user, remember=False)
        return _accept(invitation, user)
    return render_template("cohorts/invitation_new.html", invitation=invitation, form=form)


def _accept(invitation, user):
    try:
        cohort = accept_invitation(invitation, user)
    except CohortError as error:
        return render_template("cohorts/invitation_problem.html", message=str(error)), 410
    flash(_("Welkom in de groep %(name)s.", name=cohort.name), "success")
    return redirect(url_for("main.index"))
