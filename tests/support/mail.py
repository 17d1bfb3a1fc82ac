"""The mails the app sends, and the guard that no mail is sent inside a request (issue 20, acceptance 1)."""

import pytest
from flask import has_request_context
from flask_mailman.backends import locmem


class MailInsideRequestError(AssertionError):
    """A mail was handed to the mail backend while a request was being answered."""


class EmailBackend(locmem.EmailBackend):
    """The suite's mail backend (tests/support/database.py): Flask-Mailman's in-memory outbox, refusing to send
    from inside a request. Mail is sent by background jobs (jimtraining/jobs/), never by the request that asked for
    it; a view that sent mail itself would fail its test here. (Flask-Mailman finds a backend by the class name
    EmailBackend.)"""

    def send_messages(self, messages):
        if has_request_context():
            raise MailInsideRequestError("a mail was sent inside a request; queue it with mailing.send_mail instead")
        return super().send_messages(messages)


@pytest.fixture
def outbox(app):
    """Mails sent during the test (Flask-Mailman's locmem backend keeps them on the extension)."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox


class MailServerDown:
    """Switch for `mail_server_down`: while `down` is true every mail fails as when the server cannot be reached."""

    def __init__(self):
        self.down = True


@pytest.fixture
def mail_server_down(monkeypatch):
    """The mail server refuses connections until the test sets `.down = False`."""
    import smtplib

    state = MailServerDown()
    real = EmailBackend.send_messages

    def send_messages(self, messages):
        if state.down:
            raise smtplib.SMTPConnectError(421, "connection refused")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return state


def mail_jobs():
    """The mail jobs, oldest first."""
    from sqlalchemy import select

    from jimtraining.extensions import db
    from jimtraining.jobs.models import Job

    db.session.expire_all()
    return db.session.scalars(select(Job).where(Job.kind == "mail").order_by(Job.id)).all()


def try_mail_jobs_again():
    """What the worker does after its retry delay: run every waiting job once more."""
    from jimtraining.jobs.handover import dispatch

    dispatch([job.id for job in mail_jobs() if job.state == "pending"])


def run_waiting_jobs():
    """What the jobs worker does after its retry delay: run every waiting job (any kind) once more."""
    from sqlalchemy import select

    from jimtraining.extensions import db
    from jimtraining.jobs.handover import dispatch
    from jimtraining.jobs.models import PENDING, Job

    dispatch(db.session.scalars(select(Job.id).where(Job.state == PENDING).order_by(Job.id)).all())
