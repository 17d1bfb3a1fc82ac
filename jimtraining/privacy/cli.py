"""`flask --app app privacy ...`: the retention job, for cron, and the same as a periodic task of the jobs worker."""

import click
from flask.cli import AppGroup
from huey import crontab

from jimtraining.jobs.sweep import periodic

privacy_cli = AppGroup("privacy", help="Privacy (AVG/GDPR): retention periods.")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed; change nothing.")
def retention(dry_run):
    """Remove data older than its retention period (jimtraining/privacy/retention.py, docs/PRIVACY.md).

    Safe to run as often as you like (daily from cron, say); run it with the same environment as the app, so it
    finds the same database and mail outbox.
    """
    from jimtraining.privacy.retention import apply_retention

    report = apply_retention(dry_run=dry_run)
    verb = "would be removed" if dry_run else "removed"
    click.echo("Retention" + (" (dry run: nothing was changed)" if dry_run else "") + ":")
    for _kind, (what, count) in report.counts.items():
        click.echo(f"  {what}: {count} {verb}")


@periodic(crontab(hour="2", minute="30"), "privacy.retention")
def retention_every_night():
    """The same, every night at 02:30 UTC, in the jobs worker (`flask jobs worker`)."""
    from jimtraining.privacy.retention import apply_retention

    apply_retention()
