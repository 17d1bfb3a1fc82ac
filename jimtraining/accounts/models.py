"""People who use the platform."""

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

#: Roles, key -> label. A role is never built by inheriting a broader one: each gate names its roles.
ROLES = {
    "learner": _l("Deelnemer"),
    "trainer": _l("Trainer"),
    "actor": _l("Trainingsacteur"),
    "admin": _l("Beheerder"),
}

#: Work contexts in which professionals use the JIM-aanpak.
WORK_CONTEXTS = {
    "jeugdhulp": _l("Jeugdhulp"),
    "wijkteam": _l("Wijkteam"),
    "participatiewet": _l("Gemeente / Participatiewet"),
    "onderwijs": _l("Onderwijs"),
    "dakloze-jongeren": _l("Opvang van dakloze jongeren"),
    "opleiding": _l("Opleiding (student)"),
    "anders": _l("Anders"),
}

def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id = db.Column(db.Integer, primary_key=True)
    #: Login name; stored lower-case.
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    #: One of ROLES.
    role = db.Column(db.String(20), nullable=False, default="learner")
    organisation_id = db.Column(db.Integer, db.ForeignKey("organisation.id"), nullable=True, index=True)
    #: Youth-care region (see jimtraining/data/regions.txt).
    region = db.Column(db.String(80), nullable=True)
    #: One of WORK_CONTEXTS.
    work_context = db.Column(db.String(30), nullable=True)
    #: Optional registration number of the Stichting Kwaliteitsregister Jeugd.
    skj_number = db.Column(db.String(20), nullable=True)
    #: Interface language, one of the LANGUAGES in the configuration.
    locale = db.Column(db.String(5), nullable=False, default="nl")
    #: Deactivated users cannot log in and lose their sessions at the next request.
    is_enabled = db.Column(db.Boolean, nullable=False, default=True)
    #: Identifies the user in the session cookie; replaced on password change or deactivation, which ends
    #: every other session.
    session_token = db.Column(db.String(64), nullable=False, unique=True, default=new_session_token)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime(timezone=True), nullable=True)

    organisation = db.relationship("Organisation", lazy="joined")

    # Flask-Login ---------------------------------------------------------------
    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return self.is_enabled

    # Passwords -----------------------------------------------------------------
    def set_password(self, password: str) -> None:
        """Store a scrypt hash and end every existing session of this user."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    # Roles ---------------------------------------------------------------------
    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @property
    def work_context_label(self):
        return WORK_CONTEXTS.get(self.work_context, self.work_context or "")

    def __repr__(self):
        return f"<User {self.email!r} {self.role}>"
