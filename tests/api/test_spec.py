"""The OpenAPI document: valid OpenAPI 3.1, served as it is built, describing every route under /api/v1."""

import re

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests.support.api import openapi_document


def test_the_served_document_is_a_valid_openapi_3_1_document(api):
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on any error


def test_the_validator_would_notice_a_broken_document(app):
    document = openapi_document(app)
    del document["info"]["title"]
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def openapi_path(rule: str) -> str:
    """/api/v1/cohorts/<id:cohort_id> -> /api/v1/cohorts/{cohort_id}"""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_every_api_route_is_in_the_document_or_is_the_document_itself(app):
    documented = set(openapi_document(app)["paths"])
    api_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")]
    assert len(api_rules) >= 8
    for rule in api_rules:
        if rule.endpoint in ("api_pages.openapi_json", "api_pages.docs"):
            continue
        assert openapi_path(rule.rule) in documented, f"{rule.rule} ({rule.endpoint}) is not in /api/v1/openapi.json"


def test_the_certificate_schema_allows_the_skj_accreditation_as_an_object_or_null(app):
    certificate = openapi_document(app)["components"]["schemas"]["Certificate"]
    accreditation = certificate["properties"]["accreditation"]
    assert {"$ref": "#/components/schemas/Accreditation"} in accreditation["anyOf"]
    assert {"type": "null"} in accreditation["anyOf"]
    fields = openapi_document(app)["components"]["schemas"]["Accreditation"]["required"]
    assert set(fields) == {"body", "number", "points", "contact_hours", "register_section", "final_test_required"}


def test_the_documentation_page_lists_every_endpoint_and_scope_and_loads_nothing_from_elsewhere(api, app):
    from jimtraining.api.scopes import SCOPES

    response = api.get("/api/v1/docs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'lang="nl"' in html
    for path in openapi_document(app)["paths"]:
        assert f"GET {path}" in html, path
    for scope in SCOPES:
        assert f"<code>{scope}</code>" in html
    assert 'curl -H "Authorization: Bearer jimt_..."' in html  # the example
    external = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//', html)
    assert external == [], "the page loads something from another host"
