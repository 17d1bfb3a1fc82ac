"""Choosing a new password through a link sent by mail."""

import re
from datetime import timedelta

import pytest

from jimtraining.accounts import reset_links
from jimtraining.accounts.services import change_password, set_enabled
from jimtraining.extensions import db
from tests.support.factories import PASSWORD
from tests.support.mail import mail_jobs, try_mail_jobs_again

NEW_PASSWORD = "kompas regenjas tulp vijver"
SENT = "Als dit adres bij ons bekend is, krijg je een mail met een link om een nieuw wachtwoord te kiezen."
LINK_RE = re.compile(r"https?://\S+/password/reset/\S+")


def ask_reset(client, email):
    return client.submit("/password/forgot", {"email": email}, page="/password/forgot")


def link_from(mail) -> str:
    match = LINK_RE.search(mail.body)
    assert match, mail.body
    return match.group(0)


def path_of(link: str) -> str:
    return link[link.index("/password/reset/"):]


def requested_link(client, outbox, user) -> str:
    assert ask_reset(client, user.email).status_code == 302
    return path_of(link_from(outbox[-1]))


def set_new_password(client, path, password=NEW_PASSWORD, confirm=None):
    return client.submit(path, {"new_password": password, "confirm": confirm or password}, page=path)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", html)


def test_login_page_links_to_the_forgotten_password_page(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Wachtwoord vergeten?" in page
    form = client.get("/password/forgot").get_data(as_text=True)
    assert '<label for="email">E-mailadres</label>' in form and 'name="csrf_token"' in form


def test_a_known_address_gets_a_mail_and_an_unknown_one_does_not_with_the_same_page(app, make_user, outbox):
    make_user(email="sam@example.org", name="Sam de Vries")
    known, unknown = app.test_client(), app.test_client()
    to_known = ask_reset(known, "Sam@Example.org ")
    to_unknown = ask_reset(unknown, "niemand@example.org")
    assert to_known.status_code == to_unknown.status_code == 302
    assert to_known.headers["Location"] == to_unknown.headers["Location"] == "/login"
    page_known, page_unknown = known.get("/login").get_data(as_text=True), unknown.get("/login").get_data(as_text=True)
    assert SENT in page_known
    assert without_csrf(page_known) == without_csrf(page_unknown)
    assert len(outbox) == 1
    mail = outbox[0]
    assert mail.to == ["sam@example.org"]
    assert mail.subject == "Een nieuw wachtwoord kiezen voor JIM-training"
    assert "Hallo Sam de Vries" in mail.body and "60 minuten" in mail.body
    assert "Heb je dit niet zelf gevraagd? Dan hoef je niets te doen" in mail.body


def test_a_deactivated_account_gets_no_mail(client, make_user, outbox):
    admin, user = make_user(role="admin"), make_user(email="weg@example.org")
    set_enabled(user, False, by=admin)
    response = ask_reset(client, "weg@example.org")
    assert response.status_code == 302
    assert SENT in client.get("/login").get_data(as_text=True)
    assert outbox == []


@pytest.mark.parametrize(("email", "message"), [("", "Vul je e-mailadres in."),
                                                ("geen-adres", "Dit is geen geldig e-mailadres."),
                                                ("a" * 250 + "@example.org", "Dit is geen geldig e-mailadres.")])
def test_a_missing_or_malformed_address_is_explained(client, outbox, email, message):
    response = ask_reset(client, email)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert outbox == []


def test_the_link_sets_a_new_password_once(app, client, make_user, login, outbox):
    user = make_user(email="sam@example.org")
    path = requested_link(client, outbox, user)
    form = client.get(path)
    assert form.status_code == 200
    assert '<label for="new_password">Nieuw wachtwoord</label>' in form.get_data(as_text=True)
    response = set_new_password(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord." in client.get("/login").get_data(as_text=True)

    old = client.submit("/login", {"email": user.email, "password": PASSWORD}, page="/login")
    assert old.status_code == 200
    login(app.test_client(), user, password=NEW_PASSWORD)

    again = app.test_client()
    used = again.get(path)
    assert used.status_code == 410
    assert "Deze link werkt niet meer: hij is al gebruikt" in used.get_data(as_text=True)
    assert 'href="/password/forgot"' in used.get_data(as_text=True)
    reused = set_new_password(again, path, password="gitaar sneeuw zebra paprika")
    assert reused.status_code == 410
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_the_link_works_for_60_minutes(client, make_user, outbox, clock):
    user = make_user()
    path = requested_link(client, outbox, user)
    clock.shift(timedelta(minutes=59))
    assert client.get(path).status_code == 200
    clock.shift(timedelta(minutes=2))
    expired = client.get(path)
    assert expired.status_code == 410
    assert "Deze link is verlopen." in expired.get_data(as_text=True)
    assert set_new_password(client, path).status_code == 410
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_a_changed_or_made_up_link_is_explained(client, make_user, outbox):
    user = make_user()
    path = requested_link(client, outbox, user)
    token = path.rsplit("/", 1)[1]
    payload, stamp, signature = token.split(".")
    other_user = reset_links._serializer().dump_payload([user.id + 1, "0" * 32])
    tampered = [
        f"{payload}.{stamp}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}",
        f"{other_user.decode()}.{stamp}.{signature}",
        token[:-10],
        "zomaar-iets",
    ]
    for bad in tampered:
        response = client.get(f"/password/reset/{bad}")
        assert response.status_code == 400, bad
        assert "Deze link klopt niet." in response.get_data(as_text=True)
        assert set_new_password(client, f"/password/reset/{bad}").status_code == 400
    assert client.get("/password/reset/" + "x" * 400).status_code == 404
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_a_token_signed_for_something_else_is_no_reset_link(app, client, make_user):
    user = make_user()
    from itsdangerous import URLSafeTimedSerializer

    foreign = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="iets anders").dumps([user.id, "x" * 32])
    assert client.get(f"/password/reset/{foreign}").status_code == 400


def test_the_new_password_follows_the_password_policy(client, make_user, outbox):
    user = make_user(name="Annemarie Jansen", email="a.jansen@example.org")
    path = requested_link(client, outbox, user)
    weak = set_new_password(client, path, password="Annemarie-Jansen1")
    assert weak.status_code == 200
    assert "Gebruik niet je naam of e-mailadres." in weak.get_data(as_text=True)
    different = set_new_password(client, path, password=NEW_PASSWORD, confirm="iets anders dan dat")
    assert "De twee nieuwe wachtwoorden zijn niet gelijk." in different.get_data(as_text=True)
    empty = set_new_password(client, path, password="", confirm="")
    assert "Vul een nieuw wachtwoord in." in empty.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)
    assert client.get(path).status_code == 200  # the link still works after a refused try


def test_a_reset_ends_every_session_of_the_user(app, make_user, login, outbox):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    phone.submit("/login", {"email": user.email, "password": PASSWORD, "remember": "y"}, page="/login")
    remember = phone.get_cookie("remember_token").value
    login(laptop, user)
    assert laptop.get("/profile").status_code == 200

    anywhere = app.test_client()
    set_new_password(anywhere, requested_link(anywhere, outbox, user))
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 302
    restored = app.test_client()
    restored.set_cookie("remember_token", remember)
    assert restored.get("/profile").status_code == 302


def test_a_reset_while_logged_in_logs_this_browser_out_too(client, make_user, login, outbox):
    user = make_user()
    login(client, user)
    set_new_password(client, requested_link(client, outbox, user))
    assert client.get("/profile").status_code == 302


@pytest.mark.parametrize("how", ["password changed", "switched off and on"])
def test_older_links_stop_working_when_the_password_changes_or_the_account_is_switched_off(
        client, make_user, outbox, how):
    admin, user = make_user(role="admin"), make_user()
    path = requested_link(client, outbox, user)
    if how == "password changed":
        change_password(user, NEW_PASSWORD)
    else:
        set_enabled(user, False, by=admin)
        assert client.get(path).status_code == 410
        set_enabled(user, True, by=admin)
    assert client.get(path).status_code == 410


def test_a_second_link_makes_the_first_one_unusable_once_used(client, make_user, outbox):
    user = make_user()
    first = requested_link(client, outbox, user)
    second = requested_link(client, outbox, user)
    assert set_new_password(client, second).status_code == 302
    assert client.get(first).status_code == 410


def test_the_link_uses_base_url_not_the_host_the_request_names(app, make_user, outbox, monkeypatch):
    user = make_user()
    monkeypatch.setitem(app.config, "BASE_URL", "https://jim.example.nl/")
    client = app.test_client()
    page = client.get("/password/forgot", base_url="http://evil.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/password/forgot", data={"email": user.email, "csrf_token": token},
                           base_url="http://evil.example")
    assert response.status_code == 302
    assert link_from(outbox[0]).startswith("https://jim.example.nl/password/reset/")


def test_a_mail_that_cannot_be_sent_shows_the_same_message_and_is_sent_when_the_server_is_back(
        client, make_user, outbox, mail_server_down):
    user = make_user()
    response = ask_reset(client, user.email)
    assert response.status_code == 302
    assert SENT in client.get("/login").get_data(as_text=True)
    [job] = mail_jobs()
    assert job.state == "pending" and "connection refused" in job.last_error and outbox == []
    mail_server_down.down = False
    try_mail_jobs_again()
    assert [mail.to for mail in outbox] == [[user.email]]


def test_reset_forms_need_a_csrf_token(client, make_user, outbox):
    user = make_user()
    path = requested_link(client, outbox, user)
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_a_forged_host_header_does_not_change_the_reset_link(app, client_with_host, make_user, outbox, monkeypatch):
    """Issue 14 item 5 (acceptance): the reset mail asked for with a forged Host header links to BASE_URL."""
    user = make_user()
    monkeypatch.setitem(app.config, "BASE_URL", "https://jim.example.nl")
    client = client_with_host("evil.example")
    response = client.submit("/password/forgot", {"email": user.email}, page="/password/forgot")
    assert response.status_code == 302
    assert link_from(outbox[0]).startswith("https://jim.example.nl/password/reset/")
    assert "evil.example" not in outbox[0].body
