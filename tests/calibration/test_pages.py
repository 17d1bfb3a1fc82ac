"""Scoring a reference round on the calibration pages, and what the person sees afterwards."""

from sqlalchemy import select

from jimtraining.calibration.models import CalibrationAttempt
from jimtraining.extensions import db


def test_a_trainer_scores_the_reference_round_and_sees_agreement_per_criterion_with_the_expert_reasons(
        candidate_world, client_for):
    client = client_for(candidate_world["trainer"])
    page = client.get("/calibration/testscenario").get_data(as_text=True)
    assert "TRANSCRIPT-BEGIN" in page and "Regie bij de jongere" in page
    assert "REDEN-REGIE" not in page  # the expert's reasons only after scoring
    response = client.submit("/calibration/testscenario", {"level-regie": "3", "level-samen": "4"})
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "REDEN-REGIE" in result and "REDEN-SAMEN" in result
    assert "precies gelijk" in result and "2 niveaus verschil" in result
    assert "50%" in result  # exact: 1 of 2
    attempt = db.session.scalar(select(CalibrationAttempt))
    assert attempt.scores == {"regie": 3, "samen": 4} and attempt.expert == {"regie": 3, "samen": 2}


def test_the_same_round_cannot_be_scored_again_within_a_year(candidate_world, client_for):
    client = client_for(candidate_world["trainer"])
    first = client.submit("/calibration/testscenario", {"level-regie": "3", "level-samen": "2"})
    again = client.submit("/calibration/testscenario", {"level-regie": "1", "level-samen": "1"},
                          page=first.headers["Location"])
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(select(db.func.count()).select_from(CalibrationAttempt)) == 1
    assert "al gescoord" in client.get("/calibration/testscenario").get_data(as_text=True)


def test_a_missing_score_gets_a_dutch_message_and_keeps_what_was_chosen(candidate_world, client_for):
    client = client_for(candidate_world["trainer"])
    response = client.submit("/calibration/testscenario", {"level-regie": "3", "level-samen": "9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kies voor elk criterium een niveau van 1 tot 4" in page
    assert 'name="level-regie" value="3" required checked' in page
    assert db.session.scalar(select(CalibrationAttempt)) is None


def test_trainer_candidates_may_calibrate_and_other_learners_may_not(candidate_world, client_for):
    assert client_for(candidate_world["candidate"]).get("/calibration/").status_code == 200
    assert client_for(candidate_world["professional"]).get("/calibration/").status_code == 403
    assert client_for(candidate_world["professional"]).get("/calibration/testscenario").status_code == 403


def test_someone_elses_result_does_not_exist_for_you(candidate_world, client_for):
    response = client_for(candidate_world["trainer"]).submit("/calibration/testscenario",
                                                             {"level-regie": "3", "level-samen": "2"})
    assert client_for(candidate_world["candidate"]).get(response.headers["Location"]).status_code == 404


def test_an_unknown_reference_round_is_not_found(candidate_world, client_for):
    assert client_for(candidate_world["trainer"]).get("/calibration/bestaat-niet").status_code == 404


def test_the_list_shows_the_rounds_and_ones_own_calibrations_with_the_round(candidate_world, client_for):
    client = client_for(candidate_world["trainer"])
    assert "Een ronde om te oefenen" in client.get("/calibration/").get_data(as_text=True)
    client.submit("/calibration/testscenario", {"level-regie": "3", "level-samen": "2"})
    page = client.get("/calibration/").get_data(as_text=True)
    assert "al eens gescoord" in page and "Bekijk de uitslag" in page
    assert page.split("Jouw kalibraties</h2>")[1].count("Een ronde om te oefenen") >= 1


def test_a_candidates_checklist_links_to_the_calibration(candidate_world, client_for):
    page = client_for(candidate_world["candidate"]).get("/certification").get_data(as_text=True)
    assert "Kalibratie: je scores op een referentieronde" in page and 'href="/calibration/"' in page
