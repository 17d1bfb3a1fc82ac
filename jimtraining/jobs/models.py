"""The job table: the outbox of work to be done after a commit (jobs/__init__.py explains the life of a row)."""

from __future__ import annotations

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

#: Waiting for a worker (new, or failed and waiting for its next try).
PENDING = "pending"
#: Claimed by a worker, which holds it until `lease_until`.
RUNNING = "running"
DONE = "done"
#: Failed on every try; an admin sees it with its error and may try it again.
FAILED = "failed"
#: A worker stopped while it was doing work that must not be done twice (a mail being handed to the mail server):
#: whether it happened cannot be known, so it is not done again by itself; an admin looks and decides.
UNCERTAIN = "uncertain"
STATES = (PENDING, RUNNING, DONE, FAILED, UNCERTAIN)


class Job(db.Model):
    """One piece of work (a mail, a certificate's documents), written in the same transaction as the change that
    asks for it, and handed to the queue after that transaction commits."""

    __tablename__ = "job"
    __table_args__ = (db.Index("ix_job_state_created", "state", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    #: What to do: the name a handler registered with (jobs.registry), such as "mail".
    kind = db.Column(db.String(60), nullable=False)
    #: Unique per piece of work: the same key twice is the same job, never a second one.
    key = db.Column(db.String(200), nullable=False, unique=True)
    #: The handler's arguments (JSON).
    payload = db.Column(db.JSON, nullable=False, default=dict)
    #: One of STATES.
    state = db.Column(db.String(12), nullable=False, default=PENDING)
    #: How many times a worker claimed it.
    attempts = db.Column(db.Integer, nullable=False, default=0)
    #: While RUNNING: until when the worker that claimed it holds it.
    lease_until = db.Column(db.DateTime(timezone=True), nullable=True)
    #: The last error (shown to admins), or empty.
    last_error = db.Column(db.Text, nullable=False, default="")
    #: The id of the request that asked for it, on the worker's log lines.
    request_id = db.Column(db.String(64), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = db.Column(db.DateTime(timezone=True), nullable=True)
