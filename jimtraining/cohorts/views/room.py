"""The trainer in the room, phone first: the attendance page of a session (one tap per learner, "everyone
present", who checked in with the code) and the check-in code on the projector."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from jimtraining.access import trainer_required
from jimtraining.access.cohorts import cohort_session_or_404
from jimtraining.cohorts.attendance import (
    attendance_summary,
    checkin_code,
    checkin_open,
    everyone_present,
    roster,
    set_attendance,
)
from jimtraining.cohorts.forms import AttendanceForm, read_attendance
from jimtraining.cohorts.models import ATTENDANCE_STATUSES
from jimtraining.cohorts.views.blueprint import bp
from jimtraining.timeutil import utcnow


def active_members(cohort):
    """The cohort's active learners by name (the enrolments come with their user: no query per learner)."""
    return sorted((e.user for e in cohort.enrollments if e.is_active), key=lambda u: u.name.lower())


def save_attendance(session, members, data) -> str | None:
    """Store what a posted attendance form asks for; returns the anchor of the place to come back to."""
    member_ids = [u.id for u in members]
    statuses, tapped, everyone = read_attendance(data, member_ids)
    if everyone:
        statuses = everyone_present(session, member_ids) | statuses
    if statuses:
        set_attendance(session, statuses)
    if tapped is not None:
        return f"deelnemer-{tapped}"
    return "deelnemers" if everyone else None


def _flash_saved(session, members, data):
    names = {u.id: u.name for u in members}
    _statuses, tapped, everyone = read_attendance(data, list(names))
    if tapped is not None:
        status = next(a.status for a in session.attendance if a.user_id == tapped)
        flash(_("%(name)s: %(status)s.", name=names[tapped], status=str(ATTENDANCE_STATUSES[status]).lower()),
              "success")
    elif everyone:
        flash(_("Iedereen zonder keuze staat op aanwezig. Tik nu wie er niet is."), "success")
    else:
        flash(_("Aanwezigheid opgeslagen."), "success")


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/attendance", methods=["GET", "POST"])
@trainer_required
def attendance(cohort_id, session_id):
    """Attendance on its own page: a row per learner with three big buttons, each tap saved at once; back at the
    same learner after saving (an anchor), also without JavaScript (static/js/attendance.js saves in place)."""
    cohort, session = cohort_session_or_404(cohort_id, session_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        members = active_members(cohort)
        anchor = save_attendance(session, members, request.form)
        _flash_saved(session, members, request.form)
        return redirect(url_for("cohorts.attendance", cohort_id=cohort.id, session_id=session.id, _anchor=anchor))
    # Refreshed every few seconds while learners check in: the learners and their marks in one query, and their
    # list rendered once for as long as it stays the same.
    members, marks, wrong_codes = roster(session)
    allowed = current_app.config["CHECKIN_WRONG_CODES_PER_SESSION"]
    return render_template(
        "cohorts/attendance.html", cohort=cohort, session=session, members=members, form=form,
        attendee_list=attendee_list_html(session, members, marks, wrong_codes, allowed),
        summary=attendance_summary([u.id for u in members], {k: mark.status for k, mark in marks.items()}),
        checkin_is_open=checkin_open(session), wrong_codes=wrong_codes, wrong_codes_allowed=allowed)


#: The rendered learner lists of attendance pages, by everything they show (see attendee_list_html).
_KEPT_LISTS: dict[tuple, Markup] = {}
#: At most this many lists are kept per process (a few rooms at once; a list is some 20 KB).
KEPT_LISTS = 64


def attendee_list_html(session, members, marks, wrong_codes, allowed) -> Markup:
    """The learners with their marks and buttons (templates/cohorts/_attendees.html). The trainer's page refreshes
    itself every ten seconds while learners check in, and several trainers' phones may show it, while the list
    changes only when someone is marked: so the HTML is kept under a key made of everything it shows (each learner's
    id, name and mark, the wrong codes, the language and time zone), and a change in any of them renders it anew."""
    key = (session.id, str(get_locale()), str(get_timezone()), tuple(members), tuple(sorted(wrong_codes.items())),
           allowed)
    html = _KEPT_LISTS.get(key)
    if html is None:
        html = Markup(render_template(
            "cohorts/_attendees.html", members=members, marks=marks, wrong_codes=wrong_codes,
            wrong_codes_allowed=allowed, statuses={k: str(label) for k, label in ATTENDANCE_STATUSES.items()},
            checked_in_label=_("ingecheckt %(time)s", time="{time}"), not_marked=_("nog niet ingevuld")))
        if len(_KEPT_LISTS) >= KEPT_LISTS:
            _KEPT_LISTS.clear()
        _KEPT_LISTS[key] = html
    return html


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/code")
@trainer_required
def session_code(cohort_id, session_id):
    """The check-in code for the projector: full screen, no menu, very large; only the group's trainers (and
    admins). Reloads itself just after the minute turns, when the code changes (no JavaScript needed)."""
    cohort, session = cohort_session_or_404(cohort_id, session_id)
    now = utcnow()
    is_open = checkin_open(session, now)
    code = checkin_code(session, now) if is_open else None
    members = active_members(cohort)
    checked_in = sum(1 for a in session.attendance if a.status == "present" and a.user_id in {u.id for u in members})
    reload_in = 61 - now.second if is_open else 60
    return render_template("cohorts/session_code.html", cohort=cohort, session=session, code=code,
                           reload_in=reload_in, checked_in=checked_in, total=len(members),
                           checked_in_text=ngettext("%(num)d van %(total)d aanwezig",
                                                    "%(num)d van %(total)d aanwezig", checked_in,
                                                    total=len(members)))
