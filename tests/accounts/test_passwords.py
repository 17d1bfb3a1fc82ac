"""Password policy: at least 12 characters, not easily guessed (Dutch words, own name and e-mail)."""

import pytest

from jimtraining.accounts.passwords import password_problems


@pytest.mark.parametrize("password", ["kort", "elf tekens!"])
def test_passwords_shorter_than_12_characters_are_refused(password):
    assert password_problems(password) == ["Kies een wachtwoord van minstens 12 tekens."]


@pytest.mark.parametrize("password", ["wachtwoord123", "Welkom123456", "jeugdzorg2024", "aaaaaaaaaaaa",
                                      "123456789012", "Feyenoord1908"])
def test_common_dutch_passwords_are_refused(password):
    assert "Dit wachtwoord is te makkelijk te raden." in password_problems(password)


def test_own_name_is_refused_with_a_hint():
    problems = password_problems("Annemarie-Jansen1", name="Annemarie Jansen", email="a.jansen@example.org")
    assert "Gebruik niet je naam of e-mailadres." in problems


@pytest.mark.parametrize("password", ["lamp fiets wolk tegel", "kompas regenjas tulp vijver", "Q7#vb!2LmZ9p"])
def test_strong_passwords_are_accepted(password):
    assert password_problems(password, name="Sam de Vries", email="sam@example.org") == []


def test_password_change_form_explains_why_a_password_is_refused(client, login, make_user):
    user = make_user()
    login(client, user)
    response = client.submit("/profile/password", {
        "current_password": "lamp fiets wolk tegel", "new_password": "wachtwoord12", "confirm": "wachtwoord12",
    }, page="/profile/password")
    assert response.status_code == 200
    assert "Dit wachtwoord is te makkelijk te raden." in response.get_data(as_text=True)
    assert user.check_password("lamp fiets wolk tegel")


def test_long_passphrases_are_judged_without_error():
    assert password_problems("lamp fiets wolk tegel " * 4) == []


def test_passwords_over_200_characters_are_refused():
    assert password_problems("x" * 201) == ["Kies een wachtwoord van hoogstens 200 tekens."]
