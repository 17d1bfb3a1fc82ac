"""Observed co-training: a JIM-trainer candidate gives (part of) a session together with a licensed trainer, who
observes and signs it. A track asks for it with `requirements.co_training` (how many signed co-trainings; see
modules/README.md); the eligibility checklist counts them (jimtraining/certification/eligibility.py).

Who may sign: a trainer of the session's cohort with a valid licence, never the candidate. The candidate is named
by e-mail address, so no list of candidates is shown to anyone; it must be someone who follows a track that asks
for co-training. Every signature is written to the audit log.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.accounts.services import find_by_email
from jimtraining.certification.eligibility import followed_tracks
from jimtraining.certification.models import ObservedCoTraining
from jimtraining.certification.services import CertificationError, audit, valid_licence
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, local_date, utcnow

log = logging.getLogger(__name__)

#: At most this many characters in the observer's note.
MAX_NOTE = 2000


def asks_for_co_training(user: User) -> bool:
    """Whether the person follows a track (in one of their active cohorts) that asks for observed co-training."""
    return any((track.requirements or {}).get("co_training") for _cohort, track in followed_tracks(user))


def sign(session, candidate_email: str, note: str, by: User, now=None) -> ObservedCoTraining:
    """The trainer `by` signs that the candidate co-trained `session` under their observation. Refused (with a
    message for the trainer) unless `by` trains the session's cohort and holds a valid licence, the session has
    begun, the candidate follows a track that asks for co-training and is not `by`, and the note is there."""
    now = now or utcnow()
    cohort = session.cohort
    if by.role != Role.TRAINER or not cohort.has_trainer(by):
        raise CertificationError(_("Alleen een trainer van deze groep kan een co-training ondertekenen."))
    if valid_licence(by, now) is None:
        raise CertificationError(_("Alleen een trainer met een geldige licentie kan een co-training ondertekenen."))
    if as_utc(session.starts_at) > now:
        raise CertificationError(_("Deze bijeenkomst is nog niet begonnen. Onderteken de co-training na afloop."))
    note = (note or "").strip()
    if not note:
        raise CertificationError(_("Schrijf kort op wat de kandidaat deed en wat je zag."))
    if len(note) > MAX_NOTE:
        raise CertificationError(_("De notitie is te lang (hoogstens %(n)s tekens).", n=MAX_NOTE))
    candidate = find_by_email(candidate_email or "")
    if candidate is not None and candidate.id == by.id:
        raise CertificationError(_("Je kunt je eigen co-training niet ondertekenen. Vraag een andere trainer."))
    if candidate is None or not candidate.is_enabled or not asks_for_co_training(candidate):
        raise CertificationError(_("Er is geen kandidaat-trainer met dit e-mailadres. Controleer het adres: het "
                                   "is het adres waarmee de kandidaat inlogt."))
    if db.session.scalar(select(ObservedCoTraining.id).where(ObservedCoTraining.candidate_id == candidate.id,
                                                             ObservedCoTraining.session_id == session.id)):
        raise CertificationError(_("De co-training van %(name)s bij deze bijeenkomst is al ondertekend.",
                                   name=candidate.name))
    record = ObservedCoTraining(candidate_id=candidate.id, session_id=session.id, cohort_name=cohort.name,
                                session_title=session.title, held_on=local_date(session.starts_at), note=note,
                                signed_by_id=by.id, signed_at=now)
    db.session.add(record)
    db.session.flush()
    audit("co_training.signed", by, candidate, "co_training", record.id, at=now, cohort=cohort.name,
          session=session.title, held_on=record.held_on.isoformat())
    db.session.commit()
    log.info("co-training %s signed for %s by %s", record.id, candidate.id, by.id)
    return record


def of_session(session_id: int) -> list[ObservedCoTraining]:
    """The co-trainings signed for a session, with the candidate and who signed, oldest first."""
    return list(db.session.scalars(
        select(ObservedCoTraining).where(ObservedCoTraining.session_id == session_id).order_by(ObservedCoTraining.id)
        .options(db.joinedload(ObservedCoTraining.candidate), db.joinedload(ObservedCoTraining.signed_by))))

