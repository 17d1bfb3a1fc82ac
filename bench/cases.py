"""Parts of `make bench` beside the pages: the session start's preparation and row count, and memory per worker.

- Session start (bench/locustfile.py, SessionStart): `open_session` moves the reserved session so that checking in
  is open now and removes what an earlier run left (attendance, wrong codes); `count_checkins` afterwards finds
  exactly one attendance row per learner, present and from the check-in, and no row of anyone else.
- Memory: `worker_memory` reads RSS and PSS of every gunicorn worker from /proc/<pid>/smaps_rollup (Linux). RSS
  counts every page a worker can reach, also those it shares with the master and the other workers; PSS divides
  each shared page by the number of processes that share it, so the PSS of all workers together is what they
  cost the machine.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: The session start's learners check in within this many seconds (BENCH_CHECKIN_SECONDS).
CHECKIN_SECONDS = float(os.environ.get("BENCH_CHECKIN_SECONDS", "10"))

#: The reserved session starts this long before the case runs (checking in opens 15 minutes before the start).
STARTED_AGO = timedelta(minutes=5)
#: And lasts this long.
LENGTH = timedelta(hours=3)


def _engine(database_url: str):
    from sqlalchemy import create_engine

    from jimtraining.config import normalise_database_url

    return create_engine(normalise_database_url(database_url))


def _moment(engine, at: datetime):
    """How the builder stores moments: naive UTC on SQLite, with its zone on PostgreSQL."""
    return at.replace(tzinfo=None) if engine.dialect.name == "sqlite" else at


def open_session(database_url: str, entry: dict, now: datetime | None = None) -> None:
    """Make the session of `entry` (manifest["session_start"]) start STARTED_AGO before `now`, with nobody
    marked and no wrong code typed yet."""
    from sqlalchemy import text

    now = now or datetime.now(UTC)
    engine = _engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE cohort_session SET starts_at = :starts, ends_at = :ends WHERE id = :id"),
                     {"starts": _moment(engine, now - STARTED_AGO), "ends": _moment(engine, now - STARTED_AGO + LENGTH),
                      "id": entry["session_id"]})
        conn.execute(text("DELETE FROM attendance WHERE session_id = :id"), {"id": entry["session_id"]})
        conn.execute(text("DELETE FROM checkin_attempt WHERE session_id = :id"), {"id": entry["session_id"]})
    engine.dispose()


def count_checkins(database_url: str, entry: dict) -> dict:
    """The attendance rows of the session after the check-ins: one per learner of `entry`, present and from the
    check-in; a learner without a row is lost, a second row (or a row of someone else) is doubled."""
    from sqlalchemy import text

    engine = _engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT u.email, a.status, a.source FROM attendance a JOIN user_account u ON u.id = a.user_id "
            "WHERE a.session_id = :id"), {"id": entry["session_id"]}).all()
        wrong_codes = conn.execute(text("SELECT count(*) FROM checkin_attempt WHERE session_id = :id"),
                                   {"id": entry["session_id"]}).scalar()
    engine.dispose()
    learners = entry["learners"]
    by_email: dict[str, list] = {}
    for email, status, source in rows:
        by_email.setdefault(email, []).append((status, source))
    problems = []
    for email in learners:
        mine = by_email.get(email, [])
        if len(mine) != 1:
            problems.append(f"{email}: {len(mine)} attendance rows (expected 1)")
        elif mine[0] != ("present", "checkin"):
            problems.append(f"{email}: marked {mine[0][0]} by {mine[0][1]}, not present by check-in")
    for email in sorted(set(by_email) - set(learners)):
        problems.append(f"{email}: marked, but did not check in")
    if wrong_codes:
        problems.append(f"{wrong_codes} wrong codes recorded (every learner sent the code of the projector)")
    return {"learners": len(learners), "rows": len(rows), "problems": problems[:20], "problem_count": len(problems)}


# Memory ---------------------------------------------------------------------------------------------------------

def rollup(text: str) -> dict:
    """RSS and PSS in MiB from the text of /proc/<pid>/smaps_rollup (its figures are in kB)."""
    figures = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss") and rest.strip().endswith("kB"):
            figures[key.lower() + "_mib"] = round(int(rest.split()[0]) / 1024, 1)
    return figures


def worker_memory(pids: list[int]) -> dict:
    """RSS now, its peak (VmHWM) and PSS per worker, in MiB; workers that ended in between are left out."""
    rss, pss, peak = [], [], []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            figures = rollup(Path(f"/proc/{pid}/smaps_rollup").read_text())
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        peak.append(round(int(fields["VmHWM"].split()[0]) / 1024, 1))
        pss.append(figures.get("pss_mib", 0.0))
    return {"rss_mib": rss, "pss_mib": pss, "peak_rss_mib": max(peak, default=0)}
