"""Throttling of logins and password resets (Flask-Limiter, set up in jimtraining/extensions.py).

Limits are counted per client address and per e-mail address as submitted (trimmed, lower case: the same form
the login uses to find the account), so the refusal never depends on whether the account exists. The limits
themselves are settings (LOGIN_LIMIT_PER_ACCOUNT etc. in jimtraining/config.py).

`used_up` and `count` use the same limiter and store for what a decorator cannot count: only some outcomes of a
request (the wrong check-in codes of jimtraining/cohorts/attendance.py).
"""

import hashlib
import logging
import time

from flask import current_app, make_response, render_template, request
from limits import parse_many

from jimtraining.extensions import client_address, limiter

log = logging.getLogger(__name__)


def _setting(name: str):
    return lambda: current_app.config[name]


def by_client() -> str:
    return "ip:" + client_address()


def by_submitted_email() -> str:
    """The e-mail address in the form, normalised; hashed so the counter store holds no addresses."""
    email = (request.form.get("email") or "").strip().lower()
    return "email:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


def refusal(template: str, message: str, request_limit, **context):
    """The page to show instead, with status 429 and when to try again."""
    response = make_response(render_template(template, refusal=message, **context), 429)
    response.headers["Retry-After"] = str(max(1, int(request_limit.reset_at - time.time())))
    return response


def limit_per_client(setting: str, on_breach):
    return limiter.limit(_setting(setting), key_func=by_client, methods=["POST"], on_breach=on_breach)


def limit_per_email(setting: str, on_breach):
    return limiter.limit(_setting(setting), key_func=by_submitted_email, methods=["POST"], on_breach=on_breach)


def _counters(setting: str, key: str):
    """(limit, identifiers) for each limit of a setting such as "30 per hour; 100 per day", or nothing when the
    limiter is switched off (RATELIMIT_ENABLED=False)."""
    if not (limiter.enabled and limiter.initialized):
        return []
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return [(item, (prefix, setting.lower(), key)) for item in parse_many(current_app.config[setting])]


def used_up(setting: str, key: str) -> bool:
    """Whether `key` has used up one of the limits of `setting` (counts nothing). When the store cannot be
    reached the answer is no: the caller's own limits still hold."""
    try:
        return any(not limiter.limiter.test(item, *ids) for item, ids in _counters(setting, key))
    except Exception:  # noqa: BLE001 - a store that is down must not stop the request
        log.warning("throttle: the store of %s cannot be read", setting, exc_info=True)
        return False


def count(setting: str, key: str) -> None:
    """Count one event for `key` against every limit of `setting`."""
    try:
        for item, ids in _counters(setting, key):
            limiter.limiter.hit(item, *ids)
    except Exception:  # noqa: BLE001
        log.warning("throttle: the store of %s cannot be written", setting, exc_info=True)
def by_account() -> str:
    from flask_login import current_user

    return f"user:{current_user.id}"


def limit_password_checks(field: str, on_breach):
    """Wrong current passwords typed in a logged-in form (a new e-mail address, a new password), counted per
    account with the login's limit: a session someone took over must not become a way to guess the password at
    full speed. Saves that succeed (a redirect) and requests without a password are not counted."""
    from flask_login import current_user

    return limiter.limit(_setting("LOGIN_LIMIT_PER_ACCOUNT"), key_func=by_account, methods=["POST"],
                         on_breach=on_breach, deduct_when=lambda response: response.status_code != 302,
                         exempt_when=lambda: not current_user.is_authenticated or not request.form.get(field))
