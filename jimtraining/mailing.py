"""Sending mail through Flask-Mailman.

Without MAIL_SERVER the embedded default writes every mail to a file outbox in instance/outbox (and logs it);
admins read it at /admin/outbox. A failure to send raises MailError, which views show to the sender: mail is
never dropped silently.
"""

from __future__ import annotations

import email
import logging
import smtplib
from email.header import decode_header, make_header
from pathlib import Path

from flask import current_app
from flask_mailman import EmailMessage

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


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text mail; raises MailError when the mail server refuses or cannot be reached."""
    message = EmailMessage(subject=subject, body=body, to=[to],
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
