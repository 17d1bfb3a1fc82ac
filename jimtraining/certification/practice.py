"""Practice assignments: the learner hands in versions of a text, a trainer approves or returns each (with the
track's assessment criteria, when it has them). Every decision writes an AuditEvent in the same transaction."""

from __future__ import annotations

import logging
import re

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from jimtraining.accounts.models import User
from jimtraining.certification import practice_criteria
from jimtraining.certification.eligibility import practice_status, previous_certificate_moment
from jimtraining.certification.models import PracticeAssignment, PracticeVersion, Track
from jimtraining.certification.services import MAX_REFLECTION, CertificationError, audit
from jimtraining.cohorts.models import Cohort, Enrollment
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.signals import progress_changed
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text or ""))


def practice_assignment(user: User, track: Track) -> PracticeAssignment | None:
    """The learner's assignment for the track, with its versions and who reviewed each (the page shows them)."""
    return db.session.scalar(select(PracticeAssignment).where(PracticeAssignment.user_id == user.id,
                                                              PracticeAssignment.track_slug == track.slug)
                             .options(db.selectinload(PracticeAssignment.versions)
                                      .joinedload(PracticeVersion.reviewed_by)))


def submit_practice(user: User, track: Track, text: str) -> PracticeVersion:
    """Hand in a new version. Refused while the previous one waits for a trainer or after approval."""
    practice = track.practice
    if not practice:
        raise CertificationError(_("Dit traject heeft geen praktijkopdracht."))
    text = (text or "").strip()
    if len(text) > MAX_REFLECTION:
        raise CertificationError(_("Je tekst is te lang (hoogstens %(n)s tekens).", n=MAX_REFLECTION))
    words = word_count(text)
    if words < practice["min_words"]:
        raise CertificationError(_("Je tekst heeft %(n)s woorden. Schrijf er minstens %(min)s.", n=words,
                                   min=practice["min_words"]))
    assignment = practice_assignment(user, track)
    if assignment is None:
        try:
            with db.session.begin_nested():
                assignment = PracticeAssignment(user_id=user.id, track_slug=track.slug)
                db.session.add(assignment)
        except IntegrityError:
            assignment = practice_assignment(user, track)
    status = practice_status(assignment, previous_certificate_moment(user.id, track.qualification))
    if status == "waiting":
        raise CertificationError(_("Je vorige versie wacht nog op de trainer. Je kunt een nieuwe versie "
                                   "inleveren als je die hebt teruggekregen."))
    if status == "approved":
        raise CertificationError(_("Je praktijkopdracht is al goedgekeurd."))
    version = PracticeVersion(assignment=assignment, number=len(assignment.versions) + 1, text=text,
                              word_count=words)
    db.session.add(version)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise CertificationError(_("Je tekst was net al ingeleverd. Laad de pagina opnieuw.")) from None
    log.info("practice %s: version %s handed in by %s", assignment.id, version.number, user.id)
    return version


def practice_queue(cohort: Cohort, track: Track) -> list[PracticeAssignment]:
    """The practice assignments for the track of the cohort's active learners: waiting first, then returned, then
    approved, each by name."""
    assignments = list(db.session.scalars(
        select(PracticeAssignment)
        .join(Enrollment, (Enrollment.user_id == PracticeAssignment.user_id) & (Enrollment.cohort_id == cohort.id))
        .where(PracticeAssignment.track_slug == track.slug, Enrollment.removed_at.is_(None))))
    order = {"waiting": 0, "returned": 1, "approved": 2}
    return sorted(assignments, key=lambda a: (order.get(a.status, 3), a.user.name.lower()))


def review_practice(version: PracticeVersion, decision: str, feedback: str, by: User,
                    levels: dict[str, int] | None = None, reason: str = "") -> None:
    """Approve or return the newest version; returning needs feedback. With assessment criteria every one is scored,
    and a decision other than their proposal needs a reason (on the version and in the audit log)."""
    if decision not in ("approved", "returned"):
        raise CertificationError(_("Kies goedkeuren of teruggeven."))
    if version.decision is not None or version.assignment.latest.id != version.id:
        raise CertificationError(_("Over deze versie is al besloten."))
    feedback = (feedback or "").strip()
    if decision == "returned" and not feedback:
        raise CertificationError(_("Schrijf feedback: wat moet er anders?"))
    if len(feedback) > MAX_REFLECTION:
        raise CertificationError(_("De feedback is te lang."))
    if version.assignment.user_id == by.id:
        raise CertificationError(_("Je kunt je eigen opdracht niet beoordelen."))
    track = catalogue().track(version.assignment.track_slug)
    # A missing level or a deviation without a reason raises VerdictError (its message is for the reviewer).
    proposed_decision, kept = practice_criteria.judge(track.practice if track else None, levels, decision, reason)
    # Conditional: when two trainers decide at the same moment, only the first decision counts.
    decided = db.session.execute(
        update(PracticeVersion).where(PracticeVersion.id == version.id, PracticeVersion.decision.is_(None))
        .values(decision=decision, feedback=feedback or None, reviewed_by_id=by.id, reviewed_at=utcnow(),
                scores=dict(levels or {}) or None, proposed_decision=proposed_decision, decision_reason=kept)
    ).rowcount
    if not decided:
        db.session.rollback()
        raise CertificationError(_("Over deze versie is al besloten."))
    progress_changed(db.session, [version.assignment.user_id])  # a Core write: no flush listener sees it
    # The feedback itself stays with the version (it can be corrected); the log only says what was decided.
    audit(f"practice.{decision}", by, version.assignment.user, "practice", version.assignment.id,
          track=version.assignment.track_slug, version=version.number)
    if kept is not None:
        audit("practice.deviated", by, version.assignment.user, "practice", version.assignment.id, kept,
              track=version.assignment.track_slug, version=version.number, decision=decision,
              proposed=proposed_decision)
    db.session.commit()
    db.session.refresh(version)
