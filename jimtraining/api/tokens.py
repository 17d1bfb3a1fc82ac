"""Personal access tokens: making one (shown once), finding it again by its hash, revoking it, and recording
its use.

Recording every use without a database write on every request: each request writes one audit line to the log
(logger ``jimtraining.api.audit``: token, organisation, method, path, status, request id; see
jimtraining/api/auth.py). The database gets ``last_used_at``, written only when the stored moment is a minute or
more old, and one ``api_token.used`` event in the audit log per token per day (the first use that day). So a
client that reads 1000 pages in a minute costs one UPDATE, not 1000."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.api.models import ApiToken
from jimtraining.api.scopes import SCOPES
from jimtraining.certification.services import audit
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.timeutil import as_utc, local_date, utcnow

log = logging.getLogger(__name__)

#: Every token starts with this, so a token pasted where it does not belong (a repository, a ticket) is
#: recognised by people and by secret scanners.
TOKEN_PREFIX = "jimt_"
#: How many characters of a token are kept readable (TOKEN_PREFIX included).
VISIBLE = 12
#: The longest a token may live.
MAX_LIFETIME = timedelta(days=366)
#: last_used_at is written at most this often per token.
USE_WRITE_INTERVAL = timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be made as asked (the message says why, in the user's language)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_token(organisation, name: str, scopes: list[str], expires_at, actor) -> tuple[ApiToken, str]:
    """A new token for `organisation`; returns the row and the token itself (shown once, never stored).
    Committed, with an audit event."""
    now = utcnow()
    scopes = [scope for scope in SCOPES if scope in set(scopes)]
    if not scopes:
        raise TokenError(_("Kies minstens één recht."))
    expires_at = as_utc(expires_at)
    if expires_at <= now:
        raise TokenError(_("De vervaldatum moet in de toekomst liggen."))
    if expires_at - now > MAX_LIFETIME:
        raise TokenError(_("Een sleutel werkt hoogstens een jaar."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(organisation_id=organisation.id, name=name.strip(), prefix=token[:VISIBLE],
                   token_hash=hash_token(token), scopes=" ".join(scopes), created_at=now, expires_at=expires_at)
    db.session.add(row)
    db.session.flush()
    audit("api_token.created", actor, None, "api_token", row.id, organisation=organisation.name,
          prefix=row.prefix, scopes=scopes, expires_on=local_date(expires_at).isoformat())
    db.session.commit()
    return row, token


def revoke_token(row: ApiToken, actor) -> None:
    """Stop a token from working, at once. Committed, with an audit event. Revoking twice changes nothing."""
    if row.revoked_at is not None:
        return
    row.revoked_at = utcnow()
    audit("api_token.revoked", actor, None, "api_token", row.id, organisation=row.organisation.name,
          prefix=row.prefix)
    db.session.commit()


def token_by_secret(token: str) -> ApiToken | None:
    """The token row for a presented token, whatever its state (the caller checks expiry and revocation); one
    query, with its organisation."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))


def record_use(row: ApiToken, now=None) -> None:
    """Remember that the token was used now: last_used_at (at most once a minute) and the first use of each day
    as an audit event. Committed when anything changed; no statement at all otherwise."""
    now = now or utcnow()
    last = as_utc(row.last_used_at)
    if last is not None and now - last < USE_WRITE_INTERVAL:
        return
    if last is None or local_date(last) != local_date(now):
        audit("api_token.used", None, None, "api_token", row.id, organisation=row.organisation.name,
              prefix=row.prefix, first_use_on=local_date(now).isoformat())
    row.last_used_at = now
    db.session.commit()


def organisation_tokens() -> list[ApiToken]:
    """Every token, newest first, with its organisation (one query)."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def token_or_none(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)


def organisation_or_none(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)
