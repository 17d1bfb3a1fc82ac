"""The public REST API v1 (/api/v1): what an organisation may read about its own professionals and groups, and
the national figures, with a personal access token; the OpenAPI 3.1 document (/api/v1/openapi.json) and a
documentation page (/api/v1/docs) made from it; the admin's page for tokens.

Built with flask-smorest rather than APIFlask. The app is a plain Flask app made by a factory, with plain
blueprints and extensions that are created unbound and init_app-ed (jimtraining/extensions.py). flask-smorest fits
that as it is: its ``Api`` is one more extension, and only the API's own blueprint is a flask-smorest
``Blueprint``; the rest of the app does not change. APIFlask builds its spec from its own app class (``APIFlask``
instead of ``Flask``), which would have meant changing the factory and every error page for an API of a few
endpoints. flask-smorest's marshmallow schemas also document exactly what is dumped, and its apispec writes
OpenAPI 3.1 (``type: [..., "null"]`` for nullable fields).

Two things of flask-smorest are replaced: it would answer every HTTP error of the whole app as JSON (an error
handler for ``HTTPException`` on the app), and its error bodies are not RFC 9457. Here only /api/v1 answers with
problem details (jimtraining/api/problems.py), and the documented error responses say so."""

from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from jimtraining.api.problems import PROBLEM_JSON
from jimtraining.api.spec import INTRODUCTION, ProblemSchema, document_public_routes, security_scheme
from jimtraining.urls import MAX_ID, IdConverter

#: What the answers the API gives mean, in the document's language.
DESCRIPTIONS = {
    304: "Niet veranderd sinds de ETag in If-None-Match (zonder inhoud).",
    400: "Een parameter klopt niet; errors zegt welke.",
    401: "Geen geldige sleutel: ontbreekt, onbekend, verlopen of ingetrokken.",
    403: "De sleutel heeft het recht niet dat hiervoor nodig is.",
    404: "Bestaat niet, of hoort bij een andere organisatie.",
    405: "Alleen GET: de API kan alleen lezen.",
    429: "Te veel verzoeken met deze sleutel; wacht Retry-After seconden.",
    500: "Er ging bij ons iets mis.",
}

#: Headers the refusals carry (RFC 6750, RFC 9110).
RESPONSE_HEADERS = {
    401: {"WWW-Authenticate": {"description": "Bearer, met error=\"invalid_token\" voor een onbekende, verlopen of "
                                              "ingetrokken sleutel.", "schema": {"type": "string"}}},
    403: {"WWW-Authenticate": {"description": "Bearer, met error=\"insufficient_scope\" en het nodige recht.",
                               "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Over hoeveel seconden het weer kan.", "schema": {"type": "integer"}}},
}


class ProblemApi(Api):
    """flask-smorest's Api with RFC 9457 error responses, and no error handler of its own on the whole app."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """None on the app: the API blueprint registers its own (init_app below), the HTML pages keep theirs."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": DESCRIPTIONS.get(status, status.phrase)}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            if status in RESPONSE_HEADERS:
                response["headers"] = RESPONSE_HEADERS[status]
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Een andere fout.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app) -> None:
    from jimtraining.api import pages, views

    api = ProblemApi(spec_kwargs={
        "title": "JIM-training API", "version": "1.0.0", "openapi_version": "3.1.0",
        "info": {"description": INTRODUCTION, "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}}})
    api.init_app(app)
    api.register_converter(IdConverter, lambda _converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
    with app.app_context():
        api.spec.components.security_scheme("bearerAuth", security_scheme())
    api.register_blueprint(views.bp)
    document_public_routes(api.spec, app)
    app.extensions["jim-api"] = api
    app.register_blueprint(pages.bp)
