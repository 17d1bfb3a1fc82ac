"""Who may see and do what in cohorts: every page and action of cohort B is closed to cohort A's trainer."""

import pytest
from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.cohorts.models import Enrollment
from jimtraining.extensions import db

B_PAGES = [
    "/cohorts/{b}", "/cohorts/{b}/edit", "/cohorts/{b}/export.csv", "/cohorts/{b}/invite", "/cohorts/{b}/upload",
    "/cohorts/{b}/sessions/new", "/cohorts/{b}/sessions/{sb}/edit", "/cohorts/{b}/sessions/{sb}/code",
    "/cohorts/{b}/learners/{lb}",
]
B_ACTIONS = [
    "/cohorts/{b}/edit", "/cohorts/{b}/join-code", "/cohorts/{b}/invite", "/cohorts/{b}/upload",
    "/cohorts/{b}/upload/confirm", "/cohorts/{b}/sessions/new", "/cohorts/{b}/sessions/{sb}/edit",
    "/cohorts/{b}/sessions/{sb}", "/cohorts/{b}/learners/{lb}/remove",
]


def fill(path, ctx):
    return path.format(b=ctx.b.id, sb=ctx.session_b.id, lb=ctx.learner_b.id)


@pytest.mark.parametrize("path", B_PAGES + ["/cohorts/{b}/sessions/{sb}", "/cohorts/{b}/calendar.ics",
                                            "/cohorts/{b}/sessions/{sb}.ics"])
def test_trainer_of_a_gets_403_on_every_page_of_b(client, login, two_cohorts, path):
    login(client, two_cohorts.trainer_a)
    assert client.get(fill(path, two_cohorts)).status_code == 403


@pytest.mark.parametrize("path", B_ACTIONS)
def test_trainer_of_a_gets_403_on_every_action_of_b_and_nothing_changes(client, login, two_cohorts, path):
    login(client, two_cohorts.trainer_a)
    code = two_cohorts.b.join_code
    response = client.submit(fill(path, two_cohorts), {"name": "Overgenomen", "status-1": "present"})
    assert response.status_code == 403
    db.session.refresh(two_cohorts.b)
    assert two_cohorts.b.name == "Groep B" and two_cohorts.b.join_code == code
    assert all(e.removed_at is None for e in two_cohorts.b.enrollments)


@pytest.mark.parametrize("path", B_PAGES + ["/cohorts/", "/cohorts/new", "/admin/organisations", "/admin/outbox"])
def test_learner_gets_403_on_trainer_pages(client, login, two_cohorts, path):
    login(client, two_cohorts.learner_b)
    assert client.get(fill(path, two_cohorts)).status_code == 403


def test_trainer_list_shows_only_own_cohorts(client, login, two_cohorts):
    login(client, two_cohorts.trainer_a)
    page = client.get("/cohorts/").get_data(as_text=True)
    assert "Groep A" in page and "Groep B" not in page


def test_admin_sees_every_cohort(client, login, make_user, two_cohorts):
    login(client, make_user(role="admin"))
    page = client.get("/cohorts/").get_data(as_text=True)
    assert "Groep A" in page and "Groep B" in page
    assert client.get(f"/cohorts/{two_cohorts.b.id}").status_code == 200


def test_learner_of_another_cohort_cannot_open_its_session(client, login, two_cohorts):
    login(client, two_cohorts.learner_a)
    assert client.get(f"/cohorts/{two_cohorts.b.id}/sessions/{two_cohorts.session_b.id}").status_code == 403


def test_session_of_another_cohort_is_404_under_this_cohort(client, login, two_cohorts):
    login(client, two_cohorts.trainer_a)
    assert client.get(f"/cohorts/{two_cohorts.a.id}/sessions/{two_cohorts.session_b.id}").status_code == 404


def test_removed_learner_loses_access_but_keeps_history(app, client, login, two_cohorts):
    learner, cohort, session = two_cohorts.learner_a, two_cohorts.a, two_cohorts.session_a
    learner_client = app.test_client()
    login(learner_client, learner)
    assert learner_client.get(f"/cohorts/{cohort.id}/sessions/{session.id}").status_code == 200
    login(client, two_cohorts.trainer_a)
    response = client.submit(f"/cohorts/{cohort.id}/learners/{learner.id}/remove", page=f"/cohorts/{cohort.id}")
    assert response.status_code == 302
    assert learner_client.get(f"/cohorts/{cohort.id}/sessions/{session.id}").status_code == 403
    assert learner_client.get(f"/cohorts/{cohort.id}/calendar.ics").status_code == 403
    assert "Groep A" not in learner_client.get("/").get_data(as_text=True)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == learner.id))
    assert enrollment is not None and enrollment.removed_at is not None
    # the join code does not bring a removed learner back
    page = learner_client.submit("/join", {"code": cohort.join_code}, page="/join").get_data(as_text=True)
    assert "Je bent uit deze groep gehaald" in page


def test_trainer_cannot_make_anyone_admin_or_trainer(client, login, make_user, two_cohorts):
    learner = two_cohorts.learner_a
    login(client, two_cohorts.trainer_a)
    cohort = two_cohorts.a
    client.submit(f"/cohorts/{cohort.id}/edit", {
        "name": "Groep A", "organisation_id": str(cohort.organisation_id), "region": "Twente", "status": "running",
        "trainer_ids": [str(learner.id), str(two_cohorts.trainer_a.id)]}, page=f"/cohorts/{cohort.id}/edit")
    db.session.refresh(learner)
    db.session.refresh(cohort)
    assert learner.role == "learner"
    assert [t.id for t in cohort.trainers] == [two_cohorts.trainer_a.id]
    assert client.get(f"/admin/users/{learner.id}").status_code == 403
    assert client.submit(f"/admin/users/{learner.id}", {"role": "admin"}).status_code == 403
    assert db.session.scalar(select(User.role).where(User.id == learner.id)) == "learner"


def test_trainer_creates_a_cohort_and_becomes_its_trainer(client, login, make_user, make_cohort):
    other = make_cohort()  # provides an organisation
    trainer = make_user(role="trainer")
    login(client, trainer)
    response = client.submit("/cohorts/new", {"name": "Nieuwe groep", "organisation_id": str(other.organisation_id),
                                              "region": "Groningen", "status": "planned"}, page="/cohorts/new")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nieuwe groep" in page and trainer.name in page
