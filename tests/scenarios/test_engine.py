"""Branching on the small fixture scenario: conditions, variables, redirects and endings, checked by hand."""

import pytest
import yaml

from jimtraining.scenarios import engine
from tests.scenarios.conftest import SCENARIO_YML

PRACTICE = yaml.safe_load(SCENARIO_YML)["practice"]


@pytest.mark.parametrize(
    ("choices", "node", "variables", "path"),
    [
        ([], "begin", {"regie": 0, "veiligheid": 0}, ["begin"]),
        ([0, 0], "einde-goed", {"regie": 2, "veiligheid": 0}, ["begin", "gesprek", "einde-goed"]),
        ([0, 1], "einde-leerzaam", {"regie": -1, "veiligheid": 0}, ["begin", "gesprek", "einde-leerzaam"]),
        # ingrijpen (regie -1) then talking and asking (regie +1) ends at 0: not enough for the good ending
        ([1, 0, 0], "einde-leerzaam", {"regie": 0, "veiligheid": 1}, ["begin", "crisis", "gesprek", "einde-leerzaam"]),
        ([1, 1], "einde-leerzaam", {"regie": -1, "veiligheid": 1}, ["begin", "crisis", "einde-leerzaam"]),
    ],
)
def test_hand_checked_paths(choices, node, variables, path):
    assert engine.replay(PRACTICE, choices) == (node, variables, path)


def test_a_choice_whose_condition_fails_is_hidden_and_refused():
    crisis = next(n for n in PRACTICE["nodes"] if n["id"] == "crisis")
    assert [i for i, _c in engine.visible_choices(crisis, {"veiligheid": 0})] == [0]
    assert [i for i, _c in engine.visible_choices(crisis, {"veiligheid": 1})] == [0, 1]
    with pytest.raises(ValueError):
        engine.replay({**PRACTICE, "start": "crisis"}, [1])


@pytest.mark.parametrize(("condition", "variables", "expected"), [
    ("regie >= 2", {"regie": 2}, True), ("regie > 2", {"regie": 2}, False), ("regie != 0", {}, False),
    ("regie == -1 and veiligheid < 3", {"regie": -1, "veiligheid": 2}, True),
])
def test_conditions(condition, variables, expected):
    assert engine.holds(condition, variables) is expected


@pytest.mark.parametrize("bad", ["regie >= ", "__import__('os')", "regie => 2", "regie >= 2 or x < 1", ""])
def test_conditions_are_parsed_never_evaluated(bad):
    with pytest.raises(engine.ConditionError):
        engine.parse_condition(bad)
