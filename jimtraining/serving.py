"""The app in gunicorn with `preload_app` (gunicorn.conf.py): loaded once in the master process, then forked into
the workers.

A forked worker shares the master's memory pages until it writes to one (copy on write). So what every worker
reads and nobody changes is loaded in the master before the fork (`before_fork`): the code of the app and its
libraries, the content catalogue, the curriculum's rendered Markdown, the compiled templates, the translation
catalogues and Babel's locale data. `gc.freeze()` then puts those objects out of the garbage collector's reach: a
collection in a worker would otherwise write to every page they are on and so copy it.

What a process must not share across a fork, and how it is kept apart:

- database connections: `before_fork` returns and closes every connection the master opened (SQLAlchemy's
  pool), and `after_fork` drops the pool a worker inherited without touching its connections, so that each
  worker opens its own (two processes on one connection mix up their conversations with the database);
- the throttling counts (RATELIMIT_STORAGE_URI): memory:// is per process anyway, and a Redis client opens its
  connections in the process that uses them (redis-py checks the process id);
- the Prometheus figures: with PROMETHEUS_MULTIPROC_DIR every worker writes its own files (prometheus_client
  checks the process id), and gunicorn.conf.py tells it when a worker ended (`worker_ended`);
- random numbers: Python seeds `random` again in a forked process; tokens come from `secrets` (the system's).
"""

from __future__ import annotations

import gc
import logging
import os
from datetime import UTC, datetime

from flask import Flask

log = logging.getLogger(__name__)


def before_fork(app: Flask) -> None:
    """Load in the master what every worker reads, close its database connections and freeze what it holds."""
    try:
        _load_shared(app)
    except Exception:  # noqa: BLE001 - a worker loads what it needs itself; this only saves memory
        log.exception("preloading the content before starting the workers failed; each worker loads it itself")
    from jimtraining.extensions import db
    from jimtraining.jobs.queue import huey

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # The job queue's storage too: Huey's SQLite storage keeps one connection per process (opened here by the
    # /healthz request above), which a forked worker must not share with the master.
    huey.storage.close()
    gc.collect()
    gc.freeze()


def after_fork(app: Flask) -> None:
    """In a new worker: forget the database connections of the master without closing them (they are its)."""
    from jimtraining.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)


def worker_ended(pid: int) -> None:
    """A worker stopped: its live Prometheus figures no longer count (multiprocess mode only)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def _load_shared(app: Flask) -> None:
    from flask_babel import force_locale, format_date, format_datetime, format_decimal, format_percent, get_domain

    from jimtraining.content.catalogue import catalogue
    from jimtraining.curriculum.services import render_content
    from jimtraining.rendering import render_markdown

    for name in app.jinja_env.list_templates(extensions=("html", "txt", "xml")):
        app.jinja_env.get_template(name)
    with app.test_request_context("/"):
        now = datetime.now(UTC)
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_domain().get_translations()
                # Babel's locale data (names of days and months, number formats: 3 MiB) loads on first use.
                format_datetime(now, "EEEE d MMMM y, HH:mm")
                format_date(now.date(), "long")
                format_decimal(1234.5)
                format_percent(0.5)
        render_markdown("*a*\n\n| a |\n|---|\n| b |\n")  # imports Python-Markdown's extensions
        for module in catalogue().active:
            render_content(f"{module.folder}/module.md", module.body)
            for lesson in module.active_lessons:
                render_content(lesson.source_path, lesson.body)
    # A few requests that need no account: what every request builds on first use (the URL matcher, the base
    # template's globals, the login and session machinery) is then built here, once, and shared.
    client = app.test_client()
    for path in ("/healthz", "/login", "/", "/verify/JIM-0000-0000"):
        client.get(path)
