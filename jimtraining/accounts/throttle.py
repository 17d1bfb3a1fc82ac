"""Throttling of logins and password resets (Flask-Limiter, set up in jimtraining/extensions.py).

Limits are counted per client address and per e-mail address as submitted (trimmed, lower case: the same form
the login uses to find the account), so the refusal never depends on whether the account exists. The limits
themselves are settings (LOGIN_LIMIT_PER_ACCOUNT etc. in jimtraining/config.py).
"""

import hashlib
import time

from flask import current_app, make_response, render_template, request

from jimtraining.extensions import client_address, limiter


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
