"""Personal access tokens of the public API (/api/v1): one organisation's key to read its own data.

Only a SHA-256 hash of a token is stored; the token itself is shown once, when it is made. The hash is enough to
find the token again (a token has 256 random bits, so no salt or slow hash is needed, unlike a password). The row
holds no personal data: who made or revoked a token is in the audit log (certification.models.AuditEvent)."""

from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id = db.Column(db.Integer, primary_key=True)
    organisation_id = db.Column(db.Integer, db.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                                index=True)
    #: What the organisation uses it for ("HR-systeem"), shown in the list of tokens.
    name = db.Column(db.String(120), nullable=False)
    #: The first characters of the token (jimt_ and a few more): enough to recognise it, too few to use it.
    prefix = db.Column(db.String(16), nullable=False)
    #: SHA-256 of the whole token, hex.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    #: Read scopes (jimtraining/api/scopes.py), space separated: "professionals:read cohorts:read".
    scopes = db.Column(db.String(200), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: Required: a token stops working at this moment (at most a year after it was made).
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    revoked_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: When it was last used, to the minute (written at most once a minute: jimtraining/api/tokens.py).
    last_used_at = db.Column(db.DateTime(timezone=True), nullable=True)

    organisation = db.relationship("Organisation", lazy="joined")

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def status(self, now=None) -> str:
        """active, expired or revoked."""
        if self.revoked_at is not None:
            return "revoked"
        if as_utc(self.expires_at) <= (now or utcnow()):
            return "expired"
        return "active"

    def __repr__(self):
        return f"<ApiToken {self.prefix}… organisation={self.organisation_id}>"
