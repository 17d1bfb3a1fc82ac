"""Background jobs (issue 20 item 1): mails leave after the commit, never inside the request and never for a
transaction that rolled back; a job is done once; one that keeps failing is shown to admins with its error."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.jobs.handover import dispatch
from jimtraining.jobs.models import DONE, FAILED, PENDING, RUNNING, UNCERTAIN, Job
from jimtraining.jobs.queue import RETRIES
from jimtraining.jobs.sweep import KEEP_DONE_DAYS, sweep
from jimtraining.mailing import send_mail, send_mails
from jimtraining.observability import RequestIdFilter
from jimtraining.timeutil import utcnow
from tests.support.mail import EmailBackend, MailInsideRequestError, mail_jobs, try_mail_jobs_again


def test_a_mail_is_sent_once_its_transaction_commits(outbox):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    assert outbox == []  # not before the commit
    db.session.commit()
    assert [(mail.to, mail.subject) for mail in outbox] == [(["sam@example.org"], "Welkom")]
    assert [job.state for job in mail_jobs()] == [DONE]


def test_a_mail_of_a_transaction_that_rolls_back_is_never_sent(outbox):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    db.session.rollback()
    db.session.commit()  # a later commit does not send what was rolled back
    assert outbox == [] and mail_jobs() == []


def test_the_same_mail_key_twice_is_one_mail(outbox):
    send_mail("sam@example.org", "Welkom", "Hallo Sam", key="welcome:1")
    send_mail("sam@example.org", "Welkom", "Hallo Sam", key="welcome:1")
    db.session.commit()
    assert len(outbox) == 1


def test_a_batch_of_mails_sends_each_key_once_also_keys_written_before_or_given_twice(outbox):
    send_mail("al@example.org", "Welkom", "Hallo Al", key="welcome:al")
    db.session.commit()
    send_mails([("al@example.org", "Welkom", "Hallo Al", "welcome:al"),
                ("bo@example.org", "Welkom", "Hallo Bo", "welcome:bo"),
                ("bo@example.org", "Welkom", "Hallo Bo", "welcome:bo"),
                ("cy@example.org", "Welkom", "Hallo Cy", "welcome:cy")])
    assert len(outbox) == 1  # nothing before the commit
    db.session.commit()
    assert sorted(mail.to[0] for mail in outbox) == ["al@example.org", "bo@example.org", "cy@example.org"]
    assert [job.state for job in mail_jobs()] == [DONE, DONE, DONE]


def test_a_batch_of_mails_of_a_transaction_that_rolls_back_is_never_sent(outbox):
    send_mails([("al@example.org", "Welkom", "Hallo Al", "welcome:al")])
    db.session.rollback()
    db.session.commit()
    assert outbox == [] and mail_jobs() == []


def test_a_job_handed_over_twice_sends_its_mail_once(outbox):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    db.session.commit()
    dispatch([job.id for job in mail_jobs()])  # the queue delivers it again (a second worker, the sweep)
    assert len(outbox) == 1


def test_the_mail_backend_refuses_to_send_inside_a_request(app):
    """The guard every test runs with: a view that sent mail itself would fail here."""
    from flask_mailman import EmailMessage

    with app.test_request_context("/"), pytest.raises(MailInsideRequestError):
        EmailMessage("Welkom", "Hallo", to=["sam@example.org"],
                     connection=EmailBackend()).send()


def test_an_invitation_mail_is_sent_by_a_job_outside_the_request(client, login, world, outbox):
    login(client, world.trainer)
    url = f"/cohorts/{world.cohort.id}/invite"
    response = client.submit(url, {"email": "nina@example.org", "name": "Nina"}, page=url)
    assert response.status_code == 302
    assert [mail.to for mail in outbox] == [["nina@example.org"]]  # the guard would have failed inside the request
    [job] = mail_jobs()
    assert job.state == DONE and job.request_id == response.headers["X-Request-ID"]


def test_the_log_lines_of_a_job_carry_the_id_of_the_request_that_asked_for_it(client, make_user, outbox):
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append((record.getMessage(), record.request_id))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("jimtraining.jobs.tasks")
    logger.addHandler(handler)
    level, disabled = logger.level, logger.disabled
    logger.setLevel(logging.INFO)
    logger.disabled = False  # the suite's migrations (Alembic's logging set-up) switch existing loggers off
    try:
        user = make_user()
        page = client.get("/password/forgot").get_data(as_text=True)
        assert page
        response = client.submit("/password/forgot", {"email": user.email}, page="/password/forgot",
                                 headers={"X-Request-ID": "reset-req-0001"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.disabled = disabled
    assert response.headers["X-Request-ID"] == "reset-req-0001" and len(outbox) == 1
    done = [request_id for message, request_id in lines if "done" in message]
    assert done == ["reset-req-0001"]


def test_a_failing_mail_is_tried_again_and_after_every_try_listed_for_admins_with_its_error(
        client, login, make_user, outbox, mail_server_down):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    db.session.commit()
    for _ in range(RETRIES):
        try_mail_jobs_again()
    [job] = mail_jobs()
    assert job.state == FAILED and job.attempts == RETRIES + 1 and "connection refused" in job.last_error
    admin = make_user(role="admin")
    login(client, admin)
    start = client.get("/").get_data(as_text=True)
    assert "1 achtergrondtaak (mail of certificaat) is mislukt" in start and "/admin/jobs" in start
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "Mail aan sam@example.org: Welkom" in page and "connection refused" in page
    mail_server_down.down = False
    response = client.submit(f"/admin/jobs/{job.id}/retry", {}, page="/admin/jobs")
    assert response.status_code == 302
    assert len(outbox) == 1 and mail_jobs()[0].state == DONE
    assert "Geen taken die aandacht nodig hebben" in client.get("/admin/jobs").get_data(as_text=True)


def test_only_admins_see_the_failed_jobs(client, login, make_user):
    db.session.add(Job(kind="mail", key="mail:x", state=FAILED, attempts=6, last_error="refused",
                       payload={"to": "sam@example.org", "subject": "Welkom", "body": "Hallo"}))
    db.session.commit()
    login(client, make_user(role="trainer"))
    assert client.get("/admin/jobs").status_code == 403


def test_a_mail_whose_worker_stopped_while_sending_is_not_sent_again_but_shown_as_uncertain(outbox):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    job = mail_jobs()[0]
    db.session.commit()
    outbox.clear()
    # As a worker that died between handing the mail over and marking it sent leaves it:
    job.state, job.lease_until = RUNNING, utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert sweep()["uncertain"] == 0  # its lease still runs: the worker may be busy with it
    counts = sweep(now=utcnow() + timedelta(minutes=11))
    assert counts["uncertain"] == 1 and outbox == []
    assert mail_jobs()[0].state == UNCERTAIN
    dispatch([job.id])  # a late delivery of the same job sends nothing either
    assert outbox == []


def test_the_sweep_hands_over_jobs_the_queue_never_got_and_forgets_old_done_ones(outbox):
    now = utcnow()
    db.session.add_all([
        Job(kind="mail", key="mail:lost", state=PENDING, attempts=0, payload={"to": "a@example.org",
            "subject": "Verloren", "body": "x"}, created_at=now - timedelta(hours=1),
            updated_at=now - timedelta(hours=1)),
        Job(kind="mail", key="mail:old", state=DONE, attempts=1, payload={}, finished_at=now - timedelta(
            days=KEEP_DONE_DAYS + 1)),
    ])
    db.session.commit()
    counts = sweep()
    assert counts["handed_over"] == 1 and counts["deleted"] == 1
    assert [mail.subject for mail in outbox] == ["Verloren"]
    assert db.session.scalar(select(Job.key).where(Job.key == "mail:old")) is None


def test_healthz_counts_waiting_and_failed_jobs(client, mail_server_down):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    db.session.add(Job(kind="mail", key="mail:failed", state=FAILED, attempts=6, payload={}))
    db.session.commit()
    assert client.get("/healthz").get_json()["queue"] == {"status": "ok", "pending": 1, "failed": 1}


def test_healthz_answers_503_when_the_queue_cannot_be_reached(client, monkeypatch):
    from jimtraining.jobs.queue import huey

    def unreachable():
        raise ConnectionError("redis is down")

    monkeypatch.setattr(huey, "pending_count", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "ok", "queue": {"status": "unavailable"}}


def test_metrics_show_the_queue_depth_and_job_failures(client, mail_server_down):
    send_mail("sam@example.org", "Welkom", "Hallo Sam")
    db.session.commit()
    text = client.get("/metrics").get_data(as_text=True)
    assert "jim_job_queue_depth 1.0" in text
    assert "jim_jobs_failed 0.0" in text
    assert 'jim_job_failures_total{kind="mail"}' in text


def test_a_certificate_pdf_is_drawn_by_a_job_and_the_download_says_so_until_it_is_there(client, login, world,
                                                                                      monkeypatch):
    from jimtraining.certification import documents
    from jimtraining.certification.models import CertificatePdf
    from jimtraining.certification.services import create_certificate
    from jimtraining.jobs.queue import huey

    monkeypatch.setattr(huey, "_immediate", False)  # a worker that has not got to it yet
    monkeypatch.setattr(huey, "storage", type(huey.storage)("jimtraining"))
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    login(client, world.learner)
    waiting = client.get(f"/certificates/{certificate.id}.pdf")
    assert waiting.status_code == 202 and "wordt gemaakt" in waiting.get_data(as_text=True)
    [job] = db.session.scalars(select(Job).where(Job.kind == "certificate.pdf")).all()
    assert job.state == PENDING
    monkeypatch.setattr(huey, "_immediate", True)
    dispatch([job.id])  # the worker draws it
    ready = client.get(f"/certificates/{certificate.id}.pdf")
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")
    assert db.session.scalar(select(CertificatePdf.pdf)) == ready.data == documents.stored_pdf(certificate)


def test_jobs_url_chooses_the_queue_storage():
    from huey.storage import RedisStorage, SqliteStorage

    from jimtraining.jobs.queue import make_storage

    assert isinstance(make_storage("redis://127.0.0.1:6379/15"), RedisStorage)
    assert isinstance(make_storage("sqlite:////tmp/jim-jobs-test/jobs.sqlite3"), SqliteStorage)
    with pytest.raises(ValueError, match="JOBS_URL"):
        make_storage("amqp://127.0.0.1")


def test_a_redis_queue_keeps_the_jobs_handed_to_it():
    import redis

    from jimtraining.jobs.queue import make_storage

    storage = make_storage("redis://127.0.0.1:6379/15")
    try:
        storage.flush_queue()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    storage.enqueue(b"job 1", 0)
    assert storage.queue_size() == 1 and storage.dequeue() == b"job 1"


def test_healthz_answers_503_when_redis_cannot_be_reached(client, monkeypatch):
    from jimtraining.jobs.queue import huey, make_storage

    monkeypatch.setattr(huey, "storage", make_storage("redis://127.0.0.1:9/0"))  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["queue"] == {"status": "unavailable"}
