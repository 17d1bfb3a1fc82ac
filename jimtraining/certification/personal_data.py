"""Certification's part of a person's data export and of erasing an account: practice assignments, licences,
certificates and the audit log.

jimtraining/privacy/registry.py says which tables point at a person and what erasure does with each; this module
builds these tables' export sections and does what a registry link cannot say (docs/PRIVACY.md says why).
"""

import re
from collections import Counter

from sqlalchemy import or_, select, update

from jimtraining.certification.documents import forget_pdfs
from jimtraining.certification.models import (
    AuditEvent,
    Certificate,
    PracticeAssignment,
    PracticeVersion,
    TrainerLicence,
)
from jimtraining.exports.values import pick
from jimtraining.extensions import db

CERTIFICATE_FIELDS = ("number", "code", "track_title", "qualification", "issued_at", "expires_at", "holder_name",
                      "trainer_name", "organisation_name", "revoked_at", "revoke_reason")


def initials(name: str) -> str:
    """"Lotte van der Leerling" -> "L. v. d. L.": what a verification page shows of an erased holder."""
    return " ".join(f"{part[0]}." for part in re.split(r"[\s-]+", (name or "").strip()) if part) or "?"


def export_practice(user) -> dict:
    assignments = db.session.scalars(select(PracticeAssignment).where(PracticeAssignment.user_id == user.id)
                                     .order_by(PracticeAssignment.id)).all()
    reviews = db.session.execute(select(PracticeVersion, PracticeAssignment.track_slug)
                                 .join(PracticeAssignment, PracticeAssignment.id == PracticeVersion.assignment_id)
                                 .where(PracticeVersion.reviewed_by_id == user.id).order_by(PracticeVersion.id)).all()
    return {
        "practice_assignments": [
            {**pick(a, ("track_slug", "created_at")),
             "versions": [pick(v, ("number", "text", "word_count", "submitted_at", "decision", "feedback",
                                   "reviewed_at", "scores", "proposed_decision", "decision_reason"))
                          for v in a.versions]}
            for a in assignments],
        # Your decisions and feedback on someone else's assignment; not their text, not their name.
        "practice_reviews_given": [{"track_slug": slug, **pick(v, ("number", "decision", "feedback", "reviewed_at",
                                                                   "decision_reason"))}
                                   for v, slug in reviews],
    }


def blank_practice_texts(user_id: int) -> Counter:
    """The reflection is free text about their own work, the trainer's feedback and the reason for a decision that
    deviates from the criteria are about them: all go (the reason stays in the audit log). The versions stay
    (number, word count, decision, levels, dates) so the trainer's queue and the figures add up."""
    versions = PracticeVersion.__table__
    theirs = select(PracticeAssignment.id).where(PracticeAssignment.user_id == user_id)
    result = db.session.execute(update(versions).where(versions.c.assignment_id.in_(theirs))
                                .values(text="", feedback=None, decision_reason=None))
    return Counter({"practice_version.anonymise": max(result.rowcount or 0, 0)})


def export_certificates(user) -> dict:
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                      .order_by(Certificate.issued_at, Certificate.id)).all()
    return {"certificates": [{**pick(c, CERTIFICATE_FIELDS), "status": c.status()} for c in certificates]}


def certificates_show_initials(user_id: int) -> Counter:
    """A certificate stays verifiable (docs/PRIVACY.md, "Certificates"), but with initials instead of the name:
    of the holder on their own certificates, of the trainer on the certificates they signed."""
    counts = Counter()
    certificates = Certificate.__table__
    for column, name_column in (("user_id", "holder_name"), ("issued_by_id", "trainer_name")):
        rows = db.session.execute(select(certificates.c.id, certificates.c[name_column])
                                  .where(certificates.c[column] == user_id)).all()
        for certificate_id, name in rows:
            db.session.execute(update(certificates).where(certificates.c.id == certificate_id)
                               .values({name_column: initials(name)}))
            counts["certificate.anonymise"] += 1
            forget_pdfs([certificate_id])  # the kept PDF shows the name; a new one is drawn on the next download
    return counts


def export_licences(user) -> dict:
    licences = db.session.scalars(select(TrainerLicence).where(TrainerLicence.user_id == user.id)
                                  .order_by(TrainerLicence.valid_from, TrainerLicence.id)).all()
    return {"trainer_licences": [{**pick(item, ("granted_at", "valid_from", "expires_at", "withdrawn_at",
                                                "withdraw_reason")), "status": item.status()}
                                 for item in licences]}


def export_audit(user) -> dict:
    about = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                               .order_by(AuditEvent.at, AuditEvent.id)).all()
    by = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id,
                                                     or_(AuditEvent.subject_id.is_(None),
                                                         AuditEvent.subject_id != user.id))
                            .order_by(AuditEvent.at, AuditEvent.id)).all()
    return {"audit_events": {
        "about_you": [pick(e, ("at", "action", "actor_name", "object_type", "object_id", "reason", "details"))
                      for e in about],
        # What you did to someone else's certificate, licence or assignment: not who it was about.
        "by_you": [pick(e, ("at", "action", "object_type", "object_id", "reason")) for e in by],
    }}
