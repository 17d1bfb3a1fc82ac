"""Account changes that are more than setting a field."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_login import login_user
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from jimtraining.accounts import reset_links
from jimtraining.accounts.models import ROLES, LoginSession, User, hash_session_token, new_session_token
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, utcnow
from jimtraining.web import like_pattern

log = logging.getLogger(__name__)

#: last_seen_at of a login session is written at most this often (seen_every), never on every request.
SEEN_AT_MOST_EVERY = timedelta(hours=1)
#: ... and at least this often measured in idle timeouts: the idle timeout then holds to within a tenth.
SEEN_FRACTION_OF_IDLE = 10
#: Ended login sessions are kept this long, then removed at the user's next login.
KEEP_ENDED_SESSIONS = timedelta(days=90)
USER_AGENT_LENGTH = 200


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def user_or_404(user_id: int) -> User:
    """The user with this id; 404 when there is none. Who may see or act on them is the caller's access rule."""
    return db.get_or_404(User, user_id)


def users_with_role(user_ids, role: str) -> list[User]:
    """Those of ``user_ids`` that exist and have ``role`` (ids of others are left out)."""
    return list(db.session.scalars(select(User).where(User.id.in_(set(user_ids)), User.role == role)))


def users_query(text: str = "", role: str = ""):
    """Users for the admin's list: those whose name, e-mail address or organisation's name holds ``text`` (any
    case), with ``role`` when given; active accounts first, then by name."""
    query = select(User).order_by(User.is_enabled.desc(), User.name, User.id)
    if text:
        like = like_pattern(text)
        query = query.where(or_(User.name.ilike(like, escape="\\"), User.email.ilike(like, escape="\\"),
                                User.organisation.has(Organisation.name.ilike(like, escape="\\"))))
    if role:
        query = query.where(User.role == role)
    return query


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Costs one hash check either way."""
    user = find_by_email(email or "")
    if user is None:
        # Hash anyway so the answer takes as long for unknown addresses as for known ones.
        User(password_hash="").set_password(password or "-")
        return None
    if not user.check_password(password or "") or not user.is_enabled:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def create_user(*, email: str, name: str, password: str, role: str = Role.LEARNER, **profile) -> User:
    """Create an account. Policy checks belong to the form or CLI that calls this."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = User(email=email.strip().lower(), name=name.strip(), role=role, **profile)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    log.info("user created: id=%s role=%s", user.id, role)
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every session of this user, the current one too: the view starts a new one."""
    user.set_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    log.info("password changed: user=%s", user.id)


def change_email(user: User, new_email: str, keep_session_id: int | None) -> str:
    """Give the account a new login and password-reset address (the form checked the password and that no other
    account has it) and commit it with whatever else changed on the user. Every other login session ends, so a
    session someone else had ends here too; reset links sent to the old address stop working (reset_links binds
    them to the address). Returns the old address, for the notice the caller mails to it."""
    old_email = user.email
    user.email = new_email.strip().lower()
    ended = end_other_sessions(user, keep_session_id)
    db.session.commit()
    log.info("e-mail address changed: user=%s, %s other session(s) ended", user.id, ended)
    return old_email


def set_enabled(user: User, enabled: bool, by: User) -> None:
    """(De)activate an account. Deactivation ends all the user's sessions."""
    if user.id == by.id and not enabled:
        raise ValueError("you cannot deactivate yourself")
    user.is_enabled = enabled
    if not enabled:
        end_all_sessions(user)
    db.session.commit()
    log.info("user %s %s by %s", user.id, "activated" if enabled else "deactivated", by.id)


def set_role(user: User, role: str, by: User) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if user.id == by.id and role != Role.ADMIN:
        raise ValueError("you cannot take away your own admin role")
    if user.role != role:
        log.info("user %s role %s -> %s by %s", user.id, user.role, role, by.id)
        user.role = role
    db.session.commit()


# Login sessions ---------------------------------------------------------------------------------------------

class SessionExpiredError(Exception):
    """The login session in the cookie was unused too long ("idle") or started too long ago ("max_age"); it has
    been ended. The app's user loader tells the person."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    remember_idle: timedelta
    max_age: timedelta

    @classmethod
    def from_config(cls) -> "SessionLimits":
        config = current_app.config
        return cls(idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                   remember_idle=timedelta(days=config["SESSION_REMEMBER_IDLE_DAYS"]),
                   max_age=timedelta(days=config["SESSION_MAX_DAYS"]))

    def expiry(self, created_at: datetime, last_seen_at: datetime | None, remember: bool,
               now: datetime) -> str | None:
        """Why a session with these times has expired ("max_age" or "idle"), or None while it may go on."""
        if now - as_utc(created_at) > self.max_age:
            return "max_age"
        last_used = as_utc(last_seen_at or created_at)
        # "Stay logged in" never gives less than a session without it.
        if now - last_used > (max(self.idle, self.remember_idle) if remember else self.idle):
            return "idle"
        return None

    def active_clause(self, now: datetime):
        """The same rule as expiry() as a condition on LoginSession: not ended and not expired."""
        last_used = func.coalesce(LoginSession.last_seen_at, LoginSession.created_at)
        return and_(LoginSession.ended_at.is_(None), LoginSession.created_at >= now - self.max_age,
                    or_(last_used >= now - self.idle,
                        and_(LoginSession.remember.is_(True), last_used >= now - self.remember_idle)))


def seen_every() -> timedelta:
    """How often last_seen_at is written: at most hourly, and often enough that the idle timeout holds to within a
    tenth (a session is seen as unused from its last write, which may be up to this much before its last use)."""
    return min(SEEN_AT_MOST_EVERY, timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]) /
               SEEN_FRACTION_OF_IDLE)


def start_session(user: User, user_agent: str | None = None, remember: bool = False) -> str:
    """Start a login session: returns its token (also set on ``user.login_token``, which Flask-Login's
    login_user() puts in the cookies). Only the token's hash is stored. The user's sessions that expired unnoticed
    are ended here, and ended ones older than KEEP_ENDED_SESSIONS removed."""
    token = new_session_token()
    now = utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.ended_at < now - KEEP_ENDED_SESSIONS))
    db.session.execute(update(LoginSession)
                       .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None),
                              ~SessionLimits.from_config().active_clause(now))
                       .values(ended_at=now))
    db.session.add(LoginSession(user_id=user.id, token_hash=hash_session_token(token), created_at=now,
                                last_seen_at=now, user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None,
                                remember=bool(remember)))
    db.session.commit()
    user.login_token = token
    return token


def log_in(user: User, remember: bool) -> None:
    """Log the person in on this device: start a login session on the server (start_session; its token is what
    the cookies carry, User.get_id) and hand the user to Flask-Login, with a "remember me" cookie when asked.
    Every way in goes through here: the login form, a new password, accepting an invitation."""
    start_session(user, request.user_agent.string, remember=remember)
    login_user(user, remember=remember)


def load_session(token: str | None) -> User | None:
    """The enabled user of the active login session with this token, or None. One query; no write, except once
    when the session turns out to have expired: then it is ended and SessionExpiredError raised."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(User, LoginSession.id, LoginSession.created_at, LoginSession.last_seen_at, LoginSession.remember)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == hash_session_token(token), LoginSession.ended_at.is_(None),
               User.is_enabled.is_(True))
    ).first()
    if row is None:
        return None
    user, session_id, created_at, last_seen_at, remember = row
    now = utcnow()
    expired = SessionLimits.from_config().expiry(created_at, last_seen_at, remember, now)
    if expired:
        _end_expired_session(session_id, now)
        log.info("login session %s of user %s expired (%s)", session_id, user.id, expired)
        raise SessionExpiredError(expired)
    user.login_token = token
    user.login_session_id = session_id
    user.login_seen_due = last_seen_at is None or as_utc(last_seen_at) <= now - seen_every()
    return user


def _end_expired_session(session_id: int, now: datetime) -> None:
    """On a connection of its own, like touch_session: the request's database session may hold unfinished work."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(LoginSession).where(LoginSession.id == session_id,
                                                          LoginSession.ended_at.is_(None)).values(ended_at=now))
    except SQLAlchemyError as error:  # it stays refused all the same: the check runs on every request
        log.warning("could not end expired login session %s: %s", session_id, error)


def active_sessions(user: User) -> list[LoginSession]:
    """The user's login sessions that still work, the most recently used first."""
    now = utcnow()
    return list(db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, SessionLimits.from_config().active_clause(now))
        .order_by(func.coalesce(LoginSession.last_seen_at, LoginSession.created_at).desc(), LoginSession.id.desc())))


def find_own_session(user: User, session_id: int) -> LoginSession | None:
    """One of the user's sessions that still works, or None (someone else's, ended, expired or unknown)."""
    return db.session.scalar(select(LoginSession).where(LoginSession.id == session_id,
                                                        LoginSession.user_id == user.id,
                                                        SessionLimits.from_config().active_clause(utcnow())))


def end_login_session(login_session: LoginSession) -> None:
    """End one session from another device (a lost phone, a computer elsewhere)."""
    login_session.ended_at = utcnow()
    db.session.commit()
    log.info("login session %s of user %s ended from another session", login_session.id, login_session.user_id)


def end_sessions_but_this_one(user: User) -> int:
    """End every other session of the user, from the sessions page; returns how many."""
    ended = end_other_sessions(user, user.login_session_id)
    db.session.commit()
    log.info("user %s ended %s other login session(s)", user.id, ended)
    return ended


def touch_session(session_id: int) -> None:
    """Note that a session is in use (called at most once per seen_every()). Runs on a connection of its own, so
    it never commits anything the request left in its database session; a failure only logs."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(LoginSession).where(LoginSession.id == session_id)
                               .values(last_seen_at=utcnow()))
    except SQLAlchemyError as error:
        log.warning("could not note login session %s as seen: %s", session_id, error)


def end_session(token: str | None) -> None:
    """Log out: the session with this token ends, and with it every copy of its cookies."""
    if not token:
        return
    db.session.execute(update(LoginSession)
                       .where(LoginSession.token_hash == hash_session_token(token), LoginSession.ended_at.is_(None))
                       .values(ended_at=utcnow()))
    db.session.commit()


def end_other_sessions(user: User, keep_session_id: int | None) -> int:
    """End every active session of this user but the one with this id (the caller commits); returns how many."""
    query = update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    if keep_session_id is not None:
        query = query.where(LoginSession.id != keep_session_id)
    return db.session.execute(query.values(ended_at=utcnow())).rowcount


def end_all_sessions(user: User) -> None:
    """End every session of this user and void the password-reset links sent before (the caller commits)."""
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
                       .values(ended_at=utcnow()))
    user.rotate_session_token()


# Password reset ---------------------------------------------------------------------------------------------

def password_reset_for(email: str) -> tuple[User, str] | None:
    """The account that may reset its password by mail, with the token for the link; None for unknown or
    deactivated addresses (the caller shows the same message either way)."""
    user = find_by_email(email or "")
    if user is None or not user.is_enabled:
        log.info("password reset asked for an address without an active account")
        return None
    log.info("password reset asked: user=%s", user.id)
    return user, reset_links.make_token(user)


def reset_password(user: User, new_password: str) -> None:
    """Set the password chosen through a reset link. The link stops working (it was bound to the old password
    hash) and every session of the user ends."""
    user.set_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    log.info("password reset: user=%s", user.id)
