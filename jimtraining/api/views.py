"""The endpoints of the public REST API v1 that need a token: an organisation's professionals (certificates,
progress per track), its groups with their sessions, and the national figures. Read-only, paginated, with an
ETag on every answer (304 on If-None-Match) and problem details on every refusal (jimtraining/api/problems.py).

Each view: the token and its scope (auth.authenticate, first, before any parameter is read), then the objects,
always within the token's organisation (another organisation's id is a 404), then the answer through its schema."""

from __future__ import annotations

import hashlib
import math
from functools import wraps

from flask import json, make_response, request, url_for
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from jimtraining.api import queries, schemas
from jimtraining.api.auth import RefusedError, after_api_request, authenticate
from jimtraining.api.problems import from_exception, problem
from jimtraining.api.scopes import COHORTS, NATIONAL, PROFESSIONALS
from jimtraining.certification.stats import current_national_figures
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc, local_date
from jimtraining.web import absolute_url

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="Lezen met een sleutel van je organisatie.")
bp.after_request(after_api_request)
# Every error on these routes is a problem-details document, also those raised by webargs, Flask-Limiter or a bug.
# Per status code too: Flask prefers the app's handler for a code over a blueprint's for HTTPException.
for _code in (400, 401, 403, 404, 405, 413, 422, 429, 503):
    bp.register_error_handler(_code, from_exception)
bp.register_error_handler(HTTPException, from_exception)


@bp.errorhandler(500)
def _server_error(error):
    db.session.rollback()  # as the app's own 500 page does: nothing half-written stays in the session
    return from_exception(error)

#: Refusals every endpoint with a token can give (component responses, see jimtraining/api/__init__.py).
_REFUSALS = ((401, "UNAUTHORIZED"), (403, "FORBIDDEN"), (429, "TOO_MANY_REQUESTS"))


def token_required(scope: str | None):
    """The token and its scope first, then the view with ``token`` as its first argument. Documents the scope
    (security requirement), the refusals and the 304 of a matching If-None-Match."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                token = authenticate(scope)
            except RefusedError as refused:
                return refused.response
            return view(token, *args, **kwargs)

        documented = bp.doc(security=[{"bearerAuth": [scope] if scope else []}])(wrapper)
        for status, name in _REFUSALS:
            documented = bp.alt_response(status, response=name)(documented)
        return bp.alt_response(304, response="NOT_MODIFIED")(documented)

    return decorate


def answer(document: dict):
    """The JSON answer with its ETag (a hash of the body): 304 without a body when If-None-Match names it."""
    body = json.dumps(document, ensure_ascii=False, sort_keys=True)
    response = make_response(body, 200, {"Content-Type": "application/json"})
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    return response.make_conditional(request)


def page_answer(items: list, total: int, page: int, per_page: int, endpoint: str, **values):
    """A page of a list: its items, the counts, and links to the other pages (in the body and as a Link header,
    RFC 8288)."""
    pages = max(1, math.ceil(total / per_page))

    def link(number):
        return url_for(endpoint, page=number, per_page=per_page, _external=True, **values)

    links = {"self": link(page), "first": link(1), "last": link(pages),
             "next": link(page + 1) if page < pages else None, "prev": link(page - 1) if 1 < page <= pages + 1
             else None}
    response = answer({"items": items, "page": page, "per_page": per_page, "total": total, "pages": pages,
                       "links": links})
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items()
                                         if url and rel != "self")
    return response


# Professionals ------------------------------------------------------------------------------------------------

def _certificate(certificate) -> dict:
    return {"number": certificate.number, "track": certificate.track_slug, "track_title": certificate.track_title,
            "issued_on": local_date(certificate.issued_at), "expires_on": local_date(certificate.expires_at),
            "status": certificate.status(),
            "verify_url": absolute_url("certification.verify", code=certificate.code),
            "credential_url": absolute_url("credentials.credential_json", code=certificate.code)}


def _professional(user, certificates) -> dict:
    return {"id": user.id, "name": user.name, "email": user.email, "region": user.region,
            "work_context": user.work_context, "skj_number": user.skj_number,
            "certificates": [_certificate(c) for c in certificates]}


@bp.route("/professionals")
@token_required(PROFESSIONALS)
@bp.arguments(schemas.PageArgs, location="query", error_status_code=400, as_kwargs=True)
@bp.response(200, schemas.ProfessionalPageSchema, description="Een pagina professionals.")
def professionals(token, page, per_page):
    """De professionals van je organisatie

    Per pagina, op naam. Met per professional de certificaten (ook verlopen en ingetrokken: zie status)."""
    users, total = queries.professionals_page(token.organisation_id, page, per_page)
    certificates = queries.certificates_of([user.id for user in users])
    items = schemas.ProfessionalSchema(many=True).dump([_professional(u, certificates[u.id]) for u in users])
    return page_answer(items, total, page, per_page, "api.professionals")


@bp.route("/professionals/<id:professional_id>")
@token_required(PROFESSIONALS)
@bp.response(200, schemas.ProfessionalDetailSchema, description="De professional.")
@bp.alt_response(404, response="NOT_FOUND")
def professional(token, professional_id):
    """Eén professional: certificaten en voortgang per traject

    De voortgang is de checklist van het traject in elke groep van de professional, zoals de trainer hem ziet."""
    user = queries.professional_or_none(token.organisation_id, professional_id)
    if user is None:
        return problem(404)
    document = _professional(user, queries.certificates_of([user.id])[user.id])
    document["progress"] = [_progress(cohort, track, eligibility)
                            for cohort, track, eligibility in queries.progress_of(user)]
    return answer(schemas.ProfessionalDetailSchema().dump(document))


def _progress(cohort, track, eligibility) -> dict:
    checks = eligibility.checks
    done = sum(1 for check in checks if check.met)
    return {"cohort": {"id": cohort.id, "name": cohort.name}, "track": {"slug": track.slug, "title": track.title},
            "eligible": eligibility.eligible, "already_certified": eligibility.already_certified,
            "percent_done": round(100 * done / len(checks)) if checks else 100,
            "checks": [{"kind": c.kind, "label": str(c.label), "met": c.met, "detail": str(c.detail or ""),
                        "waiting": c.waiting} for c in checks]}


# Groups -------------------------------------------------------------------------------------------------------

def _cohort(cohort, learners: int) -> dict:
    return {"id": cohort.id, "name": cohort.name, "region": cohort.region, "status": cohort.status,
            "starts_on": cohort.starts_on, "ends_on": cohort.ends_on, "track": cohort.track_slug,
            "learners": learners, "trainers": [trainer.name for trainer in cohort.trainers]}


@bp.route("/cohorts")
@token_required(COHORTS)
@bp.arguments(schemas.PageArgs, location="query", error_status_code=400, as_kwargs=True)
@bp.response(200, schemas.CohortPageSchema, description="Een pagina groepen.")
def cohorts(token, page, per_page):
    """De groepen van je organisatie

    Per pagina, de nieuwste eerst, met het aantal deelnemers en de trainers."""
    rows, total = queries.cohorts_page(token.organisation_id, page, per_page)
    counts = queries.learner_counts([row.id for row in rows])
    items = schemas.CohortSchema(many=True).dump([_cohort(row, counts.get(row.id, 0)) for row in rows])
    return page_answer(items, total, page, per_page, "api.cohorts")


@bp.route("/cohorts/<id:cohort_id>")
@token_required(COHORTS)
@bp.response(200, schemas.CohortDetailSchema, description="De groep met zijn bijeenkomsten.")
@bp.alt_response(404, response="NOT_FOUND")
def cohort(token, cohort_id):
    """Eén groep met zijn bijeenkomsten"""
    row = queries.cohort_or_none(token.organisation_id, cohort_id)
    if row is None:
        return problem(404)
    document = _cohort(row, queries.learner_counts([row.id]).get(row.id, 0))
    document["sessions"] = [{"id": s.id, "title": s.title, "starts_at": as_utc(s.starts_at),
                             "ends_at": as_utc(s.ends_at), "location": s.location} for s in row.sessions]
    return answer(schemas.CohortDetailSchema().dump(document))


# The country --------------------------------------------------------------------------------------------------

@bp.route("/national")
@token_required(NATIONAL)
@bp.response(200, schemas.NationalSchema, description="De landelijke cijfers.")
def national(token):
    """De landelijke cijfers

    Dezelfde cijfers als op de openbare pagina /progress, zonder persoonsgegevens; hoogstens een minuut oud."""
    figures = current_national_figures()

    def counts(pairs):
        return [{"label": str(label), "count": count} for label, count in pairs]

    document = {name: getattr(figures, name) for name in (
        "goal", "certified", "valid_now", "percent_of_goal", "issued", "expired", "revoked", "trainers",
        "licensed_trainers", "cohorts_running", "computed_at")}
    document.update(over_time=[{"month": month, "certified": n} for month, n in figures.over_time],
                    by_region=counts(figures.by_region), by_organisation_kind=counts(figures.by_organisation_kind),
                    by_work_context=counts(figures.by_work_context))
    return answer(schemas.NationalSchema().dump(document))


@bp.route("/organisation")
@token_required(None)
@bp.response(200, schemas.OrganisationSchema, description="De organisatie en de sleutel.")
def organisation(token):
    """Je organisatie en je sleutel

    Om een sleutel te controleren: welke organisatie, welke rechten, tot wanneer. Elke geldige sleutel mag dit
    lezen, met welk recht ook."""
    org = token.organisation
    return answer(schemas.OrganisationSchema().dump({
        "id": org.id, "name": org.name, "kind": org.kind, "scopes": token.scope_list,
        "expires_at": as_utc(token.expires_at)}))
