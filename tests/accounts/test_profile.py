"""The profile page."""

from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from tests.support.factories import PASSWORD


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


# Changing the e-mail address (issue 14 item 7) ---------------------------------------------------------------

def profile_form(user, **changes) -> dict:
    data = {"name": user.name, "email": user.email, "organisation_id": "0", "locale": user.locale or "nl"}
    data.update(changes)
    return data


def test_a_new_email_address_without_the_password_is_refused_and_nothing_is_saved(client, login, make_user,
                                                                                  outbox):
    """Issue 14 item 7: POST /profile changed the login and reset address without the password."""
    user = make_user(email="eigen@example.org", name="Oude Naam")
    login(client, user)
    response = client.submit("/profile", profile_form(user, email="dief@example.org", name="Nieuwe Naam"),
                             page="/profile")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vul je huidige wachtwoord in om je e-mailadres te wijzigen." in page
    assert 'value="dief@example.org"' in page and 'value="Nieuwe Naam"' in page  # what was typed stays
    db.session.refresh(user)
    assert (user.email, user.name) == ("eigen@example.org", "Oude Naam")
    assert outbox == []


def test_a_new_email_address_with_a_wrong_password_is_refused(client, login, make_user, outbox):
    """Issue 14 item 7: changing the address needs the current password."""
    user = make_user(email="eigen@example.org")
    login(client, user)
    response = client.submit("/profile", profile_form(user, email="dief@example.org",
                                                      current_password="raden raden raden"), page="/profile")
    assert "Je huidige wachtwoord klopt niet." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email == "eigen@example.org" and outbox == []


def test_a_new_email_address_with_the_password_is_saved_the_old_address_told_and_other_sessions_ended(
        app, login, make_user, outbox):
    """Issue 14 item 7: a notice to the old address, and the other sessions end (a stolen one too)."""
    user = make_user(email="eigen@example.org", name="Sanne de Boer")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    response = laptop.submit("/profile", profile_form(user, email="Nieuw@Example.org", current_password=PASSWORD),
                             page="/profile")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "nieuw@example.org"
    [notice] = outbox
    assert notice.to == ["eigen@example.org"]
    assert notice.subject == "Je e-mailadres bij JIM-training is gewijzigd"
    assert "Hallo Sanne de Boer" in notice.body and "n***@example.org" in notice.body
    assert "nieuw@example.org" not in notice.body
    assert "Heb je dit niet zelf gedaan?" in notice.body
    assert laptop.get("/profile").status_code == 200  # this device goes on
    assert phone.get("/profile").status_code == 302  # every other one is logged out
    login(app.test_client(), user)  # the new address is the login now (user.email was refreshed)


def test_a_reset_link_sent_to_the_old_address_stops_working_after_the_change(client, login, make_user, outbox):
    """Issue 14 item 7: the old address no longer resets the password."""
    from tests.accounts.test_password_reset import requested_link

    user = make_user(email="eigen@example.org")
    link = requested_link(client.application.test_client(), outbox, user)
    login(client, user)
    client.submit("/profile", profile_form(user, email="nieuw@example.org", current_password=PASSWORD),
                  page="/profile")
    assert client.application.test_client().get(link).status_code in (400, 410)


def test_the_notice_is_in_english_for_someone_who_chose_english(client, login, make_user, outbox):
    """Issue 14 item 7: the notice in the user's language, like the other mails."""
    user = make_user(email="eigen@example.org", locale="en")
    login(client, user)
    client.submit("/profile", profile_form(user, email="nieuw@example.org", current_password=PASSWORD),
                  page="/profile")
    [notice] = outbox
    assert notice.subject == "Your e-mail address at JIM-training has changed"
    assert "Didn't you do this yourself?" in notice.body


def test_other_details_change_without_the_password_and_end_no_session(app, login, make_user, outbox):
    """Issue 14 item 7: only a new e-mail address needs the password."""
    user = make_user(email="eigen@example.org")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    response = laptop.submit("/profile", profile_form(user, email="EIGEN@example.org ", name="Andere Naam"),
                             page="/profile")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.name == "Andere Naam" and user.email == "eigen@example.org"
    assert phone.get("/profile").status_code == 200 and outbox == []


def test_guessing_the_password_on_the_profile_page_is_throttled_per_account(client, login, make_user, outbox):
    """Issue 14 item 7: the password check must not turn a taken-over session into a fast way to guess it."""
    user = make_user(email="eigen@example.org")
    login(client, user)
    guesses = [client.submit("/profile", profile_form(user, email="dief@example.org",
                                                      current_password=f"gok nummer {n}"), page="/profile")
               for n in range(11)]
    assert [r.status_code for r in guesses[:10]] == [200] * 10
    assert guesses[10].status_code == 429
    assert "Er is te vaak een verkeerd wachtwoord ingevuld." in guesses[10].get_data(as_text=True)
    right = client.submit("/profile", profile_form(user, email="dief@example.org", current_password=PASSWORD),
                          page="/profile")
    assert right.status_code == 429  # the right one too, until the minute is over
    db.session.refresh(user)
    assert user.email == "eigen@example.org" and outbox == []
    assert client.submit("/profile", profile_form(user, name="Gewoon Opslaan"), page="/profile").status_code == 302
