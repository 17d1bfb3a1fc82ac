"""Admin pages for users: only admins get in; creating, editing and deactivating users."""

import pytest
from sqlalchemy import func, select

from jimtraining.accounts.models import User
from jimtraining.extensions import db

ADMIN_GET_PAGES = ["/admin/users", "/admin/users/new", "/admin/users/{id}"]
ADMIN_POST_ACTIONS = ["/admin/users/new", "/admin/users/{id}", "/admin/users/{id}/deactivate",
                      "/admin/users/{id}/activate"]


@pytest.mark.parametrize("role", ["learner", "trainer", "actor"])
@pytest.mark.parametrize("page", ADMIN_GET_PAGES)
def test_non_admins_get_403_on_admin_pages(client, login, make_user, role, page):
    target = make_user(email="doel@example.org")
    login(client, make_user(role=role))
    response = client.get(page.format(id=target.id))
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["learner", "trainer", "actor"])
@pytest.mark.parametrize("action", ADMIN_POST_ACTIONS)
def test_non_admins_get_403_on_admin_actions_and_nothing_changes(client, login, make_user, role, action):
    target = make_user(email="doel@example.org")
    login(client, make_user(role=role))
    response = client.submit(action.format(id=target.id), {"role": "admin", "name": "X", "email": "x@example.org"})
    assert response.status_code == 403
    db.session.refresh(target)
    assert target.role == "learner" and target.is_enabled


@pytest.mark.parametrize("page", ADMIN_GET_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, make_user, page):
    target = make_user()
    response = client.get(page.format(id=target.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_admin_creates_a_user_who_can_then_log_in(client, login, make_user):
    login(client, make_user(role="admin"))
    response = client.submit("/admin/users/new", {
        "name": "Noor Nieuw", "email": "Noor@Example.org", "role": "trainer", "organisation_id": "0",
        "region": "Twente", "work_context": "wijkteam", "skj_number": "", "password": "kompas regenjas tulp vijver",
    }, page="/admin/users/new")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "noor@example.org"))
    assert user.role == "trainer" and user.region == "Twente"
    other = client.application.test_client()
    login(other, user, password="kompas regenjas tulp vijver")


def test_creating_a_user_with_an_existing_email_shows_an_error(client, login, make_user):
    login(client, make_user(role="admin"))
    make_user(email="bestaat@example.org")
    response = client.submit("/admin/users/new", {
        "name": "Dubbel", "email": "bestaat@example.org", "role": "learner", "organisation_id": "0",
        "password": "kompas regenjas tulp vijver",
    }, page="/admin/users/new")
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 2


def test_creating_a_user_with_a_weak_password_is_refused(client, login, make_user):
    login(client, make_user(role="admin"))
    response = client.submit("/admin/users/new", {
        "name": "Zwak", "email": "zwak@example.org", "role": "learner", "organisation_id": "0",
        "password": "wachtwoord123",
    }, page="/admin/users/new")
    assert "Dit wachtwoord is te makkelijk te raden." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "zwak@example.org")) is None


def test_admin_changes_a_role(client, login, make_user):
    login(client, make_user(role="admin"))
    user = make_user(email="rol@example.org")
    response = client.submit(f"/admin/users/{user.id}", {
        "name": user.name, "email": user.email, "role": "actor", "organisation_id": "0", "locale": "nl",
    }, page=f"/admin/users/{user.id}")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == "actor"


def test_admin_cannot_take_away_own_admin_role(client, login, make_user):
    admin = make_user(role="admin")
    login(client, admin)
    response = client.submit(f"/admin/users/{admin.id}", {
        "name": admin.name, "email": admin.email, "role": "learner", "organisation_id": "0", "locale": "nl",
    }, page=f"/admin/users/{admin.id}")
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_admin_cannot_deactivate_themselves(client, login, make_user):
    admin = make_user(role="admin")
    login(client, admin)
    client.submit(f"/admin/users/{admin.id}/deactivate", page="/admin/users")
    db.session.refresh(admin)
    assert admin.is_enabled
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("user_id", ["99999", "99999999999999999999", "-1", "abc"])
def test_unknown_user_is_404(client, login, make_user, user_id):
    login(client, make_user(role="admin"))
    assert client.get(f"/admin/users/{user_id}").status_code == 404


def test_user_list_shows_everyone_with_role_and_status(client, login, make_user):
    login(client, make_user(role="admin", name="Ada Admin"))
    make_user(role="actor", name="Ali Acteur")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Ali Acteur" in page and "Trainingsacteur" in page and "Actief" in page


def users_table(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


def test_user_list_finds_people_by_name_email_or_organisation_in_any_case(client, login, make_user):
    """Issue 14 item 3: the admin's user list has a search on name, e-mail address and organisation."""
    from jimtraining.organisations.models import Organisation

    noord = Organisation(name="Wijkteam Noord", kind="wijkteam")
    db.session.add(noord)
    db.session.commit()
    login(client, make_user(role="admin", name="Ada Admin"))
    make_user(name="Fatima el Amrani", email="f.elamrani@example.org")
    make_user(name="Joost de Vries", email="joost@zorgpunt.example.org")
    make_user(name="Ilse Bakker", organisation_id=noord.id)
    by_name = users_table(client.get("/admin/users?q=AMRANI").get_data(as_text=True))
    assert "Fatima el Amrani" in by_name and "Joost de Vries" not in by_name and "Ilse Bakker" not in by_name
    by_email = users_table(client.get("/admin/users?q=Zorgpunt").get_data(as_text=True))
    assert "Joost de Vries" in by_email and "Fatima el Amrani" not in by_email
    by_organisation = users_table(client.get("/admin/users?q=wijkteam+noord").get_data(as_text=True))
    assert "Ilse Bakker" in by_organisation and "Joost de Vries" not in by_organisation
    # Wildcards typed by a person match themselves.
    assert "Geen gebruikers gevonden" in client.get("/admin/users?q=%25").get_data(as_text=True)


def test_user_list_filters_on_role_and_combines_it_with_the_search(client, login, make_user):
    """Issue 14 item 3: the admin's user list has a role filter."""
    login(client, make_user(role="admin", name="Ada Admin"))
    make_user(role="trainer", name="Tom Trainer")
    make_user(role="learner", name="Tess Leerling")
    make_user(role="actor", name="Tamara Acteur")
    trainers = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "Tom Trainer" in users_table(trainers) and "Tess Leerling" not in users_table(trainers)
    assert '<option value="trainer" selected>' in trainers
    assert "1 gebruiker" in trainers
    both = users_table(client.get("/admin/users?q=t&role=actor").get_data(as_text=True))
    assert "Tamara Acteur" in both and "Tom Trainer" not in both
    assert client.get("/admin/users?role=koning").status_code == 200  # an unknown role is ignored


def test_user_list_comes_in_pages_of_50_whose_links_keep_the_filters(client, login, make_user):
    """Issue 14 item 3: 5,400 px for 71 users; the national installation has 30,000. Pages of 50 with the total."""
    login(client, make_user(role="admin", name="Ada Admin"))
    for n in range(120):
        make_user(name=f"Deelnemer {n:03d}")
    first = client.get("/admin/users?role=learner&q=deelnemer").get_data(as_text=True)
    assert users_table(first).count("<tr>") == 50
    assert "120 gebruikers" in first and "Pagina 1 van 3" in first
    assert "Deelnemer 000" in first and "Deelnemer 050" not in first
    next_link = first.split('rel="next"')[0].rsplit("<a ", 1)[1]
    assert "page=2" in next_link and "role=learner" in next_link and "q=deelnemer" in next_link
    third = client.get("/admin/users?role=learner&q=deelnemer&page=3").get_data(as_text=True)
    assert users_table(third).count("<tr>") == 20 and "Deelnemer 119" in third and "Ada Admin" not in third


def test_user_list_says_so_when_nobody_matches(client, login, make_user):
    """Issue 14 item 3: a clear empty state."""
    login(client, make_user(role="admin", name="Ada Admin"))
    page = client.get("/admin/users?q=niemand-heet-zo").get_data(as_text=True)
    assert "Geen gebruikers gevonden." in page and "<table>" not in page and "0 gebruikers" in page


def test_user_list_costs_the_same_queries_for_10_or_200_users(client, login, make_user):
    """Issue 14 item 3: within a query budget that does not grow with the number of users."""
    from tests.support.database import count_queries

    login(client, make_user(role="admin", name="Ada Admin"))
    for _ in range(10):
        make_user()
    few = count_queries(lambda: client.get("/admin/users?q=example"))
    for _ in range(190):
        make_user()
    many = count_queries(lambda: client.get("/admin/users?q=example"))
    assert few == many <= 3
