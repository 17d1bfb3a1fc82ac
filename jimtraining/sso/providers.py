"""The OpenID Connect providers people can log in with, configured by environment.

Each provider has four settings, named after its key: ``<KEY>_ISSUER`` (the issuer identifier, whose
``/.well-known/openid-configuration`` is read), ``<KEY>_CLIENT_ID``, ``<KEY>_CLIENT_SECRET`` and, optionally,
``<KEY>_LOGIN_HINT`` (sent as ``login_hint``: SURFconext takes the entityID of one identity provider there, which
skips its "where are you from" page; eduID through SURFconext uses it). A provider without issuer, client id and
secret is not offered; one with only some of them stops the app at start (`settings_problems`).
"""

import os
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

#: What every login asks for. SURFconext releases the claims its service registration allows, whatever the scope.
SCOPE = "openid email profile"
#: Seconds to wait for the provider (discovery, token, keys, userinfo).
HTTP_TIMEOUT = 10


@dataclass(frozen=True)
class Provider:
    key: str
    #: The text of the login button.
    button: object
    #: The name in running text ("je SURFconext-account").
    name: str


PROVIDERS = {
    "surfconext": Provider("surfconext", _l("Inloggen met je instelling (SURFconext)"), "SURFconext"),
    "eduid": Provider("eduid", _l("Inloggen met eduID"), "eduID"),
}

SETTINGS = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "LOGIN_HINT")
REQUIRED = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")


@dataclass(frozen=True)
class Settings:
    provider: Provider
    issuer: str
    client_id: str
    client_secret: str
    login_hint: str | None = None

    @property
    def key(self) -> str:
        return self.provider.key


def setting_name(key: str, setting: str) -> str:
    return f"{key.upper()}_{setting}"


def from_environment(config, environ=os.environ) -> dict:
    """The providers' settings from the environment, for every name the app's config does not have yet."""
    found = {}
    for key in PROVIDERS:
        for setting in SETTINGS:
            name = setting_name(key, setting)
            value = (environ.get(name) or "").strip()
            if value and name not in config:
                found[name] = value.rstrip("/") if setting == "ISSUER" else value
    return found


def settings_problems(config) -> list[str]:
    """Provider settings the app must not start with, one line each."""
    problems = []
    for key in PROVIDERS:
        given = [setting for setting in REQUIRED if config.get(setting_name(key, setting))]
        if given and len(given) != len(REQUIRED):
            missing = ", ".join(setting_name(key, s) for s in REQUIRED if s not in given)
            problems.append(f"{missing} must be set as well, or none of {key.upper()}_ISSUER/_CLIENT_ID/"
                            f"_CLIENT_SECRET: without them nobody can log in with {PROVIDERS[key].name}.")
        issuer = config.get(setting_name(key, "ISSUER")) or ""
        if issuer and config.get("PRODUCTION") and not issuer.startswith("https://"):
            problems.append(f"{setting_name(key, 'ISSUER')}={issuer!r}: a provider is reached over https only in "
                            "production.")
    return problems


def settings_for(key: str) -> Settings | None:
    """The provider's settings when it is configured, else None (also for unknown keys)."""
    provider = PROVIDERS.get(key)
    if provider is None:
        return None
    config = current_app.config
    values = {setting: (config.get(setting_name(key, setting)) or "") for setting in SETTINGS}
    if not all(values[setting] for setting in REQUIRED):
        return None
    return Settings(provider, values["ISSUER"].rstrip("/"), values["CLIENT_ID"], values["CLIENT_SECRET"],
                    values["LOGIN_HINT"] or None)


def configured() -> list[Provider]:
    """The providers to offer, in PROVIDERS order."""
    return [PROVIDERS[key] for key in PROVIDERS if settings_for(key) is not None]
