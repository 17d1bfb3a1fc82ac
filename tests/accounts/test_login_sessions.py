"""Login sessions live on the server: logging out ends them, and every copy of their cookies stops working."""

import hashlib
from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import select

from jimtraining.accounts.models import LoginSession
from jimtraining.accounts.services import change_password, log_in, set_enabled
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.support.database import statements_run
from tests.support.factories import PASSWORD


def open_profile_three_times(client) -> None:
    for _ in range(3):
        assert client.get("/profile").status_code == 200

NEW_PASSWORD = "kompas regenjas tulp vijver"


def sessions_of(user) -> list[LoginSession]:
    db.session.expire_all()
    return db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                              .order_by(LoginSession.id)).all()


def active(user) -> list[LoginSession]:
    return [s for s in sessions_of(user) if s.ended_at is None]


def cookie_token(app, client) -> str:
    """The login session token in a client's session cookie."""
    value = client.get_cookie("session").value
    return app.session_interface.get_signing_serializer(app).loads(value)["_user_id"]


def copy_cookies(app, source, names=("session",)):
    thief = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def remembered_login(client, user):
    response = client.submit("/login", {"email": user.email, "password": PASSWORD, "remember": "y"}, page="/login")
    assert response.status_code == 302


def test_login_starts_a_session_that_stores_only_a_hash_of_the_token(app, login, make_user):
    user = make_user()
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Testbrowser) " + "x" * 300
    login(client, user)
    [session] = sessions_of(user)
    token = cookie_token(app, client)
    assert session.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in session.token_hash
    assert str(user.id) != token and user.session_token != token
    assert session.created_at is not None and session.last_seen_at is not None and session.ended_at is None
    assert session.user_agent.startswith("Mozilla/5.0 (Testbrowser)") and len(session.user_agent) == 200


def test_a_cookie_copied_before_logout_no_longer_works_after_logout(app, login, make_user):
    user = make_user()
    browser = app.test_client()
    login(browser, user)
    thief = copy_cookies(app, browser)
    assert thief.get("/profile").status_code == 200
    assert browser.submit("/logout").status_code == 302
    response = thief.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    [session] = sessions_of(user)
    assert session.ended_at is not None


def test_a_remember_me_cookie_copied_before_logout_dies_with_the_session(app, make_user):
    user = make_user()
    browser = app.test_client()
    remembered_login(browser, user)
    remember = browser.get_cookie("remember_token").value
    restored = app.test_client()
    restored.set_cookie("remember_token", remember)
    assert restored.get("/profile").status_code == 200
    browser.submit("/logout")
    later = app.test_client()
    later.set_cookie("remember_token", remember)
    assert later.get("/profile").status_code == 302


def test_logout_ends_only_that_session(app, login, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    laptop.submit("/logout")
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 200
    assert len(active(user)) == 1


def test_password_change_ends_other_sessions_and_continues_this_one_in_a_new_session(app, login, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    copied = copy_cookies(app, laptop)
    old_token = cookie_token(app, laptop)
    response = laptop.submit("/profile/password", {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    }, page="/profile/password")
    assert response.status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert cookie_token(app, laptop) != old_token
    assert phone.get("/profile").status_code == 302
    assert copied.get("/profile").status_code == 302  # a copy of this device's old cookie is dead too
    assert len(active(user)) == 1


def test_deactivation_ends_every_session_and_reactivation_brings_none_back(app, login, make_user):
    admin, user = make_user(role="admin"), make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    remembered_login(phone, user)
    remember = phone.get_cookie("remember_token").value
    set_enabled(user, False, by=admin)
    assert active(user) == []
    set_enabled(user, True, by=admin)
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 302
    restored = app.test_client()
    restored.set_cookie("remember_token", remember)
    assert restored.get("/profile").status_code == 302


def test_a_session_of_a_switched_off_account_does_not_load_even_if_it_was_not_ended(app, login, make_user):
    user = make_user()
    client = app.test_client()
    login(client, user)
    user.is_enabled = False  # bypassing the service: the loader still checks the account
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_the_old_per_user_token_is_not_a_session(app, make_user):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = user.session_token
        cookie_session["_fresh"] = True
    assert client.get("/profile").status_code == 302


def test_pages_do_not_write_to_the_database_for_the_session(app, login, make_user):
    user = make_user()
    client = app.test_client()
    login(client, user)
    writes = [s for s in statements_run(lambda: open_profile_three_times(client))
              if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_last_seen_is_written_at_most_once_an_hour(app, login, make_user, clock):
    user = make_user()
    client = app.test_client()
    login(client, user)
    [session] = sessions_of(user)
    first_seen = session.last_seen_at
    clock.shift(timedelta(hours=1, minutes=1))
    writes = [s for s in statements_run(lambda: open_profile_three_times(client))
              if s.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1 and "login_session" in writes[0]
    [session] = sessions_of(user)
    assert session.last_seen_at > first_seen


def test_logging_in_without_the_login_form_starts_a_session(app, make_user):
    """Other parts (accepting an invitation) log people in with services.log_in; that gives a session too."""
    user = make_user()
    with app.test_request_context("/", headers={"User-Agent": "Uitnodiging"}):
        log_in(user, remember=False)
    [session] = sessions_of(user)
    assert session.user_agent == "Uitnodiging" and session.remember is False
    assert session.token_hash == hashlib.sha256(user.login_token.encode()).hexdigest()


def test_asking_a_user_for_its_id_writes_nothing_and_starts_no_session(app, make_user):
    """get_id only reads the token of the session the object was loaded for; login_user() alone cannot log in."""
    user = make_user()
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError, match="log_in"):
            login_user(user)
    assert sessions_of(user) == []


def test_two_accounts_are_never_the_same_person(app, make_user):
    """Without a login session both have no token; they still differ (UserMixin would compare the tokens)."""
    first, second = make_user(), make_user()
    assert first != second and not first == second and first == first
    assert sessions_of(first) == sessions_of(second) == []


def test_ended_sessions_are_removed_after_90_days_at_the_next_login(app, login, make_user):
    user = make_user()
    db.session.add(LoginSession(user_id=user.id, token_hash="a" * 64, ended_at=utcnow() - timedelta(days=91)))
    db.session.add(LoginSession(user_id=user.id, token_hash="b" * 64, ended_at=utcnow() - timedelta(days=10)))
    db.session.commit()
    login(app.test_client(), user)
    assert sorted(s.token_hash[:1] for s in sessions_of(user) if s.ended_at is not None) == ["b"]
    assert len(active(user)) == 1


def test_deleting_a_user_deletes_their_sessions(app, login, make_user):
    user = make_user()
    login(app.test_client(), user)
    user_id = user.id
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalars(select(LoginSession).where(LoginSession.user_id == user_id)).all() == []


def test_change_password_service_ends_all_sessions(app, login, make_user):
    user = make_user()
    login(app.test_client(), user)
    login(app.test_client(), user)
    before = user.session_token
    change_password(user, NEW_PASSWORD)
    assert active(user) == []
    assert user.session_token != before
