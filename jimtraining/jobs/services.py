"""Asking for a job, and what admins and the health check see of the queue."""

from __future__ import annotations

import uuid

from flask import g, has_app_context, has_request_context
from sqlalchemy import delete, func, insert, select, update

from jimtraining.extensions import db
from jimtraining.jobs.handover import remember_for_commit
from jimtraining.jobs.models import DONE, FAILED, PENDING, RUNNING, UNCERTAIN, Job
from jimtraining.jobs.queue import huey
from jimtraining.timeutil import utcnow


def enqueue(kind: str, payload: dict, key: str | None = None, again_if_done: bool = False) -> Job:
    """Write a job in the running transaction (not committed); the queue gets it once that commits, never when it
    rolls back. The same `key` twice gives the job already written, not a second one; with `again_if_done` a job
    of that key that is done is run once more (for work that must be redone when its data changed)."""
    key = key or f"{kind}:{uuid.uuid4().hex}"
    existing = db.session.scalar(select(Job).where(Job.key == key))
    if existing is not None:
        if again_if_done and existing.state == DONE:
            existing.state, existing.attempts, existing.payload = PENDING, 0, payload
            existing.updated_at, existing.finished_at = utcnow(), None
            db.session.flush()
            remember_for_commit(existing.id)
        return existing
    job = Job(**_job_row(kind, key, payload, _request_id(), utcnow()))
    db.session.add(job)
    db.session.flush()
    remember_for_commit(job.id)
    return job


#: Keys looked up per query in enqueue_many (well under the bound-parameter limits of SQLite and PostgreSQL).
KEYS_PER_QUERY = 500


def enqueue_many(kind: str, items: list[tuple[dict, str]]) -> list[Job]:
    """enqueue() for many jobs at once, such as the invitation mails of an uploaded list: a query per 500 keys
    for the jobs already written and one batched insert for the new ones, however many there are. `items` are
    (payload, key) pairs; a key already written (or given twice) gives the job already there, not a second one.
    Returns the jobs in the order of `items`."""
    keys = [key for _payload, key in items]
    found: dict[str, Job] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start:start + KEYS_PER_QUERY]
        found.update((job.key, job) for job in db.session.scalars(select(Job).where(Job.key.in_(chunk))))
    request_id, now, new = _request_id(), utcnow(), {}
    for payload, key in items:
        if key not in found and key not in new:
            new[key] = _job_row(kind, key, payload, request_id, now)
    if new:
        # One multi-row INSERT ... RETURNING (SQLAlchemy's insertmanyvalues); rows are matched by their unique key.
        for job in db.session.scalars(insert(Job).returning(Job), list(new.values())):
            found[job.key] = job
            remember_for_commit(job.id)
    return [found[key] for key in keys]


def _job_row(kind: str, key: str, payload: dict, request_id: str | None, now) -> dict:
    return {"kind": kind, "key": key, "payload": payload, "state": PENDING, "attempts": 0, "last_error": "",
            "request_id": request_id, "created_at": now, "updated_at": now}


def enqueue_from_flush(connection, kind: str, payload: dict, key: str) -> None:
    """enqueue() for a mapper event (after_insert), where the session cannot take new objects: the job row is
    written on the flush's connection, and handed over after the commit all the same."""
    job_id = connection.execute(Job.__table__.insert().values(
        **_job_row(kind, key, payload, _request_id(), utcnow()))).inserted_primary_key[0]
    remember_for_commit(job_id)


def _request_id() -> str | None:
    if has_request_context():
        return g.get("request_id")
    return g.get("job_request_id") if has_app_context() else None  # a job asking for another carries it on


def needing_attention(limit: int = 200) -> list[Job]:
    """Jobs that failed on every try or were left uncertain by a stopped worker, newest first."""
    return db.session.scalars(select(Job).where(Job.state.in_((FAILED, UNCERTAIN)))
                              .order_by(Job.updated_at.desc(), Job.id.desc()).limit(limit)).all()


def needing_attention_count() -> int:
    return db.session.scalar(select(func.count(Job.id)).where(Job.state.in_((FAILED, UNCERTAIN)))) or 0


def job_or_none(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


def retry(job: Job) -> bool:
    """Try a failed or uncertain job again (a fresh set of tries), once this transaction commits; False when it
    is not failed or uncertain (any more)."""
    changed = db.session.execute(update(Job).where(Job.id == job.id, Job.state.in_((FAILED, UNCERTAIN))).values(
        state=PENDING, attempts=0, lease_until=None, updated_at=utcnow())).rowcount
    if changed:
        remember_for_commit(job.id)
    db.session.commit()
    return bool(changed)


def counts() -> dict[str, int]:
    """Jobs per state (states without jobs are 0)."""
    found = dict(db.session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    return {state: found.get(state, 0) for state in (PENDING, RUNNING, FAILED, UNCERTAIN)}


def queue_health() -> dict:
    """What /healthz says of the queue; raises when the queue's storage cannot be reached."""
    huey.pending_count()  # reaches Redis or the SQLite file: raises when it cannot
    figures = counts()
    return {"status": "ok", "pending": figures[PENDING] + figures[RUNNING],
            "failed": figures[FAILED] + figures[UNCERTAIN]}


def update_metrics() -> None:
    """Bring the job gauges of /metrics up to date (observability.BEFORE_SCRAPE)."""
    from jimtraining.observability import JOB_QUEUE_DEPTH, JOBS_FAILED

    figures = counts()
    JOB_QUEUE_DEPTH.set(figures[PENDING] + figures[RUNNING])
    JOBS_FAILED.set(figures[FAILED] + figures[UNCERTAIN])


def forget_mails_to(address: str) -> int:
    """Delete the mail jobs addressed to this e-mail address, whatever their state (not committed): an erased
    person's address and mail text must not wait in the queue or in the admins' list of failed jobs. One that no worker
    has claimed yet is never sent; one a worker is handing to the mail server at that moment may still arrive.
    Returns how many were deleted."""
    wanted = address.strip().lower()
    ids = [job_id for job_id, payload in db.session.execute(select(Job.id, Job.payload).where(Job.kind == "mail"))
           if str((payload or {}).get("to", "")).strip().lower() == wanted]
    if ids:
        db.session.execute(delete(Job).where(Job.id.in_(ids)))
    return len(ids)
