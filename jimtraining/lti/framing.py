"""Working inside the LMS's iframe.

Framing: every page of the platform says `frame-ancestors 'none'` and `X-Frame-Options: DENY`. The pages of the LTI
flow, and every page reached from a launch while the session came from an LMS, say instead which origins may frame
them: those of the platform that launched (jimtraining/lti/services.frame_origins), set per response through
`g.frame_ancestors` (jimtraining/__init__.py, security_headers) and without X-Frame-Options (it cannot name origins).
The refusal and cookie-check pages, which show a message and a link and nothing to click on the person's behalf,
may be framed by any page (`*`): they are shown before we know which platform asked.

Cookies: inside an iframe on the LMS's site our cookies are third-party cookies. Browsers send them only when they are
`SameSite=None; Secure`, and Chrome, when third-party cookies are blocked, only when they are also `Partitioned`
(CHIPS: a cookie jar per top-level site). So in an LTI request or session over HTTPS the session cookie gets those
three attributes; everywhere else it stays `SameSite=Lax`. The session (and its login) then lives in the LMS's
partition: the same person opening the platform in a tab of its own is not logged in there. Over plain HTTP
(development) browsers refuse `SameSite=None`, so the iframe only works in a new window there. Where a browser
blocks third-party cookies altogether (Safari), /lti/login finds out before the launch (a test cookie, static
js/lti.js) and offers to open the tool in a new window, where the cookies are first-party.

LTI platform storage (the postMessage API some platforms offer to keep the login's state and nonce when cookies are
blocked) is not used: pylti1p3next 2.0.2 has no support for it (it does not read `lti_storage_target`), and it
would not be enough here: it replaces the state cookie of the login only, while every page after the launch needs
the session cookie. The new window is what works without third-party cookies.
"""

from __future__ import annotations

from flask import g, request, session
from flask.sessions import SecureCookieSessionInterface

from jimtraining.lti.services import SESSION_KEY

#: For pages that only show a message or a link (refusals, the cookie check).
ANY_FRAMER = "*"


def in_lti_flow() -> bool:
    return request.blueprint == "lti" and not (request.endpoint or "").startswith("lti.admin")


def third_party_cookies(app) -> bool:
    """Whether this response's cookies must work in a third-party iframe: an LTI request or session over HTTPS."""
    secure = request.is_secure or bool(app.config.get("SESSION_COOKIE_SECURE"))
    return secure and (in_lti_flow() or isinstance(session.get(SESSION_KEY), dict))


class LtiSessionInterface(SecureCookieSessionInterface):
    """The app's cookie session, with SameSite=None; Secure; Partitioned for LTI requests and sessions."""

    def get_cookie_samesite(self, app):
        return "None" if third_party_cookies(app) else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app):
        return True if third_party_cookies(app) else super().get_cookie_secure(app)

    def get_cookie_partitioned(self, app):
        return True if third_party_cookies(app) else super().get_cookie_partitioned(app)


def allow_framing(origins) -> None:
    """Let these origins (a list, or ANY_FRAMER) show this response in a frame."""
    g.frame_ancestors = origins if isinstance(origins, str) else " ".join(origins) or "'none'"


def frame_for_lti_session() -> None:
    """before_request: pages reached from a launch may be framed by the launching platform."""
    marker = session.get(SESSION_KEY) if request.endpoint != "static" else None
    if isinstance(marker, dict) and marker.get("frame"):
        allow_framing(marker["frame"])
