"""The LTI 1.3 tool's tables: registered platforms, the tool's keys, who came from where, and the grade outbox.

A learning platform (Brightspace, Canvas, Moodle: "the LMS") is registered once (`flask lti add-platform`, the admin
page or Dynamic Registration). A launch from it logs a person in through an `LtiUserLink` (platform + the LMS's user
id, `sub`), makes the LMS course (`LtiContext`) a class cohort, and remembers the link that was clicked
(`LtiResourceLink`) with its gradebook column (line item). Finished work becomes a row of the outbox (`LtiGrade`)
that is sent to the LMS once.
"""

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


class LtiPlatform(db.Model):
    """A learning platform that may launch the tool: one registration (issuer + client id) of it."""

    __tablename__ = "lti_platform"
    __table_args__ = (db.UniqueConstraint("issuer", "client_id", name="uq_lti_platform_issuer_client"),)

    id = db.Column(db.Integer, primary_key=True)
    #: What people call it ("Brightspace Hogeschool Noord"); the organisation of its courses is named after it.
    name = db.Column(db.String(200), nullable=False)
    #: The `iss` of its messages (a URL).
    issuer = db.Column(db.String(255), nullable=False)
    #: The client id the platform gave the tool.
    client_id = db.Column(db.String(255), nullable=False)
    #: Deployment ids of the tool on this platform (launches with another one are refused).
    deployment_ids = db.Column(db.JSON, nullable=False, default=list)
    #: OIDC authorisation endpoint: where /lti/login sends the browser.
    auth_login_url = db.Column(db.String(500), nullable=False)
    #: OAuth 2 token endpoint, for the grade and roster services.
    auth_token_url = db.Column(db.String(500), nullable=False)
    #: The `aud` of the token request, when the platform wants another one than the token URL (Brightspace).
    auth_audience = db.Column(db.String(500), nullable=True)
    #: The platform's public keys (JWKS).
    keyset_url = db.Column(db.String(500), nullable=False)
    #: Origins (https://lms.example.nl) whose pages may show the tool in an iframe, besides those of the URLs above.
    frame_origins = db.Column(db.JSON, nullable=False, default=list)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    def __repr__(self):
        return f"<LtiPlatform {self.id} {self.issuer!r} {self.client_id!r}>"


class LtiToolKey(db.Model):
    """An RSA key pair of the tool. The newest (retired_at empty) signs; the one before stays in /lti/jwks.json
    until the next rotation, so platforms that cached it keep working while they fetch the new one."""

    __tablename__ = "lti_tool_key"

    id = db.Column(db.Integer, primary_key=True)
    #: Key id: the RFC 7638 thumbprint of the public key.
    kid = db.Column(db.String(64), nullable=False, unique=True)
    public_pem = db.Column(db.Text, nullable=False)
    #: The private key (PEM), encrypted with a key derived from SECRET_KEY (jimtraining/lti/keys.py).
    private_pem_encrypted = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: When a newer key took over; still published until the next rotation.
    retired_at = db.Column(db.DateTime(timezone=True), nullable=True)


class LtiUserLink(db.Model):
    """The account a platform's user (`sub`) uses here: made on their first launch, or linked by an admin."""

    __tablename__ = "lti_user_link"
    __table_args__ = (db.UniqueConstraint("platform_id", "sub", name="uq_lti_user_link_platform_sub"),)

    id = db.Column(db.Integer, primary_key=True)
    platform_id = db.Column(db.Integer, db.ForeignKey("lti_platform.id", ondelete="CASCADE"), nullable=False)
    #: The platform's user id (the `sub` claim): stable, opaque.
    sub = db.Column(db.String(255), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_launch_at = db.Column(db.DateTime(timezone=True), nullable=True)

    platform = db.relationship("LtiPlatform")


class LtiContext(db.Model):
    """A course of a platform, and the class cohort it became."""

    __tablename__ = "lti_context"
    __table_args__ = (db.UniqueConstraint("platform_id", "context_id", name="uq_lti_context_platform_context"),)

    id = db.Column(db.Integer, primary_key=True)
    platform_id = db.Column(db.Integer, db.ForeignKey("lti_platform.id", ondelete="CASCADE"), nullable=False)
    #: The course id in the platform (the context claim's id).
    context_id = db.Column(db.String(255), nullable=False)
    title = db.Column(db.String(255), nullable=False, default="")
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="SET NULL"), nullable=True, index=True)
    #: Names and Role Provisioning Services: the roster of the course.
    memberships_url = db.Column(db.String(500), nullable=True)
    #: Assignment and Grade Services: the course's line items and the scopes the platform granted.
    lineitems_url = db.Column(db.String(500), nullable=True)
    ags_scopes = db.Column(db.JSON, nullable=False, default=list)
    roster_synced_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: When the course's line items were last read (jimtraining/lti/course_sync.py).
    lineitems_synced_at = db.Column(db.DateTime(timezone=True), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    platform = db.relationship("LtiPlatform")


class LtiResourceLink(db.Model):
    """A link in a course (placed by Deep Linking or by hand) to a module, a quiz or a scenario, with its column in
    the course's gradebook (line item) when the platform made one."""

    __tablename__ = "lti_resource_link"
    __table_args__ = (
        db.UniqueConstraint("context_id", "resource_link_id", name="uq_lti_resource_link_context_link"),
        db.Index("ix_lti_resource_link_target", "target"),
    )

    id = db.Column(db.Integer, primary_key=True)
    context_id = db.Column(db.Integer, db.ForeignKey("lti_context.id", ondelete="CASCADE"), nullable=False)
    #: The resource link claim's id.
    resource_link_id = db.Column(db.String(255), nullable=False)
    #: What it opens: "module:<slug>", "quiz:<slug>" or "scenario:<slug>" (lti/targets.py).
    target = db.Column(db.String(120), nullable=False)
    title = db.Column(db.String(255), nullable=False, default="")
    #: The AGS line item of this link (a URL), when the platform has one.
    lineitem_url = db.Column(db.String(500), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    context = db.relationship("LtiContext")


#: States of a row of the grade outbox.
GRADE_PENDING, GRADE_SENDING, GRADE_SENT, GRADE_FAILED = "pending", "sending", "sent", "failed"


class LtiGrade(db.Model):
    """One score for the gradebook of a platform: a finished quiz attempt, a completed module or scenario. The
    unique key makes a second enqueue of the same result do nothing; the state makes it go out once."""

    __tablename__ = "lti_grade"
    __table_args__ = (
        db.UniqueConstraint("user_id", "resource_link_id", "source", name="uq_lti_grade_user_link_source"),
        db.Index("ix_lti_grade_state_due", "state", "next_try_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    resource_link_id = db.Column(db.Integer, db.ForeignKey("lti_resource_link.id", ondelete="CASCADE"),
                                 nullable=False, index=True)
    #: What it is a score for: "attempt:<id>", "module:<slug>" or "scenario:<slug>".
    source = db.Column(db.String(120), nullable=False)
    score_given = db.Column(db.Float, nullable=False)
    score_maximum = db.Column(db.Float, nullable=False)
    #: For the gradebook's comment: passed (True), not passed (False), or no pass mark (None).
    passed = db.Column(db.Boolean, nullable=True)
    #: When the result came about (the score's timestamp).
    achieved_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: pending -> sending -> sent; back to pending (with next_try_at) when the platform did not take it, failed
    #: after MAX_TRIES.
    state = db.Column(db.String(10), nullable=False, default=GRADE_PENDING)
    tries = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(500), nullable=True)
    next_try_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: When a sender took it (a row left in "sending" by a process that died is taken again after a while).
    claimed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    sent_at = db.Column(db.DateTime(timezone=True), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    resource_link = db.relationship("LtiResourceLink")


class LtiNonce(db.Model):
    """The nonce of a launch that was accepted (the tool made it at /lti/login): the same signed launch sent again
    is refused."""

    __tablename__ = "lti_nonce"

    id = db.Column(db.Integer, primary_key=True)
    nonce = db.Column(db.String(255), nullable=False, unique=True)
    #: Kept until the launch token would have expired anyway (then removed at a later launch).
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False, index=True)


class LtiRegistrationInvite(db.Model):
    """A Dynamic Registration address an admin made: the platform that opens it first registers itself with it."""

    __tablename__ = "lti_registration_invite"

    id = db.Column(db.Integer, primary_key=True)
    #: sha256 of the token in the address.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    #: The name the registered platform gets.
    name = db.Column(db.String(200), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    used_at = db.Column(db.DateTime(timezone=True), nullable=True)
    platform_id = db.Column(db.Integer, db.ForeignKey("lti_platform.id", ondelete="SET NULL"), nullable=True)
