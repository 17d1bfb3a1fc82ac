"""Who is asking: the bearer token of a request to /api/v1, its scope, its rate limit, and the audit line of
every use.

Refusals (RFC 6750): no token -> 401; an unknown, expired or revoked token -> 401 ``invalid_token`` (the detail
says which, so the organisation knows to make a new one); a token without the scope an endpoint needs -> 403
``insufficient_scope``. A token of organisation A asking for an object of organisation B gets 404, as for an
object that does not exist: the API does not tell one organisation what another has."""

from __future__ import annotations

import logging
import time

from flask import current_app, g, request
from flask_babel import gettext as _
from limits import parse_many

from jimtraining.api.models import ApiToken
from jimtraining.api.problems import problem
from jimtraining.api.tokens import VISIBLE, record_use, token_by_secret
from jimtraining.extensions import db, limiter
from jimtraining.timeutil import utcnow

#: One line per request with a token: the audit trail of every use (jimtraining/api/tokens.py explains why the
#: database records less).
audit_log = logging.getLogger("jimtraining.api.audit")
log = logging.getLogger(__name__)

#: Requests per token (RFC: the same limit for every endpoint). API_RATE_LIMIT in the settings overrides it.
API_RATE_LIMIT = "120 per minute; 5000 per hour"
REALM = 'Bearer realm="jimtraining"'


class RefusedError(Exception):
    """A request that may not go on; ``response`` is its problem-details answer."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _space, value = header.partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate(scope: str | None) -> ApiToken:
    """The request's token if it may use `scope` (None: any valid token); raises RefusedError otherwise. One
    query (the token, with its organisation)."""
    secret = _bearer()
    if secret is None:
        raise RefusedError(problem(401, _("Er is geen sleutel meegestuurd. Stuur hem mee als Authorization: Bearer "
                                     "<sleutel>."), {"WWW-Authenticate": REALM}))
    token = token_by_secret(secret)
    state = token.status() if token is not None else "unknown"
    if state != "active":
        audit_log.info("api refused: %s token %s… %s %s", state, secret[:VISIBLE], request.method,
                       request.full_path.rstrip("?"))
        detail = {"unknown": _("Deze sleutel bestaat niet."),
                  "expired": _("Deze sleutel is verlopen. Vraag een nieuwe aan."),
                  "revoked": _("Deze sleutel is ingetrokken. Vraag een nieuwe aan.")}[state]
        raise RefusedError(problem(401, detail, {"WWW-Authenticate": f'{REALM}, error="invalid_token"'}))
    if scope is not None and scope not in token.scope_list:
        g.api_token = token  # a refused use is still a use: it is logged
        raise RefusedError(problem(403, _("Deze sleutel heeft het recht %(scope)s niet.", scope=scope),
                              {"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'}))
    g.api_token = token
    _count_request(token)
    return token


def _count_request(token: ApiToken) -> None:
    """Count the request against the token's limits (Flask-Limiter's store); RefusedError with 429 when one is used
    up. A store that cannot be reached lets the request through (logged), as the login throttle does."""
    if not (limiter.enabled and limiter.initialized):
        return
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    setting = current_app.config.get("API_RATE_LIMIT") or API_RATE_LIMIT
    try:
        for item in parse_many(setting):
            ids = (prefix, "api-token", str(token.id))
            if not limiter.limiter.hit(item, *ids):
                reset_at = limiter.limiter.get_window_stats(item, *ids).reset_time
                wait = max(1, int(reset_at - time.time()))
                raise RefusedError(problem(429, headers={"Retry-After": str(wait)}))
    except RefusedError:
        raise
    except Exception:  # noqa: BLE001 - a store that is down must not stop the API
        log.warning("api: the rate-limit store cannot be used", exc_info=True)


def after_api_request(response):
    """The audit line of every request that presented a known token, and the token's last use (at most one
    write a minute, tokens.record_use)."""
    token = g.pop("api_token", None)
    if token is None:
        return response
    audit_log.info("api use: token %s (%s) organisation %s %s %s -> %s", token.id, token.prefix,
                   token.organisation_id, request.method, request.full_path.rstrip("?"), response.status_code)
    try:
        record_use(token, utcnow())
    except Exception:  # noqa: BLE001 - the answer is ready; a failed bookkeeping write must not turn it into a 500
        db.session.rollback()
        log.warning("api: the use of token %s could not be recorded", token.id, exc_info=True)
    return response
