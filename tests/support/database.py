"""The app and its database: one database for the whole run (built by the migrations), emptied between tests.

TEST_DATABASE_URL points the suite at PostgreSQL; without it a temporary SQLite file is used.
"""

import os
import threading

import pytest
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import event, text

from jimtraining import create_app
from jimtraining.config import normalise_database_url
from jimtraining.extensions import db
from tests.support.client import CSRFClient


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


def config_for_tests(url: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "only-for-the-test-suite",
        "SQLALCHEMY_DATABASE_URI": url,
        # scrypt with a small work factor keeps the suite fast; production uses werkzeug's default.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Mails go to flask_mailman's in-memory outbox (mail.outbox) in tests, through a backend that fails the test
        # when a mail is sent inside a request (tests/support/mail.py).
        "MAIL_BACKEND": "tests.support.mail.EmailBackend",
        # Jobs (mails, certificate documents) run as soon as their transaction commits, in a thread of their own
        # (Huey's immediate mode; jimtraining/jobs/handover.py); tests/jobs/ also runs a real worker.
        "JOBS_IMMEDIATE": True,
        "MAIL_DEFAULT_SENDER": "JIM-training <no-reply@example.org>",
        # Every test sees the national figures as they are now (tests/certification/test_national_cache.py
        # turns the cache on).
        "NATIONAL_FIGURES_CACHE_SECONDS": 0,
        # Tests write content with SQL too (emptying the tables): every request checks the content token
        # (tests/curriculum/test_catalogue.py checks the interval).
        "CONTENT_CHECK_SECONDS": 0,
    }
    config.update(extra)
    return config


def reset_schema(url: str) -> None:
    """Start from an empty database so the migrations build everything."""
    if url.startswith("postgresql"):
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
    db.session.remove()


def empty_tables() -> None:
    """Delete every row of every table (ids restart on PostgreSQL), and forget what the process kept of them (the
    curriculum, cohort dashboards, the signed credential status list); what each test ends with."""
    db.session.rollback()
    for kept in ("jim_catalogue", "jim_cohort_overviews", "jim_credential_status"):
        current_app.extensions.pop(kept, None)
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in tables)
        db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(text(f'DELETE FROM "{name}"'))
    db.session.commit()


def statements_run(action, this_thread_only: bool = False) -> list[str]:
    """The SQL statements `action()` runs, in order. `this_thread_only`: only those run on the calling thread (a
    request's own, not those of the jobs that run after its commit, each on a thread of its own in the tests)."""
    statements = []
    here = threading.get_ident()

    def before(conn, cursor, statement, *args):
        if not this_thread_only or threading.get_ident() == here:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return statements


def forget_cohort_overviews(app) -> None:
    """Forget the cohort overviews the process kept (progress/dashboard.py), so the next dashboard or start page
    counts its figures from scratch."""
    app.extensions.pop("jim_cohort_overviews", None)


def count_queries(action) -> int:
    """How many SQL statements `action()` runs (for the query budgets), with the curriculum already in the
    process's memory, as on a running server (the first request after a content change loads it: three more
    queries, once per process; tests/curriculum/test_catalogue.py)."""
    from jimtraining.content.catalogue import catalogue

    catalogue()
    return len(statements_run(action))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    app = create_app(config_for_tests(url))
    app.test_client_class = CSRFClient
    with app.app_context():
        reset_schema(url)
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_database(app, shared_limiter):
    """Each test starts with empty tables, the shared limiter as the suite's app left it (tests/support/limiter.py),
    the job queue in the suite's immediate mode and an app context. (The queue is one per process and the last
    app created configures it: a test that creates an app of its own, such as tests/main/test_app.py, would
    otherwise leave every later test with a queue that no worker reads.)"""
    from jimtraining.jobs import queue

    if queue._state["app"] is not app or not queue.huey.immediate:
        queue.configure(app)
    with app.app_context():
        yield
        empty_tables()
        db.session.remove()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
