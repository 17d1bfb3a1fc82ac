"""Account changes that are more than setting a field."""

import logging
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from jimtraining.accounts import reset_links
from jimtraining.accounts.models import ROLES, LoginSession, User, hash_session_token, new_session_token
from jimtraining.cohorts.models import Organisation
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, utcnow
from jimtraining.web import like_pattern

log = logging.getLogger(__name__)

#: last_seen_at of a login session is written at most this often, never on every request.
SEEN_EVERY = timedelta(hours=1)
#: Ended login sessions are kept this long, then removed at the user's next login.
KEEP_ENDED_SESSIONS = timedelta(days=90)
USER_AGENT_LENGTH = 200


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


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


def create_user(*, email: str, name: str, password: str, role: str = "learner", **profile) -> User:
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
    if user.id == by.id and role != "admin":
        raise ValueError("you cannot take away your own admin role")
    if user.role != role:
        log.info("user %s role %s -> %s by %s", user.id, user.role, role, by.id)
        user.role = role
    db.session.commit()


# Login sessions ---------------------------------------------------------------------------------------------

def start_session(user: User, user_agent: str | None = None) -> str:
    """Start a login session: returns its token (also set on ``user.login_token``, which Flask-Login's
    login_user() puts in the cookies). Only the token's hash is stored."""
    token = new_session_token()
    now = utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.ended_at < now - KEEP_ENDED_SESSIONS))
    db.session.add(LoginSession(user_id=user.id, token_hash=hash_session_token(token), created_at=now,
                                last_seen_at=now, user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None))
    db.session.commit()
    user.login_token = token
    return token


def load_session(token: str | None) -> User | None:
    """The enabled user of the active login session with this token, or None. One query; no write."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(User, LoginSession.id, LoginSession.last_seen_at)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == hash_session_token(token), LoginSession.ended_at.is_(None),
               User.is_enabled.is_(True))
    ).first()
    if row is None:
        return None
    user, session_id, last_seen_at = row
    user.login_token = token
    user.login_session_id = session_id
    user.login_seen_due = last_seen_at is None or as_utc(last_seen_at) <= utcnow() - SEEN_EVERY
    return user


def touch_session(session_id: int) -> None:
    """Note that a session is in use (called at most once per SEEN_EVERY). Runs on a connection of its own, so
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
