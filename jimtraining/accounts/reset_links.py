"""Links to choose a new password, sent by mail.

A link holds the user id and a fingerprint, signed with SECRET_KEY (itsdangerous, with a salt of its own so no
other signed value can pass for one) and stamped with the time it was made. Nothing is stored: the link works
while it is younger than PASSWORD_RESET_MAX_AGE, the account is enabled and the fingerprint still matches. The
fingerprint is an HMAC of the account's password hash, e-mail address and session state (User.session_token,
replaced whenever all its sessions end), so the link stops working as soon as the password is set (through this
link or any other way: single use), the address changes, or the account is switched off, even if it is switched
on again later.
"""

import hashlib
import hmac
import time

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from jimtraining.accounts.models import User
from jimtraining.extensions import db

SALT = "jimtraining.accounts.password-reset"


def clock() -> float:
    """The time used to stamp and check links (tests move it forward instead of sleeping)."""
    return time.time()


class _Signer(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock())


class ResetLinkError(Exception):
    """The link cannot be used. ``kind`` is "expired", "invalid" (changed or cut off) or "used"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_Signer)


def fingerprint(user) -> str:
    key = hashlib.sha256(f"{SALT}:{current_app.config['SECRET_KEY']}".encode()).digest()
    message = f"{user.id}|{user.email}|{user.password_hash}|{user.session_token}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def make_token(user) -> str:
    return _serializer().dumps([user.id, fingerprint(user)])


def max_age_minutes() -> int:
    return current_app.config["PASSWORD_RESET_MAX_AGE"] // 60


def user_for_token(token: str):
    """The user this link is for; raises ResetLinkError when it has expired, was changed or was used."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise ResetLinkError("expired") from None
    except BadData:  # a changed, cut-off or made-up link
        raise ResetLinkError("invalid") from None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)
            and not isinstance(payload[0], bool) and isinstance(payload[1], str)):
        raise ResetLinkError("invalid")
    user_id, given = payload
    user = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not user.is_enabled or not hmac.compare_digest(given.encode(), fingerprint(user).encode()):
        raise ResetLinkError("used")
    return user
