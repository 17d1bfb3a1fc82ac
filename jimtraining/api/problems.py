"""Error bodies of the API as RFC 9457 problem details (``application/problem+json``): every refusal and error
under /api/v1 answers with the same shape, whatever raised it (a missing token, a scope, a wrong page number, a
rate limit, an unknown address or a bug).

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "...", "instance": "/api/v1/..."}

``type`` stays ``about:blank`` (RFC 9457 section 4.2.1): the HTTP status says what went wrong; ``title`` is the
status phrase and ``detail`` says it for this request, in the language of the request (Dutch by default; an
``Accept-Language`` of the client is not used: the API answers as the platform does). Validation errors of
query parameters add ``errors`` (parameter -> messages)."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
#: Where the API lives: errors on these paths are problem details, also for addresses that match no route.
API_PREFIX = "/api/v1/"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def _details() -> dict[int, str]:
    return {
        400: _("Het verzoek klopt niet. Controleer de parameters."),
        401: _("Stuur een geldige sleutel mee: Authorization: Bearer <sleutel>."),
        403: _("Deze sleutel heeft niet het recht dat hiervoor nodig is."),
        404: _("Dit adres of object bestaat niet, of hoort niet bij jouw organisatie."),
        405: _("Deze methode kan hier niet. De API kan alleen lezen (GET)."),
        422: _("Een parameter heeft een ongeldige waarde."),
        429: _("Te veel verzoeken met deze sleutel. Wacht even en probeer het opnieuw."),
        500: _("Er ging bij ons iets mis. Probeer het later opnieuw."),
    }


def problem(status: int, detail: str | None = None, headers: dict | None = None, **extra) -> Response:
    """A problem-details response."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail or _details().get(status) or HTTPStatus(status).description,
            "instance": request.path, **extra}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def from_exception(error: HTTPException) -> Response:
    """The problem for an HTTP error raised anywhere under /api/v1 (abort, webargs, Flask-Limiter, routing)."""
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if error.code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="jimtraining"')
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    extra = {}
    messages = data.get("messages")
    if messages:  # webargs: {"query": {"page": ["..."]}}
        flat = {}
        for location in messages.values():
            for name, found in (location if isinstance(location, dict) else {"": location}).items():
                # A translated message (a lazy string) comes alone, marshmallow's own in a list.
                flat[name] = [str(message) for message in (found if isinstance(found, list | tuple) else [found])]
        extra["errors"] = flat
    detail = data.get("message") or getattr(error, "problem_detail", None)
    if error.code not in (400, 401, 403, 404, 405, 422, 429, 500, 503):
        detail = detail or error.description
    return problem(error.code or 500, detail, headers, **extra)
