"""Sessions of a group: planning them and the session page (for trainers what happens in it, with the way to the
attendance page and the check-in code in room.py; for learners the details and check-in), and the calendar files."""

from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import can, trainer_required
from jimtraining.access.cohorts import cohort_or_404, cohort_session_or_404, session_or_404
from jimtraining.cohorts.attendance import (
    CheckinBlockedError,
    attendance_summary,
    check_in,
    checkin_blocked,
    checkin_blocked_message,
    checkin_code,
    checkin_open,
    new_checkin_secret,
)
from jimtraining.cohorts.calendar import cohort_calendar, session_calendar
from jimtraining.cohorts.enrolment import CohortError
from jimtraining.cohorts.forms import AttendanceForm, CheckinForm, SessionForm, local_to_utc
from jimtraining.cohorts.models import ATTENDANCE_STATUSES, CohortSession
from jimtraining.cohorts.views.blueprint import bp
from jimtraining.cohorts.views.room import active_members, save_attendance
from jimtraining.exports.csv import attachment
from jimtraining.extensions import client_address, db
from jimtraining.rendering import render_markdown
from jimtraining.roleplay import services as roleplay
from jimtraining.timeutil import as_utc

LOCAL = ZoneInfo("Europe/Amsterdam")


@bp.route("/cohorts/<id:cohort_id>/sessions/new", methods=["GET", "POST"])
@trainer_required
def session_new(cohort_id):
    cohort = cohort_or_404(cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        session = CohortSession(cohort_id=cohort.id, checkin_secret=new_checkin_secret())
        _apply_session_form(session, form)
        db.session.add(session)
        db.session.commit()
        flash(_("De bijeenkomst is gepland."), "success")
        return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    return render_template("cohorts/session_edit.html", form=form, cohort=cohort, session=None)


def _apply_session_form(session, form):
    """The form's date and times are Dutch time, as a trainer in the Netherlands means them; stored as UTC."""
    session.title = form.title.data
    session.starts_at = local_to_utc(form.date.data, form.start_time.data)
    session.ends_at = local_to_utc(form.date.data, form.end_time.data)
    session.location = form.location.data or None
    session.online_url = form.online_url.data or None
    session.agenda = form.agenda.data or ""
    session.sketches = [line.strip() for line in (form.sketches.data or "").splitlines() if line.strip()]


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/edit",
          methods=["GET", "POST"])
@trainer_required
def session_edit(cohort_id, session_id):
    cohort = cohort_or_404(cohort_id)
    session = session_or_404(cohort, session_id)
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
    cohort, session = cohort_session_or_404(cohort_id, session_id, need=None)
    agenda = render_markdown(session.agenda)
    if can("cohort.manage", cohort):
        return _session_for_trainer(cohort, session, agenda)
    if not can("cohort.member", cohort):
        abort(403)
    form = CheckinForm()
    status, blocked = 200, None
    if form.validate_on_submit():
        try:
            check_in(session, current_user, form.code.data, client=client_address())
        except CheckinBlockedError as error:
            status, blocked = 429, str(error)
        except CohortError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Je bent ingecheckt. Welkom!"), "success")
            return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    mine = next((a.status for a in session.attendance if a.user_id == current_user.id), None)
    can_check_in = checkin_open(session) and mine != "present"
    if can_check_in and blocked is None and checkin_blocked(session, current_user.id):
        blocked = checkin_blocked_message()
    return render_template("cohorts/session_learner.html", cohort=cohort, session=session, agenda=agenda,
                           form=form, mine=mine, statuses=ATTENDANCE_STATUSES,
                           my_rounds=roleplay.rounds_of(session.id, current_user.id), can_check_in=can_check_in,
                           blocked=blocked), status


def _session_for_trainer(cohort, session, agenda):
    form = AttendanceForm()
    members = active_members(cohort)
    if form.validate_on_submit():
        # The attendance form lives on its own page now; a list posted here is still saved, and the trainer goes on
        # there.
        anchor = save_attendance(session, members, request.form)
        flash(_("Aanwezigheid opgeslagen."), "success")
        return redirect(url_for("cohorts.attendance", cohort_id=cohort.id, session_id=session.id, _anchor=anchor))
    marked = {a.user_id: a.status for a in session.attendance}
    return render_template("cohorts/session_trainer.html", cohort=cohort, session=session, agenda=agenda,
                           members=members, summary=attendance_summary([u.id for u in members], marked),
                           code=checkin_code(session) if checkin_open(session) else None,
                           **roleplay.session_roleplay(session.id))


#: content_type, not mimetype: werkzeug adds "; charset=utf-8" to a text/* mimetype a second time.
ICS_TYPE = "text/calendar; charset=utf-8"


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>.ics")
@login_required
def session_ics(cohort_id, session_id):
    _cohort, session = cohort_session_or_404(cohort_id, session_id, need="cohort.see_sessions")
    return Response(session_calendar(session), content_type=ICS_TYPE,
                    headers={"Content-Disposition": attachment(f"bijeenkomst-{session.id}.ics")})


@bp.route("/cohorts/<id:cohort_id>/calendar.ics")
@login_required
def cohort_ics(cohort_id):
    cohort = cohort_or_404(cohort_id, need="cohort.see_sessions")
    return Response(cohort_calendar(cohort), content_type=ICS_TYPE,
                    headers={"Content-Disposition": attachment(f"groep-{cohort.id}.ics")})
