"""Check-in codes cannot be guessed (issue 14, item 9).

A code has six digits and two are right at any moment (this minute's and the previous one's), so a learner who may
try without end is marked present without attending, and attendance counts toward the certificate. Wrong codes are
limited per learner per session (CHECKIN_WRONG_CODES_PER_SESSION, 5) and per client address over all learners
(CHECKIN_LIMIT_PER_IP); after that even the right code is refused until the trainer marks the learner. The trainer
sees who had wrong tries. The shared_limiter fixture (tests/support/limiter.py) resets the per-address counts before
every test.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jimtraining.cohorts.attendance import checkin_code
from jimtraining.cohorts.models import Attendance, CheckinAttempt
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

BLOCKED = "Vraag de trainer om je aanwezig te melden."
NETWORK = "Vanaf dit netwerk zijn te veel verkeerde codes ingevuld."


def wrong_codes(session, count):
    """Codes that are not right in any minute around now (so a minute that turns during the test changes nothing)."""
    now = utcnow()
    right = {checkin_code(session, now + timedelta(minutes=m)) for m in range(-3, 4)}
    return [code for code in (f"{n:06d}" for n in range(100)) if code not in right][:count]


def check_in(client, cohort, session, code):
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    return client.submit(url, {"code": code}, page=url)


def attendance_of(user):
    return db.session.scalar(select(Attendance.status).where(Attendance.user_id == user.id))


def test_item_9_after_five_wrong_codes_even_the_right_code_is_refused(client_for, two_cohorts):
    """Issue 14, item 9: every wrong code used to be checked, so guessing marked a learner present."""
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    client = client_for(learner)
    for left, code in zip((4, 3, 2, 1), wrong_codes(session, 4), strict=True):
        page = check_in(client, cohort, session, code).get_data(as_text=True)
        assert "Deze code klopt niet of is verlopen." in page
        assert f"Je kunt het nog {left} keer proberen." in page
    fifth = check_in(client, cohort, session, wrong_codes(session, 5)[-1])
    assert fifth.status_code == 429 and BLOCKED in fifth.get_data(as_text=True)
    refused = check_in(client, cohort, session, checkin_code(session))
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Je hebt te vaak een verkeerde code ingevuld." in page and BLOCKED in page
    assert attendance_of(learner) is None
    assert db.session.scalar(select(func.count()).select_from(CheckinAttempt)) == 5  # refused tries are not checked
    # The page says so without a form to try again.
    again = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}").get_data(as_text=True)
    assert BLOCKED in again and 'name="code"' not in again


def test_the_trainer_sees_the_wrong_tries_and_marks_the_learner_present(client_for, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    client = client_for(learner)
    for code in wrong_codes(session, 5):
        check_in(client, cohort, session, code)
    trainer = client_for(two_cohorts.trainer_a)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    page = trainer.get(f"{url}/attendance").get_data(as_text=True)
    row = page.split(f'id="deelnemer-{learner.id}"', 1)[1].split("</li>")[0]
    assert "5 verkeerde codes" in row and "kan niet meer zelf inchecken" in row
    trainer.submit(f"{url}/attendance", {f"set-{learner.id}": "present"}, page=url)
    assert attendance_of(learner) == "present"
    assert "Jouw aanwezigheid: Aanwezig" in client.get(url).get_data(as_text=True)


def test_a_few_wrong_tries_show_as_a_count_and_the_right_code_still_works(client_for, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    client = client_for(learner)
    for code in wrong_codes(session, 2):
        check_in(client, cohort, session, code)
    assert check_in(client, cohort, session, checkin_code(session)).status_code == 302
    assert attendance_of(learner) == "present"
    trainer = client_for(two_cohorts.trainer_a)
    page = trainer.get(f"/cohorts/{cohort.id}/sessions/{session.id}/attendance").get_data(as_text=True)
    row = page.split(f'id="deelnemer-{learner.id}"', 1)[1].split("</li>")[0]
    assert "✓ ingecheckt" in row  # checked in with the right code after all
    assert "2 verkeerde codes" in row and "kan niet meer zelf inchecken" not in row


def test_the_limit_is_per_session(client_for, make_session, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    other = make_session(cohort, title="Tweede bijeenkomst")
    client = client_for(learner)
    for code in wrong_codes(session, 5):
        check_in(client, cohort, session, code)
    assert check_in(client, cohort, other, checkin_code(other)).status_code == 302


def test_malformed_codes_are_explained_and_not_counted(client_for, two_cohorts):
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    client = client_for(learner)
    for _ in range(6):
        assert "De code bestaat uit zes cijfers." in check_in(client, cohort, session, "12345").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CheckinAttempt)) == 0
    assert check_in(client, cohort, session, checkin_code(session)).status_code == 302


def test_item_9_wrong_codes_from_one_address_are_limited_over_all_learners(app, client_for, make_user, two_cohorts,
                                                                          monkeypatch):
    """Many accounts from one address cannot share the guessing; another address is not affected."""
    monkeypatch.setitem(app.config, "CHECKIN_LIMIT_PER_IP", "3 per hour")
    from jimtraining.cohorts.enrolment import enroll

    cohort, session = two_cohorts.a, two_cohorts.session_a
    learners = [make_user(name=f"Deelnemer {n}") for n in range(4)]
    for learner in learners:
        enroll(cohort, learner, "trainer")
    for learner, code in zip(learners[:3], wrong_codes(session, 3), strict=True):
        assert check_in(client_for(learner), cohort, session, code).status_code == 200
    refused = check_in(client_for(learners[3]), cohort, session, checkin_code(session))
    assert refused.status_code == 429 and NETWORK in refused.get_data(as_text=True)
    assert attendance_of(learners[3]) is None
    elsewhere = client_for(two_cohorts.learner_a)
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.80"
    assert check_in(elsewhere, cohort, session, checkin_code(session)).status_code == 302


def test_the_trainer_is_never_limited_by_the_learners_wrong_codes(app, client_for, two_cohorts, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_LIMIT_PER_IP", "1 per hour")
    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    check_in(client_for(learner), cohort, session, wrong_codes(session, 1)[0])
    trainer = client_for(two_cohorts.trainer_a)
    url = f"/cohorts/{cohort.id}/sessions/{session.id}"
    assert trainer.submit(url, {f"status-{learner.id}": "present"}, page=url).status_code == 302
    assert attendance_of(learner) == "present"


def test_the_service_refuses_the_same_way(two_cohorts):
    from jimtraining.cohorts.attendance import CheckinBlockedError
    from jimtraining.cohorts.attendance import check_in as service_check_in
    from jimtraining.cohorts.enrolment import CohortError

    session, learner = two_cohorts.session_a, two_cohorts.learner_a
    for code in wrong_codes(session, 4):
        with pytest.raises(CohortError, match="Je kunt het nog"):
            service_check_in(session, learner, code)
    with pytest.raises(CheckinBlockedError, match="Je hebt 5 keer een verkeerde code ingevuld"):
        service_check_in(session, learner, wrong_codes(session, 5)[-1])
    with pytest.raises(CheckinBlockedError, match="Je hebt te vaak een verkeerde code ingevuld"):
        service_check_in(session, learner, checkin_code(session))
    assert attendance_of(learner) is None


def test_wrong_codes_are_in_the_learners_export_without_the_code_and_go_with_the_account(client_for, make_user,
                                                                                          two_cohorts):
    from jimtraining.privacy.services import erase_user

    cohort, session, learner = two_cohorts.a, two_cohorts.session_a, two_cohorts.learner_a
    client = client_for(learner)
    code = wrong_codes(session, 1)[0]
    check_in(client, cohort, session, code)
    exported = client.get("/profile/export.json").get_json()["checkin_wrong_codes"]
    assert [(row["cohort"], row["session"]) for row in exported] == [("Groep A", "Bijeenkomst")]
    assert code not in str(exported)
    erase_user(learner, by=make_user(role="admin"), reason="request")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CheckinAttempt)) == 0
