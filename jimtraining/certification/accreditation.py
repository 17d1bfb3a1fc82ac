"""SKJ accreditation: of a track (`accreditation:` in modules/tracks/<slug>.yml), of a cohort's run where it
differs (CohortAccreditation, set by its trainer or an admin), and as it was when a certificate was signed
(Certificate.accreditation).

One shape everywhere, also in the verify JSON and the API:

    {"body": "SKJ", "number": str, "points": number, "contact_hours": number, "register_section": str,
     "final_test_required": bool}

Points become awardable for a learner of a cohort only after attendance (the track's attendance requirement, or
at least one session attended when the track has none) and, when `final_test_required`, a passed final test: every
quiz the track requires (`requirements.quizzes`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.certification.eligibility import cohorts_eligibility
from jimtraining.certification.group_progress import groups_progress
from jimtraining.certification.models import AuditEvent, CohortAccreditation
from jimtraining.cohorts.models import Cohort
from jimtraining.cohorts.track_fit import counted_modules
from jimtraining.content.checks import required_text, unknown_keys
from jimtraining.extensions import db
from jimtraining.timeutil import local_date, utcnow

BODY = "SKJ"
KEYS = {"body", "number", "points", "contact_hours", "register_section", "final_test_required"}
MAX_NUMBER, MAX_SECTION = 50, 100
#: Points and contact hours: above 0, at most this.
MAX_AMOUNT = 1000


def shape(number: str, points, contact_hours, register_section: str, final_test_required: bool) -> dict:
    """The one shape of an accreditation (numbers as int when whole, so JSON shows 4 and not 4.0)."""
    return {"body": BODY, "number": number, "points": _number(points), "contact_hours": _number(contact_hours),
            "register_section": register_section, "final_test_required": bool(final_test_required)}


def _number(value):
    value = float(value)
    return int(value) if value.is_integer() else value


def _amount(value: dict, key: str, at: tuple, report) -> float | None:
    amount = value.get(key)
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 < amount <= MAX_AMOUNT:
        report(at + (key,), _("'%(key)s' is een getal groter dan 0 en hoogstens %(max)s, bijvoorbeeld 4 of 2.5",
                              key=key, max=MAX_AMOUNT))
        return None
    return amount


def check_accreditation(value, requirements: dict, report) -> dict | None:
    """The checked `accreditation:` of a track file (problems reported at their line), or None."""
    at = ("accreditation",)
    if not isinstance(value, dict):
        report(at, _("'accreditation' heeft 'number', 'points', 'contact_hours', 'register_section' en "
                     "'final_test_required'"))
        return None
    before = report.count
    unknown_keys(value, KEYS, at, report)
    if "body" in value and value["body"] != BODY:
        report(at + ("body",), _("'body' is SKJ (andere accrediterende instanties kent het platform niet)"))
    number = required_text(value, "number", at, report, MAX_NUMBER)
    points = _amount(value, "points", at, report)
    hours = _amount(value, "contact_hours", at, report)
    section = required_text(value, "register_section", at, report, MAX_SECTION)
    final_test = value.get("final_test_required")
    if not isinstance(final_test, bool):
        report(at + ("final_test_required",), _("'final_test_required' is true (een afsluitende toets is nodig) "
                                                "of false"))
    elif final_test and not requirements.get("quizzes"):
        report(at + ("final_test_required",), _("'final_test_required' is true, maar het traject noemt geen toetsen "
                                                "bij 'requirements: quizzes'"))
    if report.count != before:
        return None
    return shape(number, points, hours, section, final_test)


def cohort_override(cohort_id: int) -> CohortAccreditation | None:
    return db.session.get(CohortAccreditation, cohort_id)


def override_shape(row: CohortAccreditation | None) -> dict | None:
    if row is None:
        return None
    return shape(row.number, row.points, row.contact_hours, row.register_section, row.final_test_required)


def applying(cohort: Cohort | None, track) -> dict | None:
    """The accreditation for a certificate of `track` signed in `cohort`: the cohort's own when it has one, else
    the track's (None: not accredited)."""
    own = override_shape(cohort_override(cohort.id)) if cohort is not None else None
    return own or (dict(track.accreditation) if getattr(track, "accreditation", None) else None)


def set_override(cohort: Cohort, number: str, points, contact_hours, register_section: str,
                 final_test_required: bool, by) -> CohortAccreditation:
    """Set (or change) the cohort's own accreditation; committed, with an audit event."""
    row = cohort_override(cohort.id) or CohortAccreditation(cohort_id=cohort.id)
    row.number, row.points, row.contact_hours = number.strip(), float(points), float(contact_hours)
    row.register_section, row.final_test_required = register_section.strip(), bool(final_test_required)
    row.updated_at = utcnow()
    db.session.add(row)
    _audit("accreditation.set", by, cohort, override_shape(row))
    db.session.commit()
    return row


def clear_override(cohort: Cohort, by) -> bool:
    """Remove the cohort's own accreditation (the track's applies again); whether there was one."""
    row = cohort_override(cohort.id)
    if row is None:
        return False
    db.session.delete(row)
    _audit("accreditation.cleared", by, cohort, {})
    db.session.commit()
    return True


def _audit(action: str, by, cohort: Cohort, details: dict) -> None:
    """An event in the append-only audit log (certification.models.AuditEvent), committed with the change."""
    db.session.add(AuditEvent(at=utcnow(), action=action, actor_id=by.id, actor_name=by.name, object_type="cohort",
                              object_id=cohort.id, reason="", details={"cohort": cohort.name, **details}))


# Who gets points -------------------------------------------------------------------------------------------------

@dataclass
class PointsLine:
    """One learner of a cohort run with awardable SKJ points."""

    user_id: int
    name: str
    skj_number: str


@dataclass
class PointsList:
    accreditation: dict
    #: Learners whose points are awardable, by name.
    awarded: list[PointsLine]
    #: How many active learners are not (yet) listed: attendance or the final test is missing.
    not_yet: int
    #: First and last day of the run: its sessions, else the cohort's dates.
    starts_on: object
    ends_on: object


def awardable(attendance: tuple[int, int], checks, requirements: dict, accreditation: dict) -> bool:
    """Attendance (the track's percentage, or at least one session when the track asks none) and, when the
    accreditation requires a final test, every quiz of the track passed."""
    attended, counted = attendance
    needed = requirements.get("attendance_percent") or 0
    present = (counted > 0 and attended * 100 >= needed * counted) if needed else attended > 0
    if not present:
        return False
    if accreditation.get("final_test_required"):
        quizzes = [check for check in checks if check.kind == "quizzes"]
        return bool(quizzes) and all(check.met for check in quizzes)
    return True


def points_list(cohort: Cohort, track, now=None) -> PointsList | None:
    """The cohort run's SKJ list (None when no accreditation applies): the learners whose points are awardable,
    by name. A fixed number of queries, whatever the size of the cohort."""
    accreditation = applying(cohort, track)
    if accreditation is None:
        return None
    now = now or utcnow()
    progress = groups_progress([cohort], counted_modules([track]), None, now)
    eligibility = cohorts_eligibility([(cohort, track)], now=now, progress=progress)[0]
    group = progress[0]
    requirements = track.requirements or {}
    ids = [user_id for user_id, item in eligibility.items()
           if awardable(group.attendance.get(user_id, (0, 0)), item.checks, requirements, accreditation)]
    people = db.session.execute(select(User.id, User.name, User.skj_number).where(User.id.in_(ids or [-1]))
                                .order_by(User.name, User.id)).all()
    lines = [PointsLine(row.id, row.name, row.skj_number or "") for row in people]
    days = [session.starts_at for session in cohort.sessions]
    starts = local_date(min(days)) if days else cohort.starts_on
    ends = local_date(max(session.ends_at for session in cohort.sessions)) if days else cohort.ends_on
    return PointsList(accreditation, lines, len(eligibility) - len(lines), starts, ends)
