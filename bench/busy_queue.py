"""The busy-queue case of `make bench`: the quiz hand-in measured while the jobs worker sends a cohort's invitations.

- The jobs worker (`flask --app app jobs worker`) runs beside gunicorn (bench/run.py, Server) with the same
  database and its own queue (`queue_url`): a SQLite file for the SQLite run; Redis for the PostgreSQL run, as in
  production with several app servers (compose.yaml), on a database number of its own that is emptied first.
- A trainer uploads a list of INVITATIONS people (a CSV file, as a large organisation sends it) before the
  measurement and confirms it at the moment the measurement starts (bench/locustfile.py, QuizSubmitBusyQueue): that
  request writes the invitations and their mail jobs, and the worker sends them while the hand-ins run.
- Afterwards `wait_for_mails` waits until the queue has drained and `count_mails` checks that every invitation of
  this run has exactly one mail job, done, and exactly one mail in the outbox (instance/outbox: the bench never
  talks to a mail server), and how long the queue took from the upload's commit to its last mail.
"""

from __future__ import annotations

import email
import os
import time
from datetime import UTC, datetime
from pathlib import Path

#: People in the uploaded list (BENCH_INVITATIONS).
INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "300"))
#: Redis of the PostgreSQL run (BENCH_REDIS_URL): a database number of its own (the tests use 15), emptied first.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
#: Threads of the bench's jobs worker (as `make run`, jimtraining/serve.py).
JOB_THREADS = int(os.environ.get("BENCH_JOB_WORKERS", "2"))
#: The longest wait for the queue to drain after the hand-in run.
DRAIN_TIMEOUT = 300
DOMAIN = "uitnodiging.bench.example.org"
#: The separator between two mails in a file of the file outbox (Flask-Mailman's file backend).
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def queue_url(database_url: str, work: Path) -> tuple[str, str]:
    """JOBS_URL of the bench's server and worker, emptied, and a sentence saying which it is. SQLite: a file of
    its own. PostgreSQL: Redis (what a national installation runs the queue on), or the file when Redis does not
    answer."""
    path = work / "jobs-queue.sqlite3"
    if database_url.startswith("postgresql"):
        try:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
            return REDIS_URL, f"Redis {REDIS_URL} (emptied)"
        except Exception as error:  # noqa: BLE001 - any failure: fall back to the file, and say so
            note = f"Redis {REDIS_URL} did not answer ({type(error).__name__}); "
    else:
        note = ""
    for stale in work.glob("jobs-queue.sqlite3*"):
        stale.unlink()
    return f"sqlite:///{path}", note + f"SQLite file {path.name}"


def addresses(tag: str, count: int = INVITATIONS) -> list[str]:
    """The invited addresses of one run (`tag` makes them new, so a reused data set invites them again)."""
    return [f"persoon-{tag}-{number:04d}@{DOMAIN}" for number in range(1, count + 1)]


def invitation_csv(tag: str, count: int = INVITATIONS) -> bytes:
    """The uploaded list: name, e-mail, organisation (left empty: the group's own), as a trainer's CSV file."""
    lines = ["naam;e-mail;organisatie"]
    lines += [f"Deelnemer {number};{address};" for number, address in enumerate(addresses(tag, count), 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def outbox_recipients(folder: Path) -> list[str]:
    """The To address of every mail in the file outbox (one entry per mail written)."""
    found = []
    for path in sorted(folder.glob("*.log")) if folder.is_dir() else []:
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                found.append(str(email.message_from_bytes(chunk).get("To", "")).strip().lower())
    return found


def delivery_problems(wanted: list[str], invitations: list[tuple], jobs: dict[int, list[str]],
                      sent: list[str]) -> list[str]:
    """Exactly once per invited address: one invitation, one mail job in state done, one mail in the outbox.

    `invitations`: (invitation id, address) of the group; `jobs`: invitation id -> the states of its mail jobs;
    `sent`: the To address of every mail in the outbox."""
    problems = []
    by_address: dict[str, list[int]] = {}
    for invitation_id, address in invitations:
        by_address.setdefault(address.lower(), []).append(invitation_id)
    mails: dict[str, int] = {}
    for address in sent:
        mails[address] = mails.get(address, 0) + 1
    for address in wanted:
        mine = by_address.get(address, [])
        if len(mine) != 1:
            problems.append(f"{address}: {len(mine)} invitations (expected 1)")
            continue
        states = jobs.get(mine[0], [])
        if states != ["done"]:
            problems.append(f"{address}: mail jobs {states} (expected one, done)")
        if mails.get(address, 0) != 1:
            problems.append(f"{address}: {mails.get(address, 0)} mails in the outbox (expected 1)")
    return problems


def _rows(database_url: str, cohort_id: int, wanted: list[str]) -> tuple[list[tuple], dict, list]:
    """(invitations of the group to `wanted`, invitation id -> mail job states, (created_at, finished_at) of
    those jobs)."""
    from sqlalchemy import bindparam, create_engine, text

    from jimtraining.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        invitations = [tuple(row) for row in conn.execute(text(
            "SELECT id, email FROM invitation WHERE cohort_id = :cohort AND email IN :emails"
        ).bindparams(bindparam("emails", expanding=True)), {"cohort": cohort_id, "emails": wanted}).all()]
        keys = {f"mail:invitation:{invitation_id}": invitation_id for invitation_id, _address in invitations}
        jobs: dict[int, list[str]] = {}
        moments = []
        if keys:
            for key, state, created, finished in conn.execute(text(
                    "SELECT key, state, created_at, finished_at FROM job WHERE key IN :keys"
            ).bindparams(bindparam("keys", expanding=True)), {"keys": list(keys)}).all():
                jobs.setdefault(keys[key], []).append(state)
                moments.append((created, finished))
    engine.dispose()
    return invitations, jobs, moments


def _utc(moment):
    if isinstance(moment, str):  # SQLite without type information
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def wait_for_mails(database_url: str, cohort_id: int, wanted: list[str], timeout: float = DRAIN_TIMEOUT) -> float:
    """Wait until no mail job of this run is pending or running (or `timeout`); returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        invitations, jobs, _moments = _rows(database_url, cohort_id, wanted)
        states = [state for each in jobs.values() for state in each]
        if len(invitations) >= len(wanted) and not any(state in ("pending", "running") for state in states):
            break
        if not invitations and time.monotonic() - started > 30:  # the list was never confirmed: nothing to wait for
            break
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def count_mails(database_url: str, cohort_id: int, wanted: list[str], outbox: Path) -> dict:
    """The invitations and mails of this run, each exactly once, and how long the queue took to drain (from the
    first job written to the last one done)."""
    invitations, jobs, moments = _rows(database_url, cohort_id, wanted)
    recipients = outbox_recipients(outbox)
    problems = delivery_problems(wanted, invitations, jobs, recipients)
    done = [_utc(finished) for _created, finished in moments if finished is not None]
    drain = None
    if moments and done:
        drain = round((max(done) - min(_utc(created) for created, _finished in moments)).total_seconds(), 1)
    ours = set(wanted)
    sent = sum(1 for address in recipients if address in ours)
    return {"invited": len(wanted), "invitations": len(invitations), "jobs_done": sum(
        states.count("done") for states in jobs.values()), "mails": sent, "drain_seconds": drain,
        "problems": problems[:20], "problem_count": len(problems)}
