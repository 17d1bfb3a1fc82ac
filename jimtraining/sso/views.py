"""Logging in with an institution account (SURFconext, eduID), and linking one from the profile page.

The login starts with a GET (a link on the login page: it changes nothing on the server, and a form whose
answer redirects to another site is stopped by the Content-Security-Policy's form-action). Linking starts with a
POST with a CSRF token, answered by a page that moves on to the provider. The callback is throttled per client
address like the password login.
"""

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.accounts.throttle import by_client, refusal
from jimtraining.extensions import limiter
from jimtraining.sso import oidc, services
from jimtraining.sso.providers import PROVIDERS, Settings, settings_for
from jimtraining.web import absolute_url, safe_next

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__, url_prefix="/sso")

PROVIDER = f"<any({', '.join(PROVIDERS)}):provider>"
#: The login in progress in this browser: provider, state, the user who links (or None), where to go after.
INTENT = "sso_intent"


def _throttled(request_limit):
    return refusal("sso/problem.html", _("Er is te vaak geprobeerd in te loggen. Wacht een paar minuten en probeer "
                                         "het dan opnieuw."), request_limit, title=_("Even wachten"))


def _limit_per_client():
    return limiter.limit(lambda: current_app.config["SSO_LIMIT_PER_IP"], key_func=by_client, on_breach=_throttled)


def _settings_or_404(provider: str) -> Settings:
    settings = settings_for(provider)
    if settings is None:
        abort(404)  # not configured here
    return settings


def _problem(title: str, message: str, status: int, **context):
    return render_template("sso/problem.html", title=title, message=message, **context), status


def _unavailable(settings: Settings):
    return _problem(_("Inloggen lukt nu niet"),
                    _("We kunnen %(provider)s nu niet bereiken. Probeer het later opnieuw, of log in met je "
                      "e-mailadres en wachtwoord.", provider=settings.provider.name), 502)


def _begin(settings: Settings, link_user_id: int | None, next_url: str | None) -> str | None:
    """The provider's authorization URL for a new login (None: the provider cannot be reached)."""
    try:
        url, state = oidc.begin(settings, absolute_url("sso.callback", provider=settings.key))
    except oidc.ProviderUnavailableError:
        return None
    session[INTENT] = {"provider": settings.key, "state": state, "link_user": link_user_id, "next": next_url}
    return url


@bp.get(f"/{PROVIDER}/login")
@_limit_per_client()
def login(provider):
    settings = _settings_or_404(provider)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    url = _begin(settings, None, safe_next(request.args.get("next")))
    return redirect(url) if url else _unavailable(settings)


@bp.post(f"/{PROVIDER}/link")
@login_required
def link(provider):
    settings = _settings_or_404(provider)
    url = _begin(settings, current_user.id, None)
    if url is None:
        return _unavailable(settings)
    # A page that moves on by itself: a redirect in answer to a form may not leave the site (CSP form-action).
    return render_template("sso/continue.html", url=url, provider=settings.provider)


FAILURES = {
    "state": lambda provider: _("Deze inlogpoging klopt niet of is verlopen. Dat gebeurt bijvoorbeeld na de "
                                "terugknop, of als je in twee tabbladen tegelijk inlogt. Je bent niet ingelogd. "
                                "Begin opnieuw."),
    "cancelled": lambda provider: _("Het inloggen bij %(provider)s is afgebroken. Je bent niet ingelogd.",
                                    provider=provider),
    "token": lambda provider: _("Het antwoord van %(provider)s kon niet worden gecontroleerd. Je bent niet "
                                "ingelogd. Probeer het opnieuw; lukt het weer niet, log dan in met je e-mailadres "
                                "en wachtwoord.", provider=provider),
}


@bp.get(f"/{PROVIDER}/callback")
@_limit_per_client()
def callback(provider):
    settings = _settings_or_404(provider)
    intent = session.pop(INTENT, None) or {}
    if intent.get("provider") != settings.key or intent.get("state") != request.args.get("state"):
        intent = {}
    try:
        identity = oidc.finish(settings)
    except oidc.LoginFailedError as failure:
        log.warning("sso %s: login refused (%s)", settings.key, failure)
        return _problem(_("Inloggen is niet gelukt"), FAILURES[failure.kind](settings.provider.name), 400)
    except oidc.ProviderUnavailableError:
        return _unavailable(settings)
    if intent.get("link_user") is not None:
        return _link(settings, intent["link_user"], identity)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))  # logged in meanwhile (another tab): nothing changes
    outcome = services.sign_in(identity)
    if isinstance(outcome, services.Refused):
        return _refused(settings, outcome.reason)
    if outcome.how == "new":
        welcome = _("Welkom, %(name)s. Je account is aangemaakt; voortaan log je in met %(provider)s.",
                    name=outcome.user.name, provider=settings.provider.name)
    else:  # the start page greets by name itself; a welcome only where the person lands elsewhere
        welcome = _("Welkom, %(name)s.", name=outcome.user.name) if intent.get("next") else None
    services.log_in(outcome.user)
    if welcome:
        flash(welcome, "success")
    return redirect(intent.get("next") or url_for("main.index"))


def _refused(settings: Settings, reason: str):
    messages = {
        "disabled": _("Dit account is uitgezet. Neem contact op met je trainer of met het landelijk "
                      "programmabureau als je denkt dat dat niet klopt."),
        "email_taken": _("Er is al een account met dit e-mailadres. Log in met je wachtwoord en koppel daarna je "
                         "instellingsaccount op je profielpagina."),
        "no_email": _("%(provider)s gaf geen e-mailadres van je door. Zonder e-mailadres kunnen we geen account "
                      "voor je maken. Vraag je trainer om een account.", provider=settings.provider.name),
    }
    return _problem(_("Inloggen is niet gelukt"), messages[reason], 403, show_login=reason == "email_taken")


def _link(settings: Settings, user_id: int, identity):
    if not current_user.is_authenticated or current_user.id != user_id:
        return _problem(_("Koppelen is niet gelukt"),
                        _("Je bent inmiddels uitgelogd of met een ander account ingelogd. Log in en probeer het "
                          "opnieuw vanaf je profielpagina."), 400)
    outcome = services.link_account(current_user._get_current_object(), identity)
    if isinstance(outcome, services.Refused):
        flash(_("Dit %(provider)s-account is al gekoppeld aan een ander account bij JIM-training.",
                provider=settings.provider.name), "error")
    elif outcome == "already":
        flash(_("Dit %(provider)s-account was al gekoppeld aan jouw account.", provider=settings.provider.name),
              "info")
    else:
        flash(_("Je %(provider)s-account is gekoppeld. Voortaan kun je daarmee inloggen.",
                provider=settings.provider.name), "success")
    return redirect(url_for("accounts.profile"))
