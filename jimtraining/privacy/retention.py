"""How long data is kept, and `apply_retention`, which removes what is older (`flask --app app privacy retention`).

Every period is here, once; docs/PRIVACY.md has the same table with the reasons (a test checks that they agree).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import and_, exists, func, or_, select

from jimtraining.extensions import db
from jimtraining.privacy.registry import USER_TABLE, user_columns
from jimtraining.roles import Role
from jimtraining.signals import progress_changed
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

# The periods ------------------------------------------------------------------------------------------------

#: Login sessions: removed this long after they ended; a session not used this long counts as ended.
LOGIN_SESSION_DAYS = 90
#: Mails in the file outbox (instance/outbox/, used when no SMTP server is set).
MAIL_OUTBOX_DAYS = 30
#: Invitations: removed this long after they expired unused, or after they were used.
INVITATION_DAYS = 30
#: Accounts that never logged in and hold nothing but group memberships: removed this long after creation.
NEVER_USED_ACCOUNT_DAYS = 365
#: Quiz attempts (with their answers) of accounts that showed no sign of life for this long.
INACTIVE_QUIZ_ATTEMPT_YEARS = 5
#: Certificates (valid, expired or revoked): removed this long after their end date.
CERTIFICATE_YEARS_AFTER_EXPIRY = 5
#: Wrong check-in codes (when a learner typed one): removed this long after they were typed.
CHECKIN_ATTEMPT_DAYS = 30

#: For docs/PRIVACY.md and its test: kind -> (number, unit).
PERIODS = {
    "login_sessions": (LOGIN_SESSION_DAYS, "days"),
    "mail_outbox": (MAIL_OUTBOX_DAYS, "days"),
    "invitations": (INVITATION_DAYS, "days"),
    "never_used_accounts": (NEVER_USED_ACCOUNT_DAYS, "days"),
    "inactive_quiz_attempts": (INACTIVE_QUIZ_ATTEMPT_YEARS, "years"),
    "certificates": (CERTIFICATE_YEARS_AFTER_EXPIRY, "years"),
    "checkin_attempts": (CHECKIN_ATTEMPT_DAYS, "days"),
}

#: Rows in these tables do not count as use of an account (a trainer can enrol someone who never comes).
NOT_A_SIGN_OF_USE = {"enrollment", "cohort_trainer"}


@dataclass
class RetentionReport:
    dry_run: bool
    now: datetime
    #: kind -> (what, how many): in the order the kinds were handled.
    counts: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, kind: str, what: str, count: int) -> None:
        self.counts[kind] = (what, count)


def _tables():
    return db.metadata.tables


def _login_sessions(now, dry_run) -> tuple[str, int | None]:
    what = f"login sessions ended or unused for more than {LOGIN_SESSION_DAYS} days"
    sessions = _tables().get("login_session")
    if sessions is None:
        return what, None
    cutoff = now - timedelta(days=LOGIN_SESSION_DAYS)
    last_use = func.coalesce(sessions.c.last_seen_at, sessions.c.created_at) if "last_seen_at" in sessions.c \
        else sessions.c.created_at
    ended = sessions.c.ended_at if "ended_at" in sessions.c else None
    expired = last_use < cutoff if ended is None else or_(ended < cutoff, and_(ended.is_(None), last_use < cutoff))
    return what, _count_or_delete(sessions, expired, dry_run)


def _invitations(now, dry_run) -> tuple[str, int]:
    invitations = _tables()["invitation"]
    cutoff = now - timedelta(days=INVITATION_DAYS)
    old = or_(and_(invitations.c.used_at.is_(None), invitations.c.expires_at < cutoff), invitations.c.used_at < cutoff)
    return f"invitations expired or used more than {INVITATION_DAYS} days ago", \
        _count_or_delete(invitations, old, dry_run)


def _checkin_attempts(now, dry_run) -> tuple[str, int]:
    attempts = _tables()["checkin_attempt"]
    return f"wrong check-in codes typed more than {CHECKIN_ATTEMPT_DAYS} days ago", \
        _count_or_delete(attempts, attempts.c.attempted_at < now - timedelta(days=CHECKIN_ATTEMPT_DAYS), dry_run)


def _certificates(now, dry_run) -> tuple[str, int]:
    certificates = _tables()["certificate"]
    cutoff = now - relativedelta(years=CERTIFICATE_YEARS_AFTER_EXPIRY)
    ended = certificates.c.expires_at < cutoff
    if not dry_run:  # their cohort dashboards count certificates: tell them (progress/stamps.py)
        progress_changed(db.session, db.session.scalars(select(certificates.c.user_id).where(ended)).all())
    return f"certificates that ended more than {CERTIFICATE_YEARS_AFTER_EXPIRY} years ago", \
        _count_or_delete(certificates, ended, dry_run)


def _inactive_quiz_attempts(now, dry_run) -> tuple[str, int]:
    """An account shows a sign of life by logging in, starting a quiz, marking a lesson or (with login sessions)
    using a session. last_login_at alone is not enough: after accepting an invitation people are logged in
    without typing their password."""
    tables = _tables()
    users, attempts, answers = tables[USER_TABLE], tables["quiz_attempt"], tables["attempt_answer"]
    progress = tables["lesson_progress"]
    cutoff = now - relativedelta(years=INACTIVE_QUIZ_ATTEMPT_YEARS)
    recent = [
        exists().where(attempts.c.user_id == users.c.id, attempts.c.started_at >= cutoff),
        exists().where(progress.c.user_id == users.c.id,
                       or_(progress.c.started_at >= cutoff, progress.c.completed_at >= cutoff)),
    ]
    sessions = tables.get("login_session")
    if sessions is not None:
        used = sessions.c.created_at >= cutoff
        if "last_seen_at" in sessions.c:
            used = or_(used, sessions.c.last_seen_at >= cutoff)
        recent.append(exists().where(sessions.c.user_id == users.c.id, used))
    inactive = select(users.c.id).where(func.coalesce(users.c.last_login_at, users.c.created_at) < cutoff,
                                        *(~sign for sign in recent))
    theirs = attempts.c.user_id.in_(inactive)
    what = f"quiz attempts of accounts inactive for more than {INACTIVE_QUIZ_ATTEMPT_YEARS} years"
    if dry_run:
        return what, db.session.scalar(select(func.count()).select_from(attempts).where(theirs)) or 0
    ids = list(db.session.scalars(select(attempts.c.id).where(theirs)))
    # Their cohort dashboards count quiz results: tell them (progress/stamps.py).
    progress_changed(db.session, db.session.scalars(select(attempts.c.user_id).where(theirs).distinct()).all())
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(answers.delete().where(answers.c.attempt_id.in_(chunk)))
        db.session.execute(attempts.delete().where(attempts.c.id.in_(chunk)))
    return what, len(ids)


def _never_used_accounts(now, dry_run) -> tuple[str, int]:
    """Never logged in, older than the period, not an admin, and nothing points at the account except group
    memberships. Every table that points at a person counts, also ones added later (found in the metadata)."""
    tables = _tables()
    users = tables[USER_TABLE]
    cutoff = now - timedelta(days=NEVER_USED_ACCOUNT_DAYS)
    unused = [~exists().where(column == users.c.id)
              for tbl in tables.values() if tbl.name not in NOT_A_SIGN_OF_USE for column in user_columns(tbl)]
    candidates = select(users.c.id).where(users.c.last_login_at.is_(None), users.c.created_at < cutoff,
                                          users.c.role != Role.ADMIN, *unused)
    what = f"accounts created more than {NEVER_USED_ACCOUNT_DAYS} days ago that were never used"
    ids = list(db.session.scalars(candidates))
    if not dry_run and ids:
        for name in sorted(NOT_A_SIGN_OF_USE):
            for column in user_columns(tables[name]):
                db.session.execute(tables[name].delete().where(column.in_(ids)))
        db.session.execute(users.delete().where(users.c.id.in_(ids)))
    return what, len(ids)


def _mail_outbox(now, dry_run) -> tuple[str, int | None]:
    what = f"mails in the file outbox older than {MAIL_OUTBOX_DAYS} days"
    folder = current_app.config.get("MAIL_FILE_PATH")
    if current_app.config.get("MAIL_BACKEND") != "file" or not folder or not Path(folder).is_dir():
        return what, None
    cutoff = (now - timedelta(days=MAIL_OUTBOX_DAYS)).timestamp()
    old = [path for path in Path(folder).glob("*.log") if path.is_file() and path.stat().st_mtime < cutoff]
    if not dry_run:
        for path in old:
            os.remove(path)
    return what, len(old)


def _count_or_delete(tbl, where, dry_run) -> int:
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(tbl).where(where)) or 0
    return max(db.session.execute(tbl.delete().where(where)).rowcount or 0, 0)


#: In this order: accounts last, so an account whose invitations and sessions just went is judged on the rest.
KINDS = (
    ("login_sessions", _login_sessions),
    ("mail_outbox", _mail_outbox),
    ("invitations", _invitations),
    ("checkin_attempts", _checkin_attempts),
    ("inactive_quiz_attempts", _inactive_quiz_attempts),
    ("certificates", _certificates),
    ("never_used_accounts", _never_used_accounts),
)


def apply_retention(now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Remove what is older than its retention period (or, with dry_run, only count it). One transaction for the
    database; `now` can be given so tests (and a careful operator) know exactly what counts as old."""
    now = now or utcnow()
    report = RetentionReport(dry_run=dry_run, now=now)
    try:
        for kind, handle in KINDS:
            what, count = handle(now, dry_run)
            if count is not None:
                report.add(kind, what, count)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("privacy retention%s: %s", " (dry run)" if dry_run else "",
             ", ".join(f"{kind}={count}" for kind, (_what, count) in report.counts.items()))
    return report
