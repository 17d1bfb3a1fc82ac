"""The access matrix of the public API: every route under /api/v1 x every scope x own or other organisation x a
missing, unknown, expired or revoked token, against API_TOKEN_ACCESS in tests/security/access_table.py.

A token of organisation A never sees organisation B: an object of B is a 404 (as if it did not exist, decided in
jimtraining/api/auth.py) and a list holds only A's rows. Every answer is checked against the OpenAPI document
(tests.support.api.ApiClient)."""

from __future__ import annotations

import pytest

from jimtraining.api.scopes import SCOPES
from tests.security import access_table as table

#: Token kinds besides one per scope: every scope at once, and the refusals.
REFUSED_KINDS = ("missing", "unknown", "expired", "revoked")


def api_endpoints(app) -> dict[str, object]:
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}


def test_every_api_route_has_a_line_in_the_token_table(app):
    missing = sorted(set(api_endpoints(app)) - set(table.API_TOKEN_ACCESS))
    assert not missing, f"add these to API_TOKEN_ACCESS in tests/security/access_table.py: {missing}"
    unknown = sorted(set(table.API_TOKEN_ACCESS) - set(api_endpoints(app)))
    assert not unknown, f"API_TOKEN_ACCESS names endpoints that do not exist: {unknown}"
    scopes = {scope for scope in table.API_TOKEN_ACCESS.values() if scope not in (None, table.PUBLIC_API)}
    assert scopes == set(SCOPES), "every scope is needed by some route"


def _urls(rule, api_world, whose: str) -> str:
    """The route's URL for an object of A ("own") or of B ("other")."""
    objects = {
        "professional_id": {"own": api_world.professional_a.id, "other": api_world.professional_b.id},
        "cohort_id": {"own": api_world.cohort_a.id, "other": api_world.cohort_b.id},
        "code": {"own": api_world.certificate_a.code, "other": api_world.certificate_b.code},
    }
    values = {argument: objects[argument][whose] for argument in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _tokens(api_world, make_token) -> dict[str, str | None]:
    tokens = {f"scope {scope}": make_token(api_world.org_a, scopes=[scope]).secret for scope in SCOPES}
    tokens["every scope"] = make_token(api_world.org_a).secret
    tokens["missing"] = None
    tokens["unknown"] = "jimt_" + "x" * 43
    tokens["expired"] = make_token(api_world.org_a, state="expired").secret
    tokens["revoked"] = make_token(api_world.org_a, state="revoked").secret
    return tokens


def expected(needed, kind: str, whose: str, has_object: bool) -> int:
    if needed == table.PUBLIC_API:
        return 200
    if kind in REFUSED_KINDS:
        return 401
    if needed is not None and kind != "every scope" and kind != f"scope {needed}":
        return 403
    return 404 if has_object and whose == "other" else 200


def _ids(body) -> set:
    return {item["id"] for item in body.get("items", [])}


def test_every_route_every_token_and_both_organisations(app, api, api_world, make_token, shared_limiter):
    tokens = _tokens(api_world, make_token)
    own_rows = {"api.professionals": {api_world.professional_a.id, api_world.second_a.id},
                "api.cohorts": {api_world.cohort_a.id}}
    other_rows = {"api.professionals": {api_world.professional_b.id}, "api.cohorts": {api_world.cohort_b.id}}
    mismatches, checked = [], 0
    for endpoint, rule in sorted(api_endpoints(app).items()):
        needed = table.API_TOKEN_ACCESS[endpoint]
        has_object = bool(rule.arguments)
        for whose in ("own", "other") if has_object else ("own",):
            url = _urls(rule, api_world, whose)
            for kind, secret in tokens.items():
                response = api.get(url, secret)
                checked += 1
                want = expected(needed, kind, whose, has_object)
                if endpoint == "credentials.credential_json" and response.status_code == 503:
                    want = 503  # no signing key in this world: still public, still documented
                if response.status_code != want:
                    mismatches.append(f"{endpoint} {url} ({whose}) with {kind}: {response.status_code}, "
                                      f"expected {want}")
                elif want == 200 and endpoint in own_rows:
                    ids = _ids(response.get_json())
                    if ids != own_rows[endpoint] or ids & other_rows[endpoint]:
                        mismatches.append(f"{endpoint} with {kind} lists {sorted(ids)}, expected only A's "
                                          f"{sorted(own_rows[endpoint])}")
    assert not mismatches, "\n".join(mismatches)
    assert checked == api.checked >= 10 * len(tokens)


@pytest.mark.parametrize("kind", ["expired", "revoked"])
def test_a_refused_token_reads_nothing_and_changes_nothing(api, api_world, make_token, kind):
    from sqlalchemy import func, select

    from jimtraining.certification.models import AuditEvent
    from jimtraining.extensions import db

    token = make_token(api_world.org_a, state=kind)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = api.get(f"/api/v1/professionals/{api_world.professional_a.id}", token.secret)
    assert response.status_code == 401 and "Lotte" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
