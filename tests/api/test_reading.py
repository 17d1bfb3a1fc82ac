"""What an organisation reads with its token: its professionals with certificates and progress, its groups with
their sessions, the national figures; pages with links, ETags, and problem details for every refusal. Every
answer goes through tests.support.api.ApiClient, which checks it against the OpenAPI document."""

from jimtraining.api.scopes import PROFESSIONALS
from tests.support.api import ALL_SCOPES


def test_a_token_lists_its_organisations_professionals_with_their_certificates(api, api_world, make_token):
    token = make_token(api_world.org_a)
    body = api.get("/api/v1/professionals", token.secret).get_json()
    names = [item["name"] for item in body["items"]]
    assert names == ["Lotte Leerling", "Sem Tweede"]
    assert body["total"] == 2 and body["pages"] == 1 and body["links"]["next"] is None
    lotte = body["items"][0]
    assert [c["number"] for c in lotte["certificates"]] == [api_world.certificate_a.number]
    assert lotte["certificates"][0]["status"] == "valid"
    assert lotte["certificates"][0]["verify_url"].endswith(f"/verify/{api_world.certificate_a.code}")
    assert body["items"][1]["certificates"] == []


def test_one_professional_shows_the_progress_per_track_from_the_checklist(api, api_world, make_token):
    from jimtraining.certification.eligibility import followed_tracks, learner_eligibilities

    token = make_token(api_world.org_a)
    person = api_world.second_a
    body = api.get(f"/api/v1/professionals/{person.id}", token.secret).get_json()
    [progress] = body["progress"]
    assert progress["cohort"]["id"] == api_world.cohort_a.id and progress["track"]["slug"] == "jimwerker"
    [(cohort, track)] = followed_tracks(person)
    [eligibility] = learner_eligibilities([(cohort, track)], person.id)
    assert [(c["kind"], c["met"]) for c in progress["checks"]] == [(c.kind, c.met) for c in eligibility.checks]
    assert progress["eligible"] is False and progress["percent_done"] < 100


def test_pages_link_to_each_other_in_the_body_and_the_link_header(api, api_world, make_token):
    token = make_token(api_world.org_a)
    first = api.get("/api/v1/professionals?per_page=1", token.secret)
    body = first.get_json()
    assert body["pages"] == 2 and body["links"]["prev"] is None
    assert body["links"]["next"].endswith("/api/v1/professionals?page=2&per_page=1")
    assert 'rel="next"' in first.headers["Link"] and body["links"]["next"] in first.headers["Link"]
    second = api.get("/api/v1/professionals?page=2&per_page=1", token.secret).get_json()
    assert [item["name"] for item in second["items"]] == ["Sem Tweede"] and second["links"]["next"] is None


def test_a_wrong_page_number_is_a_400_problem_that_names_the_parameter(api, api_world, make_token):
    token = make_token(api_world.org_a)
    response = api.get("/api/v1/professionals?per_page=500", token.secret)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "per_page" in response.get_json()["errors"]
    assert api.get("/api/v1/cohorts?page=nul", token.secret).status_code == 400


def test_groups_come_with_their_sessions_and_learner_count(api, api_world, make_token):
    token = make_token(api_world.org_a)
    body = api.get("/api/v1/cohorts", token.secret).get_json()
    assert [(c["id"], c["learners"]) for c in body["items"]] == [(api_world.cohort_a.id, 2)]
    detail = api.get(f"/api/v1/cohorts/{api_world.cohort_a.id}", token.secret).get_json()
    assert len(detail["sessions"]) == 5 and detail["trainers"] == ["Tineke Trainer"]


def test_the_national_figures_are_those_of_the_public_page(api, api_world, make_token):
    from jimtraining.certification.stats import national_figures

    token = make_token(api_world.org_b, scopes=["national:read"])
    body = api.get("/api/v1/national", token.secret).get_json()
    figures = national_figures()
    assert (body["certified"], body["issued"], body["goal"]) == (figures.certified, figures.issued, figures.goal) \
        == (2, 2, 3000)


def test_an_unchanged_answer_is_a_304_without_a_body_and_a_changed_one_is_not(api, api_world, make_token):
    token = make_token(api_world.org_a)
    first = api.get("/api/v1/cohorts", token.secret)
    etag = first.headers["ETag"]
    again = api.get("/api/v1/cohorts", token.secret, If_None_Match=etag)
    assert again.status_code == 304 and again.data == b""
    api_world.cohort_a.name = "Groep A hernoemd"
    from jimtraining.extensions import db

    db.session.commit()
    changed = api.get("/api/v1/cohorts", token.secret, If_None_Match=etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_organisation_endpoint_names_the_token_and_its_scopes(api, api_world, make_token):
    token = make_token(api_world.org_a, scopes=[PROFESSIONALS])
    body = api.get("/api/v1/organisation", token.secret).get_json()
    assert body["name"] == api_world.org_a.name and body["scopes"] == [PROFESSIONALS]


def test_refusals_are_problem_details_with_the_reason(api, api_world, make_token):
    missing = api.get("/api/v1/professionals")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    expired = api.get("/api/v1/professionals", make_token(api_world.org_a, state="expired").secret)
    assert expired.status_code == 401 and "verlopen" in expired.get_json()["detail"]
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]
    revoked = api.get("/api/v1/professionals", make_token(api_world.org_a, state="revoked").secret)
    assert revoked.status_code == 401 and "ingetrokken" in revoked.get_json()["detail"]
    narrow = api.get("/api/v1/professionals", make_token(api_world.org_a, scopes=["cohorts:read"]).secret)
    assert narrow.status_code == 403 and 'scope="professionals:read"' in narrow.headers["WWW-Authenticate"]
    unknown = api.get("/api/v1/nergens", make_token(api_world.org_a).secret, documented=False)
    assert unknown.status_code == 404 and unknown.get_json()["instance"] == "/api/v1/nergens"


def test_writing_is_refused_with_a_problem(api, app, api_world, make_token):
    from tests.support.api import check_against_spec

    response = api.client.post("/api/v1/professionals",
                               headers={"Authorization": f"Bearer {make_token(api_world.org_a).secret}"})
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    check_against_spec(api.openapi, response, documented=False)


def test_the_public_certificate_routes_stay_public_and_as_documented(api, api_world):
    code = api_world.certificate_a.code
    body = api.get(f"/api/v1/certificates/{code}").get_json()
    assert body["status"] == "valid" and body["number"] == api_world.certificate_a.number
    assert api.get("/api/v1/certificates/geen-code").get_json() == {"status": "unknown"}
    assert api.get(f"/api/v1/certificates/{code}/credential").status_code in (200, 503)


def test_every_scope_is_offered(api, api_world, make_token):
    token = make_token(api_world.org_a, scopes=ALL_SCOPES)
    assert api.get("/api/v1/organisation", token.secret).get_json()["scopes"] == list(ALL_SCOPES)


def test_a_bug_in_an_api_view_is_a_500_problem(app, api, api_world, make_token, monkeypatch):
    from jimtraining.api import queries

    def broken(*_args):
        raise RuntimeError("kapot")

    monkeypatch.setattr(queries, "cohorts_page", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = api.get("/api/v1/cohorts", make_token(api_world.org_a).secret)
    assert response.status_code == 500 and response.get_json()["status"] == 500
    assert "kapot" not in response.get_data(as_text=True)


def test_a_certificate_with_an_skj_accreditation_answers_as_documented(api, api_world):
    """Issue 19 items 3 and 4 together: the accreditation object (not only null) matches the published document."""
    from jimtraining.extensions import db

    accreditation = {"body": "SKJ", "number": "VOORBEELD-12", "points": 4.5, "contact_hours": 6,
                     "register_section": "Jeugd- en gezinsprofessionals", "final_test_required": True}
    api_world.certificate_a.accreditation = accreditation
    db.session.commit()
    body = api.get(f"/api/v1/certificates/{api_world.certificate_a.code}").get_json()
    assert body["accreditation"] == accreditation
