"""Branching on the small fixture scenario: conditions, variables, redirects and endings, checked by hand."""

import pytest
import yaml

from jimtraining.scenarios import engine
from tests.support.scenarios import SCENARIO_YML

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


# The order of choices on screen ----------------------------------------------------------------------------------

FOUR = {"id": "kiezen", "choices": [{"text": t, "to": "x"} for t in "abcd"]}


def test_without_a_seed_choices_keep_their_written_order():
    assert [i for i, _c in engine.visible_choices(FOUR, {})] == [0, 1, 2, 3]


def test_the_same_seed_gives_the_same_order_every_time():
    first = engine.visible_choices(FOUR, {}, "seed-1")
    assert all(engine.visible_choices(FOUR, {}, "seed-1") == first for _ in range(5))
    assert sorted(i for i, _c in first) == [0, 1, 2, 3]


def test_different_seeds_give_different_orders_and_every_choice_is_sometimes_first():
    orders = {tuple(i for i, _c in engine.visible_choices(FOUR, {}, f"run-{n}")) for n in range(40)}
    assert len(orders) > 10
    assert {order[0] for order in orders} == {0, 1, 2, 3}


def test_the_order_depends_on_the_node_too():
    other = dict(FOUR, id="anders")
    orders = [(engine.choice_order("kiezen", 4, f"run-{n}"), engine.choice_order("anders", 4, f"run-{n}"))
              for n in range(10)]
    assert any(mine != theirs for mine, theirs in orders)
    assert engine.visible_choices(other, {}, "run-1") == [(i, other["choices"][i])
                                                          for i in engine.choice_order("anders", 4, "run-1")]


def test_a_choice_that_appears_through_its_condition_does_not_reorder_the_others():
    node = {"id": "kiezen", "choices": [{"text": "a", "to": "x"}, {"text": "b", "to": "x", "if": "moed >= 1"},
                                        {"text": "c", "to": "x"}, {"text": "d", "to": "x"}]}
    for n in range(20):
        hidden = [i for i, _c in engine.visible_choices(node, {"moed": 0}, f"run-{n}")]
        shown = [i for i, _c in engine.visible_choices(node, {"moed": 1}, f"run-{n}")]
        assert 1 not in hidden and 1 in shown
        assert [i for i in shown if i != 1] == hidden
