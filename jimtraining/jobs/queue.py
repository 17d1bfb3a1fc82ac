"""The Huey instance, where it keeps its queue (JOBS_URL), and handing committed jobs to it.

- `JOBS_URL` not set: SQLite file `instance/jobs.sqlite3` (SqliteHuey's storage), the embedded default;
  `redis://host:6379/0`: Redis (RedisHuey's storage), for several app servers; `sqlite:////path/file` another file.
- `JOBS_IMMEDIATE` (the test suite): Huey's immediate mode (handover.py runs each job as soon as its
  transaction commits).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

#: How many times a failing job is tried again, and the first wait (doubled each time: 30 s, 1 min, 2 min, ...).
RETRIES = 5
RETRY_DELAY = 30

#: The one Huey instance. Its storage is set by configure() when the app starts (MemoryStorage until then).
huey = Huey("jimtraining", storage_class=MemoryStorage, results=False, utc=True)
_state = {"app": None, "url": None}
#: In immediate mode the app of the commit that started the job, for the thread running it (handover.py).
_thread_app = threading.local()


def storage_url(app: Flask) -> str:
    return app.config.get("JOBS_URL") or "sqlite:///" + str(Path(app.instance_path) / "jobs.sqlite3")


def make_storage(url: str):
    """Huey's storage for a JOBS_URL; ValueError for a scheme it does not know."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage("jimtraining", url=url)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage("jimtraining", filename=str(path))
    if url == "memory://":
        return MemoryStorage("jimtraining")
    raise ValueError(f"JOBS_URL={url!r}: use redis://host:6379/0, or sqlite:////path/to/jobs.sqlite3")


def configure(app: Flask) -> None:
    """Point the queue at the app's JOBS_URL (or immediate mode) and remember the app for the workers. The
    queue is one per process; the last app configured wins (the test suite builds several)."""
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    url = "memory://" if immediate else storage_url(app)
    if url != _state["url"]:
        huey.storage = make_storage(url)
        _state["url"] = url
    huey._immediate = immediate
    _state["app"] = app


def bound_app() -> Flask:
    app = getattr(_thread_app, "app", None) or _state["app"]
    if app is None:
        raise RuntimeError("The job queue is not configured: create the app first (create_app).")
    return app
