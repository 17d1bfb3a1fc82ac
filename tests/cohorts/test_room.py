"""The trainer in the room: the attendance page of a session and the check-in code on the projector."""

from sqlalchemy import select

from jimtraining.cohorts.attendance import check_in, checkin_code
from jimtraining.cohorts.enrolment import enroll
from jimtraining.cohorts.models import Attendance
from jimtraining.extensions import db


def attendance_url(cohort, session):
    return f"/cohorts/{cohort.id}/sessions/{session.id}/attendance"


def marks(session):
    return dict(db.session.execute(select(Attendance.user_id, Attendance.status)
                                   .where(Attendance.session_id == session.id)).all())


def test_everyone_present_marks_the_unmarked_and_keeps_the_exceptions(client, login, make_user, two_cohorts):
    cohort, session = two_cohorts.a, two_cohorts.session_a
    away, late = make_user(name="Anna Afwezig"), make_user(name="Lars Laat")
    for learner in (away, late):
        enroll(cohort, learner, "trainer")
    login(client, two_cohorts.trainer_a)
    url = attendance_url(cohort, session)
    client.submit(url, {f"set-{away.id}": "absent"}, page=url)
    response = client.submit(url, {"all": "present"}, page=url)
    assert response.status_code == 302 and response.headers["Location"].endswith("#deelnemers")
    assert marks(session) == {away.id: "absent", late.id: "present", two_cohorts.learner_a.id: "present"}


def test_one_tap_saves_one_learner_and_comes_back_at_that_learner(client, login, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    login(client, two_cohorts.trainer_a)
    url = attendance_url(cohort, session)
    response = client.submit(url, {f"set-{learner.id}": "excused"}, page=url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}#deelnemer-{learner.id}")
    assert marks(session) == {learner.id: "excused"}
    page = client.get(url).get_data(as_text=True)
    assert "Leerling A: afgemeld." in page
    pressed = 'class="room-toggle room-toggle-excused" aria-pressed="true"'
    assert f'name="set-{learner.id}" value="excused" {pressed}' in page


def test_odd_input_and_learners_of_another_group_change_nothing(client, login, two_cohorts):
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.trainer_a)
    url = attendance_url(cohort, session)
    client.submit(url, {f"set-{two_cohorts.learner_b.id}": "present", "all": "everyone",
                        f"set-{two_cohorts.learner_a.id}": "ziek"}, page=url)
    assert marks(session) == {}


def test_attendance_needs_the_csrf_token(client, login, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    login(client, two_cohorts.trainer_a)
    response = client.post(attendance_url(cohort, session), data={f"set-{learner.id}": "present"})
    assert response.status_code == 400
    assert marks(session) == {}


def test_who_checked_in_with_the_code_is_shown_on_the_attendance_page(client, login, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    check_in(session, learner, checkin_code(session))
    login(client, two_cohorts.trainer_a)
    page = client.get(attendance_url(cohort, session)).get_data(as_text=True)
    row = page.split(f'id="deelnemer-{learner.id}"', 1)[1].split("</li>", 1)[0]
    assert "✓ ingecheckt" in row
    assert "1 aanwezig" in page


def test_only_the_groups_own_trainer_opens_attendance_and_the_projector(app, client, login, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    login(client, two_cohorts.trainer_b)
    url = attendance_url(cohort, session)
    assert client.get(url).status_code == 403
    assert client.get(f"/cohorts/{cohort.id}/sessions/{session.id}/code").status_code == 403
    assert client.submit(url, {f"set-{learner.id}": "absent"}, page="/").status_code == 403
    assert marks(session) == {}
    learner_client = app.test_client()
    login(learner_client, learner)
    assert learner_client.get(f"/cohorts/{cohort.id}/sessions/{session.id}/code").status_code == 403


def test_projector_page_shows_the_code_large_without_the_menu(client, login, two_cohorts):
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.trainer_a)
    response = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}/code")
    page = response.get_data(as_text=True)
    code = checkin_code(session)
    assert f"{code[:3]}&#8239;{code[3:]}" in page or f"{code[:3]}\u202f{code[3:]}" in page
    assert "Hoofdmenu" not in page and "Uitloggen" not in page
    assert 'http-equiv="refresh"' in page
    assert "0 van 1 aanwezig" in page


def test_session_page_leads_to_attendance_and_the_projector(client, login, two_cohorts):
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.trainer_a)
    page = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}").get_data(as_text=True)
    assert f'href="{attendance_url(cohort, session)}"' in page
    assert f'href="/cohorts/{cohort.id}/sessions/{session.id}/code"' in page
    assert "1 nog open" in page
