"""Retention: `privacy retention --dry-run` only counts; the real run removes exactly what is past its period."""

import os
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select

from jimtraining.accounts.models import User
from jimtraining.certification.models import Certificate
from jimtraining.cohorts.models import CheckinAttempt, CohortSession, Enrollment, Invitation
from jimtraining.curriculum.models import LessonProgress
from jimtraining.extensions import db
from jimtraining.privacy.cli import privacy_cli
from jimtraining.privacy.retention import apply_retention
from jimtraining.quizzes.models import GRADED, AttemptAnswer, QuizAttempt
from jimtraining.timeutil import utcnow
from tests.support.privacy import snapshot


def _invitation(cohort, name, expires_at, used_at=None):
    invitation = Invitation(cohort_id=cohort.id, email=f"{name}@example.org", name=name, expires_at=expires_at,
                            used_at=used_at, token_hash=name.ljust(64, "0"), created_at=expires_at - timedelta(days=14))
    db.session.add(invitation)
    return invitation


def _certificate(holder, number, expires_at):
    certificate = Certificate(number=number, code=number.ljust(43, "x"), user_id=holder.id, track_slug="jimwerker",
                              qualification="jimwerker", issued_at=expires_at - relativedelta(years=3),
                              expires_at=expires_at, holder_name=holder.name, track_title="JIMwerker",
                              trainer_name="Tineke Trainer")
    db.session.add(certificate)
    return certificate


def _wrong_code(session, user, attempted_at):
    attempt = CheckinAttempt(session_id=session.id, user_id=user.id, attempted_at=attempted_at)
    db.session.add(attempt)
    return attempt


def _attempt(user, number, started_at):
    attempt = QuizAttempt(user_id=user.id, module_slug="basis", number=number, status=GRADED, started_at=started_at,
                          submitted_at=started_at, graded_at=started_at, percent=80.0, passed=True)
    db.session.add(attempt)
    db.session.flush()
    db.session.add(AttemptAnswer(attempt_id=attempt.id, question_key="open", response="Een oud antwoord."))
    return attempt


@pytest.fixture
def aged(make_user, make_cohort, tmp_path, monkeypatch, app):
    """Data on both sides of every retention period, relative to `now`."""
    now = utcnow().replace(microsecond=0)
    cohort = make_cohort()
    day = timedelta(days=1)

    def person(role="learner", created=now, last_login=now, **kwargs):
        user = make_user(role=role, **kwargs)
        user.created_at, user.last_login_at = created, last_login
        return user

    remove, keep = {}, {}
    remove["invitations"] = [_invitation(cohort, "verlopen", now - 31 * day),
                             _invitation(cohort, "gebruikt", now - 20 * day, used_at=now - 31 * day)]
    keep["invitations"] = [_invitation(cohort, "pas-verlopen", now - 29 * day),
                           _invitation(cohort, "open", now + 10 * day),
                           _invitation(cohort, "pas-gebruikt", now + 5 * day, used_at=now - 2 * day)]

    holder = person(name="Houder")
    remove["certificates"] = [_certificate(holder, "JIM-2010-OUD1-OUD1", now - relativedelta(years=5) - day)]
    keep["certificates"] = [_certificate(holder, "JIM-2011-JONG-JONG", now - relativedelta(years=5) + day),
                            _certificate(holder, "JIM-2026-GELD-GELD", now + relativedelta(years=1))]

    long_ago = now - relativedelta(years=6)
    sleeper = person(created=long_ago, last_login=long_ago, name="Slaper")
    returning = person(created=long_ago, last_login=long_ago, name="Terug")
    active = person(created=long_ago, last_login=now - 10 * day, name="Actief")
    db.session.flush()
    remove["attempts"] = [_attempt(sleeper, 1, long_ago), _attempt(sleeper, 2, long_ago + day)]
    keep["attempts"] = [_attempt(returning, 1, long_ago), _attempt(returning, 2, now - relativedelta(years=1)),
                        _attempt(active, 1, long_ago)]

    ghost = person(created=now - 400 * day, last_login=None, name="Nooit Gebruikt")
    with_progress = person(created=now - 400 * day, last_login=None, name="Wel Gelezen")
    newcomer = person(created=now - 100 * day, last_login=None, name="Nieuw")
    old_admin = person(role="admin", created=now - 400 * day, last_login=None, name="Reserve Beheer")
    db.session.add(Enrollment(cohort_id=cohort.id, user_id=ghost.id, source="trainer"))
    db.session.add(LessonProgress(user_id=with_progress.id, module_slug="basis", lesson_slug="eerste",
                                  completed_at=now - 390 * day))
    remove["accounts"], keep["accounts"] = [ghost], [with_progress, newcomer, old_admin, sleeper, holder]

    session = CohortSession(cohort_id=cohort.id, title="Bijeenkomst", starts_at=now - 40 * day,
                            ends_at=now - 40 * day + timedelta(hours=3), checkin_secret="x" * 64)
    db.session.add(session)
    db.session.flush()
    remove["checkin_attempts"] = [_wrong_code(session, active, now - 31 * day)]
    keep["checkin_attempts"] = [_wrong_code(session, active, now - 29 * day), _wrong_code(session, active, now)]

    expected = {"invitations": 2, "certificates": 1, "inactive_quiz_attempts": 2, "never_used_accounts": 1,
                "mail_outbox": 1, "checkin_attempts": 1}
    sessions = db.metadata.tables.get("login_session")
    if sessions is not None:
        def login_session(name, **moments):
            values = {"user_id": holder.id, "created_at": now - 200 * day, "token_hash": name.ljust(64, "0"),
                      **moments}
            db.session.execute(insert(sessions).values({k: v for k, v in values.items() if k in sessions.c}))

        login_session("ended-old", ended_at=now - 91 * day, last_seen_at=now - 91 * day)
        login_session("unused-old", last_seen_at=now - 91 * day)
        login_session("ended-recent", ended_at=now - 89 * day, last_seen_at=now - 89 * day)
        login_session("in-use", last_seen_at=now - day)
        expected["login_sessions"] = 2
    db.session.commit()

    outbox = tmp_path / "outbox"
    outbox.mkdir()
    for name, age in (("oud.log", 31), ("nieuw.log", 29)):
        path = outbox / name
        path.write_text("Subject: test\n\nEen mail.\n", encoding="utf-8")
        moment = (now - age * day).timestamp()
        os.utime(path, (moment, moment))
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_PATH", str(outbox))
    return {"now": now, "expected": expected, "outbox": outbox,
            "remove": {kind: {item.id for item in items} for kind, items in remove.items()},
            "keep": {kind: {item.id for item in items} for kind, items in keep.items()}}


def _present(model):
    return set(db.session.scalars(select(model.id)))


def test_dry_run_counts_and_changes_nothing(aged):
    before = snapshot()
    report = apply_retention(now=aged["now"], dry_run=True)
    assert {kind: count for kind, (_what, count) in report.counts.items()} == aged["expected"]
    assert snapshot() == before
    assert sorted(p.name for p in aged["outbox"].iterdir()) == ["nieuw.log", "oud.log"]


def test_the_real_run_removes_exactly_what_is_past_its_period(aged):
    remove, keep = aged["remove"], aged["keep"]
    report = apply_retention(now=aged["now"])
    assert {kind: count for kind, (_what, count) in report.counts.items()} == aged["expected"]
    db.session.expire_all()
    for model, kind in ((Invitation, "invitations"), (Certificate, "certificates"), (QuizAttempt, "attempts"),
                        (User, "accounts"), (CheckinAttempt, "checkin_attempts")):
        present = _present(model)
        assert not remove[kind] & present, kind
        assert keep[kind] <= present, kind
    assert set(db.session.scalars(select(AttemptAnswer.attempt_id))) == keep["attempts"]
    assert db.session.scalar(select(func.count()).select_from(Enrollment)
                             .where(Enrollment.user_id.in_(remove["accounts"]))) == 0
    assert sorted(p.name for p in aged["outbox"].iterdir()) == ["nieuw.log"]
    sessions = db.metadata.tables.get("login_session")
    if sessions is not None:
        left = set(db.session.scalars(select(sessions.c.token_hash)))
        assert {h.rstrip("0") for h in left if h.rstrip("0") in {"ended-old", "unused-old", "ended-recent",
                                                                  "in-use"}} == {"ended-recent", "in-use"}
    # A second run finds nothing more.
    again = apply_retention(now=aged["now"])
    assert all(count == 0 for _what, count in again.counts.values())


def test_the_command_prints_counts_per_kind_and_the_dry_run_changes_nothing(runner, aged):
    before = snapshot()
    result = runner.invoke(privacy_cli, ["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was changed" in result.output
    assert "invitations expired or used more than 30 days ago: 2 would be removed" in result.output
    assert "certificates that ended more than 5 years ago: 1 would be removed" in result.output
    assert snapshot() == before
    result = runner.invoke(privacy_cli, ["retention"])
    assert result.exit_code == 0, result.output
    assert "accounts created more than 365 days ago that were never used: 1 removed" in result.output
    assert "quiz attempts of accounts inactive for more than 5 years: 2 removed" in result.output
    assert "mails in the file outbox older than 30 days: 1 removed" in result.output
