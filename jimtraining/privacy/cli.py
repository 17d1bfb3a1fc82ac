"""`flask --app app privacy ...`: the retention job, for cron."""

import click
from flask.cli import AppGroup

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
