"""The profile page."""

from jimtraining.cohorts.models import Organisation
from jimtraining.extensions import db


def test_profile_changes_are_saved(client, login, make_user):
    organisation = Organisation(name="Wijkteam Noord", kind="wijkteam")
    db.session.add(organisation)
    db.session.commit()
    user = make_user()
    login(client, user)
    response = client.submit("/profile", {
        "name": "Nieuwe Naam", "email": user.email, "organisation_id": str(organisation.id),
        "region": "Groningen", "work_context": "wijkteam", "skj_number": "110012345", "locale": "nl",
    }, page="/profile")
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.organisation_id, user.region, user.work_context, user.skj_number) == (
        "Nieuwe Naam", organisation.id, "Groningen", "wijkteam", "110012345")


def test_invalid_skj_number_is_explained_and_nothing_is_saved(client, login, make_user):
    user = make_user(name="Oude Naam")
    login(client, user)
    response = client.submit("/profile", {
        "name": "Nieuwe Naam", "email": user.email, "organisation_id": "0", "skj_number": "12-ab", "locale": "nl",
    }, page="/profile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Een SKJ-nummer bestaat uit 6 tot 12 cijfers." in page
    assert 'aria-invalid="true"' in page
    db.session.refresh(user)
    assert user.name == "Oude Naam"


def test_email_of_another_account_cannot_be_taken(client, login, make_user):
    make_user(email="bezet@example.org")
    user = make_user()
    login(client, user)
    response = client.submit("/profile", {
        "name": user.name, "email": "BEZET@example.org", "organisation_id": "0", "locale": "nl",
    }, page="/profile")
    assert "Er is al een account met dit e-mailadres." in response.get_data(as_text=True)


def test_unknown_organisation_choice_is_refused(client, login, make_user):
    user = make_user()
    login(client, user)
    response = client.submit("/profile", {
        "name": user.name, "email": user.email, "organisation_id": "424242", "locale": "nl",
    }, page="/profile")
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.organisation_id is None
