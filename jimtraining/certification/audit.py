"""What the audit log's actions are called, and the newest events (the admin's start page shows a few)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jimtraining.certification.models import AuditEvent
from jimtraining.extensions import db

AUDIT_ACTIONS = {
    "certificate.issued": _l("Certificaat afgetekend"),
    "certificate.revoked": _l("Certificaat ingetrokken"),
    "licence.granted": _l("Licentie gegeven"),
    "licence.renewed": _l("Licentie verlengd"),
    "licence.withdrawn": _l("Licentie ingetrokken"),
    "practice.approved": _l("Praktijkopdracht goedgekeurd"),
    "practice.returned": _l("Praktijkopdracht teruggegeven"),
    "practice.deviated": _l("Praktijkopdracht: besluit wijkt af van het voorstel"),
    "round.deviated": _l("Rollenspel: uitslag wijkt af van het voorstel"),
    "co_training.signed": _l("Co-training ondertekend"),
    "accreditation.set": _l("SKJ-accreditatie van een groep vastgelegd"),
    "accreditation.cleared": _l("SKJ-accreditatie van een groep weggehaald"),
    # The public API's tokens (jimtraining/api/tokens.py): every use is in the log file, the first of each day here.
    "api_token.created": _l("API-sleutel gemaakt"),
    "api_token.revoked": _l("API-sleutel ingetrokken"),
    "api_token.used": _l("API-sleutel gebruikt (eerste keer die dag)"),
}


def latest_events(limit: int = 5) -> list[AuditEvent]:
    """The newest audit events, newest first (in the order of the audit log page). One query."""
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                   .limit(limit)))
