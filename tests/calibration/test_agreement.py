"""Agreement between a rater and the expert, checked against examples worked out by hand.

Quadratic weights on levels 1-4: w = d² / 9 for a distance d, so one level apart costs 1/9, two 4/9, three 9/9.
For a rater's level i, the sum of (i - j)² over the expert's levels j = 1..4 is 14 (i=1), 6 (i=2), 6 (i=3), 14 (i=4).
"""

import pytest

from jimtraining.calibration.agreement import agreement, weighted_kappa

EXPERT = {"a": 4, "b": 3, "c": 2, "d": 1}


def scores(*levels):
    return dict(zip("abcd", levels, strict=True))


def test_perfect_agreement_has_kappa_one():
    """Observed disagreement 0; expected (both uniform) = 40/9 / 16 = 5/18 > 0, so kappa = 1 - 0 = 1."""
    result = agreement(scores(4, 3, 2, 1), EXPERT)
    assert result.exact == 1 and result.adjacent == 1
    assert result.kappa == pytest.approx(1.0)
    assert result.meets(0.6)


def test_one_level_off_once_keeps_a_high_kappa():
    """Rater 3,3,2,1 against 4,3,2,1.
    Observed: (1/9) / 4 = 1/36.
    Rater shares 1:¼ 2:¼ 3:½; expert ¼ each. Expected = ¼ · 1/9 · (¼·14 + ¼·6 + ½·6) = 1/36 · 8 = 8/36.
    kappa = 1 - (1/36)/(8/36) = 7/8 = 0.875. Exact 3 of 4, adjacent 4 of 4."""
    result = agreement(scores(3, 3, 2, 1), EXPERT)
    assert result.exact == pytest.approx(0.75)
    assert result.adjacent == pytest.approx(1.0)
    assert result.kappa == pytest.approx(0.875)
    assert [row.exact for row in result.criteria] == [False, True, True, True]
    assert result.meets(0.6)


def test_one_large_miss_costs_far_more_than_a_small_one():
    """Rater 1,3,2,1 against 4,3,2,1: the same exact agreement as above, but one miss of three levels.
    Observed: (9/9) / 4 = 9/36.
    Rater shares 1:½ 2:¼ 3:¼. Expected = 1/36 · (½·14 + ¼·6 + ¼·6) = 10/36.
    kappa = 1 - 9/10 = 0.1. Exact 3 of 4, adjacent 3 of 4."""
    result = agreement(scores(1, 3, 2, 1), EXPERT)
    assert result.exact == pytest.approx(0.75)
    assert result.adjacent == pytest.approx(0.75)
    assert result.kappa == pytest.approx(0.1)
    assert not result.meets(0.6)


def test_reversed_scale_gives_kappa_minus_one():
    """Rater 1,2,3,4 against 4,3,2,1. Observed: (9+1+1+9)/9 / 4 = 20/36; expected (both uniform) 10/36.
    kappa = 1 - 2 = -1."""
    assert agreement(scores(1, 2, 3, 4), EXPERT).kappa == pytest.approx(-1.0)


def test_all_ratings_one_and_the_same_value_cannot_give_a_kappa_but_is_perfect():
    """Both give every criterion 3: expected disagreement = w(3,3) · 1 · 1 = 0, so kappa is 0/0: None.
    The agreement is still perfect (exact 4 of 4) and meets any threshold."""
    result = agreement(scores(3, 3, 3, 3), {"a": 3, "b": 3, "c": 3, "d": 3})
    assert result.kappa is None
    assert result.exact == 1
    assert result.meets(0.99)


def test_a_rater_without_variance_gets_kappa_zero():
    """Rater 3,3,3,3 against 4,3,2,1. Observed: (1+0+1+4)/9 / 4 = 6/36.
    Rater share 3:1. Expected = 1 · ¼ · 6/9 = 6/36. kappa = 1 - 1 = 0: no information beyond chance,
    even though three of four scores are within one level."""
    result = agreement(scores(3, 3, 3, 3), EXPERT)
    assert result.kappa == pytest.approx(0.0)
    assert result.exact == pytest.approx(0.25)
    assert result.adjacent == pytest.approx(0.75)
    assert not result.meets(0.6)


def test_an_expert_without_variance_gives_kappa_zero_to_a_rater_who_varies():
    """Expert 3,3,3,3, rater 4,3,2,1: the mirror of the case above, kappa 0."""
    assert agreement(scores(4, 3, 2, 1), {"a": 3, "b": 3, "c": 3, "d": 3}).kappa == pytest.approx(0.0)


def test_a_missing_score_is_refused():
    with pytest.raises(ValueError):
        agreement({"a": 4}, EXPERT)


def test_no_pairs_gives_no_kappa():
    assert weighted_kappa([]) is None
