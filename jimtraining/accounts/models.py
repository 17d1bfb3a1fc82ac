"""People who use the platform."""

import hashlib
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from jimtraining.extensions import db
from jimtraining.roles import ROLE_LABELS, Role
from jimtraining.timeutil import utcnow

#: Roles, Role -> label (jimtraining/roles.py), in the order forms offer them. A role is never built by inheriting a
#: broader one: each gate names its roles.
ROLES = dict(ROLE_LABELS)

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


def hash_session_token(token: str) -> str:
    """Only this hash is stored: a copy of the database does not let anyone into a session."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id = db.Column(db.Integer, primary_key=True)
    #: Login name; stored lower-case.
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    #: One of ROLES (a Role compares equal to the stored string).
    role = db.Column(db.String(20), nullable=False, default=Role.LEARNER)
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
    #: Replaced whenever all the user's login sessions end (password change or reset, deactivation). Password-
    #: reset links are bound to it, so they stop working then too. The cookies carry a LoginSession token.
    session_token = db.Column(db.String(64), nullable=False, unique=True, default=new_session_token)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime(timezone=True), nullable=True)

    organisation = db.relationship("Organisation", lazy="joined")

    #: The login session this object was loaded for (services.load_session); not columns.
    login_token = None
    login_session_id = None
    login_seen_due = False

    # Flask-Login ---------------------------------------------------------------
    def get_id(self):
        """What the session and "remember me" cookies carry: the token of the LoginSession this object was loaded
        for or started with (services.load_session, services.log_in), never the user id. Only reads it: log people
        in with services.log_in, which starts the session, not with Flask-Login's login_user() alone."""
        if self.login_token is None:
            raise RuntimeError("no login session: log in with jimtraining.accounts.services.log_in")
        return self.login_token

    # UserMixin compares get_id(); the same person is the same row, and the identity map gives one object per row.
    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    __hash__ = object.__hash__

    @property
    def is_active(self):
        return self.is_enabled

    # Passwords -----------------------------------------------------------------
    def set_password(self, password: str) -> None:
        """Store a scrypt hash. Ending the other sessions is up to the service (services.change_password)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    def __repr__(self):
        return f"<User {self.email!r} {self.role}>"


class LoginSession(db.Model):
    """One login on one device. The cookies carry its token; logging out, a password change or reset, a new e-mail
    address, deactivation, ending it from another device and expiry (unused too long, or started too long ago) set
    ``ended_at``, after which neither the session cookie nor "remember me" works any more."""

    __tablename__ = "login_session"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    #: sha256 of the token in the cookie (hash_session_token).
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: Updated at most once an hour, and more often when the idle timeout is short (services.seen_every), never
    #: on every request.
    last_seen_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: Set when the session ends: logout, ended from another device, password change, expiry (services.load_session).
    ended_at = db.Column(db.DateTime(timezone=True), nullable=True)
    #: The browser, shortened, so people can recognise their devices.
    user_agent = db.Column(db.String(200), nullable=True)
    #: Started with "stay logged in on this device": it may go unused longer (SESSION_REMEMBER_IDLE_DAYS instead of
    #: SESSION_IDLE_MINUTES); SESSION_MAX_DAYS after its start it ends all the same.
    remember = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    user = db.relationship("User")

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def __repr__(self):
        return f"<LoginSession {self.id} user={self.user_id} {'active' if self.ended_at is None else 'ended'}>"
