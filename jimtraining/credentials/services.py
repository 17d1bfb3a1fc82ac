"""Open Badges 3.0 credentials of certificates: what the rest of the platform uses.

- `credential_for(certificate)`: the signed OpenBadgeCredential (a dict), the same every time.
- `stored_credential(code)`: a certificate by its verification code with its credential's text, in one query.
- `verify(document)`: whether a credential was signed by this platform, and whether it is revoked or expired.
- `status_list()`, `issuer_profile()`, `did_document()`, `achievement_document(slug)`: the public documents a
  wallet or verifier fetches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from jimtraining.certification.models import Certificate, Track
from jimtraining.certification.services import CODE_RE
from jimtraining.credentials import achievements, engine, issuer
from jimtraining.credentials.engine import CredentialError
from jimtraining.credentials.issuing import queue_credential
from jimtraining.credentials.keys import public_key, published_keys
from jimtraining.credentials.models import BadgeCredential
from jimtraining.credentials.status import STATUS_LIST, status_list_text
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


@dataclass(frozen=True)
class Stored:
    certificate: Certificate
    #: The credential as served; None when it has not been made yet.
    text: str | None


def stored_credential(code: str) -> Stored | None:
    """The certificate with this verification code and its credential's text (one query), or None."""
    if not CODE_RE.match(code or ""):
        return None
    row = db.session.execute(
        select(Certificate, BadgeCredential.document)
        .outerjoin(BadgeCredential, BadgeCredential.certificate_id == Certificate.id)
        .where(Certificate.code == code)).first()
    return None if row is None else Stored(row[0], row[1] or None)


def credential_text(certificate: Certificate, stored: str | None = None) -> str | None:
    """The credential's JSON text as stored; None when it is not there yet (a job is asked to sign it, never
    this request)."""
    if stored is None:
        stored = db.session.scalar(select(BadgeCredential.document)
                                   .where(BadgeCredential.certificate_id == certificate.id)) or None
    if stored is None:
        queue_credential(certificate)
        db.session.commit()
    return stored


def credential_for(certificate: Certificate) -> dict:
    """The signed OpenBadgeCredential of a certificate (revoked ones too: the status list says they are)."""
    text = credential_text(certificate)
    if text is None:
        raise CredentialError(f"certificate {certificate.id} has no credential and none could be signed")
    return json.loads(text)


# Verification --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    #: The document is an OB 3.0 credential of this platform and its proof verifies with one of its keys.
    verified: bool
    #: Its bit in the platform's status list is set.
    revoked: bool = False
    #: Its validity period is over (or has not begun).
    expired: bool = False
    #: Why it is not verified, or what else is wrong.
    problem: str = ""

    @property
    def valid(self) -> bool:
        return self.verified and not self.revoked and not self.expired


def _moment(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _key_number(document: dict, issuer_id: str) -> int | None:
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    methods = {proof.get("verificationMethod") for proof in proofs if isinstance(proof, dict)}
    prefix = f"{issuer_id}#key-"
    if len(methods) != 1:
        return None
    method = methods.pop()
    if not isinstance(method, str) or not method.startswith(prefix) or not method[len(prefix):].isdigit():
        return None
    return int(method[len(prefix):])


def verify(document) -> Verification:
    """Check a credential (a dict, JSON text or bytes) against this platform's keys and status list, offline.

    Verified means: issued by this platform (its issuer, one of its keys), the JSON is exactly what the
    eddsa-rdfc-2022 proof signs, and the signature holds. Revoked and expired are told apart from that."""
    try:
        document = engine.parse(document)
    except CredentialError as error:
        return Verification(False, problem=str(error))
    ours = issuer.issuer_id()
    given = document.get("issuer")
    if (given.get("id") if isinstance(given, dict) else given) != ours:
        return Verification(False, problem="not issued by this platform")
    number = _key_number(document, ours)
    multikey = public_key(db.session.connection(), number) if number is not None else None
    if multikey is None:
        return Verification(False, problem="not signed with a key of this platform")
    key = engine.public_pem(multikey)
    now = utcnow()
    until, since = _moment(document.get("validUntil")), _moment(document.get("validFrom"))
    expired = bool((until and until < now) or (since and since > now))
    try:
        engine.verify_credential(document, key)
    except CredentialError as error:
        if not expired:
            return Verification(False, problem=str(error))
        try:  # outside its validity period: the library says only that; check the proof itself
            engine.verify_proof(document, key)
        except CredentialError as proof_error:
            return Verification(False, expired=True, problem=str(proof_error))
    try:
        revoked = _revoked(document)
    except CredentialError as error:
        return Verification(True, expired=expired, problem=str(error))
    return Verification(True, revoked=revoked, expired=expired)


def _revoked(document: dict) -> bool:
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries]
    ours = issuer.public_url("credentials.status_list")
    revocation = [entry for entry in entries if isinstance(entry, dict) and entry.get("statusPurpose") == "revocation"]
    if len(revocation) != 1 or revocation[0].get("statusListCredential") != ours:
        raise CredentialError("its status is not in this platform's status list")
    text = status_list()
    if text is None:
        raise CredentialError("there is no status list yet")
    bits = engine.status_bits(json.loads(text)["credentialSubject"]["encodedList"])
    try:
        index = int(revocation[0].get("statusListIndex"))
    except (TypeError, ValueError):
        raise CredentialError("its status list index is not a number") from None
    return engine.bit_is_set(bits, index)


# Public documents ----------------------------------------------------------------------------------------------

def status_list(list_number: int = STATUS_LIST) -> str | None:
    """The signed revocation list (JSON text), or None while no credential was ever signed."""
    if list_number != STATUS_LIST:
        return None
    return status_list_text(db.session.connection())


def issuer_profile() -> dict:
    return issuer.profile(published_keys(db.session.connection()))


def did_document() -> dict | None:
    return issuer.did_document(published_keys(db.session.connection()))


def achievement_document(track_slug: str) -> dict | None:
    """The Achievement of a qualification track, as its id serves it; None for any other slug."""
    facts = achievements.track_facts(db.session.connection(), track_slug)
    if facts is None:
        return None
    return engine.achievement_document(achievements.achievement(facts), issuer.issuer_id())


def badge_title(track_slug: str) -> str | None:
    """The title on the badge image of a qualification track (one query)."""
    return db.session.scalar(select(Track.title).where(Track.slug == track_slug, Track.renews.is_(None)))
