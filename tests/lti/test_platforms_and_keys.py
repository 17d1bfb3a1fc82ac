"""Registering platforms (command line, admin page), the tool's key set and its rotation, framing and cookies."""

import json

import jwt
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import keys, toolconf
from jimtraining.lti.models import LtiPlatform, LtiToolKey
from tests.lti.platform import LEARNER, Person, rsa_key

LOTTE = Person("sub-lotte", "Lotte Leerling", "lotte@hogeschool.example", roles=list(LEARNER))


def test_a_platform_registered_with_the_cli_launches_without_more_configuration(lms, client):
    platform = db.session.scalar(select(LtiPlatform))
    assert (platform.issuer, platform.client_id, platform.deployment_ids) == (lms.issuer, lms.client_id,
                                                                              [lms.deployment_id])
    assert lms.launch(client, LOTTE).status_code == 302


def test_the_jwks_is_a_valid_key_set_with_an_rsa_key(lms, client):
    response = client.get("/lti/jwks.json")

    assert response.status_code == 200 and response.mimetype == "application/json"
    key_set = json.loads(response.get_data(as_text=True))
    assert key_set["keys"] and all(key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
                                   and key["kid"] and key["n"] and key["e"] for key in key_set["keys"])
    assert "d" not in key_set["keys"][0]  # never the private part
    jwt.PyJWKSet.from_dict(key_set)  # PyJWT reads it as a key set


def test_rotating_the_keys_publishes_the_new_and_the_previous_key_and_signs_with_the_new_one(lms, runner, client):
    before = keys.current_key().kid

    result = runner.invoke(args=["lti", "rotate-keys"])

    assert result.exit_code == 0
    after = keys.current_key().kid
    published = [key["kid"] for key in json.loads(client.get("/lti/jwks.json").get_data(as_text=True))["keys"]]
    assert published == [after, before]
    runner.invoke(args=["lti", "rotate-keys"])
    assert before not in [key["kid"] for key in keys.jwks()["keys"]]
    assert db.session.scalar(select(db.func.count()).select_from(LtiToolKey)) == 2


def test_the_private_key_is_stored_encrypted(lms):
    key = keys.current_key()
    assert "PRIVATE KEY" not in key.private_pem_encrypted
    assert "PRIVATE KEY" in keys.private_pem(key)


def test_the_cli_lists_and_removes_platforms(lms, runner, client):
    listed = runner.invoke(args=["lti", "list-platforms"])
    assert lms.issuer in listed.output and lms.deployment_id in listed.output
    platform_id = db.session.scalar(select(LtiPlatform.id))

    assert runner.invoke(args=["lti", "remove-platform", str(platform_id)]).exit_code == 0

    assert lms.start_login(client, LOTTE).status_code == 403


def test_the_cli_adds_a_second_deployment_to_the_same_registration(lms, runner):
    result = runner.invoke(args=[
        "lti", "add-platform", "--issuer", lms.issuer, "--client-id", lms.client_id, "--deployment-id", "d2",
        "--auth-login-url", lms.auth_login_url, "--auth-token-url", lms.token_url, "--keyset-url", lms.keyset_url])
    assert result.exit_code == 0 and "Updated" in result.output
    assert db.session.scalar(select(LtiPlatform.deployment_ids)) == [lms.deployment_id, "d2"]


def test_the_cli_refuses_an_address_that_is_not_one(runner):
    result = runner.invoke(args=[
        "lti", "add-platform", "--issuer", "https://x.example", "--client-id", "c", "--deployment-id", "d",
        "--auth-login-url", "javascript:alert(1)", "--auth-token-url", "https://x.example/t",
        "--keyset-url", "https://x.example/k"])
    assert result.exit_code == 1 and "geen geldig webadres" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(LtiPlatform)) == 0


def test_pages_reached_from_a_launch_may_be_framed_by_the_lms_only(lms, client, browser):
    lms.launch(client, LOTTE)

    framed = client.get("/modules/basis/quiz")
    policy = framed.headers["Content-Security-Policy"]
    assert f"frame-ancestors {lms.issuer}" in policy and "X-Frame-Options" not in framed.headers
    elsewhere = browser().get("/login")
    assert "frame-ancestors 'none'" in elsewhere.headers["Content-Security-Policy"]
    assert elsewhere.headers["X-Frame-Options"] == "DENY"


def test_the_login_first_checks_that_cookies_work_and_offers_a_new_window(lms, client):
    response = lms.start_login(client, LOTTE, new_window=False, method="GET")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'target="_blank"' in html and "lti1p3_new_window=1" in html and "js/lti.js" in html
    assert "<script>" not in html  # the CSP allows no inline script
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def test_in_an_https_iframe_the_cookies_are_samesite_none_secure_and_partitioned(lms, app):
    client = app.test_client()
    response = client.post("/lti/login", base_url="https://localhost", data={
        "iss": lms.issuer, "login_hint": "x", "client_id": lms.client_id, "lti1p3_new_window": "1"})

    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("SameSite=None" in c and "Secure" in c and "Partitioned" in c for c in cookies)
    plain = client.get("/login", base_url="https://localhost")
    assert all("SameSite=Lax" in c for c in plain.headers.getlist("Set-Cookie"))


def test_the_admin_page_lists_platforms_and_the_tool_urls(lms, client_for, make_user):
    admin = client_for(make_user(role="admin"))

    html = admin.get("/admin/lti").get_data(as_text=True)

    assert lms.issuer in html and "/lti/login" in html and "/lti/jwks.json" in html and "/lti/launch" in html


def test_an_admin_adds_and_removes_a_platform_on_the_admin_page(client_for, make_user):
    admin = client_for(make_user(role="admin"))
    data = {"name": "Canvas Hogeschool Zuid", "issuer": "https://canvas.instructure.com", "client_id": "10000000001",
            "deployment_ids": "1:abc, 2:def", "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
            "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
            "keyset_url": "https://sso.canvaslms.com/api/lti/security/jwks",
            "frame_origins": "https://hogeschool-zuid.instructure.com"}

    response = admin.submit("/admin/lti/platforms", data, page="/admin/lti")

    assert response.status_code == 302
    platform = db.session.scalar(select(LtiPlatform))
    assert platform.deployment_ids == ["1:abc", "2:def"]
    assert platform.frame_origins == ["https://hogeschool-zuid.instructure.com"]
    assert keys.current_key() is not None
    response = admin.submit(f"/admin/lti/platforms/{platform.id}/remove", page="/admin/lti")
    assert response.status_code == 302 and db.session.scalar(select(LtiPlatform)) is None


def test_a_bad_registration_on_the_admin_page_keeps_what_was_typed(client_for, make_user):
    admin = client_for(make_user(role="admin"))

    response = admin.submit("/admin/lti/platforms", {"issuer": "https://x.example", "client_id": "c",
                                                      "deployment_ids": "d", "auth_login_url": "nope",
                                                      "auth_token_url": "https://x.example/t",
                                                      "keyset_url": "https://x.example/k"}, page="/admin/lti")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "geen geldig webadres" in html and 'value="https://x.example/t"' in html


def test_the_platforms_key_set_is_fetched_once_and_again_when_the_platform_rotated_its_key(lms, browser,
                                                                                           monkeypatch):
    def fetches():
        return sum(1 for method, url in lms.requests_seen if url == lms.keyset_url)

    lms.launch(browser(), LOTTE)
    lms.launch(browser(), LOTTE)
    assert fetches() == 1  # a whole class launching at once costs the platform one fetch

    lms.key, lms.kid = rsa_key("lms-rotated"), "lms-rotated-key"
    monkeypatch.setattr(toolconf, "KEY_SET_REFETCH", 0)  # a minute later (an unknown key refetches once a minute)
    assert lms.launch(browser(), LOTTE).status_code == 302
    assert fetches() == 2


def test_a_platform_name_with_markup_is_shown_as_text(client_for, make_user, runner):
    runner.invoke(args=["lti", "add-platform", "--issuer", "https://x.example", "--client-id", "c",
                        "--deployment-id", "d", "--auth-login-url", "https://x.example/a", "--auth-token-url",
                        "https://x.example/t", "--keyset-url", "https://x.example/k",
                        "--name", "<script>alert(1)</script>"])
    admin = client_for(make_user(role="admin"))

    html = admin.get("/admin/lti").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
