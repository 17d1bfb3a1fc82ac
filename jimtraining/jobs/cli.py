"""`flask --app app jobs ...`: the worker that runs the jobs, and the sweep by hand."""

import os

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs: mails, certificate documents, reminders, retention.")


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Jobs run at the same time (threads).")
@click.option("--nice", "niceness", type=click.IntRange(0, 19), default=10, show_default=True, envvar="JOBS_NICE",
              help="Lower the worker's CPU priority by this much (os.nice; env JOBS_NICE), so that on a machine "
              "it shares with the web server, pages go first and jobs take the time left over.")
@click.option("--no-periodic", is_flag=True, help="Do not run the periodic tasks (reminders, retention, sweep) "
              "here: with several worker machines, let one run them.")
def worker(workers, niceness, no_periodic):
    """Run the jobs as they come (Huey's consumer, with this app). Stop with Ctrl-C (it finishes running jobs)."""
    from jimtraining.jobs.queue import configure, huey, storage_url

    app = current_app._get_current_object()
    if app.config.get("JOBS_IMMEDIATE"):
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run where they are asked for; no worker needed.")
    configure(app)
    if niceness:
        os.nice(niceness)
    click.echo(f"Jobs worker: {workers} thread(s), queue {_safe(storage_url(app))}, CPU priority lowered by "
               f"{niceness} (nice)")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_periodic,
                                    initial_delay=0.1, backoff=1.15, max_delay=2.0, check_worker_health=True)
    consumer.run()


def _safe(url: str) -> str:
    """The queue's address without a password."""
    if "@" in url:
        scheme, _sep, rest = url.partition("://")
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


@jobs_cli.command("sweep")
def sweep_command():
    """Hand over jobs that were never handed to the queue, and mark jobs a stopped worker left (runs every minute
    in the worker too)."""
    from jimtraining.jobs.sweep import sweep

    click.echo(f"Job sweep: {sweep()}")
