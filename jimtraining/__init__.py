"""JIM-training: learn the JIM-aanpak and get certified."""

import os
from datetime import timedelta

from flask import Flask, flash, g, redirect, render_template, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_url
from flask_wtf.csrf import CSRFError

from jimtraining import urls
from jimtraining.config import DEFAULTS, PROJECT_ROOT, from_environment, settings_problems
from jimtraining.extensions import RequestDomain, babel, csrf, db, init_migrations, limiter, login_manager, mail


def select_locale():
    """The interface language: the user's choice, then the session's; Dutch for everyone else."""
    from flask import current_app, has_request_context

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: dict | None = None) -> Flask:
    """Application factory. ``config`` overrides the environment (tests pass their own database)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("JIM_INSTANCE_PATH") or None,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    config = config or {}
    app.config.update(DEFAULTS)
    app.config.update(from_environment(app.instance_path, config))
    app.config.update(config)
    problems = settings_problems(app.config)
    if problems:
        # One line per problem; the app does not start with any of them.
        raise RuntimeError("\n".join(problems))
    # The "remember me" cookie lasts no longer than the session it carries (Flask-Login's default is a year).
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=app.config["SESSION_MAX_DAYS"]))

    from jimtraining import observability

    observability.register(app)  # request id, log format, /metrics; first, so its clock sees every request

    db.init_app(app)
    # A process that only serves web requests (gunicorn.conf.py sets JIM_WEB_ONLY) has no use for the `flask db`
    # and other commands; leaving them out keeps Alembic and the commands' modules out of its memory.
    web_only = os.environ.get("JIM_WEB_ONLY") == "1"
    if not web_only:
        init_migrations(app, str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)  # every POST needs a valid token before any view runs; views rely on it
    limiter.init_app(app)  # login and password-reset throttling: jimtraining/accounts/throttle.py
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = RequestDomain(domain="messages")  # the catalogue once per request, not per string
    mail.init_app(app)
    from jimtraining import jobs, mailing  # noqa: F401 - mailing registers the mail job

    jobs.init_app(app)  # the Huey queue (JOBS_URL), `flask jobs worker`, jobs handed over after each commit
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"

    _register_models()
    _register_request_guards(app)
    urls.register(app)  # converters before the first route
    _register_blueprints(app)
    if app.config.get("BENCH"):
        from jimtraining import benchmark

        benchmark.register(app)
    _register_error_pages(app)
    _register_template_helpers(app)

    if not web_only:
        from jimtraining.cli import register_cli

        register_cli(app)
    return app


def _register_models():
    # Importing the models registers them with SQLAlchemy (and with Alembic's autogenerate); importing the
    # catalogues and the stamps registers the listeners and loaders that keep the content in memory and the
    # cohort dashboards fresh.
    from jimtraining.accounts import models as _accounts  # noqa: F401
    from jimtraining.api import models as _api  # noqa: F401
    from jimtraining.calibration import models as _calibration  # noqa: F401
    from jimtraining.certification import catalogue as _track_copies  # noqa: F401
    from jimtraining.certification import models as _certification  # noqa: F401
    from jimtraining.cohorts import models as _cohorts  # noqa: F401
    from jimtraining.content import catalogue as _catalogue  # noqa: F401
    from jimtraining.content import models as _content  # noqa: F401
    from jimtraining.credentials import issuing as _credentials  # noqa: F401 - signs each new certificate's badge
    from jimtraining.curriculum import catalogue as _module_copies  # noqa: F401
    from jimtraining.curriculum import models as _curriculum  # noqa: F401
    from jimtraining.jobs import models as _jobs  # noqa: F401
    from jimtraining.lti import models as _lti  # noqa: F401
    from jimtraining.organisations import models as _organisations  # noqa: F401
    from jimtraining.progress import stamps as _stamps  # noqa: F401
    from jimtraining.quizzes import catalogue as _quiz_copies  # noqa: F401
    from jimtraining.quizzes import models as _quizzes  # noqa: F401
    from jimtraining.roleplay import models as _roleplay  # noqa: F401
    from jimtraining.scenarios import catalogue as _scenario_copies  # noqa: F401
    from jimtraining.scenarios import models as _scenarios  # noqa: F401
    from jimtraining.sso import models as _sso  # noqa: F401

    #: What someone whose session just expired reads (services.SessionExpiredError.kind).
    expired_messages = {
        "idle": _l("Je bent uitgelogd omdat je een tijd niets hebt gedaan. Log opnieuw in om verder te gaan."),
        "max_age": _l("Je bent uitgelogd omdat je al lang geleden hebt ingelogd. Log opnieuw in om verder te gaan."),
    }

    @login_manager.user_loader
    def load_user(token):
        """The cookies carry the token of a login session, not the user id. Logging out, a password change or
        reset and deactivation end the session on the server, and with it every copy of its cookies; so does
        expiry (SESSION_IDLE_MINUTES and friends): then the person is told why, once."""
        from jimtraining.accounts.services import SessionExpiredError, load_session

        try:
            return load_session(token)
        except SessionExpiredError as expired:
            g.login_session_expired = True
            flash(expired_messages[expired.kind], "info")
            return None

    @login_manager.unauthorized_handler
    def ask_to_log_in():
        """Flask-Login's own answer (to the login page, with ?next=), without its "log in to see this page" when
        the person was just told that their session expired."""
        if not g.get("login_session_expired"):
            flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url(login_manager.login_view, next_url=request.url))


#: Flash messages kept in the session while no page has shown them yet.
MAX_WAITING_MESSAGES = 5

#: Everything comes from this site: no inline scripts or styles, no other hosts, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy() -> str:
    """CONTENT_SECURITY_POLICY, with the framing origins and form targets a view allowed for this one response
    (g.frame_ancestors, g.form_targets: the LTI tool's pages inside an LMS, jimtraining/lti/framing.py)."""
    policy = CONTENT_SECURITY_POLICY
    if g.get("frame_ancestors"):
        policy = policy.replace("frame-ancestors 'none'", f"frame-ancestors {g.frame_ancestors}")
    if g.get("form_targets"):
        policy = policy.replace("form-action 'self'", f"form-action 'self' {g.form_targets}")
    return policy


#: Downloads and data (exports, calendar files, certificates, JSON): never kept by a browser or proxy cache.
NO_STORE_MIMETYPES = frozenset({"text/csv", "text/calendar", "application/json", "application/pdf"})


def _logged_in() -> bool:
    """Whether this request is a logged-in person's, without loading the account when no page needed it."""
    from flask import g
    from flask_login import AnonymousUserMixin

    user = g.get("_login_user")  # where Flask-Login keeps the account it loaded for this request
    if user is not None:
        # Not user.is_authenticated: after a form's commit that would load the account again (one more query).
        return not isinstance(user, AnonymousUserMixin)
    return "_user_id" in session


def _register_request_guards(app):
    from flask import abort

    from jimtraining.web import has_nul_byte

    #: No page needs the camera, the microphone or the location.
    permissions_policy = "camera=(), microphone=(), geolocation=()"
    #: Production only (HTTPS): one year, subdomains included.
    strict_transport_security = "max-age=31536000; includeSubDomains"

    @app.before_request
    def refuse_nul_bytes():
        if has_nul_byte(request.args.values()) or has_nul_byte(request.form.values()):
            abort(400)

    @app.before_request
    def settle_language():
        """Decide the language before a form's view runs. Deciding it when the first text is translated would,
        after the view committed (the message of a saved form), load the account again: a commit expires it."""
        if request.method == "POST":
            get_locale()

    @app.after_request
    def keep_few_messages(response):
        """Keep only the newest messages waiting to be shown. A browser shows them on the page after a form, but a
        client that does not follow redirects would otherwise let the session cookie grow with every form it sends,
        until browsers refuse the cookie (about 4 KB) and with it the login."""
        waiting = session.get("_flashes")
        if waiting and len(waiting) > MAX_WAITING_MESSAGES:
            session["_flashes"] = waiting[-MAX_WAITING_MESSAGES:]
        return response

    @app.after_request
    def no_store_for_private_responses(response):
        """Pages of a logged-in person and every export hold personal data: a shared computer's browser cache or
        a proxy must not keep them (a back button after logout, the next user of a library computer). Public
        static files, the curriculum's pictures (no personal data; they set their own private caching) and the public
        pages of anonymous visitors keep what they have."""
        if request.endpoint == "static" or response.mimetype.startswith("image/"):
            return response
        if response.mimetype in NO_STORE_MIMETYPES or _logged_in():
            if "no-store" not in (response.headers.get("Cache-Control") or ""):
                response.headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def security_headers(response):
        # Every response (pages, errors, JSON, CSV, PDF, static files) gets these.
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not g.get("frame_ancestors"):  # X-Frame-Options cannot name the origins that may frame a page
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", permissions_policy)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("PRODUCTION"):
            # Only behind HTTPS: a local http://127.0.0.1 must not be pinned to HTTPS for a year.
            response.headers.setdefault("Strict-Transport-Security", strict_transport_security)
        return response


def _register_blueprints(app):
    from jimtraining.accounts.views import bp as accounts_bp
    from jimtraining.admin.views import bp as admin_bp
    from jimtraining.calibration.views import bp as calibration_bp
    from jimtraining.cartridge.views import bp as cartridge_bp
    from jimtraining.certification.views import bp as certification_bp
    from jimtraining.cohorts.views import bp as cohorts_bp
    from jimtraining.coverage.views import bp as coverage_bp
    from jimtraining.credentials.views import bp as credentials_bp
    from jimtraining.curriculum.unit_views import bp as courseunit_bp
    from jimtraining.curriculum.views import bp as curriculum_bp
    from jimtraining.edubadges.views import bp as edubadges_bp
    from jimtraining.main.views import bp as main_bp
    from jimtraining.privacy.views import bp as privacy_bp
    from jimtraining.quizzes.views import bp as quizzes_bp
    from jimtraining.roleplay.views import bp as roleplay_bp
    from jimtraining.scenarios.views import bp as scenarios_bp
    from jimtraining.sso import setup as sso

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(curriculum_bp)
    app.register_blueprint(courseunit_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(scenarios_bp)
    app.register_blueprint(roleplay_bp)
    app.register_blueprint(calibration_bp)
    app.register_blueprint(certification_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(edubadges_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(coverage_bp)
    app.register_blueprint(cartridge_bp)
    sso.init_app(app)  # SURFconext and eduID logins, when configured

    from jimtraining import lti

    lti.init_app(app)  # the LTI 1.3 tool: its pages, commands, grade passback and iframe cookies

    from jimtraining import api

    api.init_app(app)  # the public REST API v1 with its OpenAPI document, docs page and token page


def _register_error_pages(app):
    messages = {
        400: (_l("Dit verzoek klopt niet"),
              _l("Er ging iets mis met wat je stuurde. Ga terug en probeer het opnieuw.")),
        403: (_l("Geen toegang"), _l("Je hebt geen toegang tot deze pagina.")),
        404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet (meer). Controleer het adres.")),
        405: (_l("Dat kan hier niet"), _l("Deze actie kan niet op deze pagina.")),
        413: (_l("Te groot"), _l("Wat je stuurde is te groot. Maak de tekst of het bestand kleiner en probeer het "
                                 "opnieuw.")),
        500: (_l("Er ging iets mis"), _l("Er ging bij ons iets mis. Je gegevens zijn niet verloren. "
                                        "Probeer het later opnieuw.")),
    }

    def render_error(code, title=None, message=None, error=None):
        from jimtraining.api.problems import from_exception, is_api_request, problem

        if is_api_request():  # under /api/v1 every error is a problem-details document (RFC 9457)
            return from_exception(error) if error is not None and getattr(error, "code", None) else problem(code)
        default_title, default_message = messages[code]
        _bind_urls_without_the_host()
        return render_template("errors/error.html", code=code, title=title or default_title,
                               message=message or default_message), code

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(400, _l("Formulier verlopen"),
                            _l("Het formulier was verlopen of niet compleet. Ga terug, laad de pagina opnieuw en "
                               "probeer het nog een keer. Wat al was opgeslagen, blijft bewaard."))

    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, lambda error, code=code: render_error(code, error=error))

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return render_error(500)


def _bind_urls_without_the_host():
    """Let the error page build its links when the request's Host header could not be used.

    Werkzeug cannot encode a host name with a label over 63 characters (IDNA); it then gives the request no URL
    adapter and answers 400 (BadHost). The error page links to its style sheet with url_for, which needs one:
    without it the 400 became a bare 500. Links on a page are relative, so any valid name will do here."""
    from flask import current_app
    from flask.globals import request_ctx

    if request_ctx and request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            "localhost", script_name=request.script_root or None, url_scheme=request.scheme)


def _register_template_helpers(app):
    from jimtraining import access, formatting
    from jimtraining.rendering import render_markdown
    from jimtraining.timeutil import as_utc

    formatting.register(app)
    app.jinja_env.globals.update(access.template_globals())
    app.jinja_env.globals["render_markdown"] = render_markdown
    app.jinja_env.globals["as_utc"] = as_utc

    @app.context_processor
    def inject_layout():
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "request_path": request.full_path.rstrip("?") if request else "/",
        }
