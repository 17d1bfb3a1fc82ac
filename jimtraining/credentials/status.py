"""Revocation through a W3C Bitstring Status List that the platform serves (/credentials/status/1).

Every credential names a bit of the list, drawn at random when its certificate was written (a random place tells
nothing about when or in what order certificates were issued). The bit of a revoked certificate is set. The list
is a credential itself, signed like the others, valid for a week and re-signed daily or as soon as a revocation
changes it; wallets and verifiers fetch it to see whether a credential still holds.

Nothing about the list is stored: it follows from which certificates are revoked. Each app process keeps the
last list it signed and signs again only when the revoked bits, the issuer or the signing key changed, or when
the list is a day old: serving it costs two queries (the revoked bits and the key), not a signature.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from jimtraining.certification.models import Certificate
from jimtraining.credentials.engine import STATUS_LIST_BITS, CredentialError, sign_status_list
from jimtraining.credentials.issuer import issuer_id, public_url, verification_method
from jimtraining.credentials.keys import current_key, unlock
from jimtraining.credentials.models import BadgeCredential
from jimtraining.timeutil import utcnow

#: The list every credential points at for now: 131,072 bits hold far more certificates than the programme's
#: goal. (BadgeCredential.status_list lets a second list be added later without touching the first.)
STATUS_LIST = 1
#: How long a signed list is valid (validUntil), and after how long a process signs it again.
VALID_FOR = timedelta(days=7)
SIGN_AGAIN_AFTER = timedelta(days=1)
#: How long a verifier may keep a copy (the list's ttl, in milliseconds): a revocation shows within minutes.
TTL_MS = 5 * 60 * 1000

CREDENTIALS, CERTIFICATES = BadgeCredential.__table__, Certificate.__table__
_random = secrets.SystemRandom()
_lock = threading.Lock()


def draw_index(connection) -> tuple[int, int]:
    """A free bit of the status list, at random: (list, index). One query, almost always."""
    for _attempt in range(20):
        candidates = _random.sample(range(STATUS_LIST_BITS), 32)
        used = set(connection.execute(select(CREDENTIALS.c.status_index).where(
            CREDENTIALS.c.status_list == STATUS_LIST, CREDENTIALS.c.status_index.in_(candidates))).scalars())
        for index in candidates:
            if index not in used:
                return STATUS_LIST, index
    raise CredentialError("the status list has (almost) no free bits left: add a second list")  # pragma: no cover


def revoked_indices(connection, status_list: int = STATUS_LIST) -> tuple[int, ...]:
    """The bits of the revoked certificates' credentials."""
    return tuple(connection.execute(
        select(CREDENTIALS.c.status_index).join(CERTIFICATES, CERTIFICATES.c.id == CREDENTIALS.c.certificate_id)
        .where(CREDENTIALS.c.status_list == status_list, CERTIFICATES.c.revoked_at.is_not(None))
        .order_by(CREDENTIALS.c.status_index)).scalars())


@dataclass(frozen=True)
class _Signed:
    revoked: tuple[int, ...]
    issuer: str
    key: str
    signed_at: datetime
    text: str


def status_list_text(connection, now: datetime | None = None) -> str | None:
    """The signed status list credential as JSON text; None while no key exists (no credential was issued)."""
    now = now or utcnow()
    revoked = revoked_indices(connection)
    key = current_key(connection)
    if key is None:
        return None
    issuer = issuer_id()
    kept = current_app.extensions.setdefault("jim_credential_status", {})
    with _lock:
        signed = kept.get(STATUS_LIST)
        if (signed is not None and (signed.revoked, signed.issuer, signed.key) == (revoked, issuer, key.public_key)
                and signed.signed_at <= now < signed.signed_at + SIGN_AGAIN_AFTER):
            return signed.text
        material = unlock(key)
        text = sign_status_list(issuer, public_url("credentials.status_list"), list(revoked),
                                material.private_key_pem, verification_method(material.number), now,
                                now + VALID_FOR, TTL_MS)
        kept[STATUS_LIST] = _Signed(revoked, issuer, key.public_key, now, text)
        return text
