"""Cohorts, their enrolments, invitations, sessions and attendance."""

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect

from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow

COHORT_STATUSES = {
    "planned": _l("Gepland"),
    "running": _l("Bezig"),
    "finished": _l("Afgerond"),
    "archived": _l("Gearchiveerd"),
}
ATTENDANCE_STATUSES = {
    "present": _l("Aanwezig"),
    "absent": _l("Afwezig"),
    "excused": _l("Afgemeld"),
}

cohort_trainer = db.Table(
    "cohort_trainer",
    db.Column("cohort_id", db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    # "The groups I train" (start page, review queue) starts from the trainer, not from the group.
    db.Index("ix_cohort_trainer_user_id", "user_id"),
)


class Cohort(db.Model):
    """A group of learners trained together by one or more trainers (or a hogeschool class and its lecturer)."""

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    organisation_id = db.Column(db.Integer, db.ForeignKey("organisation.id"), nullable=False, index=True)
    #: Youth-care region (jimtraining/data/regions.txt).
    region = db.Column(db.String(80), nullable=False)
    #: One of accounts.models.WORK_CONTEXTS.
    work_context = db.Column(db.String(30), nullable=True)
    starts_on = db.Column(db.Date, nullable=True)
    ends_on = db.Column(db.Date, nullable=True)
    #: One of COHORT_STATUSES.
    status = db.Column(db.String(20), nullable=False, default="planned")
    #: Learners type this to join; the trainer can rotate it.
    join_code = db.Column(db.String(12), nullable=False, unique=True)
    #: Slugs of the modules this cohort follows, in order.
    module_slugs = db.Column(db.JSON, nullable=False, default=list)
    #: Slug of the certification track the cohort follows (modules/tracks/), or None.
    track_slug = db.Column(db.String(100), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    #: Joined: every page of a cohort shows its organisation.
    organisation = db.relationship("Organisation", lazy="joined")
    trainers = db.relationship("User", secondary=cohort_trainer, order_by="User.name")
    enrollments = db.relationship("Enrollment", back_populates="cohort", cascade="all, delete-orphan")
    sessions = db.relationship("CohortSession", back_populates="cohort", order_by="CohortSession.starts_at",
                               cascade="all, delete-orphan")

    # Facts about the cohort's people, not access rules: who may do what with a cohort is decided in
    # jimtraining/access/cohorts.py, which asks these.

    def has_trainer(self, user) -> bool:
        """Whether `user` is one of the cohort's trainers (loads the trainers once)."""
        return any(t.id == user.id for t in self.trainers)

    def is_member(self, user) -> bool:
        """Whether `user` is an active learner of the cohort (loads the enrolments once)."""
        return bool(user and user.is_authenticated and any(
            e.user_id == user.id and e.is_active for e in self.enrollments))

    @property
    def status_label(self):
        return COHORT_STATUSES.get(self.status, self.status)


class Enrollment(db.Model):
    __table_args__ = (db.UniqueConstraint("cohort_id", "user_id", name="uq_enrollment_cohort_user"),)

    id = db.Column(db.Integer, primary_key=True)
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    #: How they joined: invitation, code, csv, trainer.
    source = db.Column(db.String(20), nullable=False, default="trainer")
    enrolled_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: Set when a trainer removed the learner; history stays, access to the cohort ends.
    removed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: New (random) whenever something the cohort dashboard counts about this learner is written
    #: (jimtraining/progress/stamps.py); the dashboard reuses its figures while it stays the same.
    progress_token = db.Column(db.String(32), nullable=True)

    cohort = db.relationship("Cohort", back_populates="enrollments")
    user = db.relationship("User", lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class Invitation(db.Model):
    """A single-use, expiring link to join a cohort; only a hash of the token is stored."""

    id = db.Column(db.Integer, primary_key=True)
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False, index=True)
    email = db.Column(db.String(254), nullable=False)
    name = db.Column(db.String(120), nullable=False, default="")
    #: From a CSV upload: the organisation and SKJ number the new account gets.
    organisation_id = db.Column(db.Integer, db.ForeignKey("organisation.id"), nullable=True)
    skj_number = db.Column(db.String(20), nullable=True)
    #: sha256 of the token in the link.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    invited_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    used_at = db.Column(db.DateTime(timezone=True), nullable=True)

    cohort = db.relationship("Cohort")


class CohortSession(db.Model):
    """A meeting of a cohort: in a room or online."""

    id = db.Column(db.Integer, primary_key=True)
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    starts_at = db.Column(db.DateTime(timezone=True), nullable=False)
    ends_at = db.Column(db.DateTime(timezone=True), nullable=False)
    location = db.Column(db.String(200), nullable=True)
    online_url = db.Column(db.String(500), nullable=True)
    #: Agenda in Markdown (rendered through jimtraining.rendering).
    agenda = db.Column(db.Text, nullable=False, default="")
    #: Titles of the sketches that will be played (scenarios get their own content later).
    sketches = db.Column(db.JSON, nullable=False, default=list)
    #: Secret for the rotating check-in code; never shown.
    checkin_secret = db.Column(db.String(64), nullable=False)
    #: The UID of the session in calendar files: random, so unique across installations (RFC 5545 3.8.4.7, RFC 7986
    #: 5.3), and never changed, so a calendar app updates the event it has instead of adding a second one.
    calendar_uid = db.Column(db.String(36), nullable=False, unique=True, default=lambda: str(uuid.uuid4()))
    #: RFC 5545 SEQUENCE: one higher with every change to what a calendar shows (CALENDAR_FIELDS), so calendar
    #: apps take the new version instead of keeping the old time. Kept up by `_calendar_revision`.
    calendar_sequence = db.Column(db.Integer, nullable=False, default=0)
    #: RFC 5545 LAST-MODIFIED (and DTSTAMP): when one of CALENDAR_FIELDS last changed.
    calendar_modified_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    cohort = db.relationship("Cohort", back_populates="sessions")
    attendance = db.relationship("Attendance", back_populates="session", cascade="all, delete-orphan")


#: What a calendar file shows of a session (jimtraining/cohorts/calendar.py).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "agenda")


def _same(old, new) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return as_utc(old) == as_utc(new)  # SQLite hands back naive UTC
    return old == new


@event.listens_for(CohortSession, "before_update")
def _calendar_revision(_mapper, _connection, session: CohortSession) -> None:
    """Whatever changes a session (the form, a script, a later API), a change that a calendar shows raises
    SEQUENCE and LAST-MODIFIED; saving the same values again changes nothing."""
    state = inspect(session)
    for name in CALENDAR_FIELDS:
        history = state.attrs[name].history
        if history.added and not (history.deleted and _same(history.deleted[0], history.added[0])):
            session.calendar_sequence = (session.calendar_sequence or 0) + 1
            session.calendar_modified_at = utcnow()
            return


class Attendance(db.Model):
    __table_args__ = (db.UniqueConstraint("session_id", "user_id", name="uq_attendance_session_user"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("cohort_session.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    #: One of ATTENDANCE_STATUSES.
    status = db.Column(db.String(10), nullable=False)
    #: trainer or checkin
    source = db.Column(db.String(10), nullable=False, default="trainer")
    marked_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    session = db.relationship("CohortSession", back_populates="attendance")


class CheckinAttempt(db.Model):
    """A wrong check-in code a learner typed for a session (a right code marks attendance instead).

    Only the fact and the moment are kept: no typed code and no IP address. It limits the wrong codes per learner
    per session (cohorts.attendance.check_in) and shows the trainer who had wrong tries. Removed after
    privacy.retention.CHECKIN_ATTEMPT_DAYS days, with the account on erasure.
    """

    __table_args__ = (db.Index("ix_checkin_attempt_session_user", "session_id", "user_id"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("cohort_session.id", ondelete="CASCADE"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    attempted_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
