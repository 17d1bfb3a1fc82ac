"""Handing jobs to the queue after the commit that wrote them, never for a transaction that rolled back.

In immediate mode (the test suite) a job runs as soon as its transaction commits, in a thread of its own with a
fresh app context, so never inside the request that asked for it (just as with a real worker); the caller waits.
"""

from __future__ import annotations

import logging
import threading

from flask import current_app, has_app_context
from sqlalchemy import event

from jimtraining.extensions import db
from jimtraining.jobs import queue
from jimtraining.jobs.tasks import run_job

log = logging.getLogger(__name__)


def remember_for_commit(job_id: int) -> None:
    """Hand the job to the queue once the running transaction commits; forget it if it rolls back."""
    db.session.info.setdefault("jim_jobs", []).append(job_id)


def _listen(session_target) -> None:
    @event.listens_for(session_target, "after_commit")
    def _after_commit(session):
        ids = session.info.pop("jim_jobs", None)
        if ids:
            session.info.setdefault("jim_jobs_committed", []).extend(ids)

    @event.listens_for(session_target, "after_rollback")
    def _after_rollback(session):
        session.info.pop("jim_jobs", None)

    @event.listens_for(session_target, "after_transaction_end")
    def _after_transaction_end(session, transaction):
        # Once the committed transaction has given its connection back (SQLite: no lock held any more).
        if transaction.parent is None:
            ids = session.info.pop("jim_jobs_committed", None)
            if ids:
                dispatch(ids)


_listen(db.session)


def dispatch(job_ids: list[int]) -> None:
    """Give these (committed) jobs to the queue. A queue that cannot be reached loses nothing: the rows stay
    pending and the sweep (sweep.py) hands them over again."""
    if queue.huey.immediate:
        app = current_app._get_current_object() if has_app_context() else queue.bound_app()
        for job_id in job_ids:
            worker = threading.Thread(target=_run_now, args=(app, job_id), daemon=True)
            worker.start()
            worker.join()
        return
    for job_id in job_ids:
        try:
            run_job(job_id)
        except Exception:  # noqa: BLE001 - the job is committed; the sweep hands it over when the queue is back
            log.exception("job %s: the queue could not be reached; the sweep will hand it over", job_id)


def _run_now(app, job_id):
    queue._thread_app.app = app
    run_job(job_id)  # immediate mode: Huey runs it here and now (a retry is only scheduled)
