"""Every question type grades on the server, with partial credit and the edge cases."""

import random

import pytest

from jimtraining.quizzes.types import QUESTION_TYPES, AnswerError

SINGLE = {"options": [{"id": "a", "text": "A", "correct": True, "feedback": ""},
                      {"id": "b", "text": "B", "correct": False, "feedback": ""}]}
MULTI = {"options": [{"id": "a", "text": "A", "correct": True, "feedback": ""},
                     {"id": "b", "text": "B", "correct": True, "feedback": ""},
                     {"id": "c", "text": "C", "correct": False, "feedback": ""},
                     {"id": "d", "text": "D", "correct": False, "feedback": ""}]}
PAIRS = {"pairs": [{"id": "p1", "left": "x", "right": "1"}, {"id": "p2", "left": "y", "right": "2"},
                   {"id": "p3", "left": "z", "right": "3"}]}
ITEMS = {"items": [{"id": "i1", "text": "een"}, {"id": "i2", "text": "twee"}, {"id": "i3", "text": "drie"},
                   {"id": "i4", "text": "vier"}]}


def grade(kind, data, response):
    return QUESTION_TYPES[kind].grade(data, response)


@pytest.mark.parametrize(("response", "expected"), [("a", 1.0), ("b", 0.0), (None, 0.0)])
def test_single_choice(response, expected):
    assert grade("single_choice", SINGLE, response) == expected


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (["a", "b"], 1.0),          # all right
        (["a"], 0.5),               # half of the right ones
        (["a", "c"], 0.0),          # one right (0.5) minus one wrong (0.5)
        (["a", "b", "c"], 0.5),     # all right minus half the wrong ones
        (["a", "b", "c", "d"], 0.0),  # ticking everything earns nothing
        (["c", "d"], 0.0),          # never below zero
        (None, 0.0),
    ],
)
def test_multiple_response_partial_credit(response, expected):
    assert grade("multiple_response", MULTI, response) == expected


@pytest.mark.parametrize(("response", "expected"), [(False, 1.0), (True, 0.0), (None, 0.0)])
def test_true_false(response, expected):
    assert grade("true_false", {"answer": False}, response) == expected


@pytest.mark.parametrize(
    ("response", "expected"),
    [({"p1": "p1", "p2": "p2", "p3": "p3"}, 1.0), ({"p1": "p1", "p2": "p3", "p3": "p2"}, 0.3333),
     ({"p1": "p1"}, 0.3333), (None, 0.0)],
)
def test_matching_partial_credit(response, expected):
    assert grade("matching", PAIRS, response) == expected


@pytest.mark.parametrize(
    ("response", "expected"),
    [(["i1", "i2", "i3", "i4"], 1.0), (["i4", "i3", "i2", "i1"], 0.0),
     (["i2", "i1", "i3", "i4"], 0.3333),  # only i3 -> i4 is right
     (["i1", "i2", "i4", "i3"], 0.3333),  # only i1 -> i2 is right
     (["i2", "i3", "i4", "i1"], 0.6667),  # a shifted run keeps two of its three links
     (None, 0.0)],
)
def test_ordering_credits_items_followed_by_their_successor(response, expected):
    assert grade("ordering", ITEMS, response) == expected


def test_open_answer_waits_for_a_trainer_unless_empty():
    assert grade("open", {"model_answer": "x"}, "Een antwoord") is None
    assert grade("open", {"model_answer": "x"}, None) == 0.0


def test_choice_options_get_fresh_random_tokens_per_attempt():
    qtype = QUESTION_TYPES["single_choice"]
    first = qtype.draw(SINGLE, True, random.Random(1))["options"]
    second = qtype.draw(SINGLE, True, random.Random(1))["options"]
    assert {iid for _tok, iid in first} == {"a", "b"}
    assert {tok for tok, _iid in first}.isdisjoint({tok for tok, _iid in second})


def test_unknown_option_token_is_refused():
    drawn = QUESTION_TYPES["single_choice"].draw(SINGLE, False, random.Random(1))
    with pytest.raises(AnswerError):
        QUESTION_TYPES["single_choice"].parse(SINGLE, drawn, ["nep-token"], {})


def test_single_choice_with_two_answers_is_refused():
    drawn = QUESTION_TYPES["single_choice"].draw(SINGLE, False, random.Random(1))
    tokens = [tok for tok, _ in drawn["options"]]
    with pytest.raises(AnswerError):
        QUESTION_TYPES["single_choice"].parse(SINGLE, drawn, tokens, {})


def test_ordering_needs_every_place_once():
    qtype = QUESTION_TYPES["ordering"]
    drawn = qtype.draw(ITEMS, True, random.Random(1))
    tokens = [tok for tok, _ in drawn["items"]]
    with pytest.raises(AnswerError):
        qtype.parse_fields(drawn, dict(zip(tokens, ["1", "1", "2", "3"], strict=True)))
    with pytest.raises(AnswerError):
        qtype.parse_fields(drawn, dict(zip(tokens, ["1", "2", "3", "9"], strict=True)))
    assert qtype.parse_fields(drawn, dict.fromkeys(tokens, "")) is None


def test_ordering_and_matching_are_shown_in_a_random_order_even_without_shuffling():
    orders, rights = set(), set()
    for seed in range(60):
        rng = random.Random(seed)
        orders.add(tuple(iid for _t, iid in QUESTION_TYPES["ordering"].draw(ITEMS, False, rng)["items"]))
        rights.add(tuple(iid for _t, iid in QUESTION_TYPES["matching"].draw(PAIRS, False, rng)["rights"]))
    assert len(orders) > 10  # many permutations, so the shown order says nothing about the answer
    assert len(rights) == 6  # all 3! orders of the right-hand answers


@pytest.mark.parametrize("value", ["²", "٢", "9" * 5000, "-1", "1.0"])
def test_ordering_refuses_odd_position_values(value):
    qtype = QUESTION_TYPES["ordering"]
    drawn = qtype.draw(ITEMS, True, random.Random(1))
    tokens = [tok for tok, _ in drawn["items"]]
    with pytest.raises(AnswerError):
        qtype.parse_fields(drawn, dict(zip(tokens, [value, "2", "3", "4"], strict=True)))


def test_open_answer_has_a_length_limit():
    with pytest.raises(AnswerError):
        QUESTION_TYPES["open"].parse({}, {}, ["x" * 5001], {})
