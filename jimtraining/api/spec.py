"""What the OpenAPI document says beyond the token endpoints: how to authenticate, the problem-details shape,
and the two public certificate routes that live in other packages (jimtraining/certification/views.py and
jimtraining/credentials/views.py) and answer there as they always did."""

from __future__ import annotations

from marshmallow import Schema, fields

from jimtraining.api.schemas import CertificateSchema, UnknownSchema
from jimtraining.api.scopes import SCOPES

INTRODUCTION = (
    "Met deze API leest een organisatie haar eigen gegevens in haar eigen systemen (bijvoorbeeld een HR-systeem): "
    "haar professionals met hun certificaten en voortgang, haar groepen met hun bijeenkomsten, en de landelijke "
    "cijfers. Alles is alleen lezen.\n\n"
    "Een sleutel (personal access token) krijgt de organisatie van het landelijk programmabureau. Stuur hem mee "
    "als `Authorization: Bearer <sleutel>`. Een sleutel hoort bij één organisatie, heeft rechten (scopes), "
    "verloopt op een vaste datum en kan worden ingetrokken. Een object van een andere organisatie geeft 404, net "
    "als een object dat niet bestaat.\n\n"
    "Elk antwoord heeft een ETag; stuur die terug in If-None-Match en je krijgt 304 als er niets veranderde. "
    "Lijsten zijn per pagina (page, per_page) met links naar de volgende pagina, ook in de Link-header. "
    "Fouten zijn problem details (RFC 9457, application/problem+json). Per sleutel geldt een limiet op het "
    "aantal verzoeken (429, met Retry-After).\n\n"
    "Een certificaat controleren (`/api/v1/certificates/{code}`) en zijn Open Badge ophalen kan iedereen, zonder "
    "sleutel: de geheime code van het certificaat is de sleutel."
)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Per parameter wat er niet klopt (bij 400)."})


def security_scheme() -> dict:
    """Bearer tokens; the scopes are listed in the description (OpenAPI's scopes belong to OAuth2 flows)."""
    return {"type": "http", "scheme": "bearer",
            "description": "Een sleutel van je organisatie (begint met jimt_). Rechten: "
                           + "; ".join(f"{scope}: {label}" for scope, label in SCOPES.items())}

_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "De geheime code van het certificaat (uit de QR-code of de link op het certificaat)."}

#: The Open Badges 3.0 credential: its full shape is the 1EdTech AchievementCredential schema.
CREDENTIAL = {
    "type": "object", "required": ["@context", "type", "issuer", "credentialSubject"],
    "description": "Een OpenBadgeCredential (Open Badges 3.0, W3C Verifiable Credential) met een Data Integrity "
                   "proof (eddsa-rdfc-2022). Het volledige schema is dat van 1EdTech (AchievementCredential).",
    "additionalProperties": True,
}


def _rule(app, endpoint: str):
    return next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


def document_public_routes(spec, app) -> None:
    spec.components.schema("Certificate", schema=CertificateSchema)
    spec.components.schema("Unknown", schema=UnknownSchema)
    spec.components.schema("OpenBadgeCredential", CREDENTIAL)
    unknown = {"description": "Geen certificaat met deze code.",
               "content": {"application/json": {"schema": "Unknown"}}}
    spec.path(rule=_rule(app, "certification.verify_json"), parameters=[dict(_CODE)], operations={"get": {
        "tags": ["certificates"], "operationId": "certificate", "security": [],
        "summary": "Een certificaat controleren (openbaar, zonder sleutel)",
        "description": "Wat iedereen over een certificaat mag weten: geen e-mailadres, geen scores.",
        "responses": {"200": {"description": "Het certificaat en zijn status.",
                              "content": {"application/json": {"schema": "Certificate"}}},
                      "404": unknown}}})
    spec.path(rule=_rule(app, "credentials.credential_json"), parameters=[dict(_CODE)], operations={"get": {
        "tags": ["certificates"], "operationId": "certificate_credential", "security": [],
        "summary": "De Open Badge van een certificaat (openbaar, zonder sleutel)",
        "description": "Ondertekend toen het certificaat werd gemaakt; of hij nog geldt, staat in de statuslijst.",
        "responses": {"200": {"description": "De credential.",
                              "content": {"application/json": {"schema": "OpenBadgeCredential"}}},
                      "404": unknown,
                      "503": {"description": "De credential kan nu niet worden gemaakt.",
                              "content": {"application/json": {"schema": "Unknown"}}}}}})
    spec.tag({"name": "certificates", "description": "Openbaar: certificaten controleren."})
