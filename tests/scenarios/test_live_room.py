"""Live scoring on a phone (issue 16): the rubric first, saving criterion by criterion without losing the place
or what was typed, a way back to the session, and the debrief's scores with their scale."""

from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.roleplay import services as live
from jimtraining.roleplay.models import RoundScore
from tests.scenarios.test_live import as_user, setup  # noqa: F401 - setup is a fixture


def saved_levels(round_, rater):
    return dict(db.session.execute(select(RoundScore.criterion_id, RoundScore.level)
                                   .where(RoundScore.round_id == round_.id, RoundScore.rater_id == rater.id)).all())


def test_the_rubric_comes_before_the_folded_situation_and_briefs(app, login, setup):  # noqa: F811
    page = as_user(app, login, setup["observer"]).get(f"/rounds/{setup['round'].id}").get_data(as_text=True)
    main = page.split("<main", 1)[1]
    assert main.index('name="level-regie"') < main.index("<summary>De situatie</summary>")
    assert main.index('name="level-regie"') < main.index("<summary>Rollen</summary>")
    assert "TRAINEE-BRIEF-JONGERE" in main.split("<summary>Rollen</summary>", 1)[1]  # folded, not gone
    session = setup["session"]
    assert f'href="/cohorts/{setup["cohort"].id}/sessions/{session.id}">← Terug naar de bijeenkomst' in main


def test_a_trainee_actor_goes_back_to_their_own_page(app, login, setup):  # noqa: F811
    page = as_user(app, login, setup["actor"]).get(f"/rounds/{setup['round'].id}").get_data(as_text=True)
    assert 'href="/actor/">← Mijn rollen' in page


def test_one_criterion_is_saved_and_the_page_goes_on_at_the_next(app, login, setup):  # noqa: F811
    round_id = setup["round"].id
    trainer = as_user(app, login, setup["trainer"])
    response = trainer.submit(f"/rounds/{round_id}/scores", {"level-regie": "3", "comment-regie": "Vroeg door.",
                                                             "saved_from": "regie"}, page=f"/rounds/{round_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{round_id}#criterium-samen")
    assert saved_levels(setup["round"], setup["trainer"]) == {"regie": 3}
    response = trainer.submit(f"/rounds/{round_id}/scores", {"level-regie": "2"}, page=f"/rounds/{round_id}")
    assert response.headers["Location"].endswith("#criterium-samen")  # the bar's button: the first one still open
    response = trainer.submit(f"/rounds/{round_id}/scores", {"level-regie": "3", "level-samen": "2"},
                              page=f"/rounds/{round_id}")
    assert response.headers["Location"].endswith("#scores-klaar")  # all scored: the end of the scores
    assert saved_levels(setup["round"], setup["trainer"]) == {"regie": 3, "samen": 2}


def test_a_comment_without_a_level_is_refused_and_everything_typed_comes_back(app, login, setup):  # noqa: F811
    round_id = setup["round"].id
    observer = as_user(app, login, setup["observer"])
    response = observer.submit(f"/rounds/{round_id}/scores", {
        "level-regie": "4", "comment-regie": "Liet de jongere kiezen.", "comment-samen": "Belde de JIM zelf."},
        page=f"/rounds/{round_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Je scores zijn nog niet opgeslagen." in page
    assert "Kies een niveau bij &#39;Gelijkwaardig met de JIM&#39;" in page
    assert 'name="level-regie" value="4" checked' in page
    assert "Liet de jongere kiezen.</textarea>" in page and "Belde de JIM zelf.</textarea>" in page
    assert saved_levels(setup["round"], setup["observer"]) == {}


def test_an_empty_score_form_asks_for_a_level(app, login, setup):  # noqa: F811
    round_id = setup["round"].id
    response = as_user(app, login, setup["observer"]).submit(f"/rounds/{round_id}/scores", {},
                                                             page=f"/rounds/{round_id}")
    assert response.status_code == 422
    assert "Kies bij minstens één onderdeel een niveau." in response.get_data(as_text=True)


def test_the_debrief_shows_every_score_with_its_scale(app, login, setup, make_user):  # noqa: F811
    from jimtraining.cohorts.enrolment import enroll

    round_, rubric = setup["round"], setup["scenario"].data["rubric"]
    second = make_user(name="Tweede Obs")
    enroll(setup["cohort"], second, "trainer")
    round_.observers = round_.observers + [second]
    db.session.commit()
    live.save_scores(round_, setup["trainer"], "trainer", rubric, {"level-regie": "3", "level-samen": "4"})
    live.save_scores(round_, setup["observer"], "peer", rubric, {"level-regie": "3", "level-samen": "1"})
    live.save_scores(round_, second, "peer", rubric, {"level-regie": "2"})
    page = as_user(app, login, setup["trainer"]).get(f"/rounds/{round_.id}/debrief").get_data(as_text=True)
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert '<td data-label="Trainer">3 van 4</td>' in table and '<td data-label="Trainer">4 van 4</td>' in table
    assert '<td data-label="Observatoren">2,5 van 4</td>' in table  # the observers' average, Dutch
    assert "3.0" not in table and "2.5" not in table
    assert f'href="/cohorts/{setup["cohort"].id}/sessions/{setup["session"].id}"' in page  # back to the session
