"""The public API in tests: tokens, and the one client every API test goes through.

``api`` sends a request and validates the answer against the app's own OpenAPI document (openapi-core) before the
test sees it: status, content type, headers and body must be as documented, so no answer of the API escapes the
spec. Answers to addresses the document does not describe (an unknown path) must still be problem details.
``make_token`` makes a token the way the admin's page does (tokens.create_token), then expires or revokes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

from jimtraining.api import tokens
from jimtraining.api.problems import PROBLEM_JSON
from jimtraining.api.scopes import SCOPES
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

ALL_SCOPES = tuple(SCOPES)
#: The two addresses under /api/v1 that the document does not describe because they are the document: their type.
SELF_DESCRIBING = {"/api/v1/openapi.json": "application/json", "/api/v1/docs": "text/html"}


def openapi_document(app) -> dict:
    with app.app_context():
        return app.extensions["jim-api"].spec.to_dict()


@pytest.fixture(scope="session")
def openapi(app) -> OpenAPI:
    # Problem details are JSON too (openapi-core reads only application/json as JSON by itself).
    return OpenAPI.from_dict(openapi_document(app),
                             config=Config(extra_media_type_deserializers={PROBLEM_JSON: json.loads}))


def check_against_spec(openapi: OpenAPI, response, documented: bool = True) -> None:
    """Fail unless `response` is what the OpenAPI document says for its request (documented), or, for an address
    the document does not describe, a problem-details answer."""
    own = SELF_DESCRIBING.get(response.request.path)
    if own is not None and response.status_code == 200:
        assert response.mimetype == own, (response.request.path, response.mimetype)
    elif documented and own is None:
        openapi.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))
    else:
        assert response.mimetype == PROBLEM_JSON, (response.status, response.mimetype)
        body = response.get_json(force=True)
        assert {"type", "title", "status", "detail", "instance"} <= set(body)
        assert body["status"] == response.status_code


class ApiClient:
    """A test client for /api/v1 whose every answer is checked against the OpenAPI document."""

    def __init__(self, app, openapi: OpenAPI):
        self.client = app.test_client()
        self.openapi = openapi
        self.checked = 0

    def get(self, url: str, token: str | None = None, documented: bool = True, **headers):
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.get(url, headers={name.replace("_", "-"): value for name, value in headers.items()})
        check_against_spec(self.openapi, response, documented)
        self.checked += 1
        return response


@pytest.fixture
def api(app, openapi) -> ApiClient:
    return ApiClient(app, openapi)


@dataclass
class Token:
    row: object
    secret: str


@pytest.fixture
def make_token():
    """make_token(organisation, scopes=ALL_SCOPES, state="active" | "expired" | "revoked") -> Token."""

    def make(organisation, scopes=ALL_SCOPES, state: str = "active", name: str = "HR-systeem") -> Token:
        row, secret = tokens.create_token(organisation, name, list(scopes), utcnow() + timedelta(days=30), None)
        if state == "expired":
            row.expires_at = utcnow() - timedelta(minutes=1)
            db.session.commit()
        elif state == "revoked":
            tokens.revoke_token(row, None)
        return Token(row, secret)

    return make


@dataclass
class ApiWorld:
    """Two organisations, each with its professionals (one with a certificate), a group and its sessions."""

    org_a: object
    org_b: object
    #: Professionals of A (Lotte has a certificate) and of B (Bart has one).
    professional_a: object
    second_a: object
    professional_b: object
    cohort_a: object
    cohort_b: object
    certificate_a: object
    certificate_b: object


@pytest.fixture
def api_world(world) -> ApiWorld:
    from jimtraining.certification.services import create_certificate
    from tests.support.certification import add_sessions

    org_a, org_b = world.cohort.organisation, world.other.organisation
    bart = world.other.enrollments[0].user
    for person, organisation in ((world.learner, org_a), (world.second, org_a), (bart, org_b)):
        person.organisation_id = organisation.id
    add_sessions(world.other, count=2, past=False)
    certificate_a = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    certificate_b = create_certificate(bart, world.other_trainer, world.track, world.other, utcnow())
    db.session.commit()
    return ApiWorld(org_a=org_a, org_b=org_b, professional_a=world.learner, second_a=world.second,
                    professional_b=bart, cohort_a=world.cohort, cohort_b=world.other, certificate_a=certificate_a,
                    certificate_b=certificate_b)
