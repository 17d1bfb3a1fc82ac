"""Settings, read from the environment.

The embedded default is SQLite in ``instance/``; ``DATABASE_URL`` points at PostgreSQL (psycopg 3) for the
national installation. ``SECRET_KEY`` is required in production; on a local install it is generated once and
kept in ``instance/secret_key`` so sessions survive a restart. There is no literal fallback key in the code.
"""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def is_production() -> bool:
    env = (os.environ.get("JIM_ENV") or os.environ.get("FLASK_ENV") or "").lower()
    return env == "production"


def normalise_database_url(url: str) -> str:
    """Let people paste the URL their host gives them; we always talk to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def local_secret_key(instance_path: str) -> str:
    """Read the key kept in instance/, creating it (readable by the owner only) on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


#: Settings that do not depend on the environment.
DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # No form or upload here needs more (a CSV list is at most 512 kB); bigger requests get a clear 413 page.
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "MODULES_DIR": str(PROJECT_ROOT / "modules"),
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "jimtraining" / "translations"),
    "LANGUAGES": {"nl": "Nederlands", "en": "English"},
    # A lesson can take longer to read than an hour; the token stays bound to the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}


def from_environment(instance_path: str, given: dict) -> dict:
    """Settings read from the environment, for every key the caller did not give explicitly."""
    production = is_production()
    settings = {
        "PRODUCTION": production,
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
    }
    if os.environ.get("BASE_URL"):
        # The public address, for links in mails sent outside a request (the expiry reminders from cron).
        settings["BASE_URL"] = os.environ["BASE_URL"]
    if os.environ.get("JIM_MODULES_DIR"):
        settings["MODULES_DIR"] = os.environ["JIM_MODULES_DIR"]
    if "SECRET_KEY" not in given:
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            if production:
                raise RuntimeError("SECRET_KEY must be set when JIM_ENV/FLASK_ENV is 'production'.")
            secret = local_secret_key(instance_path)
        settings["SECRET_KEY"] = secret
    if "MAIL_BACKEND" not in given:
        from jimtraining.mailing import mail_settings

        settings.update(mail_settings(instance_path, os.environ))
    if "SQLALCHEMY_DATABASE_URI" not in given:
        default_db = "sqlite:///" + str(Path(instance_path) / "jimtraining.db")
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ.get("DATABASE_URL") or default_db)
    return settings
