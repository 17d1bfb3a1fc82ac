"""A certificate's PDF: drawn by a background job after the commit that wrote (or changed) the certificate, kept
in the database, and served from there; never drawn inside a request. Until it is there, the download page says
it is being made (certification/views.py).

A kept PDF is served only while it shows what the certificate says now (its fingerprint); erasing a holder's
name deletes it (personal_data.py) and the next download asks for a new one.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import delete, select

from jimtraining.certification.models import Certificate, CertificatePdf
from jimtraining.extensions import db
from jimtraining.jobs import enqueue, handler
from jimtraining.timeutil import local_date, local_date_iso, utcnow
from jimtraining.web import absolute_url


def fingerprint(certificate: Certificate) -> str:
    """Of the values the PDF shows (the verification address follows from the code)."""
    values = [certificate.holder_name, certificate.number, certificate.code, certificate.track_title,
              local_date_iso(certificate.issued_at), local_date_iso(certificate.expires_at),
              certificate.trainer_name, certificate.organisation_name, certificate.accreditation]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()


def queue_pdf(certificate: Certificate) -> None:
    """Ask for the certificate's PDF once the running transaction commits (again when an earlier one was made)."""
    enqueue("certificate.pdf", {"certificate_id": certificate.id}, key=f"certificate:{certificate.id}:pdf",
            again_if_done=True)


def stored_pdf(certificate: Certificate) -> bytes | None:
    """The kept PDF, when it shows what the certificate says now."""
    return db.session.scalar(select(CertificatePdf.pdf).where(CertificatePdf.certificate_id == certificate.id,
                                                              CertificatePdf.fingerprint == fingerprint(certificate)))


def forget_pdfs(certificate_ids) -> None:
    """Delete the kept PDFs of these certificates (not committed)."""
    db.session.execute(delete(CertificatePdf).where(CertificatePdf.certificate_id.in_(list(certificate_ids))))


@handler("certificate.pdf", repeatable=True)
def draw(payload: dict) -> None:
    """The job: draw the PDF and keep it (the job's commit stores it). Nothing for a revoked certificate."""
    from jimtraining.certification.pdf import certificate_pdf

    certificate = db.session.get(Certificate, payload["certificate_id"])
    if certificate is None or certificate.revoked_at is not None:
        return
    pdf = certificate_pdf(holder_name=certificate.holder_name, number=certificate.number,
                          track_title=certificate.track_title, issued_on=local_date(certificate.issued_at),
                          expires_on=local_date(certificate.expires_at), trainer_name=certificate.trainer_name,
                          organisation_name=certificate.organisation_name,
                          accreditation=certificate.accreditation,
                          verify_url=absolute_url("certification.verify", code=certificate.code))
    forget_pdfs([certificate.id])
    db.session.add(CertificatePdf(certificate_id=certificate.id, fingerprint=fingerprint(certificate), pdf=pdf,
                                  drawn_at=utcnow()))
