"""The sweep for what a stopped worker or an unreachable queue left behind, and periodic tasks."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import wraps

from flask import current_app, g
from huey import crontab
from sqlalchemy import delete, select, update

from jimtraining.extensions import db
from jimtraining.jobs.handover import dispatch
from jimtraining.jobs.models import DONE, PENDING, RUNNING, UNCERTAIN, Job
from jimtraining.jobs.queue import bound_app, huey
from jimtraining.jobs.registry import HANDLERS
from jimtraining.observability import JOB_FAILURES
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

#: Done jobs are kept this long (a mail's text is personal data), then deleted by the sweep.
KEEP_DONE_DAYS = 30


def sweep(now=None) -> dict:
    """Find what a stopped worker or an unreachable queue left behind: jobs never handed over (or whose retry
    was lost) are handed over again; a RUNNING job whose lease expired is run again when that is harmless and
    marked UNCERTAIN otherwise; done jobs past KEEP_DONE_DAYS are deleted. Returns the counts."""
    now = now or utcnow()
    rehand_after = timedelta(seconds=current_app.config.get("JOBS_REHAND_SECONDS", 600))
    counts = {"handed_over": 0, "rerun": 0, "uncertain": 0, "deleted": 0}
    stale = db.session.scalars(select(Job.id).where(Job.state == PENDING,
                                                    Job.updated_at < now - rehand_after)).all()
    expired = db.session.execute(select(Job.id, Job.kind).where(Job.state == RUNNING,
                                                                Job.lease_until < now)).all()
    again = list(stale)
    for job_id, kind in expired:
        handler = HANDLERS.get(kind)
        if handler is not None and handler.repeatable:
            changed = db.session.execute(update(Job).where(Job.id == job_id, Job.state == RUNNING).values(
                state=PENDING, lease_until=None, updated_at=now,
                last_error="The worker stopped during this job; it is done again.")).rowcount
            counts["rerun"] += changed
            again += [job_id] if changed else []
        else:
            counts["uncertain"] += db.session.execute(update(Job).where(Job.id == job_id, Job.state == RUNNING).values(
                state=UNCERTAIN, lease_until=None, updated_at=now,
                last_error="The worker stopped while doing this job. It may or may not have happened (a mail may "
                           "have reached the mail server), so it is not done again by itself.")).rowcount
            JOB_FAILURES.labels(kind).inc()
    if stale:
        db.session.execute(update(Job).where(Job.id.in_(stale)).values(updated_at=now))
    counts["handed_over"] = len(stale)
    counts["deleted"] = db.session.execute(delete(Job).where(
        Job.state == DONE, Job.finished_at < now - timedelta(days=KEEP_DONE_DAYS))).rowcount
    db.session.commit()
    if again:
        dispatch(again)
    if any(counts.values()):
        log.info("job sweep: %s", counts)
    return counts


def periodic(schedule, name: str):
    """Register `func()` as a periodic task run by the consumer's scheduler in an app context, such as
    `@periodic(crontab(hour="6", minute="0"), "certificates.remind")`."""
    def register(func):
        @wraps(func)
        def run():
            with bound_app().app_context():
                g.job_request_id = f"periodic-{name}"
                return func()
        huey.periodic_task(schedule, name=name)(run)
        return func
    return register


@periodic(crontab(minute="*"), "jobs.sweep")
def _sweep_every_minute():
    sweep()
