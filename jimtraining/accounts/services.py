"""Account changes that are more than setting a field."""

import logging

from sqlalchemy import func, select

from jimtraining.accounts.models import ROLES, User
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


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
    """Set a new password; every other session of this user ends (the session token changes)."""
    user.set_password(new_password)
    db.session.commit()
    log.info("password changed: user=%s", user.id)


def set_enabled(user: User, enabled: bool, by: User) -> None:
    """(De)activate an account. Deactivation ends the user's sessions at their next request."""
    if user.id == by.id and not enabled:
        raise ValueError("you cannot deactivate yourself")
    user.is_enabled = enabled
    if not enabled:
        user.rotate_session_token()
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
