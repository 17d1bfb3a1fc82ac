"""Playing a scenario in the browser-less client: choices, feedback, going back, results, and what is hidden."""

import re

import pytest
from sqlalchemy import func, select

from jimtraining.extensions import db
from jimtraining.scenarios.models import ScenarioChoice, ScenarioRun
from tests.support.database import count_queries


@pytest.fixture
def learner(client, login, make_user):
    user = make_user(name="Lotte")
    login(client, user)
    return user


def start(client):
    response = client.submit("/scenarios/testscenario/practice", page="/scenarios/testscenario")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def choose(client, run_id, node, index):
    return client.submit(f"/practice/{run_id}/choose", {"node": node, "choice": str(index)},
                         page=f"/practice/{run_id}")


def test_scenario_page_never_shows_the_actor_brief(client, learner, scenario_content):
    page = client.get("/scenarios/testscenario").get_data(as_text=True)
    assert "TRAINEE-BRIEF-JONGERE" in page and "TRAINEE-BRIEF-PRO" in page
    assert "GEHEIM" not in page


def test_playing_to_the_good_ending_shows_path_feedback_and_what_a_jimwerker_does(client, learner,
                                                                                 scenario_content):
    run_id = start(client)
    choose(client, run_id, "begin", 0)
    page = client.get(f"/practice/{run_id}").get_data(as_text=True)
    assert "FB-PRATEN" in page and "Sanne vertelt over oma." in page
    assert choose(client, run_id, "gesprek", 0).headers["Location"] == f"/practice/{run_id}"
    result = client.get(f"/practice/{run_id}", follow_redirects=True).get_data(as_text=True)
    assert "Sanne kiest zelf" in result and "JIMWERKER-GOED" in result
    assert "FB-PRATEN" in result and "FB-VRAAG" in result and "Regie: 2" in result


def test_hidden_choice_is_not_shown_and_cannot_be_posted(client, learner, scenario_content):
    run_id = start(client)
    choose(client, run_id, "begin", 0)  # regie +1, veiligheid stays 0
    run = db.session.get(ScenarioRun, run_id)
    assert run.current_node == "gesprek"
    page = client.get(f"/practice/{run_id}").get_data(as_text=True)
    assert "Blijven ingrijpen" not in page
    response = choose(client, run_id, "gesprek", 7)
    assert "Deze keuze kan hier niet." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_choice_from_an_old_page_is_refused(client, learner, scenario_content):
    run_id = start(client)
    choose(client, run_id, "begin", 1)
    response = choose(client, run_id, "begin", 0)
    assert "Deze keuze hoort bij een eerdere stap." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(ScenarioRun, run_id).current_node == "crisis"


def test_going_back_keeps_every_choice_stored(client, learner, scenario_content):
    run_id = start(client)
    choose(client, run_id, "begin", 1)
    client.submit(f"/practice/{run_id}/back", page=f"/practice/{run_id}")
    choose(client, run_id, "begin", 0)
    run = db.session.get(ScenarioRun, run_id)
    assert run.current_node == "gesprek" and run.variables == {"regie": 1, "veiligheid": 0}
    stored = db.session.execute(select(ScenarioChoice.node_id, ScenarioChoice.choice_index, ScenarioChoice.undone)
                                .order_by(ScenarioChoice.step)).all()
    assert [tuple(r) for r in stored] == [("begin", 1, True), ("begin", 0, False)]


def test_replay_starts_a_new_run(client, learner, scenario_content):
    first = start(client)
    second = start(client)
    assert first != second
    assert db.session.scalar(select(func.count(ScenarioRun.id))) == 2


def test_another_learner_cannot_see_or_play_a_run(app, client, login, make_user, learner, scenario_content):
    run_id = start(client)
    other = app.test_client()
    login(other, make_user())
    assert other.get(f"/practice/{run_id}").status_code == 404
    assert other.submit(f"/practice/{run_id}/choose", {"node": "begin", "choice": "0"}).status_code == 404


def test_choice_overview_counts_the_trainers_learners_with_a_fixed_query_count(app, client, login, make_user,
                                                                              make_cohort, scenario_content):
    from jimtraining.scenarios.services import choose as make_choice
    from jimtraining.scenarios.services import start_run

    trainer = make_user(role="trainer")
    mine = [make_user() for _ in range(3)]
    stranger = make_user()
    make_cohort(trainers=[trainer], learners=mine)
    from jimtraining.scenarios.models import Scenario

    scenario = db.session.scalar(select(Scenario))
    for index, learner in enumerate(mine + [stranger]):
        run = start_run(learner, scenario)
        make_choice(run, "begin", 0 if index < 2 else 1)
    login(client, trainer)
    page = client.get("/scenarios/testscenario/choices").get_data(as_text=True)
    assert "Praten: <strong>2</strong>" in page and "Ingrijpen: <strong>1</strong>" in page  # stranger not counted
    few = count_queries(lambda: client.get("/scenarios/testscenario/choices"))
    more = [make_user() for _ in range(20)]
    make_cohort(trainers=[trainer], learners=more)
    for learner in more:
        make_choice(start_run(learner, scenario), "begin", 0)
    assert count_queries(lambda: client.get("/scenarios/testscenario/choices")) == few
    assert "Praten: <strong>22</strong>" in client.get("/scenarios/testscenario/choices").get_data(as_text=True)


# The order of the choices on screen ------------------------------------------------------------------------------

def order_on_page(client, run_id) -> list[str]:
    """The choice texts in the order the play page shows them."""
    page = client.get(f"/practice/{run_id}").get_data(as_text=True)
    return re.findall(r'<input type="radio" name="choice" value="\d+" required> ([^<]+)</label>', page)


def test_each_run_shows_the_choices_in_its_own_order(client, learner, scenario_content):
    orders = [tuple(order_on_page(client, start(client))) for _ in range(12)]
    assert all(sorted(order) == ["Ingrijpen", "Praten"] for order in orders)
    assert len(set(orders)) == 2, "twelve runs, and every one showed the choices in the same order"


def test_the_order_stays_the_same_on_refresh_and_after_going_back(client, learner, scenario_content):
    run_id = start(client)
    first = order_on_page(client, run_id)
    assert order_on_page(client, run_id) == first
    choose(client, run_id, "begin", 0)
    at_gesprek = order_on_page(client, run_id)
    client.submit(f"/practice/{run_id}/back", page=f"/practice/{run_id}")
    assert order_on_page(client, run_id) == first
    choose(client, run_id, "begin", 0)
    assert order_on_page(client, run_id) == at_gesprek


def test_a_choice_is_stored_by_what_was_chosen_not_by_where_it_stood(client, learner, scenario_content):
    for _ in range(4):
        run_id = start(client)
        page = client.get(f"/practice/{run_id}").get_data(as_text=True)
        value = re.search(r'value="(\d+)" required> Praten</label>', page).group(1)
        choose(client, run_id, "begin", value)
        assert db.session.get(ScenarioRun, run_id).current_node == "gesprek"


def test_the_rubric_cutoff_is_on_the_stored_scenario_and_in_the_catalogue(app, scenario_content):
    from jimtraining.content.catalogue import catalogue
    from jimtraining.scenarios.models import Scenario

    stored = db.session.scalar(select(Scenario).where(Scenario.slug == "testscenario"))
    assert (stored.cutoff.min_level, stored.cutoff.min_total, stored.cutoff.criteria) == (2, 5, ("regie", "samen"))
    assert catalogue().scenario("testscenario").cutoff == stored.cutoff
