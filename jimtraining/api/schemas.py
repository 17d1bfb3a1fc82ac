"""The shapes of the API's answers (marshmallow schemas; flask-smorest and apispec turn them into the OpenAPI
document). Every answer is dumped through one of these, so what the document says is what is sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from jimtraining.api.scopes import SCOPES

#: page size when the client asks none, and the most it may ask.
PER_PAGE, MAX_PER_PAGE = 50, 200


def _d(text: str) -> dict:
    return {"metadata": {"description": text}}


#: What a client reads when a number is not one (marshmallow's own messages are English only).
_WHOLE_NUMBER = {"invalid": _l("Geef een heel getal.")}


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, error=_l("Geef een getal van 1 of meer.")),
                          error_messages=_WHOLE_NUMBER, **_d("Paginanummer, vanaf 1."))
    per_page = fields.Integer(load_default=PER_PAGE, error_messages=_WHOLE_NUMBER,
                              validate=validate.Range(min=1, max=MAX_PER_PAGE,
                                                      error=_l("Geef een getal van {min} tot en met {max}.")),
                              **_d(f"Aantal per pagina, 1 tot en met {MAX_PER_PAGE}."))


class LinksSchema(Schema):
    self_ = fields.String(required=True, data_key="self")
    first = fields.String(required=True)
    last = fields.String(required=True)
    next = fields.String(required=True, allow_none=True)
    prev = fields.String(required=True, allow_none=True)


class PageSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, **_d("Aantal in totaal, over alle pagina's."))
    pages = fields.Integer(required=True)
    links = fields.Nested(LinksSchema, required=True)


class CertificateSummarySchema(Schema):
    number = fields.String(required=True)
    track = fields.String(required=True, **_d("De slug van het traject."))
    track_title = fields.String(required=True)
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["valid", "expired", "revoked"]))
    verify_url = fields.String(required=True, **_d("De openbare controlepagina (zonder sleutel te openen)."))
    credential_url = fields.String(required=True, **_d("De Open Badge (OpenBadgeCredential, JSON)."))


class CheckSchema(Schema):
    kind = fields.String(required=True, **_d("modules, quizzes, attendance, roleplay, practice, co_training, "
                                             "calibration of renewal"))
    label = fields.String(required=True)
    met = fields.Boolean(required=True)
    detail = fields.String(required=True)
    waiting = fields.Boolean(required=True, **_d("Gedaan, wacht op de trainer."))


class NamedSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class TrackSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)


class ProgressSchema(Schema):
    cohort = fields.Nested(NamedSchema, required=True)
    track = fields.Nested(TrackSchema, required=True)
    eligible = fields.Boolean(required=True, **_d("Voldoet aan alles: de trainer kan het certificaat aftekenen."))
    already_certified = fields.Boolean(required=True)
    percent_done = fields.Integer(required=True, **_d("Deel van de eisen waaraan voldaan is, 0 tot 100."))
    checks = fields.List(fields.Nested(CheckSchema), required=True)


class ProfessionalSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    region = fields.String(required=True, allow_none=True)
    work_context = fields.String(required=True, allow_none=True)
    skj_number = fields.String(required=True, allow_none=True, **_d("Registratienummer bij het SKJ."))
    certificates = fields.List(fields.Nested(CertificateSummarySchema), required=True)


class ProfessionalDetailSchema(ProfessionalSchema):
    progress = fields.List(fields.Nested(ProgressSchema), required=True,
                           **_d("Per groep met een traject: hoe ver de professional is."))


class ProfessionalPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProfessionalSchema), required=True)


class SessionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    location = fields.String(required=True, allow_none=True)


class CohortSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    region = fields.String(required=True)
    status = fields.String(required=True)
    starts_on = fields.Date(required=True, allow_none=True)
    ends_on = fields.Date(required=True, allow_none=True)
    track = fields.String(required=True, allow_none=True, **_d("De slug van het traject van de groep."))
    learners = fields.Integer(required=True, **_d("Aantal deelnemers (niet uitgeschreven)."))
    trainers = fields.List(fields.String(), required=True)


class CohortDetailSchema(CohortSchema):
    sessions = fields.List(fields.Nested(SessionSchema), required=True)


class CohortPageSchema(PageSchema):
    items = fields.List(fields.Nested(CohortSchema), required=True)


class CountSchema(Schema):
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class MonthSchema(Schema):
    month = fields.String(required=True, **_d("JJJJ-MM"))
    certified = fields.Integer(required=True, **_d("Gecertificeerde professionals tot en met die maand."))


class NationalSchema(Schema):
    goal = fields.Integer(required=True)
    certified = fields.Integer(required=True)
    valid_now = fields.Integer(required=True)
    percent_of_goal = fields.Integer(required=True)
    issued = fields.Integer(required=True)
    expired = fields.Integer(required=True)
    revoked = fields.Integer(required=True)
    trainers = fields.Integer(required=True)
    licensed_trainers = fields.Integer(required=True)
    cohorts_running = fields.Integer(required=True)
    over_time = fields.List(fields.Nested(MonthSchema), required=True)
    by_region = fields.List(fields.Nested(CountSchema), required=True)
    by_organisation_kind = fields.List(fields.Nested(CountSchema), required=True)
    by_work_context = fields.List(fields.Nested(CountSchema), required=True)
    computed_at = fields.DateTime(required=True, allow_none=True)


class OrganisationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    scopes = fields.List(fields.String(validate=validate.OneOf(list(SCOPES))), required=True,
                         **_d("De rechten van de sleutel waarmee gevraagd werd."))
    expires_at = fields.DateTime(required=True, **_d("Wanneer de sleutel verloopt."))


# The public certificate routes (jimtraining/certification/views.py, jimtraining/credentials/views.py): documented
# here, served there as before.

class AccreditationSchema(Schema):
    body = fields.String(required=True, validate=validate.OneOf(["SKJ"]))
    number = fields.String(required=True)
    points = fields.Float(required=True)
    contact_hours = fields.Float(required=True)
    register_section = fields.String(required=True)
    final_test_required = fields.Boolean(required=True)


class CertificateSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["valid", "expired", "revoked"]))
    number = fields.String(required=True)
    name = fields.String(required=True, **_d("De naam van de houder."))
    track = fields.String(required=True, **_d("De titel van het traject."))
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    issued_by = fields.String(required=True, **_d("De trainer die aftekende."))
    organisation = fields.String(required=True)
    credential = fields.String(required=True, **_d("Adres van de Open Badge van dit certificaat."))
    accreditation = fields.Nested(AccreditationSchema, required=True, allow_none=True,
                                  **_d("De SKJ-accreditatie van het traject, of null."))


class UnknownSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["unknown", "unavailable"]))
