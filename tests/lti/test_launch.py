"""Launches from an emulated LMS: a learner and an instructor come in, logged in, in the course's class cohort."""

from sqlalchemy import select

from jimtraining.accounts.models import LoginSession, User
from jimtraining.cohorts.models import Cohort, Enrollment
from jimtraining.extensions import db
from jimtraining.lti.models import LtiContext, LtiPlatform, LtiUserLink
from jimtraining.organisations.models import Organisation
from tests.lti.platform import INSTRUCTOR, Person

LOTTE = Person("sub-lotte", "Lotte Leerling", "lotte@hogeschool.example")
DAAN = Person("sub-daan", "Daan Docent", "daan@hogeschool.example", roles=list(INSTRUCTOR))


def test_a_learner_launch_opens_the_linked_quiz_logged_in_as_a_new_account_in_the_class_cohort(lms, client):
    response = lms.launch(client, LOTTE, custom={"jim_target": "quiz:basis"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/modules/basis/quiz")
    page = client.get("/modules/basis/quiz")
    assert page.status_code == 200 and "Toets basis" in page.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "lotte@hogeschool.example"))
    assert user.role == "learner" and user.name == "Lotte Leerling"
    assert not user.check_password("")  # no password: only the LMS lets them in
    link = db.session.scalar(select(LtiUserLink).where(LtiUserLink.user_id == user.id))
    assert link.sub == "sub-lotte"
    cohort = db.session.get(Cohort, db.session.scalar(select(LtiContext.cohort_id)))
    assert cohort.name == "Jeugdzorg en netwerk 2026"
    assert db.session.get(Organisation, cohort.organisation_id).kind == "hogeschool"
    assert db.session.scalar(select(Enrollment.user_id).where(Enrollment.cohort_id == cohort.id)) == user.id


def test_an_instructor_launch_makes_the_person_the_lecturer_of_the_class_cohort(lms, client):
    response = lms.launch(client, DAAN)

    user = db.session.scalar(select(User).where(User.email == "daan@hogeschool.example"))
    assert user.role == "trainer"
    cohort_id = db.session.scalar(select(LtiContext.cohort_id))
    assert response.headers["Location"].endswith(f"/cohorts/{cohort_id}")
    assert [t.id for t in db.session.get(Cohort, cohort_id).trainers] == [user.id]
    assert client.get(f"/cohorts/{cohort_id}").status_code == 200


def test_a_second_launch_finds_the_same_account_by_the_platform_user_id(lms, browser):
    lms.launch(browser(), LOTTE)
    lms.launch(browser(), Person("sub-lotte", "Lotte L.", "ander@hogeschool.example"))

    assert db.session.scalar(select(db.func.count()).select_from(LtiUserLink)) == 1
    assert db.session.scalar(select(db.func.count()).select_from(LoginSession)) == 2


def test_an_lms_user_with_the_email_of_an_existing_account_gets_an_account_of_their_own(lms, client, make_user):
    existing = make_user(email="lotte@hogeschool.example")

    lms.launch(client, LOTTE)

    link = db.session.scalar(select(LtiUserLink))
    assert link.user_id != existing.id
    assert db.session.get(User, link.user_id).email.endswith("@lti.invalid")


def test_a_launch_without_an_email_makes_an_account_that_cannot_log_in_with_a_password(lms, client):
    lms.launch(client, Person("sub-x", "Xander"))

    user = db.session.get(User, db.session.scalar(select(LtiUserLink.user_id)))
    assert user.email.endswith("@lti.invalid")
    for password in ("", "!lti-no-password", "lti"):
        assert not user.check_password(password)


def test_an_admin_links_a_platform_user_to_an_existing_account_with_the_cli(lms, client, make_user, runner):
    existing = make_user(role="trainer", email="docent@hogeschool.example")
    platform_id = db.session.scalar(select(LtiPlatform.id))

    result = runner.invoke(args=["lti", "link-account", "--platform", str(platform_id), "--sub", "sub-daan",
                                 "--email", "docent@hogeschool.example"])

    assert result.exit_code == 0, result.output
    lms.launch(client, DAAN)
    assert db.session.scalar(select(LtiUserLink.user_id).where(LtiUserLink.sub == "sub-daan")) == existing.id
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
