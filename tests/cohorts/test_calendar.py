"""Calendar files (RFC 5545) as calendar apps read them: one UID per session everywhere, a moved session that moves
in the learner's calendar too, values escaped or encoded, and Dutch times that exist."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from icalendar.parser import unescape_backslash
from sqlalchemy import select

from jimtraining.cohorts.models import CohortSession
from jimtraining.extensions import db
from jimtraining.timeutil import as_utc

SESSION_FORM = {"title": "Terugkomdag", "date": "2027-02-10", "start_time": "13:30", "end_time": "16:00",
                "location": "Zaal 2", "online_url": "", "agenda": "Welkom", "sketches": ""}


def served_event(client, cohort, session):
    response = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}.ics")
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    return event


def edit(client, cohort, session, **changes):
    url = f"/cohorts/{cohort.id}/sessions/{session.id}/edit"
    response = client.submit(url, {**SESSION_FORM, **changes}, page=url)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_every_session_has_a_random_uid_that_stays_when_it_changes(client, login, two_cohorts, make_session):
    """Issue 14 item 15: the UID was `session-N@jimtraining`, the same N on every installation; now it is a random
    UUID per session, unique across installations, and editing the session keeps it."""
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.trainer_a)
    uid = str(served_event(client, cohort, session)["uid"])
    assert uuid.UUID(uid).version == 4  # not session-N@jimtraining
    assert uid != str(served_event(client, cohort, make_session(cohort))["uid"])
    edit(client, cohort, session, start_time="14:00")
    assert str(served_event(client, cohort, session)["uid"]) == uid


def test_moving_a_session_raises_sequence_and_last_modified_in_the_served_ics(client, login, two_cohorts):
    """Issue 14 item 15: calendar apps kept the old time of a moved session: SEQUENCE and LAST-MODIFIED (and DTSTAMP)
    now change with it, and saving the same values again changes neither."""
    cohort, session = two_cohorts.a, two_cohorts.session_a
    login(client, two_cohorts.trainer_a)
    edit(client, cohort, session)
    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    session.calendar_modified_at = yesterday  # so a change within this second shows
    db.session.commit()
    before = served_event(client, cohort, session)
    assert before.decoded("last-modified") == before.decoded("dtstamp") == yesterday
    sequence = int(before["sequence"])

    edit(client, cohort, session)  # nothing changed
    same = served_event(client, cohort, session)
    assert (int(same["sequence"]), same.decoded("last-modified")) == (sequence, yesterday)

    edit(client, cohort, session, date="2027-02-17", start_time="10:00", end_time="12:30")  # moved a week
    moved = served_event(client, cohort, session)
    assert int(moved["sequence"]) == sequence + 1
    assert moved.decoded("last-modified") > yesterday and moved.decoded("dtstamp") == moved.decoded("last-modified")
    assert moved.decoded("dtstart") == datetime(2027, 2, 17, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam

    edit(client, cohort, session, date="2027-02-17", start_time="10:00", end_time="12:30", location="Zaal 3")
    assert int(served_event(client, cohort, session)["sequence"]) == sequence + 2
    whole = Calendar.from_ical(client.get(f"/cohorts/{cohort.id}/calendar.ics").data)
    assert [int(e["sequence"]) for e in whole.walk("VEVENT")] == [sequence + 2]


def test_calendar_name_is_escaped_and_the_link_percent_encoded(client, login, two_cohorts):
    """Issue 14 item 15: X-WR-CALNAME went out unescaped (a line break even broke the download) and URL values
    with spaces or accents unencoded."""
    cohort = two_cohorts.a
    cohort.name = "Groep A, B; C\\D\nnieuw"
    db.session.commit()
    login(client, two_cohorts.trainer_a)
    response = client.submit(f"/cohorts/{cohort.id}/sessions/new", {
        **SESSION_FORM, "online_url": "https://vergader.example.org/kamer één?naam=JIM training&x=%41"},
        page=f"/cohorts/{cohort.id}/sessions/new")
    assert response.status_code == 302  # the form accepts such a link
    session = db.session.scalar(select(CohortSession).where(CohortSession.title == "Terugkomdag"))
    for path in (f"/cohorts/{cohort.id}/sessions/{session.id}.ics", f"/cohorts/{cohort.id}/calendar.ics"):
        raw = client.get(path).data
        assert b"\r\nX-WR-CALNAME:Groep A\\, B\\; C\\\\D\\nnieuw\r\n" in raw
        assert (b"\r\nURL:https://vergader.example.org/kamer%20%C3%A9%C3%A9n?naam=JIM%20training&x=%41\r\n"
                in raw.replace(b"\r\n ", b""))  # long lines are folded
        calendar = Calendar.from_ical(raw)
        # icalendar 7.3 reads both as unknown properties, without unescaping them
        assert unescape_backslash(str(calendar["x-wr-calname"])) == cohort.name
        assert unescape_backslash(str(calendar["name"])) == cohort.name
        (event,) = [e for e in calendar.walk("VEVENT") if str(e["summary"]).endswith("Terugkomdag")]
        assert str(event["url"]).startswith("https://vergader.example.org/kamer%20%C3%A9%C3%A9n")


@pytest.mark.parametrize(("start", "end", "wrong"), [("02:30", "04:00", "02:30"), ("01:00", "02:15", "02:15")])
def test_a_time_the_clocks_skip_is_refused_with_a_message(client, login, two_cohorts, start, end, wrong):
    """Issue 14 item 15: 2:30 on the night summer time starts does not exist in Amsterdam; it was silently moved
    to 3:30. Now the form says so and nothing is saved."""
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    response = client.submit(f"/cohorts/{cohort.id}/sessions/new", {
        **SESSION_FORM, "date": "2027-03-28", "start_time": start, "end_time": end},
        page=f"/cohorts/{cohort.id}/sessions/new")
    assert response.status_code == 200
    assert f"{wrong} bestaat niet op 28 maart 2027" in response.get_data(as_text=True)
    assert db.session.scalar(select(CohortSession).where(CohortSession.title == "Terugkomdag")) is None


def test_the_hour_that_happens_twice_means_the_first_time_round(client, login, two_cohorts):
    """Issue 14 item 15: on the night summer time ends, 2:30 happens twice; a session then starts at the first
    2:30 (summer time, 0:30 UTC)."""
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    response = client.submit(f"/cohorts/{cohort.id}/sessions/new", {
        **SESSION_FORM, "date": "2027-10-31", "start_time": "02:30", "end_time": "03:30"},
        page=f"/cohorts/{cohort.id}/sessions/new")
    assert response.status_code == 302
    session = db.session.scalar(select(CohortSession).where(CohortSession.title == "Terugkomdag"))
    assert as_utc(session.starts_at) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert as_utc(session.ends_at) == datetime(2027, 10, 31, 2, 30, tzinfo=UTC)  # 3:30 winter time: two hours


def test_the_migration_gives_sessions_that_exist_their_own_uid(tmp_path):
    """Issue 14 item 15: sessions planned before the upgrade get a random UID each, sequence 0 and a LAST-MODIFIED;
    downgrading removes the columns again."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, inspect, text

    from jimtraining import create_app
    from tests.support.database import config_for_tests

    url = f"sqlite:///{tmp_path}/before.db"
    with create_app(config_for_tests(url)).app_context():
        upgrade(revision="0014_checkin_attempts")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO organisation (id, name, kind, created_at) "
                                    "VALUES (1, 'O', 'wijkteam', '2026-01-01')"))
            connection.execute(text("INSERT INTO cohort (id, name, organisation_id, region, status, join_code, "
                                    "module_slugs, created_at) VALUES (1, 'G', 1, 'Twente', 'planned', 'ABC', '[]', "
                                    "'2026-01-01')"))
            for session_id in (1, 2):
                connection.execute(text(
                    "INSERT INTO cohort_session (id, cohort_id, title, starts_at, ends_at, agenda, sketches, "
                    "checkin_secret) VALUES (:id, 1, 'B', '2026-02-01 10:00', '2026-02-01 12:00', '', '[]', 's')"),
                    {"id": session_id})
        upgrade()
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT calendar_uid, calendar_sequence, calendar_modified_at "
                                           "FROM cohort_session ORDER BY id")).all()
        assert len({uuid.UUID(uid) for uid, _sequence, _modified in rows}) == 2
        assert all(sequence == 0 and modified for _uid, sequence, modified in rows)
        downgrade(revision="0014_checkin_attempts")
        assert "calendar_uid" not in {c["name"] for c in inspect(create_engine(url)).get_columns("cohort_session")}
        db.session.remove()
