"""Sending mail through Flask-Mailman, always from a background job, never inside a request.

`send_mail` writes the mail as a job in the running transaction (jimtraining/jobs/); once that commits, a worker
sends it (`deliver`), retrying with backoff when the mail server refuses or cannot be reached. A mail that fails
on every try, or whose worker stopped while it was being handed to the mail server, is listed for admins at
/admin/jobs with its error: mail is never dropped silently, and never sent twice by the platform itself.

Without MAIL_SERVER the embedded default writes every mail to a file outbox in instance/outbox (and logs it);
admins read it at /admin/outbox.
"""

from __future__ import annotations

import email
import logging
import smtplib
from email.header import decode_header, make_header
from pathlib import Path

from flask import current_app
from flask_mailman import EmailMessage

from jimtraining.jobs import enqueue, enqueue_many, handler

log = logging.getLogger(__name__)


class MailError(Exception):
    """The mail could not be sent."""


def mail_settings(instance_path: str, environ) -> dict:
    """MAIL_* settings: SMTP when MAIL_SERVER is set, otherwise the file outbox."""
    if environ.get("MAIL_SERVER"):
        return {
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": environ["MAIL_SERVER"],
            "MAIL_PORT": int(environ.get("MAIL_PORT", "587")),
            "MAIL_USERNAME": environ.get("MAIL_USERNAME"),
            "MAIL_PASSWORD": environ.get("MAIL_PASSWORD"),
            "MAIL_USE_TLS": environ.get("MAIL_USE_TLS", "true").lower() == "true",
            "MAIL_USE_SSL": environ.get("MAIL_USE_SSL", "false").lower() == "true",
            "MAIL_TIMEOUT": 10,
            "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "JIM-training <no-reply@localhost>"),
        }
    return {
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(Path(instance_path) / "outbox"),
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "JIM-training <no-reply@localhost>"),
    }


def send_mail(to: str, subject: str, body: str, key: str | None = None) -> None:
    """Send one plain-text mail once the running transaction commits (not if it rolls back); the caller commits.
    The same `key` twice is one mail."""
    enqueue("mail", {"to": to, "subject": subject, "body": body}, key=f"mail:{key}" if key else None)


def send_mails(mails: list[tuple[str, str, str, str]]) -> None:
    """send_mail for many mails at once (a list of invitations): (to, subject, body, key) each, written as jobs
    in a few statements whatever their number; the caller commits."""
    enqueue_many("mail", [({"to": to, "subject": subject, "body": body}, f"mail:{key}")
                          for to, subject, body, key in mails])


@handler("mail", repeatable=False)
def deliver(payload: dict) -> None:
    """The mail job: hand the mail to the mail server; raises MailError when it refuses or cannot be reached."""
    to, subject = payload["to"], payload["subject"]
    message = EmailMessage(subject=subject, body=payload["body"], to=[to],
                           from_email=current_app.config.get("MAIL_DEFAULT_SENDER"))
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("mail to %s failed: %s", to, error)
        raise MailError(str(error)) from error
    log.info("mail sent to %s: %s", to, subject)


def outbox(limit: int = 50) -> list[dict]:
    """The newest mails in the file outbox (embedded default only)."""
    folder = Path(current_app.config.get("MAIL_FILE_PATH") or "")
    if current_app.config.get("MAIL_BACKEND") != "file" or not folder.is_dir():
        return []
    mails = []
    for path in sorted(folder.glob("*.log"), reverse=True):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk)
            payload = message.get_payload(decode=True) or b""
            mails.append({
                "to": message.get("To", ""), "subject": str(make_header(decode_header(message.get("Subject", "")))),
                "date": message.get("Date", ""), "body": payload.decode(message.get_content_charset() or "utf-8",
                                                                        errors="replace"),
            })
        if len(mails) >= limit:
            break
    return mails[:limit]
