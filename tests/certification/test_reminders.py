"""Expiry reminders 60 and 14 days before the end: sent by a command cron can run, each exactly once."""

from datetime import UTC, datetime, timedelta

import pytest

from jimtraining.certification.services import create_certificate, revoke_certificate
from jimtraining.extensions import db
from tests.support.mail import mail_jobs, try_mail_jobs_again

ISSUED = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # valid 36 months: ends 15 January 2029


@pytest.fixture
def certificate(world):
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, ISSUED)
    db.session.commit()
    return certificate


@pytest.fixture
def clock(clock, certificate):
    """The suite's frozen clock (tests/support/clock.py), at the moment the certificate was issued once the world
    and the certificate are there; set clock.now to move it."""
    clock.move_to(ISSUED)
    return clock


def remind(runner):
    result = runner.invoke(args=["certificates", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_running_the_command_twice_sends_each_reminder_once(runner, clock, certificate, outbox):
    clock.now = datetime(2028, 11, 20, 7, 0, tzinfo=UTC)  # 56 days before the end
    assert "1 queued" in remind(runner)
    assert "0 queued" in remind(runner)
    assert len(outbox) == 1 and "verloopt over 56 dagen" in outbox[0].subject
    clock.now = datetime(2029, 1, 2, 7, 0, tzinfo=UTC)  # 13 days before the end
    remind(runner)
    remind(runner)
    assert len(outbox) == 2 and "verloopt over 13 dagen" in outbox[1].subject
    clock.now = datetime(2029, 1, 10, 7, 0, tzinfo=UTC)
    remind(runner)
    assert len(outbox) == 2


def test_nothing_is_sent_long_before_the_end_or_after_it(runner, clock, certificate, outbox):
    clock.now = datetime(2028, 6, 1, tzinfo=UTC)
    remind(runner)
    clock.now = datetime(2029, 1, 16, tzinfo=UTC)  # expired the day before
    remind(runner)
    assert outbox == []


def test_a_certificate_first_seen_inside_14_days_gets_only_the_14_day_reminder(runner, clock, certificate, outbox):
    clock.now = datetime(2029, 1, 5, tzinfo=UTC)
    remind(runner)
    clock.now = datetime(2029, 1, 6, tzinfo=UTC)
    remind(runner)
    assert len(outbox) == 1
    db.session.refresh(certificate)
    assert certificate.reminder_14_sent_at is not None and certificate.reminder_60_sent_at is not None


def test_revoked_certificates_get_no_reminder(runner, clock, certificate, world, outbox):
    revoke_certificate(certificate, world.admin, "Ingetrokken.")
    clock.now = datetime(2028, 12, 1, tzinfo=UTC)
    remind(runner)
    assert outbox == []


def test_a_reminder_that_could_not_be_sent_is_tried_again_by_its_job_and_sent_once(runner, clock, certificate,
                                                                                   outbox, mail_server_down):
    clock.now = datetime(2028, 12, 1, tzinfo=UTC)
    assert "1 queued" in remind(runner)
    [job] = mail_jobs()
    assert job.state == "pending" and "connection refused" in job.last_error
    remind(runner)  # the next run does not queue it again
    assert len(mail_jobs()) == 1
    mail_server_down.down = False
    try_mail_jobs_again()
    assert len(outbox) == 1


def test_the_reminder_mail_names_the_certificate_and_the_refresher(runner, clock, certificate, outbox, world):
    clock.now = ISSUED.replace(year=2028, month=12) + timedelta(days=1)
    remind(runner)
    mail = outbox[0]
    assert mail.to == [world.learner.email]
    assert certificate.number in mail.body and "15-01-2029" in mail.body and "opfristraject" in mail.body


def test_no_reminder_for_a_holder_who_already_renewed(runner, clock, certificate, world, outbox):
    create_certificate(world.learner, world.trainer, world.track, world.cohort,
                       datetime(2028, 12, 1, tzinfo=UTC))
    db.session.commit()
    clock.now = datetime(2028, 12, 20, tzinfo=UTC)
    remind(runner)
    assert outbox == []


def test_no_reminder_for_a_switched_off_account(runner, clock, certificate, world, outbox):
    world.learner.is_enabled = False
    db.session.commit()
    clock.now = datetime(2028, 12, 20, tzinfo=UTC)
    remind(runner)
    assert outbox == []


def test_a_one_day_reminder_says_dag_not_dagen(runner, clock, certificate, outbox):
    clock.now = datetime(2029, 1, 14, 9, 0, tzinfo=UTC)
    remind(runner)
    assert outbox[0].subject.endswith("verloopt over 1 dag")
