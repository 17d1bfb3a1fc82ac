"""Acceptance (issue 17, item 1): a learner who always takes the first choice on screen rarely reaches the best
ending, in every shipped scenario, and the order of the choices differs between runs.

The runs are driven through the service's seed (services.choice_seed: the run's id and the app's secret, as on the
practice pages) and the engine, for runs 1 to 20, so the count does not depend on which ids a database hands out."""

from types import SimpleNamespace

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from jimtraining.scenarios import analysis, engine, services

SCENARIOS = load_content(PROJECT_ROOT / "modules").scenarios
RUNS = 20


def play_first_on_screen(practice: dict, seed: str) -> tuple[str, list[tuple[int, ...]]]:
    """The ending a first-option clicker reaches, and the order of the choices at every node on the way."""
    nodes = {n["id"]: n for n in practice["nodes"]}
    variables = engine.start_variables(practice)
    current = engine.follow_redirects(nodes, practice["start"], variables)
    orders = []
    while not nodes[current].get("ending"):
        shown = engine.visible_choices(nodes[current], variables, seed)
        orders.append(tuple(index for index, _choice in shown))
        choice = shown[0][1]
        variables = engine.apply_effects(variables, choice.get("effects"))
        current = engine.follow_redirects(nodes, choice["to"], variables)
    return current, orders


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.slug)
def test_first_option_learner_reaches_the_best_ending_in_under_a_quarter_of_20_runs(app, scenario):
    practice = scenario.data["practice"]
    best = analysis.best_ending(practice)
    endings, first_orders = [], set()
    with app.app_context():
        for run_id in range(1, RUNS + 1):
            ending, orders = play_first_on_screen(practice, services.choice_seed(SimpleNamespace(id=run_id)))
            endings.append(ending)
            first_orders.add(orders[0])
    assert endings.count(best) < RUNS / 4, (scenario.slug, endings.count(best))
    assert len(first_orders) > 1, f"{scenario.slug}: every run showed the first choices in the same order"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.slug)
def test_first_option_learner_chance_is_under_a_quarter_whatever_the_seeds(scenario):
    # The exact chance over all orders, so the 20 runs above are no lucky draw.
    assert analysis.first_option_chance(scenario.data["practice"]) < 0.15, scenario.slug


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.slug)
def test_the_best_ending_can_be_reached_after_a_misstep(scenario):
    path = analysis.best_path_with_misstep(scenario.data["practice"])
    assert path is not None, f"{scenario.slug}: no path to the best ending contains a recovered misstep"


def test_the_shipped_scenarios_include_the_limits_of_the_approach():
    slugs = {s.slug for s in SCENARIOS}
    assert {"plaatsing-toch-nodig", "jim-drinkt-weer", "meldcode-en-de-jim"} <= slugs
