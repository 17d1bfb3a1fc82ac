"""Logging in with SURFconext or eduID against a real OpenID Connect provider (tests/sso/conftest.py): which
account a login makes or finds, and that a login that cannot be trusted leaves nobody logged in."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from jimtraining.accounts.models import LoginSession, User
from jimtraining.extensions import db
from jimtraining.sso.models import SsoLink
from tests.support.sso import QUIET, new_sub, sso_login, start, surf_claims

pytestmark = QUIET

EMAIL_TAKEN = "Er is al een account met dit e-mailadres. Log in met je wachtwoord en koppel daarna je " \
              "instellingsaccount op je profielpagina."


def logged_in_as(client) -> str | None:
    """The e-mail address on the profile page, or None when the client is not logged in."""
    response = client.get("/profile")
    if response.status_code != 200:
        return None
    match = re.search(r'name="email"[^>]*value="([^"]*)"', response.get_data(as_text=True))
    return match.group(1) if match else ""


def links() -> list[SsoLink]:
    return list(db.session.scalars(select(SsoLink).order_by(SsoLink.id)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Making and finding accounts --------------------------------------------------------------------------------

def test_a_first_surfconext_login_makes_a_learner_account_from_the_claims(client, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())

    response = sso_login(client, surfconext, sub)

    assert response.status_code == 302 and response.location.endswith("/")
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role) == ("sanne.destudent@hogeschool.example", "Sanne de Student",
                                                  "learner")
    assert user.last_login_at is not None and user.is_enabled
    [link] = links()
    assert (link.user_id, link.provider, link.issuer, link.subject) == (user.id, "surfconext", surfconext.issuer, sub)
    assert (link.principal_name, link.home_organization) == ("s1234567@hogeschool.example", "hogeschool.example")
    assert "Je account is aangemaakt" in client.get("/").get_data(as_text=True)
    assert logged_in_as(client) == "sanne.destudent@hogeschool.example"
    assert count(LoginSession) == 1


def test_the_account_made_through_surfconext_has_no_password_anyone_knows(client, surfconext, app):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    sso_login(client, surfconext, sub)

    fresh = app.test_client()
    for guess in ("", "Sanne de Student", sub):
        response = fresh.submit("/login", {"email": "sanne.destudent@hogeschool.example", "password": guess},
                                page="/login")
        assert response.status_code == 200  # the form again: no login
    assert logged_in_as(fresh) is None


def test_a_linked_institution_account_logs_in_to_its_account_again(client, app, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    sso_login(client, surfconext, sub)
    client.submit("/logout")
    assert logged_in_as(client) is None

    surfconext.set_user(sub, **surf_claims(email="nieuw.adres@hogeschool.example", name="Sanne S."))
    response = sso_login(client, surfconext, sub, next_url="/modules")

    assert response.status_code == 302 and response.location.endswith("/modules")
    assert count(User) == 1 and count(SsoLink) == 1
    # The account keeps its own name and address: the person manages those on the profile page.
    assert logged_in_as(client) == "sanne.destudent@hogeschool.example"


def test_a_first_login_links_to_the_account_with_the_same_principal_name(client, app, surfconext):
    first_sub = new_sub()
    surfconext.set_user(first_sub, **surf_claims())
    sso_login(client, surfconext, first_sub)
    user = db.session.scalar(select(User))

    # The same student under another subject (another client registration, or eduID through SURFconext), with an
    # address the provider does not vouch for.
    other_sub = new_sub()
    surfconext.set_user(other_sub, **surf_claims(email="iemand.anders@example.org"))
    browser = app.test_client()
    response = sso_login(browser, surfconext, other_sub)

    assert response.status_code == 302
    assert logged_in_as(browser) == user.email
    assert count(User) == 1
    assert [(link.user_id, link.subject) for link in links()] == [(user.id, first_sub), (user.id, other_sub)]


def test_a_principal_name_from_another_issuer_does_not_link(client, app, surfconext, eduid):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    sso_login(client, surfconext, sub)
    student = db.session.scalar(select(User))

    # Another provider claiming the same eduPersonPrincipalName vouches only for its own names.
    eduid_sub = new_sub()
    eduid.set_user(eduid_sub, **surf_claims(email="prof@example.org"))
    browser = app.test_client()
    sso_login(browser, eduid, eduid_sub, provider_key="eduid")

    assert logged_in_as(browser) == "prof@example.org"
    other = db.session.scalar(select(User).where(User.email == "prof@example.org"))
    assert other.id != student.id
    assert [(link.provider, link.user_id) for link in links()] == [("surfconext", student.id), ("eduid", other.id)]


def test_a_first_login_links_to_the_account_with_a_verified_email_address(client, make_user, surfconext):
    user = make_user(email="sanne.destudent@hogeschool.example", role="trainer")
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims(email_verified=True))

    response = sso_login(client, surfconext, sub)

    assert response.status_code == 302
    assert logged_in_as(client) == user.email
    assert count(User) == 1
    assert [(link.user_id, link.subject) for link in links()] == [(user.id, sub)]


@pytest.mark.parametrize("verified", [None, False, "true", 1], ids=["absent", "false", "the-string-true", "one"])
def test_an_unverified_address_never_links_to_the_existing_account(client, make_user, surfconext, verified):
    owner = make_user(email="sanne.destudent@hogeschool.example")
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims(email_verified=verified))

    response = sso_login(client, surfconext, sub)

    assert response.status_code == 403
    assert EMAIL_TAKEN in response.get_data(as_text=True)
    assert links() == []
    assert count(User) == 1 and count(LoginSession) == 0
    assert logged_in_as(client) is None
    assert db.session.get(User, owner.id).last_login_at is None


def test_after_the_refusal_the_owner_links_the_institution_account_from_the_profile(client, app, make_user, login,
                                                                                      surfconext):
    owner = make_user(email="sanne.destudent@hogeschool.example")
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    assert sso_login(client, surfconext, sub).status_code == 403

    login(client, owner)
    page = client.get("/profile").get_data(as_text=True)
    assert "Koppel SURFconext" in page
    response = client.submit("/sso/surfconext/link", page="/profile")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'http-equiv="refresh"' in body
    url = html.unescape(re.search(r'<a class="button" href="([^"]+)"', body).group(1))
    response = client.get(surfconext.authorize(url, sub))

    assert response.status_code == 302 and response.location.endswith("/profile")
    assert "Je SURFconext-account is gekoppeld" in client.get("/profile").get_data(as_text=True)
    assert [(link.user_id, link.subject) for link in links()] == [(owner.id, sub)]
    # From now on the institution account logs in to the owner's account, in any browser.
    browser = app.test_client()
    assert sso_login(browser, surfconext, sub).status_code == 302
    assert logged_in_as(browser) == owner.email


def test_linking_needs_the_forms_csrf_token(client, make_user, login, surfconext):
    login(client, make_user())
    response = client.post("/sso/surfconext/link")
    assert response.status_code == 400
    assert links() == []


def test_an_institution_account_of_someone_else_is_not_linked_to_mine(client, app, make_user, login, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    sso_login(app.test_client(), surfconext, sub)  # Sanne's account, linked
    other = make_user(email="ander@example.org")
    login(client, other)

    body = client.submit("/sso/surfconext/link", page="/profile").get_data(as_text=True)
    url = html.unescape(re.search(r'<a class="button" href="([^"]+)"', body).group(1))
    response = client.get(surfconext.authorize(url, sub), follow_redirects=True)

    assert "al gekoppeld aan een ander account" in response.get_data(as_text=True)
    sanne = db.session.scalar(select(User).where(User.email == "sanne.destudent@hogeschool.example"))
    assert [link.user_id for link in links()] == [sanne.id]
    assert logged_in_as(client) == "ander@example.org"


@pytest.mark.parametrize("found_by", ["link", "verified_email"])
def test_a_deactivated_account_cannot_log_in_through_sso(client, make_user, surfconext, found_by):
    sub = new_sub()
    if found_by == "link":
        surfconext.set_user(sub, **surf_claims())
        sso_login(client, surfconext, sub)
        client.submit("/logout")
        user = db.session.scalar(select(User))
    else:
        user = make_user(email="sanne.destudent@hogeschool.example")
        surfconext.set_user(sub, **surf_claims(email_verified=True))
    user.is_enabled = False
    db.session.commit()
    sessions_before = count(LoginSession)

    response = sso_login(client, surfconext, sub)

    assert response.status_code == 403
    assert "Dit account is uitgezet" in response.get_data(as_text=True)
    assert logged_in_as(client) is None
    assert count(LoginSession) == sessions_before
    assert len(links()) == (1 if found_by == "link" else 0)


def test_without_an_email_address_no_account_is_made(client, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims(email=None))

    response = sso_login(client, surfconext, sub)

    assert response.status_code == 403
    assert "gaf geen e-mailadres van je door" in response.get_data(as_text=True)
    assert count(User) == 0 and links() == []


def test_a_professional_without_an_institution_account_logs_in_with_eduid(client, eduid):
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen met eduID" in page and "Met een eduID kun je ook inloggen" in page
    sub = new_sub()
    eduid.set_user(sub, name="Piet Professional", email="piet@jeugdzorg.example", email_verified=True,
                   eduperson_principal_name="7f9c0b1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f@eduid.nl")

    response = sso_login(client, eduid, sub, provider_key="eduid")

    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role, user.organisation_id) == ("piet@jeugdzorg.example",
                                                                       "Piet Professional", "learner", None)
    [link] = links()
    assert (link.provider, link.issuer, link.subject) == ("eduid", eduid.issuer, sub)
    assert logged_in_as(client) == "piet@jeugdzorg.example"


# The login page ---------------------------------------------------------------------------------------------

def test_without_configuration_the_login_page_offers_no_institution_login(client):
    page = client.get("/login").get_data(as_text=True)
    assert "SURFconext" not in page and "eduID" not in page
    assert client.get("/sso/surfconext/login").status_code == 404
    assert client.get("/sso/eduid/callback?code=x&state=y").status_code == 404


def test_a_provider_without_configuration_shows_no_button(client, surfconext):
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen met je instelling (SURFconext)" in page
    assert "Inloggen met eduID" not in page
    assert client.get("/sso/eduid/login").status_code == 404


def test_a_half_configured_provider_shows_no_button(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "EDUID_ISSUER", "https://login.eduid.example")
    assert "eduID" not in client.get("/login").get_data(as_text=True)


# Logins that cannot be trusted ------------------------------------------------------------------------------

def _pending(client, provider_key="surfconext") -> tuple[str, str]:
    """Start a login: (authorization URL, its state)."""
    response = start(client, provider_key)
    assert response.status_code == 302
    return response.location, parse_qs(urlsplit(response.location).query)["state"][0]


def _tamper(client, state: str, **changes) -> None:
    with client.session_transaction() as session:
        key = f"_state_surfconext_{state}"
        data = session[key]
        data["data"].update(changes)
        session[key] = data


def _refused_without_session(response, client, text: str) -> None:
    assert response.status_code == 400, response.status_code
    assert text in response.get_data(as_text=True)
    assert logged_in_as(client) is None
    assert count(LoginSession) == 0 and count(User) == 0 and links() == []


def test_the_authorization_request_asks_for_a_code_with_pkce_state_and_nonce(client, surfconext):
    url, state = _pending(client)
    query = parse_qs(urlsplit(url).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == ["jim-training-test"]
    assert query["redirect_uri"] == ["http://localhost/sso/surfconext/callback"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert len(query["code_challenge"][0]) >= 43 and len(query["nonce"][0]) >= 20 and len(state) >= 20


def test_a_callback_with_another_state_is_refused_without_a_session(client, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    url, state = _pending(client)
    callback = surfconext.authorize(url, sub)

    response = client.get(callback.replace(f"state={state}", "state=aangepast"))

    _refused_without_session(response, client, "Deze inlogpoging klopt niet of is verlopen")


def test_a_callback_in_another_browser_is_refused(client, app, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    url, _state = _pending(client)
    callback = surfconext.authorize(url, sub)

    other = app.test_client()  # the attacker's login, sent to someone else's browser
    response = other.get(callback)

    _refused_without_session(response, other, "Deze inlogpoging klopt niet of is verlopen")


def test_a_callback_used_twice_is_refused_the_second_time(client, app, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    url, _state = _pending(client)
    callback = surfconext.authorize(url, sub)
    assert client.get(callback).status_code == 302
    client.submit("/logout")

    response = client.get(callback)

    assert response.status_code == 400
    assert logged_in_as(client) is None


def test_an_id_token_with_another_nonce_is_refused_without_a_session(client, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    url, state = _pending(client)
    _tamper(client, state, nonce="een-andere-nonce-dan-in-het-token")

    response = client.get(surfconext.authorize(url, sub))

    _refused_without_session(response, client, "kon niet worden gecontroleerd")


def test_a_code_without_the_right_pkce_verifier_is_refused_without_a_session(client, surfconext):
    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    url, state = _pending(client)
    _tamper(client, state, code_verifier="x" * 64)

    response = client.get(surfconext.authorize(url, sub))

    _refused_without_session(response, client, "kon niet worden gecontroleerd")


def test_an_id_token_not_signed_by_the_providers_key_is_refused(client, app, surfconext, monkeypatch):
    from joserfc.jwk import RSAKey

    sub = new_sub()
    surfconext.set_user(sub, **surf_claims())
    url, _state = _pending(client)
    kid = requests.get(f"{surfconext.issuer}/jwks", timeout=5).json()["keys"][0].get("kid")
    impostor = RSAKey.generate_key(2048, parameters={"kid": kid} if kid else None, private=False)
    [client_app] = app.extensions["jim_sso_clients"].values()
    monkeypatch.setitem(client_app.server_metadata, "jwks", {"keys": [impostor.as_dict(private=False)]})

    response = client.get(surfconext.authorize(url, sub))

    _refused_without_session(response, client, "kon niet worden gecontroleerd")


def test_a_login_cancelled_at_the_provider_logs_nobody_in(client, surfconext):
    url, _state = _pending(client)

    response = client.get(surfconext.authorize(url, deny=True))

    _refused_without_session(response, client, "Het inloggen bij SURFconext is afgebroken")


def test_a_provider_that_cannot_be_reached_gets_a_clear_page(client, app, monkeypatch):
    from tests.support.sso import configure

    configure(app, monkeypatch, "surfconext", "http://127.0.0.1:9")  # the discard port: nothing answers

    response = client.get("/sso/surfconext/login")

    assert response.status_code == 502
    assert "We kunnen SURFconext nu niet bereiken" in response.get_data(as_text=True)
    assert logged_in_as(client) is None


def test_callbacks_are_throttled_per_client_address(client, app, surfconext, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_LIMIT_PER_IP", "2 per minute")
    for _ in range(2):
        assert client.get("/sso/surfconext/callback?code=x&state=y").status_code == 400

    response = client.get("/sso/surfconext/callback?code=x&state=y")

    assert response.status_code == 429
    assert "Er is te vaak geprobeerd in te loggen" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) >= 1


def test_a_logged_in_person_is_not_sent_to_the_provider_again(client, make_user, login, surfconext):
    login(client, make_user())
    response = client.get("/sso/surfconext/login")
    assert response.status_code == 302 and not response.location.startswith(surfconext.issuer)
