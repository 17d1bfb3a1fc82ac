"""Sessions of a cohort and who was there: the rotating check-in code and its limits, attendance marked by the
trainer or by checking in, and the attendance counts that the progress pages and the certificate use."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from jimtraining.accounts import throttle
from jimtraining.accounts.models import User
from jimtraining.cohorts.enrolment import CohortError
from jimtraining.cohorts.models import Attendance, CheckinAttempt, Cohort, CohortSession, Enrollment
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: Check-in opens this long before a session starts.
CHECKIN_EARLY = timedelta(minutes=15)


# Check-in ---------------------------------------------------------------------------------------------------

def new_checkin_secret() -> str:
    return secrets.token_hex(32)


def checkin_code(session: CohortSession, at=None) -> str:
    """A six-digit code that changes every minute (HMAC of the minute with the session's secret)."""
    minute = int((at or utcnow()).timestamp() // 60)
    digest = hmac.new(session.checkin_secret.encode(), str(minute).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def checkin_open(session: CohortSession, at=None) -> bool:
    now = at or utcnow()
    return as_utc(session.starts_at) - CHECKIN_EARLY <= now <= as_utc(session.ends_at)


class CheckinBlockedError(CohortError):
    """Checking in with a code is refused for now: too many wrong codes (the trainer can still mark attendance)."""


def _setting(name: str):
    return current_app.config[name]


def wrong_checkin_codes(session: CohortSession, user_id: int) -> int:
    """How many wrong codes this learner typed for this session."""
    return db.session.scalar(select(func.count()).select_from(CheckinAttempt).where(
        CheckinAttempt.session_id == session.id, CheckinAttempt.user_id == user_id)) or 0


def checkin_blocked(session: CohortSession, user_id: int) -> bool:
    """Whether this learner typed too many wrong codes to check in with a code at this session."""
    return wrong_checkin_codes(session, user_id) >= _setting("CHECKIN_WRONG_CODES_PER_SESSION")


def _ask_trainer() -> str:
    return _("Vraag de trainer om je aanwezig te melden.")


def checkin_blocked_message() -> str:
    """What a learner who typed too many wrong codes for a session reads."""
    return _("Je hebt te vaak een verkeerde code ingevuld. Inchecken met een code kan bij deze bijeenkomst niet "
             "meer.") + " " + _ask_trainer()


def _refuse(error: CohortError):
    """End the transaction (and with it the lock check_in took on the learner's row), then refuse."""
    db.session.rollback()
    raise error


def check_in(session: CohortSession, user: User, code: str, at=None, client: str | None = None) -> None:
    """A learner checks in with the code the trainer shows; the code of this or the previous minute counts.

    Wrong codes are limited, because two of the million six-digit codes are right at any moment: per learner per
    session (CHECKIN_WRONG_CODES_PER_SESSION; then even the right code is refused, and only the trainer can mark
    the learner) and, when the request's `client` address is given, per address over all learners
    (CHECKIN_LIMIT_PER_IP, counted by the login throttle's limiter). Each wrong code is recorded (CheckinAttempt)
    for the limit and for the trainer's attendance list. Codes that are not six digits are not counted.
    """
    now = at or utcnow()
    if not session.cohort.is_member(user):
        raise CohortError(_("Je zit niet in deze groep."))
    if not checkin_open(session, now):
        raise CohortError(_("Inchecken kan alleen tijdens de bijeenkomst."))
    code = (code or "").strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{6}", code):
        raise CohortError(_("De code bestaat uit zes cijfers."))
    # Lock the learner's row first, so tries sent at the same moment are counted one after the other and the limit
    # holds exactly (an UPDATE that changes nothing: PostgreSQL locks the row, SQLite takes its write lock).
    db.session.execute(update(User).where(User.id == user.id).values(name=User.name))
    allowed = _setting("CHECKIN_WRONG_CODES_PER_SESSION")
    wrong = wrong_checkin_codes(session, user.id)
    if wrong >= allowed:
        _refuse(CheckinBlockedError(checkin_blocked_message()))
    address = f"checkin:{client}" if client else None
    if address and throttle.used_up("CHECKIN_LIMIT_PER_IP", address):
        log.warning("session %s: check-in refused, too many wrong codes from one address", session.id)
        _refuse(CheckinBlockedError(_("Vanaf dit netwerk zijn te veel verkeerde codes ingevuld. Inchecken met een code "
                                 "kan nu niet.") + " " + _ask_trainer()))
    valid = {checkin_code(session, now), checkin_code(session, now - timedelta(minutes=1))}
    if any(hmac.compare_digest(code, good) for good in valid):
        set_attendance(session, {user.id: "present"}, source="checkin")
        return
    db.session.add(CheckinAttempt(session_id=session.id, user_id=user.id, attempted_at=now))
    db.session.commit()
    if address:
        throttle.count("CHECKIN_LIMIT_PER_IP", address)
    wrong += 1
    log.info("session %s: wrong check-in code from user %s (%d of %d)", session.id, user.id, wrong, allowed)
    if wrong >= allowed:
        raise CheckinBlockedError(ngettext(
            "Deze code klopt niet. Je hebt %(num)d keer een verkeerde code ingevuld; inchecken met een code kan bij "
            "deze bijeenkomst niet meer.",
            "Deze code klopt niet. Je hebt %(num)d keer een verkeerde code ingevuld; inchecken met een code kan bij "
            "deze bijeenkomst niet meer.", wrong) + " " + _ask_trainer())
    raise CohortError(_("Deze code klopt niet of is verlopen. Kijk naar de code die de trainer nu laat zien.") + " "
                      + ngettext("Je kunt het nog %(num)d keer proberen.", "Je kunt het nog %(num)d keer proberen.",
                                 allowed - wrong))


# Attendance -------------------------------------------------------------------------------------------------

def set_attendance(session: CohortSession, statuses: dict[int, str], source: str = "trainer") -> None:
    """Record present/absent/excused per learner (only for learners enrolled in the session's cohort)."""
    members = {e.user_id for e in session.cohort.enrollments if e.is_active}
    existing = {a.user_id: a for a in session.attendance}
    for user_id, status in statuses.items():
        if user_id not in members:
            raise CohortError(_("Een van de deelnemers zit niet in deze groep."))
        row = existing.get(user_id)
        if row is None:
            try:
                with db.session.begin_nested():
                    db.session.add(Attendance(session_id=session.id, user_id=user_id, status=status, source=source))
            except IntegrityError:
                row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                                 Attendance.user_id == user_id))
        if row is not None and row.status != status:
            row.status, row.source, row.marked_at = status, source, utcnow()
    db.session.commit()
    log.info("session %s: attendance for %d learner(s) by %s", session.id, len(statuses), source)


def everyone_present(session: CohortSession, member_ids) -> dict[int, str]:
    """The marks that put every learner without a mark on present: who is already marked (absent, excused, or
    checked in) keeps that mark, so "everyone present" never undoes an exception."""
    marked = {a.user_id for a in session.attendance}
    return {user_id: "present" for user_id in member_ids if user_id not in marked}


def attendance_summary(member_ids, marked: dict[int, str]) -> dict[str, int]:
    """How many learners are marked present, absent or excused, and how many have no mark yet ("open")."""
    counts = dict.fromkeys(("present", "absent", "excused", "open"), 0)
    for user_id in member_ids:
        counts[marked.get(user_id, "open")] += 1
    return counts


def next_session(sessions, now=None):
    """The first of these sessions (in time order) that has not ended, or None."""
    now = now or utcnow()
    return next((s for s in sessions if as_utc(s.ends_at) >= now), None)


def attended_sessions(user_id: int) -> list[tuple[CohortSession, str]]:
    """The sessions the learner was present at, in time order, each with its cohort's name: one query."""
    return db.session.execute(
        select(CohortSession, Cohort.name).join(Attendance, Attendance.session_id == CohortSession.id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(Attendance.user_id == user_id, Attendance.status == "present").order_by(CohortSession.starts_at)).all()


def attendance_of(cohort: Cohort, user_id: int) -> dict[int, str]:
    """session id -> what was marked for this learner, for the cohort's sessions: one query."""
    return dict(db.session.execute(
        select(Attendance.session_id, Attendance.status).join(CohortSession, CohortSession.id == Attendance.session_id)
        .where(CohortSession.cohort_id == cohort.id, Attendance.user_id == user_id)).all())


# Built once: the learners of a cohort with what is marked for them at one session (none: no mark) and the wrong
# codes they typed for it.
_WRONG_CODES = (select(func.count()).select_from(CheckinAttempt)
                .where(CheckinAttempt.session_id == bindparam("session"), CheckinAttempt.user_id == User.id)
                .correlate(User).scalar_subquery())
_ROSTER = (
    select(User.id, User.name, Attendance.status, Attendance.source, Attendance.marked_at,
           _WRONG_CODES.label("wrong_codes"))
    .join(Enrollment, Enrollment.user_id == User.id)
    .outerjoin(Attendance, (Attendance.user_id == User.id) & (Attendance.session_id == bindparam("session")))
    .where(Enrollment.cohort_id == bindparam("cohort"), Enrollment.removed_at.is_(None)))


def roster(session: CohortSession) -> tuple[list, dict, dict]:
    """The session's attendance page in one query: the cohort's active learners by name (rows with id and name),
    user id -> their mark (a row with status, source and marked_at) for the learners who have one, and user id ->
    wrong codes typed for the learners who typed any ."""
    rows = db.session.execute(_ROSTER, {"session": session.id, "cohort": session.cohort_id}).all()
    rows.sort(key=lambda row: row.name.lower())
    return (rows, {row.id: row for row in rows if row.status is not None},
            {row.id: row.wrong_codes for row in rows if row.wrong_codes})


# Counts -----------------------------------------------------------------------------------------------------

# Built once (see jimtraining/cohorts/enrolment.py, ENROLLED); the lists are bound at run time.
_ATTENDANCE_MARKS = (
    select(Attendance.user_id, Attendance.session_id, Attendance.status)
    .where(Attendance.session_id.in_(bindparam("session_ids", expanding=True)),
           Attendance.user_id.in_(bindparam("user_ids", expanding=True))))


def attendance_counts_of(groups: list[tuple[Cohort, dict]], now=None) -> list[dict[int, tuple[int, int]]]:
    """Per (cohort, joined: user id -> enrolment moment) pair, per learner: sessions present at, and sessions
    that count. One query, whatever the number of cohorts or learners.

    A session counts when it has ended and the learner was expected at it: held after they joined, or marked
    for them anyway. Excused sessions count for nobody.
    """
    now = now or utcnow()
    ended = [[s for s in cohort.sessions if as_utc(s.ends_at) <= now] for cohort, _joined in groups]
    marks: dict[int, dict[int, str]] = {user_id: {} for _cohort, joined in groups for user_id in joined}
    session_ids = [s.id for sessions in ended for s in sessions]
    for user_id, session_id, status in db.session.execute(_ATTENDANCE_MARKS,
                                                          {"session_ids": session_ids, "user_ids": list(marks)}):
        marks[user_id][session_id] = status  # session ids are unique across cohorts
    result = []
    for (_cohort, joined), sessions in zip(groups, ended, strict=True):
        counts = {}
        for user_id, joined_at in joined.items():
            mine = marks[user_id]
            expected = [s for s in sessions if s.id in mine or as_utc(s.starts_at) >= as_utc(joined_at)]
            counts[user_id] = (sum(1 for s in expected if mine.get(s.id) == "present"),
                               sum(1 for s in expected if mine.get(s.id) != "excused"))
        result.append(counts)
    return result
