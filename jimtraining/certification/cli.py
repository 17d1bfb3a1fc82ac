"""`flask --app app certificates ...`: jobs for cron, and the same as a periodic task of the jobs worker."""

import click
from flask.cli import AppGroup
from huey import crontab

from jimtraining.jobs.sweep import periodic

certificates_cli = AppGroup("certificates", help="Certificates: expiry reminders.")


@certificates_cli.command("remind")
def remind():
    """Mail holders whose certificate ends within 60 days, and within 14 days; each reminder only once.

    Safe to run as often as you like; the jobs worker runs it every day at 06:00 UTC (cron is an alternative).
    Run it with the same environment as the app.
    """
    from jimtraining.certification.services import send_expiry_reminders

    report = send_expiry_reminders()
    click.echo(f"Expiry reminders: {report.sent} queued (the jobs worker sends them; a mail that keeps failing is "
               "listed at /admin/jobs).")


@periodic(crontab(hour="6", minute="15"), "certificates.remind")
def remind_every_day():
    """The same, every day at 06:15 UTC, in the jobs worker (`flask jobs worker`)."""
    from jimtraining.certification.services import send_expiry_reminders

    send_expiry_reminders()
