"""The groups' part of a person's data export and of erasing an account: enrolments, the groups they train,
invitations, attendance and wrong check-in codes.

jimtraining/privacy/registry.py says which tables point at a person and what erasure does with each; this module
builds these tables' export sections and does what a registry link cannot say (docs/PRIVACY.md says why).
"""

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select, update

from jimtraining.cohorts.models import (
    Attendance,
    CheckinAttempt,
    Cohort,
    CohortSession,
    Enrollment,
    Invitation,
    cohort_trainer,
)
from jimtraining.exports.values import pick, value
from jimtraining.extensions import db


def export_enrolments(user) -> dict:
    rows = db.session.execute(select(Enrollment, Cohort.name).join(Cohort, Cohort.id == Enrollment.cohort_id)
                              .where(Enrollment.user_id == user.id).order_by(Enrollment.enrolled_at)).all()
    return {"enrolments": [{"cohort_id": e.cohort_id, "cohort": name, **pick(e, ("source", "enrolled_at",
                                                                                    "removed_at"))}
                           for e, name in rows]}


def end_enrolments(user_id: int, now: datetime) -> Counter:
    """The enrolments stay (the group's history and figures add up) but end, so the anonymous account leaves the
    groups' lists."""
    result = db.session.execute(update(Enrollment).where(Enrollment.user_id == user_id,
                                                         Enrollment.removed_at.is_(None))
                                .values(removed_at=now).execution_options(synchronize_session=False))
    return Counter({"enrollment.anonymise": max(result.rowcount or 0, 0)})


def export_cohorts_trained(user) -> dict:
    rows = db.session.execute(select(Cohort.id, Cohort.name).join(cohort_trainer,
                                                                   cohort_trainer.c.cohort_id == Cohort.id)
                              .where(cohort_trainer.c.user_id == user.id).order_by(Cohort.id)).all()
    return {"cohorts_trained": [{"cohort_id": cohort_id, "cohort": name} for cohort_id, name in rows]}


def export_invitations(user) -> dict:
    moments = ("created_at", "expires_at", "used_at")
    sent = db.session.execute(select(Invitation, Cohort.name).join(Cohort, Cohort.id == Invitation.cohort_id)
                              .where(Invitation.invited_by_id == user.id).order_by(Invitation.id)).all()
    received = db.session.execute(select(Invitation, Cohort.name).join(Cohort, Cohort.id == Invitation.cohort_id)
                                  .where(func.lower(Invitation.email) == user.email.lower())
                                  .order_by(Invitation.id)).all()
    return {
        # Who was invited is the invitee's data: only that an invitation went out, and when.
        "invitations_sent": [{"cohort": name, **pick(i, moments)} for i, name in sent],
        "invitations_received": [{"cohort": name, **pick(i, ("email", "name", "skj_number", *moments))}
                                 for i, name in received],
    }


def delete_invitations_to(email: str) -> Counter:
    """The invitations addressed to the person's (lower-case) e-mail address: they name the person, unlinked."""
    result = db.session.execute(Invitation.__table__.delete().where(func.lower(Invitation.email) == email))
    return Counter({"invitation.delete": max(result.rowcount or 0, 0)})


def export_attendance(user) -> dict:
    rows = db.session.execute(
        select(Attendance, CohortSession.title, CohortSession.starts_at, Cohort.name)
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(Attendance.user_id == user.id).order_by(CohortSession.starts_at)).all()
    return {"attendance": [{"cohort": cohort, "session": title, "session_starts_at": value(starts),
                            **pick(a, ("status", "source", "marked_at"))} for a, title, starts, cohort in rows]}


def export_checkin_attempts(user) -> dict:
    rows = db.session.execute(
        select(CheckinAttempt.attempted_at, CohortSession.title, CohortSession.starts_at, Cohort.name)
        .join(CohortSession, CohortSession.id == CheckinAttempt.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(CheckinAttempt.user_id == user.id).order_by(CheckinAttempt.attempted_at, CheckinAttempt.id)).all()
    # Only when: the codes typed and the address they came from are not kept.
    return {"checkin_wrong_codes": [{"cohort": cohort, "session": title, "session_starts_at": value(starts),
                                     "attempted_at": value(moment)} for moment, title, starts, cohort in rows]}
