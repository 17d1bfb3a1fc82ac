"""Logging in and out."""

import pytest

from jimtraining.accounts.services import set_enabled
from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content


def test_login_page_is_dutch_and_labelled(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">E-mailadres</label>' in page
    assert '<label for="password">Wachtwoord</label>' in page


def test_user_logs_in_and_sees_the_dashboard(client, login, make_user):
    user = make_user(name="Sam de Vries")
    login(client, user)
    assert "Hallo Sam de Vries" in client.get("/").get_data(as_text=True)


def test_email_is_not_case_sensitive(client, make_user):
    user = make_user(email="sam@example.org")
    response = client.submit("/login", {"email": "  SAM@Example.org ", "password": "lamp fiets wolk tegel"},
                             page="/login")
    assert response.status_code == 302
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_account_get_the_same_message(client, make_user):
    make_user(email="sam@example.org")
    wrong = client.submit("/login", {"email": "sam@example.org", "password": "fout"}, page="/login")
    unknown = client.submit("/login", {"email": "niemand@example.org", "password": "fout"}, page="/login")
    message = "Dit e-mailadres en wachtwoord horen niet bij een actief account."
    assert wrong.status_code == unknown.status_code == 200
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client, make_user):
    admin = make_user(role="admin")
    user = make_user(email="weg@example.org")
    set_enabled(user, False, by=admin)
    response = client.submit("/login", {"email": "weg@example.org", "password": "lamp fiets wolk tegel"},
                             page="/login")
    assert response.status_code == 200
    assert client.get("/profile").status_code == 302


def test_logout_ends_the_session(client, login, make_user):
    login(client, make_user())
    response = client.submit("/logout")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302


def test_logout_by_get_is_not_allowed(client, login, make_user):
    login(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "/%0d%0aSet-Cookie:x=y", "/%09/evil.example"])
def test_login_never_redirects_to_another_site(client, make_user, target):
    user = make_user()
    response = client.submit(f"/login?next={target}", {"email": user.email, "password": "lamp fiets wolk tegel"},
                             page="/login")
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_asked_for(client, make_user):
    user = make_user()
    response = client.submit("/login?next=/profile", {"email": user.email, "password": "lamp fiets wolk tegel"},
                             page="/login")
    assert response.headers["Location"] == "/profile"


def test_demo_accounts_log_in_after_seeding(client, runner):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    for email in ("admin@example.org", "trainer@example.org", "professional@example.org", "actor@example.org"):
        response = client.submit("/login", {"email": email, "password": "jim-demo-wachtwoord"}, page="/login")
        assert response.status_code == 302, email
        client.submit("/logout")


def test_demo_seed_does_nothing_on_a_database_with_users(runner, make_user):
    make_user()
    result = runner.invoke(args=["demo", "seed"])
    assert "already has users" in result.output


def test_demo_professional_has_passed_the_first_quiz_and_can_continue(client, runner):
    runner.invoke(args=["content", "sync"])
    runner.invoke(args=["demo", "seed"])
    client.submit("/login", {"email": "professional@example.org", "password": "jim-demo-wachtwoord"}, page="/login")
    page = client.get("/").get_data(as_text=True)
    shipped = len(load_content(PROJECT_ROOT / "modules").modules)  # the JIMwerker modules and those for trainers
    assert f"1 van {shipped} modules afgerond." in page
    assert "Verder met:" in page


def test_the_start_page_after_login_greets_once(client, make_user):
    make_user(name="Sam de Vries", email="sam@example.org")
    client.submit("/login", {"email": "sam@example.org", "password": "lamp fiets wolk tegel"}, page="/login")
    page = client.get("/").get_data(as_text=True)
    assert "Welkom, Sam de Vries" not in page  # no flash on top of the greeting
    assert "Hallo Sam de Vries" in page
