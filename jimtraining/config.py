"""Settings, read from the environment.

The embedded default is SQLite in ``instance/``; ``DATABASE_URL`` points at PostgreSQL (psycopg 3) for the
national installation. ``SECRET_KEY`` is required in production; on a local install it is generated once and
kept in ``instance/secret_key`` so sessions survive a restart. There is no literal fallback key in the code.
``JIM_ENV`` is ``development`` (the default) or ``production``; in production the app does not start without
``BASE_URL`` or with a ``SECRET_KEY`` shorter than 32 bytes (``settings_problems``, checked by create_app).
"""

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


#: The values JIM_ENV (or FLASK_ENV) may have. Not set means development; any other value stops the app, so a
#: typo such as "prod" cannot run a public server in development mode.
ENVIRONMENTS = ("development", "production")
#: In production SECRET_KEY must be at least this long (bytes of its UTF-8 text): `secrets.token_hex(32)` gives 64.
MIN_SECRET_KEY_BYTES = 32


def environment() -> str:
    """'development' or 'production', from JIM_ENV (or FLASK_ENV); raises RuntimeError for any other value."""
    for name in ("JIM_ENV", "FLASK_ENV"):
        raw = os.environ.get(name)
        if raw:
            value = raw.strip().lower()
            if value not in ENVIRONMENTS:
                raise RuntimeError(f"{name}={raw!r} is not known: use 'production' on a server or 'development' "
                                   "(the default when it is not set).")
            return value
    return "development"


def is_production() -> bool:
    return environment() == "production"


def base_url_problem(base_url: str | None) -> str | None:
    """What is wrong with BASE_URL as the start of every absolute link, if anything."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return (f"BASE_URL={base_url!r} is not a public address: give the scheme and host, such as "
                "https://jim.example.nl (a path after it is allowed).")
    return None


def settings_problems(config) -> list[str]:
    """Settings the app must not start with, one line each (create_app stops on any)."""
    problems = []
    base_problem = base_url_problem(config.get("BASE_URL"))
    if base_problem:
        problems.append(base_problem)
    if config.get("PRODUCTION"):
        if not config.get("BASE_URL"):
            problems.append("BASE_URL must be set in production: the public address (such as https://jim.example.nl) "
                            "that every link in mails and on certificates uses, whatever Host header a request names.")
        secret = config.get("SECRET_KEY") or ""
        if len(secret.encode("utf-8") if isinstance(secret, str) else secret) < MIN_SECRET_KEY_BYTES:
            problems.append(f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes in production; make one with: "
                            "python3 -c 'import secrets; print(secrets.token_hex(32))'")
        if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory") and config.get("WORKERS", 1) > 1:
            problems.append(shared_throttling_problem(config["WORKERS"]))
    from jimtraining.observability import metrics_problem

    if problem := metrics_problem(config):
        problems.append(problem)
    return problems


def shared_throttling_problem(workers: int) -> str:
    return (f"RATELIMIT_STORAGE_URI must name a shared store (such as redis://127.0.0.1:6379/0) in production with "
            f"{workers} workers: with memory:// every worker counts login tries and check-in codes on its own, so "
            f"the limits would be {workers} times as loose.")


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
    # Observability (jimtraining/observability.py): who may read /metrics; the log format comes from_environment.
    "METRICS_ALLOW": "127.0.0.1, ::1",
    "METRICS_TOKEN": "",
    "LOG_FORMAT": "text",
    "WORKERS": 1,
    # A lesson can take longer to read than an hour; the token stays bound to the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Throttling (Flask-Limiter). A moving window counts exactly: the 11th try within any 60 seconds is refused.
    # The counts are kept in RATELIMIT_STORAGE_URI (see from_environment); when that store cannot be reached the
    # limits are counted per process rather than refusing every login.
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_KEY_PREFIX": "jimtraining",
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    # Login tries per e-mail address (as typed, normalised): people who mistype need a few; guessing a password
    # the policy accepts takes far more than 14,400 tries a day, and locking someone out lasts a minute at most.
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per minute",
    # Login tries per client address, over all accounts: a training group of 20 behind one office connection can
    # all log in within the same minute, typing errors included; trying passwords on many accounts cannot.
    "LOGIN_LIMIT_PER_IP": "30 per minute; 300 per hour",
    # Password-reset requests: each one may send a mail, so fewer.
    "RESET_LIMIT_PER_ADDRESS": "3 per hour",
    "RESET_LIMIT_PER_IP": "5 per minute; 20 per hour",
    # Setting a new password through a reset link (the link itself cannot be guessed; this bounds the work).
    "RESET_PASSWORD_LIMIT_PER_IP": "10 per minute",
    # Check-in codes (six digits, two right at any moment): wrong codes a learner may type per session before only
    # the trainer can mark them, and wrong codes per client address over all learners (a whole class on one
    # school network mistypes a few; guessing with many accounts needs far more).
    "CHECKIN_WRONG_CODES_PER_SESSION": 5,
    "CHECKIN_LIMIT_PER_IP": "30 per hour",
    #: How long a password-reset link works, in seconds.
    "PASSWORD_RESET_MAX_AGE": 60 * 60,
    #: The national dashboard and /progress are computed at most this often per app process (0: every request).
    "NATIONAL_FIGURES_CACHE_SECONDS": 60,
    #: How often a process asks whether the curriculum changed (content/catalogue.py): a sync by another
    #: process shows within this many seconds (0: on every request).
    "CONTENT_CHECK_SECONDS": 2,
    #: A cohort dashboard's figures are reused while nothing they count changed (progress/stamps.py), for at most
    #: this long (0: counted on every request).
    "DASHBOARD_CACHE_SECONDS": 60,
    #: Reverse proxies in front of the app whose X-Forwarded-For is trusted for the client address (0: none).
    "TRUSTED_PROXIES": 0,
    #: Login sessions end on the server (jimtraining/accounts/services.py, load_session). A session nobody used for
    #: this many minutes ends. Twelve hours is longer than a training day with its travel, so a trainer who opened
    #: the attendance page in the morning can still save it at the end of the day; and shorter than a night, so a
    #: session left open on a shared computer is over by the next morning.
    "SESSION_IDLE_MINUTES": 12 * 60,
    #: The same for a session started with "stay logged in on this device" (the person's own device): used once a
    #: fortnight keeps it, a group that meets every two weeks included.
    "SESSION_REMEMBER_IDLE_DAYS": 14,
    #: Every session ends this many days after logging in, however often it is used, "stay logged in" included:
    #: a copied cookie never works for longer. The "remember me" cookie lasts as long (REMEMBER_COOKIE_DURATION).
    "SESSION_MAX_DAYS": 30,
}

#: Settings that may come from the environment as a whole number of at least 1.
SESSION_SETTINGS = ("SESSION_IDLE_MINUTES", "SESSION_REMEMBER_IDLE_DAYS", "SESSION_MAX_DAYS")


def from_environment(instance_path: str, given: dict) -> dict:
    """Settings read from the environment, for every key the caller did not give explicitly."""
    # A caller may say PRODUCTION=True itself (create_app({...})); the cookies and HSTS follow it either way.
    production = bool(given.get("PRODUCTION", is_production()))
    settings = {
        "PRODUCTION": production,
        # In production the session and "remember me" cookies travel over HTTPS only; they are HttpOnly and
        # SameSite=Lax everywhere (DEFAULTS). HSTS is sent in production only (_register_request_guards).
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
    }
    if os.environ.get("BASE_URL") and "BASE_URL" not in given:
        # The public address: every absolute link (mails, the certificate's printed URL and QR code) starts with it,
        # never with the Host header of a request (jimtraining.web.absolute_url). Required in production.
        settings["BASE_URL"] = os.environ["BASE_URL"].strip().rstrip("/")
    if "RATELIMIT_STORAGE_URI" not in given:
        # memory:// counts per process; redis://host:6379 lets every app server (and gunicorn worker) share counts.
        settings["RATELIMIT_STORAGE_URI"] = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
        if production and settings["RATELIMIT_STORAGE_URI"].startswith("memory"):
            log.warning("RATELIMIT_STORAGE_URI is not set: login throttling is counted per process.")
    if "WORKERS" not in given:
        # How many processes serve the app: gunicorn's own WEB_CONCURRENCY (gunicorn.conf.py sets it from its
        # worker count). More than one needs a shared throttling store in production (settings_problems).
        value = os.environ.get("WEB_CONCURRENCY", "").strip() or "1"
        if not value.isdigit() or int(value) < 1:
            raise RuntimeError(f"WEB_CONCURRENCY must be a whole number of at least 1, not {value!r}.")
        settings["WORKERS"] = int(value)
    if "LOG_FORMAT" not in given:
        # One JSON object per line in production (for the log collector); readable lines elsewhere.
        value = (os.environ.get("LOG_FORMAT") or ("json" if production else "text")).strip().lower()
        if value not in ("json", "text"):
            raise RuntimeError(f"LOG_FORMAT must be 'json' or 'text', not {value!r}.")
        settings["LOG_FORMAT"] = value
    if os.environ.get("JOBS_URL") and "JOBS_URL" not in given:
        # Where the job queue lives: redis://host:6379/1 for several app servers; not set: instance/jobs.sqlite3.
        settings["JOBS_URL"] = os.environ["JOBS_URL"].strip()
    for name in ("METRICS_ALLOW", "METRICS_TOKEN"):
        if os.environ.get(name) and name not in given:
            settings[name] = os.environ[name].strip()
    if os.environ.get("TRUSTED_PROXIES") and "TRUSTED_PROXIES" not in given:
        value = os.environ["TRUSTED_PROXIES"].strip()
        if not value.isdigit():
            raise RuntimeError("TRUSTED_PROXIES must be a number: how many reverse proxies are in front of the "
                               "app (0, 1, ...).")
        settings["TRUSTED_PROXIES"] = int(value)
    for name in SESSION_SETTINGS:
        value = os.environ.get(name, "").strip()
        if value and name not in given:
            if not value.isdigit() or int(value) < 1:
                raise RuntimeError(f"{name} must be a whole number of at least 1, not {value!r}.")
            settings[name] = int(value)
    if os.environ.get("JIM_BENCH") == "1" and "BENCH" not in given:
        # `make bench` only (jimtraining/benchmark.py): the baseline page, a query-count header, no throttling.
        settings["BENCH"] = True
        settings["RATELIMIT_ENABLED"] = False
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
    from jimtraining.extensions import sqlite_synchronous

    sqlite_synchronous()  # a wrong SQLITE_SYNCHRONOUS stops the app at start, not at its first query
    if "SQLALCHEMY_DATABASE_URI" not in given:
        default_db = "sqlite:///" + str(Path(instance_path) / "jimtraining.db")
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ.get("DATABASE_URL") or default_db)
    return settings
