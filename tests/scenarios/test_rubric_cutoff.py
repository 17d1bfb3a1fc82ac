"""The rubric's cut-off for "voldoende" and the verdict it proposes from scores (for the round page)."""

import pytest

from jimtraining.scenarios.rubric import RubricCutoff, cutoff_of, proposed_verdict

CUTOFF = RubricCutoff(min_level=2, min_total=11, criteria=("a", "b", "c", "d"))


@pytest.mark.parametrize(
    ("scores", "verdict"),
    [
        ({"a": 3, "b": 3, "c": 3, "d": 2}, True),     # exactly the minimum total, nothing at the lowest level
        ({"a": 4, "b": 4, "c": 4, "d": 4}, True),
        ({"a": 3, "b": 3, "c": 2, "d": 2}, False),    # 10: one point short
        ({"a": 4, "b": 4, "c": 4, "d": 1}, False),    # 13 in total, but one criterion at the lowest level
        ({"a": 4, "b": 4, "c": 4}, False),            # a criterion not scored yet
        ({"a": 4, "b": 4, "c": 4, "d": 5}, False),    # not a level
        ({"a": 3, "b": 3, "c": 3, "d": 2, "extra": 1}, True),  # a score outside the rubric is ignored
    ],
)
def test_proposed_verdict_follows_the_cutoff(scores, verdict):
    assert proposed_verdict(scores, CUTOFF) is verdict


def test_min_level_one_lets_a_lowest_score_pass_when_the_total_is_reached():
    assert proposed_verdict({"a": 4, "b": 4, "c": 4, "d": 1}, RubricCutoff(1, 11, ("a", "b", "c", "d")))


def test_cutoff_is_read_from_scenario_data_with_the_criteria_of_its_rubric():
    data = {"rubric": [{"id": "x"}, {"id": "y"}], "rubric_cutoff": {"min_level": 2, "min_total": 6}}
    cutoff = cutoff_of(data)
    assert cutoff == RubricCutoff(min_level=2, min_total=6, criteria=("x", "y"))
    assert cutoff.max_total == 8
    assert cutoff_of({"rubric": []}) is None
