"""Running a job: exactly once where that can be known (sweep.py finds the jobs a stopped worker left).

The boundary: a job is claimed (PENDING -> RUNNING with a lease, committed) before its handler runs, and marked
DONE in the same transaction as the handler's own database writes. So work that only writes to the database is
done exactly once. A mail leaves the database: between the mail server's "accepted" and our DONE a worker can
die, and SMTP has no key to ask "did you get this one?". Such a job (RUNNING with an expired lease) is therefore
never sent again by itself: the sweep marks it UNCERTAIN, an admin sees it on the jobs page and may send it again.
A mail is sent at most once in that window, exactly once everywhere else.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import update

from jimtraining.extensions import db
from jimtraining.jobs.models import DONE, FAILED, PENDING, RUNNING, Job
from jimtraining.jobs.queue import RETRIES, RETRY_DELAY, bound_app, huey
from jimtraining.jobs.registry import HANDLERS
from jimtraining.observability import JOB_FAILURES
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

@huey.task(retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=2)
def run_job(job_id: int) -> None:
    with bound_app().app_context():
        perform(job_id)


def perform(job_id: int) -> None:
    """Claim the job, run its handler, record the outcome; raises when it failed and will be tried again."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config.get("JOBS_LEASE_SECONDS", 600))
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == PENDING)
        .values(state=RUNNING, lease_until=now + lease, attempts=Job.attempts + 1, updated_at=now)).rowcount
    db.session.commit()
    if not claimed:
        log.info("job %s: nothing to do (done, claimed by another worker, or gone)", job_id)
        return
    job = db.session.get(Job, job_id)
    kind, payload, attempts = job.kind, dict(job.payload or {}), job.attempts
    g.job_request_id = job.request_id or "-"  # this job's log lines carry the id of the request that asked for it
    handler = HANDLERS.get(kind)
    log.info("job %s (%s): attempt %s", job_id, kind, attempts)
    try:
        if handler is None:
            raise LookupError(f"no handler for jobs of kind {kind!r}")
        handler.func(payload)
    except Exception as error:
        db.session.rollback()
        final = handler is None or attempts > RETRIES
        message = "".join(traceback.format_exception_only(type(error), error)).strip()
        db.session.execute(update(Job).where(Job.id == job_id, Job.state == RUNNING).values(
            state=FAILED if final else PENDING, last_error=message[:2000], lease_until=None, updated_at=utcnow()))
        db.session.commit()
        JOB_FAILURES.labels(kind).inc()
        log.warning("job %s (%s) failed on attempt %s%s: %s", job_id, kind, attempts,
                    " (given up)" if final else " (tried again later)", message)
        if not final:
            raise
        return
    db.session.execute(update(Job).where(Job.id == job_id).values(
        state=DONE, finished_at=utcnow(), updated_at=utcnow(), lease_until=None, last_error=""))
    db.session.commit()
    log.info("job %s (%s) done", job_id, kind)
