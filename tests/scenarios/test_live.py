"""Live role-play: who sees what, scoring, aggregation, release."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import CohortSession
from jimtraining.extensions import db
from jimtraining.roleplay import services as live
from jimtraining.roleplay.models import RolePlayRound
from jimtraining.scenarios.models import Scenario
from jimtraining.timeutil import utcnow
from tests.support.database import count_queries

SECRETS = ("GEHEIM-WIE", "GEHEIM-VOELT", "GEHEIM-VERBERGT", "GEHEIM-OPEN", "GEHEIM-DICHT", "GEHEIM-GRENS")


@pytest.fixture
def setup(scenario_content, make_user, make_cohort):
    trainer = make_user(role="trainer", name="Tineke Trainer")
    pro, observer, other = make_user(name="Pim Pro"), make_user(name="Olga Obs"), make_user(name="Rest")
    actor = make_user(role="actor", name="Aya Acteur")
    cohort = make_cohort(trainers=[trainer], learners=[pro, observer, other])
    session = CohortSession(cohort_id=cohort.id, title="Rollenspel", starts_at=utcnow() - timedelta(minutes=10),
                            ends_at=utcnow() + timedelta(hours=2), checkin_secret=new_checkin_secret())
    db.session.add(session)
    db.session.commit()
    live.book_actor(session, actor)
    scenario = db.session.scalar(select(Scenario))
    round_ = live.create_round(session, scenario, pro, actor, [observer], 10)
    return {"trainer": trainer, "pro": pro, "observer": observer, "other": other, "actor": actor,
            "cohort": cohort, "session": session, "round": round_, "scenario": scenario}


def as_user(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def test_professional_and_observers_never_receive_the_actor_brief(app, login, setup):
    round_id = setup["round"].id
    for person in ("pro", "observer"):
        client = as_user(app, login, setup[person])
        bodies = [client.get(path).get_data(as_text=True) for path in (
            f"/rounds/{round_id}", f"/rounds/{round_id}/debrief", "/scenarios/testscenario", "/",
            f"/cohorts/{setup['cohort'].id}/sessions/{setup['session'].id}")]
        for body in bodies:
            for secret in SECRETS:
                assert secret not in body, (person, secret)
        assert "TRAINEE-BRIEF-JONGERE" in bodies[0]


def test_actor_sees_the_brief_of_the_role_they_play_and_not_the_trainee_briefs_of_others(app, login, setup):
    page = as_user(app, login, setup["actor"]).get(f"/rounds/{setup['round'].id}").get_data(as_text=True)
    assert all(secret in page for secret in SECRETS)
    assert "TRAINEE-BRIEF-PRO" not in page


def test_score_form_names_each_criterion_with_the_name_of_its_competence(app, login, setup):
    page = as_user(app, login, setup["trainer"]).get(f"/rounds/{setup['round'].id}").get_data(as_text=True)
    assert '<span class="meta">(De jongere in de regie)</span>' in page
    assert '<span class="meta">(Gelijkwaardig samenwerken met de JIM)</span>' in page
    assert "(jongere-in-de-regie)" not in page


def test_actor_without_a_booking_gets_403(app, login, make_user, setup):
    unbooked = make_user(role="actor", name="Niet Geboekt")
    assert as_user(app, login, unbooked).get(f"/rounds/{setup['round'].id}").status_code == 403
    # and the booked actor loses the brief when the booking is gone
    from jimtraining.roleplay.models import ActorBooking

    db.session.execute(ActorBooking.__table__.delete())
    db.session.commit()
    assert as_user(app, login, setup["actor"]).get(f"/rounds/{setup['round'].id}").status_code == 403


@pytest.mark.parametrize("who", ["learner of the cohort outside the round", "trainer of another cohort",
                                 "learner of no cohort"])
def test_people_outside_the_round_get_403(app, login, make_user, make_cohort, setup, who):
    user = {"learner of the cohort outside the round": lambda: setup["other"],
            "trainer of another cohort": lambda: make_cohort(trainers=[make_user(role="trainer")]).trainers[0],
            "learner of no cohort": make_user}[who]()
    client = as_user(app, login, user)
    assert client.get(f"/rounds/{setup['round'].id}").status_code == 403
    assert client.submit(f"/rounds/{setup['round'].id}/scores", {"level-regie": "4"}).status_code == 403


def test_learner_sees_nothing_of_the_assessment_before_release(app, login, setup):
    round_id = setup["round"].id
    trainer = as_user(app, login, setup["trainer"])
    trainer.submit(f"/rounds/{round_id}/scores", {"level-regie": "3", "comment-regie": "TRAINER-ZAG-DIT",
                                                  "level-samen": "2", "comment-samen": ""}, page=f"/rounds/{round_id}")
    pro = as_user(app, login, setup["pro"])
    assert pro.get(f"/rounds/{round_id}/debrief").status_code == 403
    assert "TRAINER-ZAG-DIT" not in pro.get(f"/rounds/{round_id}").get_data(as_text=True)
    trainer.submit(f"/rounds/{round_id}/release", {"outcome": "sufficient"}, page=f"/rounds/{round_id}/debrief")
    debrief = pro.get(f"/rounds/{round_id}/debrief")
    assert debrief.status_code == 200
    body = debrief.get_data(as_text=True)
    assert "TRAINER-ZAG-DIT" in body and "Uitslag: voldoende" in body


def test_debrief_aggregates_trainer_peer_and_self_per_criterion(app, login, make_user, setup):
    round_ = setup["round"]
    second_observer = make_user(name="Tweede Obs")
    from jimtraining.cohorts.enrolment import enroll

    enroll(setup["cohort"], second_observer, "trainer")
    round_.observers = round_.observers + [second_observer]
    db.session.commit()
    rubric = setup["scenario"].data["rubric"]
    live.save_scores(round_, setup["trainer"], "trainer", rubric, {"level-regie": "4", "level-samen": "2"})
    live.save_scores(round_, setup["observer"], "peer", rubric, {"level-regie": "3", "level-samen": "1"})
    live.save_scores(round_, second_observer, "peer", rubric, {"level-regie": "2", "level-samen": "2"})
    live.save_scores(round_, setup["pro"], "self", rubric, {"level-regie": "1", "level-samen": "4"})
    views = {v.criterion["id"]: v for v in live.debrief(round_, rubric)}
    assert (views["regie"].trainer, views["regie"].peer, views["regie"].self) == (4, 2.5, 1)
    assert (views["samen"].trainer, views["samen"].peer, views["samen"].self) == (2, 1.5, 4)


def test_scores_need_a_level_for_every_criterion(app, login, setup):
    round_id = setup["round"].id
    observer = as_user(app, login, setup["observer"])
    response = observer.submit(f"/rounds/{round_id}/scores", {"level-regie": "9"}, page=f"/rounds/{round_id}",
                               follow_redirects=True)
    assert "Kies een niveau bij" in response.get_data(as_text=True)
    assert db.session.scalar(select(RolePlayRound)).scores == []


def test_only_the_player_writes_actor_feedback_and_only_the_professional_a_reflection(app, login, setup):
    round_id = setup["round"].id
    observer = as_user(app, login, setup["observer"])
    assert observer.submit(f"/rounds/{round_id}/notes", {"kind": "actor_feedback", "text": "x"}).status_code == 403
    pro = as_user(app, login, setup["pro"])
    assert pro.submit(f"/rounds/{round_id}/notes", {"kind": "self_reflection", "text": "Ik nam te snel over."},
                      page=f"/rounds/{round_id}").status_code == 302
    actor = as_user(app, login, setup["actor"])
    actor.submit(f"/rounds/{round_id}/notes", {"kind": "actor_feedback", "text": "Ik voelde me gehoord."},
                 page=f"/rounds/{round_id}")
    actor.submit(f"/rounds/{round_id}/notes", {"kind": "aftercare", "text": "NAZORG-TEKST"}, page=f"/rounds/{round_id}")
    trainer_view = as_user(app, login, setup["trainer"]).get(f"/rounds/{round_id}/debrief").get_data(as_text=True)
    assert "Ik nam te snel over." in trainer_view and "Ik voelde me gehoord." in trainer_view
    assert "NAZORG-TEKST" in trainer_view
    live.release(db.session.get(RolePlayRound, round_id), "not_yet", setup["trainer"], setup["scenario"].data)
    assert "NAZORG-TEKST" not in pro.get(f"/rounds/{round_id}/debrief").get_data(as_text=True)


def test_round_needs_a_booked_actor_or_a_member(make_user, setup):
    unbooked = make_user(role="actor")
    with pytest.raises(live.RoundError, match="Boek de trainingsacteur eerst"):
        live.create_round(setup["session"], setup["scenario"], setup["pro"], unbooked, [], 10)
    with pytest.raises(live.RoundError, match="professional moet deelnemer"):
        live.create_round(setup["session"], setup["scenario"], make_user(), setup["actor"], [], 10)


def test_session_page_keeps_a_fixed_query_count_with_rounds_as_the_cohort_grows(app, login, make_user, setup):
    from jimtraining.cohorts.enrolment import enroll

    trainer = as_user(app, login, setup["trainer"])
    url = f"/cohorts/{setup['cohort'].id}/sessions/{setup['session'].id}"
    few = count_queries(lambda: trainer.get(url))
    for _ in range(15):
        learner = make_user()
        enroll(setup["cohort"], learner, "trainer")
        live.create_round(setup["session"], setup["scenario"], learner, setup["actor"], [setup["observer"]], 10)
    assert count_queries(lambda: trainer.get(url)) == few


def test_trainer_gets_a_timer_for_the_round(app, login, setup):
    page = as_user(app, login, setup["trainer"]).get(f"/rounds/{setup['round'].id}").get_data(as_text=True)
    assert 'data-timer-minutes="10"' in page and "js/timer.js" in page
    observer_page = as_user(app, login, setup["observer"]).get(f"/rounds/{setup['round'].id}").get_data(as_text=True)
    assert "data-timer-minutes" not in observer_page


def test_a_learner_player_removed_from_the_group_loses_the_brief(app, login, make_user, setup):
    from jimtraining.cohorts.enrolment import enroll, remove_learner

    stand_in = make_user(name="Invaller")
    enroll(setup["cohort"], stand_in, "trainer")
    round_ = live.create_round(setup["session"], setup["scenario"], setup["pro"], stand_in, [], 10)
    client = as_user(app, login, stand_in)
    assert client.get(f"/rounds/{round_.id}").status_code == 200
    remove_learner(setup["cohort"], stand_in.id)
    assert client.get(f"/rounds/{round_.id}").status_code == 403


def test_too_long_notes_and_too_large_posts_get_a_dutch_message(app, login, setup):
    from jimtraining.roleplay.models import RoundNote

    client = as_user(app, login, setup["pro"])
    url = f"/rounds/{setup['round'].id}"
    long_note = client.submit(f"{url}/notes", {"kind": "self_reflection", "text": "x" * 6000}, page=url,
                              follow_redirects=True)
    assert "De tekst is te lang" in long_note.get_data(as_text=True)
    huge = client.submit(f"{url}/notes", {"kind": "self_reflection", "text": "x" * 3_000_000}, page=url)
    assert huge.status_code == 413
    assert "Wat je stuurde is te groot" in huge.get_data(as_text=True)
    assert db.session.scalar(select(RoundNote.id)) is None


@pytest.mark.parametrize(("field", "value"), [
    ("observer_ids", "²"), ("professional_id", "9" * 25), ("player_id", "99999999999"), ("timer", "0"),
    ("timer", "abc"), ("professional_id", "-3"),
])
def test_odd_round_form_values_get_a_message(app, login, setup, field, value):
    client = as_user(app, login, setup["trainer"])
    url = f"/cohorts/{setup['cohort'].id}/sessions/{setup['session'].id}"
    data = {"scenario": "testscenario", "professional_id": str(setup["pro"].id),
            "player_id": str(setup["actor"].id), "timer": "10", field: value}
    response = client.submit(f"{url}/rounds", data, page=url)
    assert response.status_code == 302
    if field != "observer_ids":
        assert response.headers["Location"] == url
        assert db.session.scalar(select(func.count(RolePlayRound.id))) == 1


@pytest.mark.parametrize("value", ["9" * 25, "²", "", "a learner's id"])
def test_odd_actor_ids_for_booking_get_a_message(app, login, setup, value):
    client = as_user(app, login, setup["trainer"])
    url = f"/cohorts/{setup['cohort'].id}/sessions/{setup['session'].id}"
    if value == "a learner's id":
        value = str(setup["pro"].id)
    response = client.submit(f"{url}/actors", {"actor_id": value}, page=url, follow_redirects=True)
    assert response.status_code == 200
    assert 'class="flash flash-error"' in response.get_data(as_text=True)


def test_only_trainee_actors_write_aftercare(app, login, make_user, setup):
    from jimtraining.cohorts.enrolment import enroll

    stand_in = make_user()
    enroll(setup["cohort"], stand_in, "trainer")
    round_ = live.create_round(setup["session"], setup["scenario"], setup["pro"], stand_in, [], 10)
    client = as_user(app, login, stand_in)
    assert client.submit(f"/rounds/{round_.id}/notes", {"kind": "aftercare", "text": "x"}).status_code == 403


def test_the_trainer_session_page_names_each_round_by_its_scenario_title_not_its_slug(app, login, setup):
    page = as_user(app, login, setup["trainer"]).get(
        f"/cohorts/{setup['cohort'].id}/sessions/{setup['session'].id}").get_data(as_text=True)
    assert "Testscenario: Pim Pro" in page
    assert f"{setup['round'].scenario_slug}:" not in page
