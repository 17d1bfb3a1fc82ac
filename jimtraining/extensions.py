"""Extensions, created unbound and bound to the app in create_app()."""

import os
import sqlite3

from flask_babel import Babel, Domain, _get_current_context
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mailman import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

#: Constraint names that Alembic can find again on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def init_migrations(app, directory: str) -> None:
    """Flask-Migrate for `flask db` and the tests. Imported here, not at the top: with Alembic it takes 11 MiB, which
    a web worker never needs (create_app leaves it out when JIM_WEB_ONLY is set; gunicorn.conf.py sets it)."""
    from flask_migrate import Migrate

    Migrate(render_as_batch=True, compare_type=True).init_app(app, db, directory=directory)

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()


def client_address() -> str:
    """The address the request came from. Behind TRUSTED_PROXIES reverse proxies (nginx, a load balancer) that is
    the address the nearest of them saw in X-Forwarded-For; a client cannot choose it by sending that header."""
    from flask import current_app, request

    proxies = current_app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.remote_addr or "127.0.0.1"


#: Throttles logins and password-reset requests (see jimtraining/accounts/throttle.py). Counts live in
#: RATELIMIT_STORAGE_URI: memory by default, Redis when several app servers must share them.
limiter = Limiter(key_func=client_address)


#: How SQLite syncs commits to disk (SQLITE_SYNCHRONOUS): NORMAL or FULL.
SQLITE_SYNCHRONOUS_MODES = ("NORMAL", "FULL")


def sqlite_synchronous() -> str:
    """NORMAL (default): in WAL mode a commit is not flushed to disk on its own, so writers hold SQLite's single
    write lock for a fraction of the time (a whole group handing in a quiz at once: a third more hand-ins per
    second). The database stays consistent; a power cut or crash of the machine (not of the app) can lose the
    last commits. FULL flushes every commit."""
    mode = os.environ.get("SQLITE_SYNCHRONOUS", "NORMAL").strip().upper()
    if mode not in SQLITE_SYNCHRONOUS_MODES:
        raise RuntimeError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SQLITE_SYNCHRONOUS_MODES)}, not {mode!r}.")
    return mode


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, let readers and a writer work side by side, wait instead of failing."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous()}")
        cursor.close()


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the catalogue looked up once per request instead of on every gettext
    call (a page with a 30-learner table calls gettext about a thousand times). The cache follows the request's
    locale object, so flask_babel.refresh() after a language switch is still obeyed."""

    def get_translations(self):
        ctx = _get_current_context()
        if ctx is None:
            return super().get_translations()
        locale = getattr(ctx, "babel_locale", None)
        cached = getattr(ctx, "jim_translations", None)
        if locale is not None and cached is not None and cached[0] is locale:
            return cached[1]
        translations = super().get_translations()
        ctx.jim_translations = (getattr(ctx, "babel_locale", None), translations)
        return translations
