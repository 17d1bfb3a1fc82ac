"""Building and signing the credential of a certificate.

It happens once, in a background job after the certificate is written: a listener on the Certificate table
(registered when the app imports this module) writes a "credential.sign" job in the same transaction, and the jobs
worker signs the credential after the commit (jimtraining/jobs/), never inside the request. Serving it is then
one query. The certification code does not know about credentials; nothing there calls this module.

A certificate written before credentials existed (or loaded in bulk past the ORM) gets its credential from a job
asked for by the first request for it, or from `flask credentials issue-missing`. A credential whose holder's
account was erased is signed again with the initials the certificate now shows (`reissue`, called by the privacy
registry, in the erasure's own transaction: the name must be gone at once).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import event, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from jimtraining.certification.models import Certificate
from jimtraining.credentials.achievements import achievement, fallback_achievement, track_facts, with_accreditation
from jimtraining.credentials.engine import CredentialData, CredentialError, sign_credential
from jimtraining.credentials.issuer import home_page, issuer_id, issuer_name, public_url, verification_method
from jimtraining.credentials.keys import signing_material
from jimtraining.credentials.models import BadgeCredential
from jimtraining.credentials.status import draw_index
from jimtraining.extensions import db
from jimtraining.jobs import enqueue, handler
from jimtraining.jobs.services import enqueue_from_flush
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

CREDENTIALS, CERTIFICATES = BadgeCredential.__table__, Certificate.__table__


def build_document(connection, certificate, status_index: int, now: datetime) -> tuple[str, int]:
    """The signed credential of `certificate` (a Certificate or a row with its columns) as JSON text, and the
    number of the key that signed it."""
    facts = track_facts(connection, certificate.qualification)
    certified = (achievement(facts) if facts is not None
                 else fallback_achievement(certificate.qualification, certificate.track_title))
    # The accreditation as it was when the certificate was signed (a later edit of the track does not change it).
    accreditation = certificate.accreditation or None
    certified = with_accreditation(certified, accreditation)
    material = signing_material(connection, now)
    data = CredentialData(
        id=public_url("credentials.credential_json", code=certificate.code), issuer_id=issuer_id(),
        issuer_name=issuer_name(), issuer_url=home_page(), holder_name=certificate.holder_name,
        achievement=certified, valid_from=as_utc(certificate.issued_at), valid_until=as_utc(certificate.expires_at),
        status_list_url=public_url("credentials.status_list"), status_index=status_index,
        credits_earned=float(accreditation["points"]) if accreditation else None)
    return sign_credential(data, material.private_key_pem, verification_method(material.number), now), \
        material.number


def issue(connection, certificate, now: datetime | None = None) -> str | None:
    """Draw the certificate's status bit, sign its credential and store both (not committed); the credential's
    text, or None when it could not be signed (logged: the certificate itself is not held up by it, and its
    credential is made on the first request for it once the cause is fixed)."""
    now = now or utcnow()
    try:
        status_list, index = draw_index(connection)
        text, key_number = build_document(connection, certificate, index, now)
    except SQLAlchemyError:
        raise  # the transaction is broken: the certificate is not written either (create_certificate retries)
    except Exception:  # noqa: BLE001 - a badge that cannot be signed must not stop the certificate; made later
        log.exception("certificate %s: no Open Badge credential signed", certificate.id)
        return None
    connection.execute(insert(CREDENTIALS).values(certificate_id=certificate.id, status_list=status_list,
                                                  status_index=index, document=text, key_number=key_number,
                                                  signed_at=now))
    return text


@event.listens_for(Certificate, "after_insert")
def _sign_new_certificate(_mapper, connection, certificate) -> None:
    enqueue_from_flush(connection, "credential.sign", {"certificate_id": certificate.id},
                       key=f"certificate:{certificate.id}:credential")


def queue_credential(certificate) -> None:
    """Ask for the credential of a certificate that has none (signed by a job after the commit)."""
    enqueue("credential.sign", {"certificate_id": certificate.id}, key=f"certificate:{certificate.id}:credential",
            again_if_done=True)


@handler("credential.sign", repeatable=True)
def sign_job(payload: dict) -> None:
    """The job: sign the certificate's credential, unless it has one; raises (and is tried again) when it cannot
    be signed."""
    certificate = db.session.get(Certificate, payload["certificate_id"])
    if certificate is not None and issue_missing(certificate) is None:
        raise CredentialError(f"certificate {certificate.id}: no Open Badge credential signed")


def issue_missing(certificate) -> str | None:
    """The credential of a certificate that has none yet (written before credentials existed, or its signing
    failed), made now and committed. Two requests at once: the second finds the first one's."""
    connection = db.session.connection()
    row = connection.execute(select(CREDENTIALS.c.id, CREDENTIALS.c.status_index)
                             .where(CREDENTIALS.c.certificate_id == certificate.id)).first()
    try:
        if row is None:
            text = issue(connection, certificate)
        else:  # kept its bit, lost its document (see reissue)
            text, key_number = build_document(connection, certificate, row.status_index, utcnow())
            connection.execute(update(CREDENTIALS).where(CREDENTIALS.c.id == row.id, CREDENTIALS.c.document == "")
                               .values(document=text, key_number=key_number, signed_at=utcnow()))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    except CredentialError:
        db.session.rollback()
        log.exception("certificate %s: no Open Badge credential signed", certificate.id)
        return None
    return db.session.scalar(select(BadgeCredential.document).where(BadgeCredential.certificate_id == certificate.id)
                             ) or None


def reissue(connection, certificate_ids) -> int:
    """Sign the credentials of these certificates again from what the certificates say now, keeping their status
    bits (not committed); how many. Used when a holder's account is erased and the name becomes initials: the
    stored credential must not keep the name. When signing fails, the stored document is emptied (the name goes
    either way) and made again on the next request."""
    rows = connection.execute(
        select(CERTIFICATES.c.id, CERTIFICATES.c.code, CERTIFICATES.c.qualification, CERTIFICATES.c.track_title,
               CERTIFICATES.c.holder_name, CERTIFICATES.c.issued_at, CERTIFICATES.c.expires_at,
               CERTIFICATES.c.accreditation, CREDENTIALS.c.id.label("credential_id"), CREDENTIALS.c.status_index)
        .join(CREDENTIALS, CREDENTIALS.c.certificate_id == CERTIFICATES.c.id)
        .where(CERTIFICATES.c.id.in_(list(certificate_ids)))).all()
    now = utcnow()
    for row in rows:
        try:
            text, key_number = build_document(connection, row, row.status_index, now)
        except CredentialError:
            log.exception("certificate %s: credential emptied, not signed again", row.id)
            text, key_number = "", None
        values = {"document": text, "signed_at": now}
        if key_number is not None:
            values["key_number"] = key_number
        connection.execute(update(CREDENTIALS).where(CREDENTIALS.c.id == row.credential_id).values(values))
    return len(rows)
