"""The verdict of a live round: the rubric's cut-off proposes it from the trainer's scores (the test scenario: two
criteria, none at level 1 and a total of at least 5), and a trainer who records another verdict gives a reason,
which is kept on the round and in the audit log."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from jimtraining.certification.models import AuditEvent
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import CohortSession
from jimtraining.extensions import db
from jimtraining.roleplay import services as live
from jimtraining.roleplay.models import RolePlayRound
from jimtraining.scenarios.models import Scenario
from jimtraining.timeutil import utcnow


@pytest.fixture
def g(scenario_content, make_user, make_cohort, app, login):
    trainer = make_user(role="trainer", name="Tineke Trainer")
    pro, observer = make_user(name="Pim Pro"), make_user(name="Olga Obs")
    actor = make_user(role="actor", name="Aya Acteur")
    cohort = make_cohort(trainers=[trainer], learners=[pro, observer])
    session = CohortSession(cohort_id=cohort.id, title="Rollenspel", starts_at=utcnow() - timedelta(minutes=10),
                            ends_at=utcnow() + timedelta(hours=2), checkin_secret=new_checkin_secret())
    db.session.add(session)
    db.session.commit()
    live.book_actor(session, actor)
    scenario = db.session.scalar(select(Scenario))
    round_ = live.create_round(session, scenario, pro, actor, [observer], 10)

    def client(user):
        c = app.test_client()
        login(c, user)
        return c

    return {"trainer": trainer, "pro": pro, "observer": observer, "round": round_, "scenario": scenario,
            "client": client, "url": f"/rounds/{round_.id}", "make_user": make_user, "make_cohort": make_cohort}


def score(g, regie=None, samen=None, rater=None):
    form = {k: str(v) for k, v in (("level-regie", regie), ("level-samen", samen)) if v is not None}
    rubric = [c for c in g["scenario"].data["rubric"] if f"level-{c['id']}" in form]
    assert not live.save_scores(g["round"], rater or g["trainer"], "trainer", rubric, form)


def audit_events():
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "round.deviated")))


@pytest.mark.parametrize(("regie", "samen", "sufficient", "reason"), [
    (2, 3, True, "geen criterium onder niveau 2 en totaal 5 (minimaal 5, van 8)"),  # exactly the minimum total
    (2, 2, False, "totaal 4, minimaal 5 nodig (van 8)"),  # one point short
    (1, 4, False, "'Regie bij de jongere' op het laagste niveau"),  # total 5, but a criterion at level 1
    (4, None, False, "nog niet gescoord: 'Gelijkwaardig met de JIM'"),  # not every criterion scored
])
def test_the_proposal_follows_the_cutoff_at_its_boundaries(g, regie, samen, sufficient, reason):
    score(g, regie, samen)
    proposal = live.proposal(g["round"], g["scenario"].data)
    assert proposal.sufficient is sufficient
    assert reason in proposal.reasons


def test_with_two_trainers_the_lowest_level_per_criterion_counts(g, make_user):
    second = make_user(role="trainer")
    score(g, 3, 3)
    score(g, 1, 3, rater=second)
    assert live.proposal(g["round"], g["scenario"].data).sufficient is False


def test_the_round_page_shows_the_trainer_the_proposal_and_why(g):
    score(g, 1, 4)
    page = g["client"](g["trainer"]).get(g["url"]).get_data(as_text=True)
    assert "Voorstel uit de rubric:</strong> nog niet voldoende" in page
    assert "&#39;Regie bij de jongere&#39; op het laagste niveau" in page
    for person in ("pro", "observer"):
        assert "Voorstel uit de rubric" not in g["client"](g[person]).get(g["url"]).get_data(as_text=True)


def test_following_the_proposal_needs_no_reason_and_is_not_audited(g):
    score(g, 2, 3)
    response = g["client"](g["trainer"]).submit(f"{g['url']}/release", {"outcome": "sufficient", "page": "round"})
    assert response.status_code == 302 and response.headers["Location"].endswith(g["url"])
    round_ = db.session.get(RolePlayRound, g["round"].id)
    assert (round_.outcome, round_.proposed_outcome, round_.outcome_reason) == ("sufficient", "sufficient", None)
    assert round_.released_at is not None and audit_events() == []


def test_a_deviation_without_a_reason_is_refused_and_the_choice_stays_on_the_page(g):
    score(g, 2, 2)  # proposal: not yet
    client = g["client"](g["trainer"])
    response = client.submit(f"{g['url']}/release", {"outcome": "sufficient", "reason": "  "},
                             page=f"{g['url']}/debrief")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Schrijf op waarom: dat is verplicht." in page
    assert 'value="sufficient" checked' in page
    round_ = db.session.get(RolePlayRound, g["round"].id)
    assert round_.outcome is None and round_.released_at is None and audit_events() == []


def test_a_reason_that_is_too_long_is_refused_and_kept_in_the_form(g):
    score(g, 2, 2)
    text = "Zag veel goeds. " * 200
    response = g["client"](g["trainer"]).submit(f"{g['url']}/release",
                                                {"outcome": "sufficient", "reason": text, "page": "round"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "De reden is te lang" in page and text.strip() in page
    assert db.session.get(RolePlayRound, g["round"].id).outcome is None


def test_a_deviation_with_a_reason_is_saved_audited_and_shown_on_the_round(g):
    score(g, 2, 2)
    reason = "Twee keer liet de professional de regie bewust bij de jongere, ook al scoorde ik streng."
    response = g["client"](g["trainer"]).submit(f"{g['url']}/release", {"outcome": "sufficient", "reason": reason})
    assert response.status_code == 302
    round_ = db.session.get(RolePlayRound, g["round"].id)
    assert (round_.outcome, round_.proposed_outcome, round_.outcome_reason) == ("sufficient", "not_yet", reason)
    [event] = audit_events()
    assert (event.actor_id, event.subject_id, event.object_type, event.object_id, event.reason) == (
        g["trainer"].id, g["pro"].id, "round", round_.id, reason)
    assert event.details["outcome"] == "sufficient" and event.details["proposed"] == "not_yet"
    page = g["client"](g["trainer"]).get(g["url"]).get_data(as_text=True)
    assert "Dit wijkt af van het voorstel" in page and reason in page


def test_a_stricter_verdict_than_proposed_also_needs_a_reason(g):
    score(g, 3, 3)
    client = g["client"](g["trainer"])
    assert client.submit(f"{g['url']}/release", {"outcome": "not_yet"}).status_code == 400
    assert client.submit(f"{g['url']}/release", {"outcome": "not_yet", "reason": "De veiligheid bleef liggen."}
                         ).status_code == 302
    assert db.session.get(RolePlayRound, g["round"].id).outcome == "not_yet"
    assert len(audit_events()) == 1


def test_only_the_trainer_of_the_cohort_records_the_verdict(g):
    score(g, 2, 3)
    other_trainer = g["make_user"](role="trainer")
    g["make_cohort"](trainers=[other_trainer])
    for user in (other_trainer, g["observer"], g["pro"]):
        response = g["client"](user).submit(f"{g['url']}/release", {"outcome": "sufficient"})
        assert response.status_code == 403, user
    assert db.session.get(RolePlayRound, g["round"].id).outcome is None


def test_recording_a_verdict_without_a_csrf_token_is_refused(g):
    score(g, 2, 3)
    client = g["client"](g["trainer"])
    response = client.post(f"{g['url']}/release", data={"outcome": "sufficient"})
    assert response.status_code == 400
    assert db.session.get(RolePlayRound, g["round"].id).outcome is None
