"""The practice assignment's assessment criteria: read from the track file, shown to the learner and the trainer,
scored when reviewing; the review's decision follows the criteria's proposal, or deviates with a reason that is
kept and audited."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from jimtraining.certification.models import AuditEvent, PracticeAssignment
from jimtraining.certification.practice_criteria import check_criteria, judge
from jimtraining.config import PROJECT_ROOT
from jimtraining.content.problems import Reporter
from jimtraining.content_tree import load_content
from jimtraining.extensions import db
from jimtraining.scenarios.verdict import VerdictError
from tests.support.certification import REFLECTION, REQUIREMENTS

URL = "/certification/jimwerker/practice"
CRITERIA = [{"id": "keuze", "criterion": "De jongere kiest de JIM", "levels": ["K1", "K2", "K3", "K4"]},
            {"id": "eigen", "criterion": "Kijken naar je eigen handelen", "levels": ["E1", "E2", "E3", "E4"]}]
PRACTICE = {**REQUIREMENTS["practice"], "criteria": CRITERIA, "cutoff": {"min_level": 2, "min_total": 5}}


@pytest.fixture
def criteria_world(world):
    world.track.requirements = {**REQUIREMENTS, "practice": PRACTICE}
    db.session.commit()
    return world


def handed_in(client_for, world):
    client = client_for(world.learner)
    assert client.submit(URL, {"text": REFLECTION}, page=URL).status_code == 302
    assignment = db.session.scalar(select(PracticeAssignment))
    return assignment, f"/cohorts/{world.cohort.id}/practice/{assignment.id}"


def deviations():
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "practice.deviated")))


@pytest.mark.parametrize(("keuze", "eigen", "proposed"), [
    (2, 3, "approved"),  # exactly the minimum total
    (2, 2, "returned"),  # a point short
    (1, 4, "returned"),  # a criterion at the lowest level
])
def test_the_criteria_propose_a_decision_at_the_boundaries(keuze, eigen, proposed):
    levels = {"keuze": keuze, "eigen": eigen}
    assert judge(PRACTICE, levels, proposed, "") == (proposed, None)
    other = "returned" if proposed == "approved" else "approved"
    with pytest.raises(VerdictError, match="Schrijf op waarom"):
        judge(PRACTICE, levels, other, "")
    assert judge(PRACTICE, levels, other, "Zo zag ik het.") == (proposed, "Zo zag ik het.")


def test_every_criterion_must_be_scored():
    with pytest.raises(VerdictError, match="Nog niet gekozen: Kijken naar je eigen handelen"):
        judge(PRACTICE, {"keuze": 3}, "approved", "")


def test_a_practice_without_criteria_has_no_proposal_and_needs_no_reason():
    assert judge(REQUIREMENTS["practice"], {}, "approved", "") == (None, None)


def test_the_shipped_tracks_all_have_criteria_and_a_cutoff(app):
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.ok and tree.tracks
    for track in tree.tracks:
        practice = track.requirements["practice"]
        assert practice["criteria"] and practice["cutoff"], track.slug


@pytest.mark.parametrize(("practice", "message"), [
    ({"criteria": CRITERIA}, "'cutoff' ontbreekt"),
    ({"criteria": CRITERIA, "cutoff": {"min_level": 2, "min_total": 9}}, "'min_total' is een heel getal van 4 tot 8"),
    ({"criteria": [{"id": "a", "criterion": "A", "levels": ["1", "2"]}], "cutoff": {"min_level": 1, "min_total": 1}},
     "precies 4 niveaus"),
    ({"criteria": [], "cutoff": {"min_level": 1, "min_total": 1}}, "1 tot 8 beoordelingscriteria"),
])
def test_content_check_reports_bad_criteria(practice, message):
    problems = []
    report = Reporter(problems, "tracks/x.yml", SimpleNamespace(line=lambda *at: 1))
    assert check_criteria(practice, ("requirements", "practice"), report) == ([], None)
    assert any(message in p.message for p in problems), [p.message for p in problems]


def test_the_learner_sees_the_criteria_before_handing_in(client_for, criteria_world):
    page = client_for(criteria_world.learner).get(URL).get_data(as_text=True)
    assert "Zo beoordeelt je trainer je tekst" in page
    assert "De jongere kiest de JIM" in page and "K4" in page
    assert "samen minstens 5 van de 8 punten" in page


def test_a_review_that_follows_the_proposal_is_saved_with_its_scores(client_for, criteria_world):
    assignment, url = handed_in(client_for, criteria_world)
    trainer = client_for(criteria_world.trainer)
    page = trainer.get(url).get_data(as_text=True)
    assert 'name="level-keuze"' in page and "E3" in page
    response = trainer.submit(url, {"decision": "approved", "level-keuze": "2", "level-eigen": "3"}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    version = db.session.get(PracticeAssignment, assignment.id).latest
    assert (version.decision, version.scores, version.proposed_decision, version.decision_reason) == (
        "approved", {"keuze": 2, "eigen": 3}, "approved", None)
    assert deviations() == []
    learner_page = client_for(criteria_world.learner).get(URL).get_data(as_text=True)
    assert "Beoordeling per criterium" in learner_page and "niveau 3 van 4" in learner_page


def test_a_review_without_all_scores_is_refused_and_keeps_the_choices(client_for, criteria_world):
    assignment, url = handed_in(client_for, criteria_world)
    response = client_for(criteria_world.trainer).submit(
        url, {"decision": "returned", "feedback": "Schrijf meer over jezelf.", "level-keuze": "3"}, page=url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nog niet gekozen: Kijken naar je eigen handelen" in page
    assert 'name="level-keuze" value="3" checked' in page and "Schrijf meer over jezelf." in page
    db.session.expire_all()
    assert db.session.get(PracticeAssignment, assignment.id).latest.decision is None


def test_a_deviating_review_needs_a_reason_and_shows_the_proposal(client_for, criteria_world):
    assignment, url = handed_in(client_for, criteria_world)
    trainer = client_for(criteria_world.trainer)
    form = {"decision": "approved", "level-keuze": "1", "level-eigen": "4"}
    response = trainer.submit(url, form, page=url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Schrijf op waarom: dat is verplicht." in page
    assert "Voorstel uit de criteria:</strong> teruggeven" in page
    assert "&#39;De jongere kiest de JIM&#39; op het laagste niveau" in page
    db.session.expire_all()
    assert db.session.get(PracticeAssignment, assignment.id).latest.decision is None and deviations() == []

    reason = "De keuze staat er wel in, maar in het tweede deel; dat telt voor mij."
    assert trainer.submit(url, {**form, "reason": reason}, page=url).status_code == 302
    db.session.expire_all()
    version = db.session.get(PracticeAssignment, assignment.id).latest
    assert (version.decision, version.proposed_decision, version.decision_reason) == ("approved", "returned", reason)
    [event] = deviations()
    assert (event.actor_id, event.subject_id, event.reason) == (criteria_world.trainer.id,
                                                                 criteria_world.learner.id, reason)
    assert event.details["proposed"] == "returned" and event.details["decision"] == "approved"
    assert reason in trainer.get(url).get_data(as_text=True)
    assert reason not in client_for(criteria_world.learner).get(URL).get_data(as_text=True)


def test_a_trainer_of_another_cohort_cannot_score_the_review(client_for, criteria_world):
    assignment, url = handed_in(client_for, criteria_world)
    other = client_for(criteria_world.other_trainer)
    assert other.submit(url, {"decision": "approved", "level-keuze": "3", "level-eigen": "3"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(PracticeAssignment, assignment.id).latest.decision is None


def test_a_review_without_a_csrf_token_is_refused(client_for, criteria_world):
    assignment, url = handed_in(client_for, criteria_world)
    trainer = client_for(criteria_world.trainer)
    response = trainer.post(url, data={"decision": "approved", "level-keuze": "3", "level-eigen": "3"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(PracticeAssignment, assignment.id).latest.decision is None
