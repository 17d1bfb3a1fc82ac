"""Certification writes: licences, sign-off, revocation, expiry reminders, audit log.

Practice assignments are in practice.py. Every change that matters for trust (issued, revoked, licence granted,
renewed or withdrawn, practice approved or returned) writes an AuditEvent in the same transaction, so the log and
the data can never disagree.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from jimtraining.accounts.models import User
from jimtraining.calibration.services import renewal_calibration
from jimtraining.certification.accreditation import applying
from jimtraining.certification.catalogue import TrackInfo
from jimtraining.certification.documents import queue_pdf
from jimtraining.certification.eligibility import learner_eligibility
from jimtraining.certification.models import (
    AuditEvent,
    Certificate,
    Track,
    TrainerLicence,
)
from jimtraining.certification.stats import forget_national_figures
from jimtraining.cohorts.models import Cohort
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.mailing import send_mail
from jimtraining.roles import Role
from jimtraining.timeutil import as_utc, local_date, local_date_iso, utcnow
from jimtraining.web import absolute_url

log = logging.getLogger(__name__)

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out and type
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_REFLECTION = 20_000
MAX_REASON = 2000
#: Days before expiry on which a reminder goes out, and the column that remembers it was sent. The 14-day one
#: goes first: it also marks the 60-day one, so a certificate first seen inside 14 days gets one mail, not two.
REMINDERS = ((14, "reminder_14_sent_at"), (60, "reminder_60_sent_at"))


class CertificationError(Exception):
    """An action that cannot be done; the message is shown to the person."""


# Audit log ---------------------------------------------------------------------------------------------------

def audit(action: str, actor: User | None, subject: User | None, object_type: str, object_id: int,
          reason: str = "", at=None, **details) -> AuditEvent:
    """Add an event to the append-only log (committed with the change it describes)."""
    event = AuditEvent(at=at or utcnow(), action=action, actor_id=actor.id if actor else None,
                       actor_name=actor.name if actor else "",
                       subject_id=subject.id if subject else None, subject_name=subject.name if subject else "",
                       object_type=object_type, object_id=object_id, reason=reason or "", details=details)
    db.session.add(event)
    log.info("audit: %s %s %s by %s", action, object_type, object_id, actor.id if actor else "system")
    return event


def _reason(text: str | None, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise CertificationError(_("Geef een reden op."))
    if len(text) > MAX_REASON:
        raise CertificationError(_("De reden is te lang (hoogstens %(n)s tekens).", n=MAX_REASON))
    return text


# Trainer licences --------------------------------------------------------------------------------------------

def valid_licence(user: User, now=None) -> TrainerLicence | None:
    """The trainer's licence that is valid now (the one that runs longest), or None."""
    now = now or utcnow()
    return db.session.scalar(
        select(TrainerLicence).where(TrainerLicence.user_id == user.id, TrainerLicence.withdrawn_at.is_(None),
                                     TrainerLicence.valid_from <= now, TrainerLicence.expires_at > now)
        .order_by(TrainerLicence.expires_at.desc()).limit(1))


def _lock(user: User) -> None:
    """Take the write lock on a user's row before reading what a write depends on.

    A no-op UPDATE works on both databases: PostgreSQL locks the row, SQLite takes its single write lock (a
    SELECT ... FOR UPDATE does nothing on SQLite). A second request doing the same waits until the first commits,
    and then reads what the first wrote.
    """
    db.session.execute(update(User).where(User.id == user.id).values(name=User.name))


def _last_licence(trainer: User, now) -> TrainerLicence | None:
    """The licence that ends last among those valid now or starting later (not withdrawn)."""
    return db.session.scalar(
        select(TrainerLicence).where(TrainerLicence.user_id == trainer.id, TrainerLicence.withdrawn_at.is_(None),
                                     TrainerLicence.expires_at > now)
        .order_by(TrainerLicence.expires_at.desc()).limit(1))


def had_licence(trainer: User) -> bool:
    """Whether the trainer ever had a licence that was not withdrawn (then a new one is a renewal)."""
    found = db.session.scalar(select(TrainerLicence.id).where(TrainerLicence.user_id == trainer.id,
                                                              TrainerLicence.withdrawn_at.is_(None)).limit(1))
    return found is not None


def grant_licence(trainer: User, months: int, by: User, reason: str = "", now=None) -> TrainerLicence:
    """A new licence from now, or a renewal that starts where the last valid or planned licence ends. A renewal
    (any licence before) needs a calibration within the last year; a first licence's track already asked one."""
    if trainer.role != Role.TRAINER:
        raise CertificationError(_("Alleen iemand met de rol trainer kan een licentie krijgen."))
    if not 1 <= months <= 120:
        raise CertificationError(_("Een licentie duurt 1 tot 120 maanden."))
    now = now or utcnow()
    # Lock the trainer's row first: two admins (or a double click) renewing at once make one chain, not two.
    _lock(trainer)
    if had_licence(trainer) and renewal_calibration(trainer.id, now) is None:
        raise CertificationError(_(
            "%(name)s heeft het afgelopen jaar geen referentieronde gescoord (kalibratie). Een licentie verlengen kan "
            "pas na een kalibratie.", name=trainer.name))
    current = _last_licence(trainer, now)
    start = as_utc(current.expires_at) if current else now
    licence = TrainerLicence(user_id=trainer.id, granted_by_id=by.id, granted_at=now, valid_from=start,
                             expires_at=start + relativedelta(months=months),
                             renews_id=current.id if current else None)
    db.session.add(licence)
    db.session.flush()
    audit("licence.renewed" if current else "licence.granted", by, trainer, "licence", licence.id,
          _reason(reason, required=False), at=now, valid_from=local_date_iso(start),
          expires_on=local_date_iso(licence.expires_at))
    db.session.commit()
    return licence


def withdraw_licence(licence: TrainerLicence, by: User, reason: str, now=None) -> list[TrainerLicence]:
    """Withdraw a licence and the renewals planned after it: the trainer cannot sign off any more."""
    if licence.withdrawn_at is not None:
        raise CertificationError(_("Deze licentie is al ingetrokken."))
    reason = _reason(reason)
    now = now or utcnow()
    later = db.session.scalars(
        select(TrainerLicence).where(TrainerLicence.user_id == licence.user_id, TrainerLicence.id != licence.id,
                                     TrainerLicence.withdrawn_at.is_(None),
                                     TrainerLicence.valid_from >= licence.valid_from)).all()
    withdrawn = [licence, *later]
    for item in withdrawn:
        item.withdrawn_at, item.withdrawn_by_id, item.withdraw_reason = now, by.id, reason
        audit("licence.withdrawn", by, licence.user, "licence", item.id, reason, at=now)
    db.session.commit()
    return withdrawn


# Sign-off ----------------------------------------------------------------------------------------------------

def refusal(trainer: User, cohort: Cohort, now=None) -> str | None:
    """Why this person may not sign certificates off in this cohort, or None when they may."""
    if trainer.role != Role.TRAINER or not cohort.has_trainer(trainer):
        return _("Alleen een trainer van deze groep kan certificaten aftekenen.")
    if valid_licence(trainer, now) is None:
        return _("Je hebt geen geldige licentie als JIM-trainer. Vraag het landelijk programmabureau om een "
                 "licentie.")
    if not cohort.track_slug:
        return _("Deze groep volgt geen certificeringstraject. Kies eerst een traject bij 'Groep bewerken'.")
    track = cohort_track(cohort)
    if track is None or track.archived:
        return _("Het traject van deze groep bestaat niet meer. Kies een ander traject bij 'Groep bewerken'.")
    return None


def cohort_track(cohort: Cohort) -> TrackInfo | None:
    """The track the cohort follows (from the curriculum catalogue: no query while the content is unchanged)."""
    return catalogue().track(cohort.track_slug)


def _new_number(now) -> str:
    random_part = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"JIM-{local_date(now).year}-{random_part[:4]}-{random_part[4:]}"


def signoff_preview(cohort: Cohort, learner: User, trainer: User, now=None, lock: bool = False) -> dict:
    """What signing off would issue (track, eligibility, start and end of validity), after checking the trainer,
    the licence and the learner's eligibility; raises CertificationError with the reason when it cannot."""
    now = now or utcnow()
    reason = refusal(trainer, cohort, now)
    if reason:
        raise CertificationError(reason)
    if learner.id == trainer.id:
        raise CertificationError(_("Je kunt je eigen certificaat niet aftekenen. Vraag een andere trainer."))
    if lock:  # Two trainers (or a double click) signing at once: the second waits here, then finds the certificate.
        _lock(learner)
    track = cohort_track(cohort)
    eligibility = learner_eligibility(cohort, track, learner.id, now=now)
    if eligibility is None:
        raise CertificationError(_("Deze persoon is geen deelnemer van deze groep."))
    if eligibility.already_certified:
        raise CertificationError(_("%(name)s heeft al een geldig certificaat (%(number)s).", name=learner.name,
                                   number=eligibility.certificate.number))
    if not eligibility.eligible:
        missing = "; ".join(f"{c.label} ({c.detail})" if c.detail else c.label for c in eligibility.missing)
        raise CertificationError(_("%(name)s voldoet nog niet aan alle eisen. Nog nodig: %(list)s.",
                                   name=learner.name, list=missing))
    previous = eligibility.certificate
    # A renewal before the end keeps the time that was left, as a licence renewal does.
    starts = max(now, as_utc(previous.expires_at)) if previous is not None else now
    return {"track": track, "eligibility": eligibility, "previous": previous, "starts": starts,
            "expires": starts + relativedelta(months=track.valid_months)}


def issue_certificate(cohort: Cohort, learner: User, trainer: User, now=None) -> Certificate:
    """Sign off: checks the trainer, the licence and the learner's eligibility again, now, on the server."""
    now = now or utcnow()
    preview = signoff_preview(cohort, learner, trainer, now, lock=True)
    certificate = create_certificate(learner, trainer, preview["track"], cohort, now, starts=preview["starts"])
    _mail_issued(certificate, learner)
    db.session.commit()
    return certificate


def create_certificate(learner: User, trainer: User, track: Track, cohort: Cohort | None, now,
                       starts=None) -> Certificate:
    """Write the certificate and its audit event (not committed). Callers check eligibility first.

    It is valid for the track's months from `starts` (default: the moment of signing)."""
    forget_national_figures()
    organisation = learner.organisation or (cohort.organisation if cohort else None)
    accreditation = applying(cohort, track)
    for _attempt in range(5):
        certificate = Certificate(
            number=_new_number(now), code=secrets.token_urlsafe(32), user_id=learner.id, track_slug=track.slug,
            qualification=track.qualification, audience=track.audience, cohort_id=cohort.id if cohort else None,
            issued_by_id=trainer.id, issued_at=now,
            expires_at=(starts or now) + relativedelta(months=track.valid_months),
            holder_name=learner.name, track_title=_qualification_title(track), trainer_name=trainer.name,
            organisation_name=organisation.name if organisation else "",
            organisation_kind=organisation.kind if organisation else None,
            region=learner.region or (cohort.region if cohort else None),
            work_context=learner.work_context or (cohort.work_context if cohort else None),
            accreditation=accreditation)
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
            break
        except IntegrityError:
            continue  # a number or code that exists already: draw again
    else:  # pragma: no cover - 32^8 numbers and 256-bit codes
        raise CertificationError(_("Er ging iets mis bij het maken van het nummer. Probeer het opnieuw."))
    audit("certificate.issued", trainer, learner, "certificate", certificate.id, at=now, number=certificate.number,
          track=track.slug, cohort=cohort.id if cohort else None, expires_on=local_date_iso(certificate.expires_at))
    queue_pdf(certificate)  # drawn by a background job after the commit
    return certificate


def _qualification_title(track: Track) -> str:
    if track.renews:
        renewed = db.session.scalar(select(Track.title).where(Track.slug == track.renews))
        return renewed or track.title
    return track.title


def _mail_issued(certificate: Certificate, learner: User) -> None:
    """Tell the learner (sent in the background after the commit; a mail that fails does not undo the
    certificate, which is on their page)."""
    with force_locale(learner.locale or "nl"):
        subject = _("Je certificaat %(track)s", track=certificate.track_title)
        body = _("Gefeliciteerd, %(name)s!\n\nJe certificaat %(track)s (nummer %(number)s) is afgetekend. Het is "
                 "geldig tot %(date)s.\n\nJe downloadt het op: %(url)s\nIedereen kan het controleren op: "
                 "%(verify)s\n", name=learner.name, track=certificate.track_title, number=certificate.number,
                 date=local_date(certificate.expires_at).strftime("%d-%m-%Y"),
                 url=absolute_url("certification.mine"),
                 verify=absolute_url("certification.verify", code=certificate.code))
    send_mail(learner.email, subject, body, key=f"certificate:{certificate.id}:issued")


def revoke_certificate(certificate: Certificate, by: User, reason: str, now=None) -> None:
    if certificate.revoked_at is not None:
        raise CertificationError(_("Dit certificaat is al ingetrokken."))
    reason = _reason(reason)
    now = now or utcnow()
    certificate.revoked_at, certificate.revoked_by_id, certificate.revoke_reason = now, by.id, reason
    audit("certificate.revoked", by, certificate.user, "certificate", certificate.id, reason, at=now,
          number=certificate.number)
    db.session.commit()
    forget_national_figures()


def certificate_by_code(code: str) -> Certificate | None:
    if not CODE_RE.match(code or ""):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


# Expiry reminders --------------------------------------------------------------------------------------------

@dataclass
class ReminderReport:
    sent: int = 0


def send_expiry_reminders(now=None) -> ReminderReport:
    """Mail holders whose certificate ends within 60 days, and again within 14 days; each reminder once.

    A reminder is claimed with an UPDATE ... WHERE sent_at IS NULL and its mail is queued in the same transaction
    (jimtraining/jobs/: sent by a worker after the commit, retried there, listed for admins when it keeps
    failing), so two runs at the same time never send it twice. A certificate first seen inside 14 days gets only
    the 14-day reminder. `sent` counts the reminders queued.
    """
    now = now or utcnow()
    report = ReminderReport()
    newer = aliased(Certificate)
    renewed = (select(newer.id).where(newer.user_id == Certificate.user_id,
                                      newer.qualification == Certificate.qualification,
                                      newer.revoked_at.is_(None), newer.expires_at > Certificate.expires_at)
               .exists())
    for days, column in REMINDERS:
        sent_at = getattr(Certificate, column)
        # Not for holders who renewed already, nor for accounts that were switched off.
        candidates = db.session.scalars(
            select(Certificate).join(User, User.id == Certificate.user_id)
            .where(Certificate.revoked_at.is_(None), User.is_enabled.is_(True), Certificate.expires_at > now,
                   Certificate.expires_at <= now + timedelta(days=days), sent_at.is_(None), ~renewed)
            .order_by(Certificate.expires_at)).all()
        for certificate in candidates:
            claimed = db.session.execute(
                update(Certificate).where(Certificate.id == certificate.id, sent_at.is_(None)).values({column: now})
            ).rowcount
            if days == 14:  # a later 60-day reminder would make no sense any more
                db.session.execute(update(Certificate).where(Certificate.id == certificate.id,
                                                             Certificate.reminder_60_sent_at.is_(None))
                                   .values(reminder_60_sent_at=now))
            if claimed:
                _mail_reminder(certificate, now, days)
                report.sent += 1
            db.session.commit()
    log.info("expiry reminders: %d queued", report.sent)
    return report


def _mail_reminder(certificate: Certificate, now, days: int) -> None:
    holder = certificate.user
    days_left = max(1, (as_utc(certificate.expires_at) - now).days)
    with force_locale(holder.locale or "nl"):
        subject = ngettext("Je certificaat %(track)s verloopt over %(num)d dag",
                           "Je certificaat %(track)s verloopt over %(num)d dagen", days_left,
                           track=certificate.track_title)
        body = _("Beste %(name)s,\n\nJe certificaat %(track)s (nummer %(number)s) is geldig tot %(date)s. Wil je "
                 "gecertificeerd blijven? Volg dan het opfristraject: vraag je trainer of organisatie naar een "
                 "groep.\n\nJe certificaten staan op: %(url)s\n", name=holder.name, track=certificate.track_title,
                 number=certificate.number, date=local_date(certificate.expires_at).strftime("%d-%m-%Y"),
                 url=absolute_url("certification.mine"))
    send_mail(holder.email, subject, body, key=f"certificate:{certificate.id}:reminder-{days}")
