"""Fixtures: one database for the whole run (built by the migrations), emptied between tests.

TEST_DATABASE_URL points the suite at PostgreSQL; without it a temporary SQLite file is used.
"""

import os
import re
from pathlib import Path

import pytest
from flask import current_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from jimtraining import create_app
from jimtraining.accounts.services import create_user
from jimtraining.config import normalise_database_url
from jimtraining.extensions import db, limiter

PASSWORD = "lamp fiets wolk tegel"
_TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


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
        # Mails go to flask_mailman's in-memory outbox (mail.outbox) in tests.
        "MAIL_BACKEND": "locmem",
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


class CSRFClient(FlaskClient):
    """A test client that can post forms with a valid CSRF token, as a browser would.

    Every request runs in an app context of its own, as in production: otherwise it would share the test's
    ``g`` (and Flask-Login's cached user) and its database session. The test's session is committed around
    each request so it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response

    def csrf_token(self, page: str = "/") -> str:
        html = self.get(page).get_data(as_text=True)
        match = _TOKEN_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, page: str = "/", **kwargs):
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(page)
        return self.post(url, data=data, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    app = create_app(config_for_tests(url))
    app.test_client_class = CSRFClient
    with app.app_context():
        reset_schema(url)
        upgrade()
    app.extensions["jim_test_limiter_state"] = dict(vars(limiter))
    return app


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test starts with empty tables, no login or password-reset throttling counts, and an app context.

    The limiter is one object for every app in the process: a test that builds its own app (bench mode switches
    limits off, another points at a dead Redis) changes it for every later test, so its state is put back first."""
    vars(limiter).update(app.extensions["jim_test_limiter_state"])
    limiter.reset()
    with app.app_context():
        yield
        empty_tables()
        db.session.remove()


def empty_tables() -> None:
    """Delete every row of every table (ids restart on PostgreSQL), and forget what the process kept of them (the
    curriculum, cohort dashboards); what each test ends with."""
    db.session.rollback()
    current_app.extensions.pop("jim_catalogue", None)
    current_app.extensions.pop("jim_cohort_overviews", None)
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in tables)
        db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(text(f'DELETE FROM "{name}"'))
    db.session.commit()


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def client_with_host(app):
    """A test client whose every request names `host` in its Host header (forged, or a proxy's internal name):
    client_with_host("evil.example")."""

    def make(host: str) -> CSRFClient:
        class HostClient(CSRFClient):
            def open(self, *args, **kwargs):
                if args and isinstance(args[0], str):
                    kwargs.setdefault("base_url", f"http://{host}")
                return super().open(*args, **kwargs)

        return HostClient(app, app.response_class, use_cookies=True)

    return make


@pytest.fixture
def outbox(app):
    """Mails sent during the test (Flask-Mailman's locmem backend keeps them on the extension)."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user():
    """Create users: make_user(role="trainer", email=..., **profile)."""
    counter = {"n": 0}

    def make(role: str = "learner", email: str | None = None, name: str | None = None,
             password: str = PASSWORD, **profile):
        counter["n"] += 1
        return create_user(
            email=email or f"{role}{counter['n']}@example.org",
            name=name or f"Test {role.title()} {counter['n']}",
            password=password,
            role=role,
            **profile,
        )

    return make


@pytest.fixture
def login():
    """Log a client in through the real login form: login(client, user, password=...)."""

    def do_login(client: CSRFClient, user, password: str = PASSWORD):
        response = client.submit("/login", {"email": user.email, "password": password}, page="/login")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def client_for(app, login):
    """A fresh logged-in client for each person: client_for(user)."""

    def make(user):
        client = app.test_client()
        login(client, user)
        return client

    return make


@pytest.fixture
def content_dir(tmp_path):
    """A modules/ folder to write test content into; returns a ContentWriter."""
    return ContentWriter(tmp_path / "modules")


class ContentWriter:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def module(self, folder: str, title="Een module", prerequisites=(), extra="", body="Introductie.\n"):
        path = self.root / folder
        path.mkdir(parents=True, exist_ok=True)
        prereq = "[" + ", ".join(prerequisites) + "]"
        front = (f"---\ntitle: \"{title}\"\nsummary: \"Korte samenvatting.\"\nminutes: 30\n"
                 f"prerequisites: {prereq}\ngoals:\n  - \"Je kunt iets uitleggen.\"\n"
                 f"sources:\n  - title: \"Een bron\"\n{extra}---\n")
        (path / "module.md").write_text(front + body, encoding="utf-8")
        return path

    def lesson(self, folder: str, filename: str, title="Een les", body="Tekst van de les.\n", minutes=10):
        path = self.root / folder / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        title_line = f'title: "{title}"\n' if title is not None else ""
        path.write_text(f"---\n{title_line}minutes: {minutes}\n---\n{body}", encoding="utf-8")
        return path

    def raw(self, relpath: str, text: str):
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def competences(self, text: str, goal_competence: str):
        """Write competences.yml; with a competence list every module goal names one, so the goals of the modules
        written so far get `goal_competence`."""
        for module_md in self.root.glob("*/module.md"):
            module_md.write_text(module_md.read_text(encoding="utf-8").replace(
                '  - "Je kunt iets uitleggen."',
                f'  - text: "Je kunt iets uitleggen."\n    competence: {goal_competence}'), encoding="utf-8")
        return self.raw("competences.yml", text)


@pytest.fixture
def synced_content(app, content_dir, monkeypatch):
    """A small curriculum (two modules, the second needs the first) loaded into the database."""
    from jimtraining.content_tree import load_content, sync_content

    content_dir.module("01-basis", title="Basis")
    content_dir.lesson("01-basis", "01-eerste.md", title="Eerste les",
                       body="## Kop\n\nZie [de tweede](02-tweede.md).\n")
    content_dir.lesson("01-basis", "02-tweede.md", title="Tweede les")
    content_dir.module("02-verder", title="Verder", prerequisites=["basis"])
    content_dir.lesson("02-verder", "01-derde.md", title="Derde les")
    content_dir.lesson("02-verder", "02-vierde.md", title="Vierde les")
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    return content_dir


@pytest.fixture
def make_cohort():
    """Create cohorts: make_cohort(trainers=[...], learners=[...], **fields)."""
    from jimtraining.cohorts.enrolment import enroll, new_join_code
    from jimtraining.cohorts.models import Cohort
    from jimtraining.organisations.models import Organisation

    counter = {"n": 0}

    def make(trainers=(), learners=(), **fields):
        counter["n"] += 1
        organisation = Organisation(name=f"Organisatie {counter['n']}", kind="jeugdzorg")
        db.session.add(organisation)
        cohort = Cohort(name=fields.pop("name", f"Groep {counter['n']}"), organisation=organisation,
                        region=fields.pop("region", "Twente"), join_code=new_join_code(),
                        status=fields.pop("status", "running"), **fields)
        cohort.trainers = list(trainers)
        db.session.add(cohort)
        db.session.commit()
        for learner in learners:
            enroll(cohort, learner, "trainer")
        return cohort

    return make


def statements_run(action) -> list[str]:
    """The SQL statements `action()` runs, in order."""
    from sqlalchemy import event

    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return statements


def count_queries(action) -> int:
    """How many SQL statements `action()` runs (for the query budgets), with the curriculum already in the
    process's memory, as on a running server (the first request after a content change loads it: three more
    queries, once per process; tests/curriculum/test_catalogue.py)."""
    from jimtraining.content.catalogue import catalogue

    catalogue()
    return len(statements_run(action))
