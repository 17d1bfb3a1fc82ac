"""A calibration: one person's scores for a scenario's reference round, with their agreement with the expert."""

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


class CalibrationAttempt(db.Model):
    """Someone (a trainer, or a learner on the JIM-trainer track) scored a reference round.

    The expert's levels are copied in: a later edit of the reference round never changes a past result."""

    __table_args__ = (db.Index("ix_calibration_attempt_user_created", "user_id", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    #: The scenario whose reference round was scored (by slug: content sync never breaks the link).
    scenario_slug = db.Column(db.String(100), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: {criterion id: level 1-4} as the person scored, and as the expert did at that moment.
    scores = db.Column(db.JSON, nullable=False)
    expert = db.Column(db.JSON, nullable=False)
    #: Shares (0-1) of criteria with the same level, and at most one level apart.
    exact = db.Column(db.Float, nullable=False)
    adjacent = db.Column(db.Float, nullable=False)
    #: Quadratic weighted kappa; None when it cannot be computed (both gave every criterion one and the same level).
    kappa = db.Column(db.Float, nullable=True)

    user = db.relationship("User")

    def meets(self, min_kappa: float) -> bool:
        """At or above the threshold (perfect agreement without variance meets any threshold)."""
        if self.kappa is None:
            return self.exact >= 1.0
        return self.kappa >= min_kappa - 1e-9
