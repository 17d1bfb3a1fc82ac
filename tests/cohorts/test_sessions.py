"""Sessions: calendar files, attendance, check-in codes; the trainer's dashboard and its query budget."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from jimtraining.cohorts.attendance import checkin_code
from jimtraining.cohorts.models import Attendance
from jimtraining.curriculum.services import set_lesson_done
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.support.database import count_queries


def test_session_and_cohort_ics_parse_with_icalendar(client, login, two_cohorts):
    login(client, two_cohorts.learner_a)
    cohort, session = two_cohorts.a, two_cohorts.session_a
    response = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Groep A: Bijeenkomst"
    assert str(events[0]["location"]) == "Zaal 2"
    assert events[0].decoded("dtstart").timestamp() == pytest.approx(session.starts_at.timestamp(), abs=1)
    whole = Calendar.from_ical(client.get(f"/cohorts/{cohort.id}/calendar.ics").data)
    assert len(whole.walk("VEVENT")) == 1


def test_trainer_plans_a_session_in_dutch_time(client, login, two_cohorts):
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    response = client.submit(f"/cohorts/{cohort.id}/sessions/new", {
        "title": "Sketch: ruzie thuis", "date": "2026-12-03", "start_time": "13:30", "end_time": "16:00",
        "location": "Hengelo", "online_url": "", "agenda": "- Welkom\n- Sketch",
        "sketches": "Ruzie thuis\nDe JIM belt"},
        page=f"/cohorts/{cohort.id}/sessions/new")
    assert response.status_code == 302
    db.session.refresh(cohort)
    session = next(s for s in cohort.sessions if s.title == "Sketch: ruzie thuis")
    assert session.sketches == ["Ruzie thuis", "De JIM belt"]
    event = Calendar.from_ical(client.get(f"/cohorts/{cohort.id}/sessions/{session.id}.ics").data).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat().startswith("2026-12-03T12:30")  # 13:30 in Amsterdam = 12:30 UTC
    edit_page = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="13:30"' in edit_page  # shown back in Dutch time


@pytest.mark.parametrize(("field", "value", "message"), [
    ("end_time", "12:00", "De eindtijd ligt voor de begintijd."),
    ("online_url", "javascript:alert(1)", "Dit is geen geldige link."),
    ("date", "morgen", ""),
])
def test_bad_session_input_is_explained(client, login, two_cohorts, field, value, message):
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    data = {"title": "X", "date": "2026-12-03", "start_time": "13:30", "end_time": "16:00"}
    data[field] = value
    response = client.submit(f"/cohorts/{cohort.id}/sessions/new", data, page=f"/cohorts/{cohort.id}/sessions/new")
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True) and message in response.get_data(as_text=True)


def test_trainer_marks_attendance(client, login, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    login(client, two_cohorts.trainer_a)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    client.submit(url, {f"status-{learner.id}": "excused", f"status-{two_cohorts.learner_b.id}": "present"},
                  page=url)
    rows = db.session.scalars(select(Attendance)).all()
    assert [(a.user_id, a.status) for a in rows] == [(learner.id, "excused")]  # B's learner is ignored
    client.submit(url, {f"status-{learner.id}": "present"}, page=url)
    assert db.session.scalar(select(Attendance.status)) == "present"


def test_learner_checks_in_with_the_current_code(app, client, login, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    login(client, learner)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    response = client.submit(url, {"code": checkin_code(session)}, page=url)
    assert response.status_code == 302
    assert db.session.scalar(select(Attendance.status)) == "present"


def test_old_code_is_refused(client, login, two_cohorts):
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.learner_a)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    old = checkin_code(session, utcnow() - timedelta(minutes=3))
    if old in (checkin_code(session), checkin_code(session, utcnow() - timedelta(minutes=1))):
        pytest.skip("the random codes of two minutes happen to be equal")
    page = client.submit(url, {"code": old}, page=url).get_data(as_text=True)
    assert "Deze code klopt niet of is verlopen" in page
    assert db.session.scalar(select(Attendance.id)) is None


def test_check_in_only_works_during_the_session(client, login, make_session, two_cohorts):
    cohort = two_cohorts.a
    later = make_session(cohort, starts_in=timedelta(days=2))
    login(client, two_cohorts.learner_a)
    url = f"/cohorts/{cohort.id}/sessions/{later.id}"
    assert "Inchecken" not in client.get(url).get_data(as_text=True).split("<main", 1)[1].split("Zet in je agenda")[1]
    page = client.submit(url, {"code": checkin_code(later)}, page=url).get_data(as_text=True)
    assert "Inchecken kan alleen tijdens de bijeenkomst." in page
    assert db.session.scalar(select(Attendance.id)) is None


def test_check_in_only_works_for_enrolled_learners(app, client, login, two_cohorts):
    from jimtraining.cohorts.attendance import check_in
    from jimtraining.cohorts.enrolment import CohortError

    session = two_cohorts.session_a
    with pytest.raises(CohortError, match="Je zit niet in deze groep"):
        check_in(session, two_cohorts.learner_b, checkin_code(session))
    login(client, two_cohorts.learner_b)
    url = f"/cohorts/{two_cohorts.a.id}/sessions/{session.id}"
    assert client.submit(url, {"code": checkin_code(session)}).status_code == 403


def test_trainer_sees_the_code_only_while_check_in_is_open(client, login, make_session, two_cohorts):
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    now_page = client.get(f"/cohorts/{cohort.id}/sessions/{two_cohorts.session_a.id}").get_data(as_text=True)
    assert checkin_code(two_cohorts.session_a) in now_page
    later = make_session(cohort, starts_in=timedelta(days=1))
    later_page = client.get(f"/cohorts/{cohort.id}/sessions/{later.id}").get_data(as_text=True)
    assert "checkin-code" not in later_page


def test_dashboard_shows_progress_quiz_and_attendance(client, login, make_session, synced_content, two_cohorts):
    from jimtraining.curriculum.models import Lesson
    from tests.support.content import sync
    from tests.support.quizzes import write_quiz

    write_quiz(synced_content)
    sync(synced_content)
    cohort, learner = two_cohorts.a, two_cohorts.learner_a
    cohort.module_slugs = ["basis", "verder"]
    db.session.commit()
    for days, status in ((-3, "present"), (-2, "excused"), (-1, "absent")):
        held = make_session(cohort, starts_in=timedelta(days=days), length=timedelta(hours=2))
        db.session.add(Attendance(session_id=held.id, user_id=learner.id, status=status))
    make_session(cohort, starts_in=timedelta(minutes=-30))  # running now: not counted yet
    db.session.commit()
    for lesson in db.session.scalars(select(Lesson).where(Lesson.slug.in_(["eerste", "tweede"]))):
        set_lesson_done(learner, lesson, True)
    login(client, two_cohorts.trainer_a)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Modules af (van 2)" in page
    assert "<td>0</td>" in page  # lessons done, but the quiz of 'basis' is not passed: not done
    assert "50% (1 van 2)" in page  # present 1 of 2 expected; the excused one does not count
    csv_lines = client.get(f"/cohorts/{cohort.id}/export.csv").get_data(as_text=True).splitlines()
    assert csv_lines[0].endswith("quiz_basis_best,quiz_basis_passed")
    assert csv_lines[1].startswith("Leerling A,") and ",0,2,50" in csv_lines[1]


def test_a_learner_is_not_counted_absent_for_sessions_before_joining(client, login, make_user, make_session,
                                                                     two_cohorts):
    from jimtraining.cohorts.enrolment import enroll
    from jimtraining.progress.matrix import cohort_matrix

    cohort = two_cohorts.a
    make_session(cohort, starts_in=timedelta(days=-5))
    newcomer = make_user(name="Nieuwkomer")
    enroll(cohort, newcomer, "code")
    row = next(r for r in cohort_matrix(cohort)[0] if r.user.id == newcomer.id)
    assert (row.expected, row.attendance_percent) == (0, None)


def test_dashboard_costs_the_same_queries_for_5_and_500_learners(client, login, make_user, make_session,
                                                               synced_content, two_cohorts):
    from jimtraining.accounts.models import User
    from jimtraining.cohorts.models import Enrollment

    cohort = two_cohorts.a
    cohort.module_slugs = ["basis", "verder"]
    past = make_session(cohort, starts_in=timedelta(days=-1))
    db.session.commit()

    def add_learners(count, start):
        users = [User(email=f"massa{start + i}@example.org", name=f"Massa {start + i}", password_hash="x",
                      role="learner") for i in range(count)]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(Enrollment(cohort_id=cohort.id, user_id=u.id) for u in users)
        db.session.add_all(Attendance(session_id=past.id, user_id=u.id, status="present") for u in users[::2])
        db.session.commit()

    add_learners(4, 0)  # plus learner A: 5
    login(client, two_cohorts.trainer_a)
    small = count_queries(lambda: client.get(f"/cohorts/{cohort.id}"))
    add_learners(495, 100)
    large = count_queries(lambda: client.get(f"/cohorts/{cohort.id}"))
    assert small == large
    assert "500 deelnemers" in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_attendance_page_costs_the_same_queries_for_few_and_many_learners(client, login, make_user, two_cohorts):
    from jimtraining.cohorts.enrolment import enroll

    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.trainer_a)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    few = count_queries(lambda: client.get(url))
    for _ in range(20):
        enroll(cohort, make_user(), "trainer")
    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "0001-01-01", "start_time": "00:05"}, "Kies een datum tussen 2000 en 2100."),
    ({"date": "2026-03-29", "start_time": "02:30", "end_time": "03:00"}, "de klok gaat dan een uur"),
])
def test_impossible_dates_and_times_are_explained(client, login, two_cohorts, data, message):
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    form = {"title": "X", "date": "2026-12-03", "start_time": "13:30", "end_time": "16:00", **data}
    response = client.submit(f"/cohorts/{cohort.id}/sessions/new", form, page=f"/cohorts/{cohort.id}/sessions/new")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("code", ["é", "１２３４５６", "12345", "1234567", ""])
def test_odd_check_in_codes_get_a_message(client, login, two_cohorts, code):
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.learner_a)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    response = client.submit(url, {"code": code}, page=url)
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Attendance.id)) is None


def test_check_in_closes_when_the_session_ends(client, login, make_session, two_cohorts):
    from jimtraining.cohorts.attendance import check_in
    from jimtraining.cohorts.enrolment import CohortError

    ended = make_session(two_cohorts.a, starts_in=timedelta(hours=-3), length=timedelta(hours=2))
    with pytest.raises(CohortError, match="Inchecken kan alleen tijdens de bijeenkomst"):
        check_in(ended, two_cohorts.learner_a, checkin_code(ended))


def test_code_screen_refreshes_itself_when_the_code_changes(client, login, two_cohorts):
    login(client, two_cohorts.trainer_a)
    page = client.get(f"/cohorts/{two_cohorts.a.id}/sessions/{two_cohorts.session_a.id}/code").get_data(
        as_text=True)
    seconds = int(page.split('<noscript><meta http-equiv="refresh" content="', 1)[1].split('"', 1)[0])
    assert 1 <= seconds <= 61  # just after the minute turns, when the next code is there
    assert checkin_code(two_cohorts.session_a) in page.replace("&#8239;", "")
