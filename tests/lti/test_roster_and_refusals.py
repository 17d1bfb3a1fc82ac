"""Names and Role Provisioning Services fill the class cohort; every refused launch gets a 4xx and no session."""

import base64
import json
import time

import pytest
from sqlalchemy import select

from jimtraining.accounts.models import LoginSession, User
from jimtraining.cohorts.models import Cohort, Enrollment
from jimtraining.extensions import db
from jimtraining.lti.models import LtiContext, LtiUserLink
from tests.lti.platform import INSTRUCTOR, LTI, Person, rsa_key

DAAN = Person("sub-daan", "Daan Docent", "daan@hogeschool.example", roles=list(INSTRUCTOR))
LOTTE = Person("sub-lotte", "Lotte Leerling", "lotte@hogeschool.example")


def enrolled(cohort_id):
    return set(db.session.scalars(select(User.name).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.cohort_id == cohort_id, Enrollment.removed_at.is_(None))))


def test_the_roster_fills_the_class_cohort_at_the_lecturers_launch(lms, client):
    lms.roster = [DAAN, LOTTE, Person("sub-sam", "Sam Student"), Person("sub-oud", "Oud Student", status="Inactive")]

    lms.launch(client, DAAN)

    cohort_id = db.session.scalar(select(LtiContext.cohort_id))
    assert enrolled(cohort_id) == {"Lotte Leerling", "Sam Student"}
    assert [t.name for t in db.session.get(Cohort, cohort_id).trainers] == ["Daan Docent"]
    # Sam never launched: the account is matched on the platform's user id at Sam's first launch.
    sam = db.session.scalar(select(LtiUserLink).where(LtiUserLink.sub == "sub-sam"))
    lms.launch(client, Person("sub-sam", "Sam Student"))
    assert db.session.scalar(select(db.func.count()).select_from(LtiUserLink).where(LtiUserLink.sub == "sub-sam")) == 1
    assert db.session.scalar(select(LtiUserLink.user_id).where(LtiUserLink.sub == "sub-sam")) == sam.user_id


def test_a_learner_who_left_the_course_leaves_the_class_cohort_at_the_next_roster(lms, browser, runner):
    lms.roster = [DAAN, LOTTE, Person("sub-sam", "Sam Student")]
    lms.launch(browser(), DAAN)
    lms.roster = [DAAN, LOTTE, Person("sub-sam", "Sam Student", status="Deleted")]

    result = runner.invoke(args=["lti", "sync-rosters"])

    assert result.exit_code == 0 and "1 left" in result.output
    assert enrolled(db.session.scalar(select(LtiContext.cohort_id))) == {"Lotte Leerling"}


def test_a_roster_the_lms_does_not_serve_does_not_stop_the_lecturer(lms, client):
    lms.down = 500

    response = lms.launch(client, DAAN)

    assert response.status_code == 302 and "/cohorts/" in response.headers["Location"]


def no_session(client) -> bool:
    """Nobody is logged in in this browser and no login session was started."""
    gone = client.get("/modules/", follow_redirects=False)
    return (db.session.scalar(select(db.func.count()).select_from(LoginSession)) == 0
            and gone.status_code == 302 and "/login" in gone.headers["Location"])


REFUSALS = {
    "a bad signature": dict(key=rsa_key("attacker")),
    "an expired token": dict(alter=lambda c: c.update(exp=int(time.time()) - 60, iat=int(time.time()) - 400)),
    "an unknown deployment": dict(alter=lambda c: c.update({LTI + "deployment_id": "deployment-unknown"})),
    "a wrong nonce": dict(alter=lambda c: c.update(nonce="made-up")),
    "a token for another client": dict(alter=lambda c: c.update(aud=["someone-else"])),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_launch_gets_a_clear_page_and_no_session(lms, client, case):
    response = lms.launch(client, LOTTE, **REFUSALS[case])

    assert 400 <= response.status_code < 500, case
    assert "Je bent niet ingelogd bij JIM-training." in response.get_data(as_text=True)
    assert no_session(client)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_a_replayed_launch_is_refused(lms, browser):
    client = browser()
    assert lms.launch(client, LOTTE).status_code == 302

    same_browser = lms.replay(client)
    copied = browser()
    copied.set_cookie(*next((c.key, c.value) for c in client._cookies.values() if c.key.startswith("lti1p3-state")))
    elsewhere = lms.replay(copied)  # someone who copied the form and the state cookie

    assert same_browser.status_code == 403 and "al eens gebruikt" in same_browser.get_data(as_text=True)
    assert elsewhere.status_code == 403
    assert copied.get("/modules/").status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(LoginSession)) == 1


def test_a_token_changed_after_signing_is_refused(lms, client):
    query = lms.authorise(lms.start_login(client, LOTTE))
    token = lms.sign(lms.claims(LOTTE, query["nonce"]))
    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims[LTI + "roles"] = list(INSTRUCTOR)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")

    response = client.post("/lti/launch", data={"id_token": f"{header}.{forged}.{signature}", "state": query["state"]})

    assert response.status_code == 403 and "Handtekening klopt niet" in response.get_data(as_text=True)
    assert no_session(client)


def test_a_launch_without_the_state_cookie_is_refused(lms, browser):
    query = lms.authorise(lms.start_login(browser(), LOTTE))
    other = browser()  # cookies blocked, or another browser

    response = other.post("/lti/launch", data={"id_token": lms.sign(lms.claims(LOTTE, query["nonce"])),
                                                "state": query["state"]})

    assert response.status_code == 403 and "cookie" in response.get_data(as_text=True)
    assert no_session(other)


def test_an_unknown_platform_is_refused_at_the_login(unregistered_lms, client):
    response = unregistered_lms.start_login(client, LOTTE)

    assert response.status_code == 403 and "Onbekende leeromgeving" in response.get_data(as_text=True)


def test_a_launch_with_a_bare_form_is_a_bad_request(lms, client):
    assert client.post("/lti/launch", data={}).status_code == 400
    assert client.post("/lti/launch", data={"id_token": "a.b", "state": "x"}).status_code in (400, 403)
    assert no_session(client)


def test_a_learner_cannot_deep_link(lms, client):
    response = lms.launch(client, LOTTE, message_type="LtiDeepLinkingRequest")

    assert response.status_code == 403 and "Alleen voor docenten" in response.get_data(as_text=True)
    assert no_session(client)


def test_brightspace_key_sets_without_alg_are_accepted(lms, client):
    lms.keys_without_alg = True

    assert lms.launch(client, LOTTE).status_code == 302
