"""Live role-play in a cohort session: rounds of a sketch, the scores and notes about them, and trainee-actors
(their profile and their bookings for a session).

A round names its scenario by slug (the content lives in jimtraining/scenarios/) and belongs to a cohort session.
"""

from enum import StrEnum

from flask_babel import gettext as _

from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


class Part(StrEnum):
    """A person's part in a round (jimtraining/access/roleplay.py decides who has which)."""

    TRAINER = "trainer"
    PLAYER = "player"
    PROFESSIONAL = "professional"
    OBSERVER = "observer"


round_observer = db.Table(
    "round_observer",
    db.Column("round_id", db.Integer, db.ForeignKey("role_play_round.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class ActorProfile(db.Model):
    """A trainee-actor's availability and the sketches they have rehearsed."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                        unique=True)
    availability = db.Column(db.Text, nullable=False, default="")
    #: Slugs of the scenarios they have rehearsed.
    rehearsed = db.Column(db.JSON, nullable=False, default=list)


class ActorBooking(db.Model):
    """A trainee-actor booked for a cohort session."""

    __table_args__ = (db.UniqueConstraint("session_id", "actor_id", name="uq_actor_booking_session_actor"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("cohort_session.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    booked_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    actor = db.relationship("User", lazy="joined")
    session = db.relationship("CohortSession")


class RolePlayRound(db.Model):
    """One live round of a sketch in a session: a professional, a player of the young person, observers."""

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("cohort_session.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    scenario_slug = db.Column(db.String(100), nullable=False)
    #: The learner who plays the professional.
    professional_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False, index=True)
    #: Who plays the young person: a booked trainee-actor, or a learner when no actor is there.
    player_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    timer_minutes = db.Column(db.Integer, nullable=False, default=10)
    #: sufficient / not_yet, set by the trainer.
    outcome = db.Column(db.String(10), nullable=True)
    #: What the rubric's cut-off proposed from the trainer's scores when the verdict was recorded.
    proposed_outcome = db.Column(db.String(10), nullable=True)
    #: Why the trainer's verdict differs from the proposal (None when it follows it); also in the audit log.
    outcome_reason = db.Column(db.Text, nullable=True)
    #: Nothing of the assessment is visible to the professional before this moment.
    released_at = db.Column(db.DateTime(timezone=True), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    session = db.relationship("CohortSession")
    professional = db.relationship("User", foreign_keys=[professional_id], lazy="joined")

    @property
    def scenario_title(self) -> str:
        """The title of its scenario, as people read it (never the slug); archived scenarios keep theirs. Reads the
        content catalogue (a query at most, per request); pages that list active scenarios anyway look it up there."""
        scenario = catalogue().scenario(self.scenario_slug)
        return scenario.title if scenario is not None else _("verwijderd")
    player = db.relationship("User", foreign_keys=[player_id], lazy="joined")
    observers = db.relationship("User", secondary=round_observer, lazy="selectin", order_by="User.name")
    scores = db.relationship("RoundScore", back_populates="round", cascade="all, delete-orphan")
    notes = db.relationship("RoundNote", back_populates="round", cascade="all, delete-orphan")


class RoundScore(db.Model):
    """One rater's level (1-4) and comment on one rubric criterion."""

    __table_args__ = (db.UniqueConstraint("round_id", "rater_id", "criterion_id", name="uq_round_score_rater"),)

    id = db.Column(db.Integer, primary_key=True)
    round_id = db.Column(db.Integer, db.ForeignKey("role_play_round.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    rater_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    #: trainer, peer (an observer) or self (the professional).
    view = db.Column(db.String(10), nullable=False)
    criterion_id = db.Column(db.String(100), nullable=False)
    level = db.Column(db.Integer, nullable=False)
    #: What the rater saw: observable behaviour.
    comment = db.Column(db.Text, nullable=False, default="")
    scored_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    round = db.relationship("RolePlayRound", back_populates="scores")


class RoundNote(db.Model):
    """Free text after a round: the actor's feedback from the young person's side, the professional's
    self-reflection, or the actor's aftercare check-in (how playing it felt)."""

    __table_args__ = (db.UniqueConstraint("round_id", "author_id", "kind", name="uq_round_note_author_kind"),)

    id = db.Column(db.Integer, primary_key=True)
    round_id = db.Column(db.Integer, db.ForeignKey("role_play_round.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    #: actor_feedback, self_reflection or aftercare
    kind = db.Column(db.String(20), nullable=False)
    text = db.Column(db.Text, nullable=False)
    written_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    round = db.relationship("RolePlayRound", back_populates="notes")
