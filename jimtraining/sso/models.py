"""Institution accounts (SURFconext, eduID) linked to a JIM-training account."""

from jimtraining.extensions import db
from jimtraining.sso.providers import PROVIDERS
from jimtraining.timeutil import utcnow


class SsoLink(db.Model):
    """One account at an OpenID Connect provider, (provider, issuer, subject), that logs in as one user.

    ``principal_name`` is the eduPersonPrincipalName the provider released with it (lower case), by which a later
    login with another subject (a new client registration, the same person through eduID and SURFconext) finds the
    same user. The e-mail address is not kept here: the account has its own."""

    __tablename__ = "sso_link"
    __table_args__ = (db.UniqueConstraint("provider", "issuer", "subject", name="uq_sso_link_identity"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    #: A key of jimtraining.sso.providers.PROVIDERS ("surfconext", "eduid").
    provider = db.Column(db.String(20), nullable=False)
    #: The provider's issuer identifier, as in its ID tokens.
    issuer = db.Column(db.String(255), nullable=False)
    #: The `sub` claim: the person's identifier at that provider for this service.
    subject = db.Column(db.String(255), nullable=False)
    principal_name = db.Column(db.String(254), nullable=True, index=True)
    #: schac_home_organization: the institution's domain ("hogeschool.example"), shown on the profile page.
    home_organization = db.Column(db.String(200), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User")

    @property
    def provider_name(self) -> str:
        provider = PROVIDERS.get(self.provider)
        return provider.name if provider else self.provider

    def __repr__(self):
        return f"<SsoLink {self.provider} user={self.user_id}>"
