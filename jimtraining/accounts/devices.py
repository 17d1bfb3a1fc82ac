"""Browser and system from a User-Agent string, so people recognise their own devices on the sessions page.

ua-parser (the uap-core rules, kept up to date by its project) reads them; the rules are compiled the first time a
process needs them (a fraction of a second), and each string is read once per process.
"""

from functools import lru_cache

from flask_babel import gettext as _

#: What ua-parser calls a family it does not know.
UNKNOWN = "Other"


@lru_cache(maxsize=1024)
def _families(user_agent: str) -> tuple[str, str, str]:
    from ua_parser import parse

    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else UNKNOWN
    system = result.os.family if result.os else UNKNOWN
    device = result.device.family if result.device else UNKNOWN
    return browser, system, device


def describe(user_agent: str | None) -> str:
    """"Firefox op Linux", "Mobile Safari op iOS (iPhone)", or "Onbekende browser"."""
    if not user_agent:
        return _("Onbekende browser")
    browser, system, device = _families(user_agent)
    if browser == UNKNOWN:
        browser = _("Onbekende browser")
    if system == UNKNOWN:
        return browser
    if device not in (UNKNOWN, "Mac", system) and not device.startswith(("Generic", "Spider")):
        system = f"{system} ({device})"
    return _("%(browser)s op %(system)s", browser=browser, system=system)
