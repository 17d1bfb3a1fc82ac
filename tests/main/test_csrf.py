"""Every state change needs a CSRF token; a POST without one is refused with 400 and changes nothing."""

import pytest

from jimtraining.accounts.models import User
from jimtraining.extensions import db


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/login", None),
        ("/logout", "learner"),
        ("/language", None),
        ("/profile", "learner"),
        ("/profile/password", "learner"),
        ("/modules/basis/eerste/done", "learner"),
        ("/modules/basis/eerste/undo", "learner"),
        ("/admin/users/new", "admin"),
        ("/admin/users/{id}", "admin"),
        ("/admin/users/{id}/deactivate", "admin"),
        ("/admin/users/{id}/activate", "admin"),
    ],
)
def test_post_without_csrf_token_is_refused(client, login, make_user, synced_content, path, role):
    target = make_user(email="doel@example.org", name="Doel")
    if role:
        login(client, make_user(role=role))
    response = client.post(path.format(id=target.id), data={"name": "Veranderd", "email": "x@example.org",
                                                             "role": "admin", "locale": "en"})
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert (target.name, target.role, target.is_enabled) == ("Doel", "learner", True)


def test_no_route_changes_state_on_get(app):
    """Routes that accept POST never also accept GET, except forms that show themselves on GET."""
    form_pages = {
        "accounts.login", "accounts.profile", "accounts.change_password", "admin.user_new",
        "admin.user_edit", "quizzes.review", "cohorts.new", "cohorts.edit", "cohorts.invite",
        "cohorts.upload", "cohorts.session_new", "cohorts.session_edit", "cohorts.session", "cohorts.attendance",
        "cohorts.join",
        "cohorts.accept", "admin.organisations", "roleplay.actor_home", "certification.practice",
        "certification.practice_review", "certification.co_training_sign", "admin.licences", "admin.certificate",
        "calibration.score",
        "lti.deep_link", "lti.register",
        # The admin's API tokens: GET shows the list and the form, POST makes a token.
        "api_pages.tokens_page",
        # Signing off: GET shows the preview; only the confirmed POST issues the certificate.
        "certification.sign_off",
        # Issue 19: the cohort's SKJ accreditation form; the edubadges page (GET shows it, POST sends the files).
        "certification.accreditation", "edubadges.export",
        # LTI 1.3 lets a platform start the login with GET or POST; it writes nothing (a nonce in the session).
        "lti.login",
    }
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and "GET" in rule.methods:
            assert rule.endpoint in form_pages, rule.rule


def test_every_user_table_row_keeps_its_data_after_a_refused_post(client, login, make_user):
    user = make_user(name="Blijft")
    login(client, user)
    client.post("/profile", data={"name": "Weg"})
    assert db.session.get(User, user.id).name == "Blijft"
