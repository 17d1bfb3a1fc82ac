"""Tracks (from modules/tracks/), practice assignments, certificates, trainer licences and the audit log.

Eligibility is never stored: it is computed from progress, attempts, attendance and rounds every time it is
needed (jimtraining.certification.eligibility), so it cannot go stale.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from jimtraining.content.models import ContentModel, slug_column, synced_at_column
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow

#: Who follows a track: professionals (learners) or future JIM-trainers.
AUDIENCES = {"learner": _l("Professionals"), "trainer": _l("JIM-trainers")}

CERTIFICATE_STATUSES = {"valid": _l("Geldig"), "expired": _l("Verlopen"), "revoked": _l("Ingetrokken")}


class TrackRules:
    """What follows from a track's fields (slug, renews, requirements); shared by the Track row and the
    catalogue's TrackInfo."""

    @property
    def qualification(self) -> str:
        """The slug a certificate of this track certifies (the renewed track for a refresher)."""
        return self.renews or self.slug

    @property
    def practice(self) -> dict | None:
        return (self.requirements or {}).get("practice")


class Track(TrackRules, ContentModel, db.Model):
    """A route to a certificate, read from modules/tracks/<slug>.yml by `flask content sync`. When the file is
    removed the track is archived; certificates of the track stay valid."""

    id = db.Column(db.Integer, primary_key=True)
    #: The file name without .yml: stable identity.
    slug = slug_column()
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    #: One of AUDIENCES.
    audience = db.Column(db.String(10), nullable=False, default="learner")
    #: A refresher track names the track whose certificate it renews; its certificate is of that track.
    renews = db.Column(db.String(100), nullable=True)
    #: How long a certificate of this track is valid.
    valid_months = db.Column(db.Integer, nullable=False)
    #: The checked requirements: {"modules": [slug], "quizzes": [slug], "attendance_percent": int,
    #: "roleplay_sufficient": int, "practice": {"min_words": int, "prompt": str} or None}
    requirements = db.Column(db.JSON, nullable=False, default=dict)
    #: Position in lists (files sorted by name).
    position = db.Column(db.Integer, nullable=False, default=0)
    #: The SKJ accreditation of the track, or None: {"body": "SKJ", "number": str, "points": number,
    #: "contact_hours": number, "register_section": str, "final_test_required": bool} (certification/accreditation.py).
    accreditation = db.Column(db.JSON(none_as_null=True), nullable=True)
    synced_at = synced_at_column()


class CohortAccreditation(db.Model):
    """The SKJ accreditation of one cohort's run where it differs from its track's (a trainer or admin sets it).

    It replaces the track's accreditation as a whole for certificates signed in this cohort and its SKJ list."""

    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    number = db.Column(db.String(50), nullable=False)
    points = db.Column(db.Float, nullable=False)
    contact_hours = db.Column(db.Float, nullable=False)
    #: The register section ("kamer") the accreditation is for.
    register_section = db.Column(db.String(100), nullable=False)
    final_test_required = db.Column(db.Boolean, nullable=False, default=False)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class PracticeAssignment(db.Model):
    """A learner's reflection on using the approach in their own work, for one track; every version is kept."""

    __table_args__ = (db.UniqueConstraint("user_id", "track_slug", name="uq_practice_assignment_user_track"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    track_slug = db.Column(db.String(100), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    user = db.relationship("User", lazy="joined")
    versions = db.relationship("PracticeVersion", back_populates="assignment", order_by="PracticeVersion.number",
                               cascade="all, delete-orphan", lazy="selectin")

    @property
    def latest(self) -> PracticeVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def status(self) -> str:
        """none, waiting, approved or returned: what happened to the newest version."""
        latest = self.latest
        if latest is None:
            return "none"
        return latest.decision or "waiting"


class PracticeVersion(db.Model):
    """One submitted text of a practice assignment and the trainer's decision on it."""

    __table_args__ = (db.UniqueConstraint("assignment_id", "number", name="uq_practice_version_number"),)

    id = db.Column(db.Integer, primary_key=True)
    assignment_id = db.Column(db.Integer, db.ForeignKey("practice_assignment.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    #: 1, 2, 3, ... in the order they were handed in.
    number = db.Column(db.Integer, nullable=False)
    #: The reflection in Markdown (rendered through jimtraining.rendering only).
    text = db.Column(db.Text, nullable=False)
    word_count = db.Column(db.Integer, nullable=False)
    submitted_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: None while waiting for a trainer; approved or returned.
    decision = db.Column(db.String(10), nullable=True)
    #: The trainer's feedback (plain text, shown escaped).
    feedback = db.Column(db.Text, nullable=True)
    reviewed_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    reviewed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: The reviewer's level (1-4) per criterion of the track's practice criteria: {criterion id: level}.
    scores = db.Column(db.JSON, nullable=True)
    #: What the criteria's cut-off proposed (approved/returned) when the decision was made.
    proposed_decision = db.Column(db.String(10), nullable=True)
    #: Why the decision differs from the proposal (None when it follows it); also in the audit log.
    decision_reason = db.Column(db.Text, nullable=True)

    assignment = db.relationship("PracticeAssignment", back_populates="versions")
    reviewed_by = db.relationship("User", foreign_keys=[reviewed_by_id])


class ObservedCoTraining(db.Model):
    """A session a JIM-trainer candidate co-trained, observed and signed by a licensed trainer of its cohort.

    The cohort's name and the session's title are copied in when it is signed, so the record keeps saying what
    was observed when the session is later removed."""

    id = db.Column(db.Integer, primary_key=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    session_id = db.Column(db.Integer, db.ForeignKey("cohort_session.id", ondelete="SET NULL"), nullable=True)
    cohort_name = db.Column(db.String(200), nullable=False)
    session_title = db.Column(db.String(200), nullable=False)
    #: The day the session was held.
    held_on = db.Column(db.Date, nullable=False)
    #: The observer's short note (plain text, shown escaped).
    note = db.Column(db.Text, nullable=False)
    signed_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    signed_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    candidate = db.relationship("User", foreign_keys=[candidate_id])
    signed_by = db.relationship("User", foreign_keys=[signed_by_id])


class TrainerLicence(db.Model):
    """Permission from the programme office to sign certificates off, for a limited time."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    granted_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    granted_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: The licence counts from valid_from up to (not including) expires_at.
    valid_from = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    #: The licence this one renews (history stays as it was).
    renews_id = db.Column(db.Integer, db.ForeignKey("trainer_licence.id", ondelete="SET NULL"), nullable=True)
    withdrawn_at = db.Column(db.DateTime(timezone=True), nullable=True)
    withdrawn_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    withdraw_reason = db.Column(db.Text, nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])

    def is_valid(self, now=None) -> bool:
        now = now or utcnow()
        return (self.withdrawn_at is None and as_utc(self.valid_from) <= now < as_utc(self.expires_at))

    def status(self, now=None) -> str:
        """valid, planned (starts later), expired or withdrawn."""
        now = now or utcnow()
        if self.withdrawn_at is not None:
            return "withdrawn"
        if now < as_utc(self.valid_from):
            return "planned"
        return "valid" if now < as_utc(self.expires_at) else "expired"


class Certificate(db.Model):
    """A certificate signed off by a licensed trainer; anyone with its code can verify it.

    What the verification shows (name, track, dates, trainer, organisation) is copied in at the moment of
    signing, so a later change of name or organisation never changes a certificate that was handed out.
    """

    __table_args__ = (
        db.Index("ix_certificate_qualification_expires", "qualification", "expires_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    #: Human-readable, unique: JIM-2026-7K3M-Q9P2.
    number = db.Column(db.String(24), nullable=False, unique=True)
    #: The secret in the verification URL: secrets.token_urlsafe(32), 256 bits.
    code = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True,
                        index=True)
    #: The track that was followed, and the qualification it gives (the renewed track for a refresher).
    track_slug = db.Column(db.String(100), nullable=False)
    qualification = db.Column(db.String(100), nullable=False)
    #: learner or trainer: copied from the track, so national counts need no join.
    audience = db.Column(db.String(10), nullable=False, default="learner")
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="SET NULL"), nullable=True, index=True)
    issued_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    issued_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    # What the certificate says, as it was at signing.
    holder_name = db.Column(db.String(120), nullable=False)
    track_title = db.Column(db.String(200), nullable=False)
    trainer_name = db.Column(db.String(120), nullable=False)
    organisation_name = db.Column(db.String(200), nullable=False, default="")
    # For the national figures, as it was at signing.
    organisation_kind = db.Column(db.String(20), nullable=True)
    region = db.Column(db.String(80), nullable=True)
    work_context = db.Column(db.String(30), nullable=True)
    #: The SKJ accreditation that applied when it was signed (the cohort's, else the track's), in the shape of
    #: Track.accreditation, or None. Later edits of the track or the cohort never change it.
    accreditation = db.Column(db.JSON(none_as_null=True), nullable=True)
    revoked_at = db.Column(db.DateTime(timezone=True), nullable=True)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    revoke_reason = db.Column(db.Text, nullable=True)
    #: When the expiry reminders went out (each at most once).
    reminder_60_sent_at = db.Column(db.DateTime(timezone=True), nullable=True)
    reminder_14_sent_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])
    cohort = db.relationship("Cohort")

    def status(self, now=None) -> str:
        """valid, expired or revoked."""
        if self.revoked_at is not None:
            return "revoked"
        return "valid" if (now or utcnow()) < as_utc(self.expires_at) else "expired"

    def status_label(self, now=None):
        return CERTIFICATE_STATUSES[self.status(now)]


class AuditError(Exception):
    """The audit log is append-only."""


class AuditEvent(db.Model):
    """Who did what to a certificate, licence or practice assignment, when and why. Never changed or deleted."""

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    #: certificate.issued, certificate.revoked, licence.granted, licence.renewed, licence.withdrawn,
    #: practice.approved, practice.returned, practice.deviated, round.deviated, co_training.signed
    action = db.Column(db.String(40), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    #: The name of who did it, kept as it was (the account may change later).
    actor_name = db.Column(db.String(120), nullable=False, default="")
    #: The person it is about.
    subject_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    subject_name = db.Column(db.String(120), nullable=False, default="")
    #: certificate, licence, practice, round or co_training, and its id.
    object_type = db.Column(db.String(20), nullable=False)
    object_id = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.Text, nullable=False, default="")
    #: Extra facts, such as the certificate number or the licence's end date.
    details = db.Column(db.JSON, nullable=False, default=dict)


@event.listens_for(AuditEvent, "before_update")
def _refuse_audit_update(_mapper, _connection, target):
    raise AuditError("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_delete(_mapper, _connection, target):
    raise AuditError("audit events cannot be deleted")


class CertificatePdf(db.Model):
    """A certificate's PDF as a background job drew it (certification/documents.py), served on download. Kept only
    while it shows what the certificate says now: `fingerprint` is of the drawn values."""

    id = db.Column(db.Integer, primary_key=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificate.id", ondelete="CASCADE"), nullable=False,
                               unique=True)
    #: sha256 of the certificate's values the PDF shows (documents.fingerprint).
    fingerprint = db.Column(db.String(64), nullable=False)
    pdf = db.Column(db.LargeBinary, nullable=False)
    drawn_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
