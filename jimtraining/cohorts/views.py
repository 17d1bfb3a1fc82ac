"""Cohort pages: trainers run their groups; learners join, see sessions and check in."""

import base64
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from jimtraining.accounts import services as accounts
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.certification.presenters import cohort_overview, learner_certification
from jimtraining.cohorts import services
from jimtraining.cohorts.calendar import cohort_calendar, session_calendar
from jimtraining.cohorts.forms import (
    AcceptInvitationForm,
    AttendanceForm,
    CheckinForm,
    CohortForm,
    InviteForm,
    JoinForm,
    OrganisationForm,
    SessionForm,
    UploadForm,
    local_to_utc,
)
from jimtraining.cohorts.models import (
    ATTENDANCE_STATUSES,
    Attendance,
    Cohort,
    CohortSession,
    Organisation,
    may_manage,
)
from jimtraining.cohorts.services import CheckinBlockedError, CohortError
from jimtraining.exports.csv import attachment, csv_response
from jimtraining.extensions import client_address, db
from jimtraining.mailing import MailError, outbox, send_mail
from jimtraining.permissions import admin_required, roles_required, trainer_required
from jimtraining.rendering import render_markdown
from jimtraining.roleplay import services as roleplay_services
from jimtraining.timeutil import as_utc, utcnow
from jimtraining.web import absolute_url

bp = Blueprint("cohorts", __name__)

LOCAL = ZoneInfo("Europe/Amsterdam")


def _managed_cohort_or_404(cohort_id) -> Cohort:
    """Load (404), then check that the current user trains this cohort or is an admin (403)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not cohort.can_manage(current_user):
        abort(403)
    return cohort


def _session_of(cohort, session_id) -> CohortSession:
    session = db.get_or_404(CohortSession, session_id)
    if session.cohort_id != cohort.id:
        abort(404)
    return session


# Trainers ---------------------------------------------------------------------------------------------------

@bp.route("/cohorts/")
@trainer_required
def index():
    return render_template("cohorts/index.html", cohorts=services.cohorts_for(current_user))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@trainer_required
def new():
    form = CohortForm()
    if request.method == "GET" and current_user.role == "trainer":
        form.trainer_ids.data = [current_user.id]
    if form.validate_on_submit():
        cohort = Cohort(join_code=services.new_join_code())
        _apply_cohort_form(cohort, form)
        db.session.add(cohort)
        db.session.commit()
        flash(_("De groep %(name)s is aangemaakt.", name=cohort.name), "success")
        return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=None)


def _apply_cohort_form(cohort, form):
    from jimtraining.accounts.models import User

    for name in ("name", "organisation_id", "region", "starts_on", "ends_on", "status", "module_slugs"):
        setattr(cohort, name, getattr(form, name).data)
    cohort.work_context = form.work_context.data or None
    cohort.track_slug = form.track_slug.data or None
    trainer_ids = set(form.trainer_ids.data or [])
    if current_user.role == "trainer":
        trainer_ids.add(current_user.id)  # a trainer never locks themselves out of their own cohort
    cohort.trainers = list(db.session.scalars(select(User).where(User.id.in_(trainer_ids), User.role == "trainer")))


@bp.route("/cohorts/<id:cohort_id>/edit", methods=["GET", "POST"])
@trainer_required
def edit(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
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


def _track_gap(cohort, track) -> str | None:
    """What the dashboard says when the cohort does not show every module its track requires (the track changed
    after the cohort was saved); None when it does. From the curriculum catalogue: no query."""
    from jimtraining.certification.eligibility import missing_modules, missing_modules_text, module_titles

    missing = missing_modules(cohort.module_slugs, track) if track is not None and not track.archived else []
    if not missing:
        return None
    return missing_modules_text(track.title, module_titles(missing)) + " " + _(
        "De tabel hieronder laat dat deel niet zien, maar het telt wel mee voor het certificaat. Voeg het toe bij "
        "'Groep bewerken'.")


SORT_KEYS = {
    "name": lambda r: r.user.name.lower(),
    "modules": lambda r: (-r.modules_done, r.user.name.lower()),
    "lessons": lambda r: (-r.lessons_done, r.user.name.lower()),
    "attendance": lambda r: (-(r.attendance_percent or 0), r.user.name.lower()),
}


@bp.route("/cohorts/<id:cohort_id>")
@trainer_required
def dashboard(cohort_id):
    # As _managed_cohort_or_404, in fewer queries: this is the page a trainer keeps open during a session.
    head = services.dashboard_head(cohort_id, current_user)
    if head is None:
        abort(404)
    cohort, trains, trainer_names = head
    if not may_manage(current_user, lambda: trains):
        abort(403)
    sessions, enrolled = services.roster(cohort)
    overview = cohort_overview(cohort, enrolled=enrolled, sessions=sessions)
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORT_KEYS else "name"
    return render_template("cohorts/dashboard.html", cohort=cohort, learners=len(overview.rows),
                           trainer_names=trainer_names, sessions=sessions,
                           matrix=overview.table(cohort, sort, SORT_KEYS[sort]), sort=sort,
                           next_session=services.next_session(sessions), certification=overview.certification,
                           track_gap=_track_gap(cohort, overview.certification["track"]))


@bp.route("/cohorts/<id:cohort_id>/export.csv")
@trainer_required
def export(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    rows, modules, past = services.cohort_matrix(cohort)
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
    cohort = _managed_cohort_or_404(cohort_id)
    rows, modules, past = services.cohort_matrix(cohort, learner_id=user_id)
    if not rows:
        abort(404)
    attendance = {session_id: status for session_id, status in db.session.execute(  # one query, not one per session
        select(Attendance.session_id, Attendance.status).join(CohortSession, CohortSession.id == Attendance.session_id)
        .where(CohortSession.cohort_id == cohort.id, Attendance.user_id == user_id))}
    return render_template("cohorts/learner.html", cohort=cohort, row=rows[0], modules=modules, past=past,
                           attendance=attendance, statuses=ATTENDANCE_STATUSES, confirm=ConfirmForm(),
                           certification=learner_certification(cohort, user_id))


@bp.route("/cohorts/<id:cohort_id>/learners/<id:user_id>/remove",
          methods=["POST"])
@trainer_required
def remove(cohort_id, user_id):
    cohort = _managed_cohort_or_404(cohort_id)
    try:
        services.remove_learner(cohort, user_id)
    except CohortError as error:
        flash(str(error), "error")
    else:
        flash(_("De deelnemer is uit de groep gehaald. Voortgang en aanwezigheid blijven bewaard."), "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


@bp.route("/cohorts/<id:cohort_id>/join-code", methods=["POST"])
@trainer_required
def rotate_code(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    services.rotate_join_code(cohort)
    flash(_("De groep heeft een nieuwe code: %(code)s. De oude code werkt niet meer.", code=cohort.join_code),
          "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


def _send_invitation(cohort, email, name, organisation_id=None, skj_number=None):
    """Create an invitation and mail its link; raises MailError, and then no invitation is left behind, so a
    second try (or a second upload of the same list) sends it again."""
    invitation, token = services.create_invitation(cohort, email, name, current_user, organisation_id, skj_number)
    link = absolute_url("cohorts.accept", token=token)
    body = _("Hallo %(name)s,\n\n%(trainer)s nodigt je uit voor de groep '%(cohort)s' op JIM-training, het platform "
             "waarop je leert werken met de JIM-aanpak.\n\nDoe mee via deze link (hij werkt %(days)s dagen en één "
             "keer):\n%(link)s\n\nMet vriendelijke groet,\nJIM-training",
             name=name, trainer=current_user.name, cohort=cohort.name, days=services.INVITATION_DAYS, link=link)
    try:
        send_mail(email, _("Uitnodiging voor de groep %(cohort)s", cohort=cohort.name), body)
    except MailError:
        db.session.delete(invitation)
        db.session.commit()
        raise
    return invitation


@bp.route("/cohorts/<id:cohort_id>/invite", methods=["GET", "POST"])
@trainer_required
def invite(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            _send_invitation(cohort, form.email.data, form.name.data)
        except MailError as error:
            flash(_("De uitnodiging kon niet verstuurd worden: %(reason)s. Controleer het e-mailadres of probeer het "
                    "later opnieuw.", reason=error), "error")
            return render_template("cohorts/invite.html", form=form, cohort=cohort), 502
        flash(_("Uitnodiging verstuurd naar %(email)s.", email=form.email.data), "success")
        return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
    return render_template("cohorts/invite.html", form=form, cohort=cohort)


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cohort-csv-upload")


@bp.route("/cohorts/<id:cohort_id>/upload", methods=["GET", "POST"])
@trainer_required
def upload(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(services.MAX_CSV_BYTES + 1)
        preview = services.parse_csv(data, cohort)
        payload = _serializer().dumps({"cohort": cohort.id, "data": base64.b64encode(data).decode()})
        return render_template("cohorts/upload_preview.html", cohort=cohort, preview=preview, payload=payload,
                               form=ConfirmForm())
    return render_template("cohorts/upload.html", form=form, cohort=cohort)


@bp.route("/cohorts/<id:cohort_id>/upload/confirm", methods=["POST"])
@trainer_required
def upload_confirm(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    try:
        payload = _serializer().loads(request.form.get("payload", ""))
    except BadSignature:
        abort(400)
    if payload.get("cohort") != cohort.id:
        abort(400)
    preview = services.parse_csv(base64.b64decode(payload["data"]), cohort)  # checked again: data may have changed
    if preview.problems:
        flash(" ".join(preview.problems), "error")
        return redirect(url_for("cohorts.upload", cohort_id=cohort.id))
    to_invite = [row for row in preview.ok_rows if row.action == "invite"]
    invited = 0
    for index, row in enumerate(to_invite):
        try:
            _send_invitation(cohort, row.email, row.name, row.organisation_id, row.skj_number)
        except MailError as error:
            # Stop at the first failure: the mail server is probably down, and every next try would wait again.
            flash(_("Na %(sent)s uitnodiging(en) lukte het versturen niet meer (%(reason)s). Niet verstuurd: "
                    "%(emails)s. Upload dezelfde lijst later opnieuw; wie al een uitnodiging kreeg, krijgt er geen "
                    "tweede.", sent=invited, reason=error, emails=", ".join(r.email for r in to_invite[index:])),
                  "error")
            return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
        invited += 1
    flash(_("%(invited)s uitnodiging(en) verstuurd. Regels met fouten en mensen die al in de groep zitten of al "
            "zijn uitgenodigd, zijn overgeslagen.", invited=invited), "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


# Sessions ---------------------------------------------------------------------------------------------------

def _local(date, time):
    """A date and time as a trainer in the Netherlands means them, converted to UTC for storage."""
    return local_to_utc(date, time)


@bp.route("/cohorts/<id:cohort_id>/sessions/new", methods=["GET", "POST"])
@trainer_required
def session_new(cohort_id):
    cohort = _managed_cohort_or_404(cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        session = CohortSession(cohort_id=cohort.id, checkin_secret=services.new_checkin_secret())
        _apply_session_form(session, form)
        db.session.add(session)
        db.session.commit()
        flash(_("De bijeenkomst is gepland."), "success")
        return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    return render_template("cohorts/session_edit.html", form=form, cohort=cohort, session=None)


def _apply_session_form(session, form):
    session.title = form.title.data
    session.starts_at = _local(form.date.data, form.start_time.data)
    session.ends_at = _local(form.date.data, form.end_time.data)
    session.location = form.location.data or None
    session.online_url = form.online_url.data or None
    session.agenda = form.agenda.data or ""
    session.sketches = [line.strip() for line in (form.sketches.data or "").splitlines() if line.strip()]


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/edit",
          methods=["GET", "POST"])
@trainer_required
def session_edit(cohort_id, session_id):
    cohort = _managed_cohort_or_404(cohort_id)
    session = _session_of(cohort, session_id)
    form = SessionForm(obj=session)
    if request.method == "GET":
        start, end = as_utc(session.starts_at).astimezone(LOCAL), as_utc(session.ends_at).astimezone(LOCAL)
        form.date.data, form.start_time.data, form.end_time.data = start.date(), start.time(), end.time()
        form.sketches.data = "\n".join(session.sketches or [])
    if form.validate_on_submit():
        _apply_session_form(session, form)
        db.session.commit()
        flash(_("De bijeenkomst is opgeslagen."), "success")
        return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    return render_template("cohorts/session_edit.html", form=form, cohort=cohort, session=session)


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>",
          methods=["GET", "POST"])
@login_required
def session(cohort_id, session_id):
    """Trainers: the attendance list and the check-in code. Learners of the cohort: details and check-in."""
    cohort = db.get_or_404(Cohort, cohort_id)
    session = _session_of(cohort, session_id)
    agenda = render_markdown(session.agenda)
    if cohort.can_manage(current_user):
        form = AttendanceForm()
        members = sorted((e.user for e in cohort.enrollments if e.is_active), key=lambda u: u.name.lower())
        if form.validate_on_submit():
            statuses = {}
            for user in members:
                value = request.form.get(f"status-{user.id}")
                if value in ATTENDANCE_STATUSES:
                    statuses[user.id] = value
            services.set_attendance(session, statuses)
            flash(_("Aanwezigheid opgeslagen."), "success")
            return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
        marked = {a.user_id: a.status for a in session.attendance}
        return render_template("cohorts/session_trainer.html", cohort=cohort, session=session, agenda=agenda,
                               members=members, marked=marked, form=form, statuses=ATTENDANCE_STATUSES,
                               code=services.checkin_code(session) if services.checkin_open(session) else None,
                               wrong_codes=services.wrong_checkins_by_learner(session),
                               wrong_codes_allowed=current_app.config["CHECKIN_WRONG_CODES_PER_SESSION"],
                               **_roleplay_context(session))
    if not cohort.is_member(current_user):
        abort(403)
    form = CheckinForm()
    status, blocked = 200, None
    if form.validate_on_submit():
        try:
            services.check_in(session, current_user, form.code.data, client=client_address())
        except CheckinBlockedError as error:
            status, blocked = 429, str(error)
        except CohortError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Je bent ingecheckt. Welkom!"), "success")
            return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    mine = next((a.status for a in session.attendance if a.user_id == current_user.id), None)
    can_check_in = services.checkin_open(session) and mine != "present"
    if can_check_in and blocked is None and services.checkin_blocked(session, current_user.id):
        blocked = services.checkin_blocked_message()
    my_rounds = [r for r in roleplay_services.session_rounds(session.id)
                 if current_user.id in (r.professional_id, r.player_id) or any(o.id == current_user.id
                                                                                for o in r.observers)]
    return render_template("cohorts/session_learner.html", cohort=cohort, session=session, agenda=agenda,
                           form=form, mine=mine, statuses=ATTENDANCE_STATUSES, my_rounds=my_rounds,
                           can_check_in=can_check_in, blocked=blocked), status


def _roleplay_context(session) -> dict:
    """Rounds of a session, bookable actors and scenarios: a fixed number of queries."""
    return roleplay_services.session_roleplay(session.id)


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/code")
@trainer_required
def session_code(cohort_id, session_id):
    """Just the current check-in code, large, to show on a screen in the room."""
    cohort = _managed_cohort_or_404(cohort_id)
    session = _session_of(cohort, session_id)
    code = services.checkin_code(session) if services.checkin_open(session) else None
    return render_template("cohorts/session_code.html", cohort=cohort, session=session, code=code)


#: content_type, not mimetype: werkzeug adds "; charset=utf-8" to a text/* mimetype a second time.
ICS_TYPE = "text/calendar; charset=utf-8"


def _calendar_access(cohort):
    if not (cohort.can_manage(current_user) or cohort.is_member(current_user)):
        abort(403)


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>.ics")
@login_required
def session_ics(cohort_id, session_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    session = _session_of(cohort, session_id)
    _calendar_access(cohort)
    return Response(session_calendar(session), content_type=ICS_TYPE,
                    headers={"Content-Disposition": attachment(f"bijeenkomst-{session.id}.ics")})


@bp.route("/cohorts/<id:cohort_id>/calendar.ics")
@login_required
def cohort_ics(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    _calendar_access(cohort)
    return Response(cohort_calendar(cohort), content_type=ICS_TYPE,
                    headers={"Content-Disposition": attachment(f"groep-{cohort.id}.ics")})


# Learners ---------------------------------------------------------------------------------------------------

@bp.route("/join", methods=["GET", "POST"])
@roles_required("learner")
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort = services.join_by_code(current_user, form.code.data)
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
        invitation = services.invitation_for_token(token)
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
                                    role="learner", organisation_id=invitation.organisation_id,
                                    region=invitation.cohort.region, skj_number=invitation.skj_number)
        accounts.log_in(user, remember=False)
        return _accept(invitation, user)
    return render_template("cohorts/invitation_new.html", invitation=invitation, form=form)


def _accept(invitation, user):
    try:
        cohort = services.accept_invitation(invitation, user)
    except CohortError as error:
        return render_template("cohorts/invitation_problem.html", message=str(error)), 410
    flash(_("Welkom in de groep %(name)s.", name=cohort.name), "success")
    return redirect(url_for("main.index"))


# Admin ------------------------------------------------------------------------------------------------------

@bp.route("/admin/organisations", methods=["GET", "POST"])
@admin_required
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        db.session.add(Organisation(name=form.name.data, kind=form.kind.data))
        db.session.commit()
        flash(_("Organisatie toegevoegd."), "success")
        return redirect(url_for("cohorts.organisations"))
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows, form=form)


@bp.route("/admin/outbox")
@admin_required
def mail_outbox():
    return render_template("admin/outbox.html", mails=outbox(), backend=current_app.config.get("MAIL_BACKEND"),
                           now=utcnow())
