"""Background jobs (Huey): work that must not happen inside a request, done once, after the commit.

- models.py: the job table, an outbox: a job is written in the same transaction as the change that asks for it.
- queue.py: the Huey instance, its storage (JOBS_URL: SQLite file by default, Redis in production), and handing
  jobs to the queue after the commit (never for a transaction that rolled back).
- handover.py: giving jobs to the queue after the commit (immediate mode for the tests).
- tasks.py: running a job (claim with a lease, run, mark done or failed; retries with backoff).
- sweep.py: what a stopped worker or an unreachable queue left behind, and periodic tasks.
- registry.py: what each kind of job does; the packages that own the work register their handlers (mail in
  mailing.py, certificate documents in certification/ and credentials/, periodic reminders and retention).
- services.py: enqueue() and enqueue_many(), and what admins (/admin/jobs) and /healthz see.
- cli.py: `flask --app app jobs worker` (the consumer) and `jobs sweep`.

This package sits with the shared building blocks (layer 6), so mailing can ask for jobs; the work that needs
higher layers registers itself from above.
"""

from jimtraining.jobs.registry import handler
from jimtraining.jobs.services import enqueue, enqueue_many


def init_app(app) -> None:
    from jimtraining.jobs import sweep  # noqa: F401 - registers run_job and the periodic sweep with Huey
    from jimtraining.jobs.cli import jobs_cli
    from jimtraining.jobs.queue import configure
    from jimtraining.jobs.services import update_metrics
    from jimtraining.observability import BEFORE_SCRAPE

    configure(app)
    app.cli.add_command(jobs_cli)
    if update_metrics not in BEFORE_SCRAPE:
        BEFORE_SCRAPE.append(update_metrics)


__all__ = ["enqueue", "enqueue_many", "handler", "init_app"]
