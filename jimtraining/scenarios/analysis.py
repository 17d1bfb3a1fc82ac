"""What the content check and the tests ask of a scenario's practice graph. Pure functions, no I/O.

- The **best ending** is the one ending marked `best: true`.
- The **best choice** of a node is the choice whose effects add up highest; a node where two choices share the
  highest sum has no best choice (the author did not rank them). A **misstep** is a choice whose effects add up
  below zero: something the author counts as doing harm.
- A learner who always takes the first choice on screen takes, at every node, a uniformly drawn visible choice
  (the order is a uniform shuffle per run): `first_option_chance` is the exact chance that such a learner reaches
  the best ending.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jimtraining.scenarios import engine

#: Paths longer than this are not followed (a loop whose effects keep changing the variables).
MAX_STEPS = 60


def best_ending(practice: dict) -> str | None:
    return next((n["id"] for n in practice["nodes"] if n.get("ending") and n.get("best")), None)


def choice_weight(choice: dict) -> int:
    return sum(int(change) for change in (choice.get("effects") or {}).values())


def best_choice_index(node: dict) -> int | None:
    """The written index of the node's best choice, or None (no choices, or a tie for the highest sum)."""
    weights = [choice_weight(choice) for choice in node.get("choices") or []]
    if len(weights) < 2:
        return None
    top = max(weights)
    return weights.index(top) if weights.count(top) == 1 else None


@dataclass(frozen=True)
class PositionBias:
    #: 1-based written position that holds the best choice most often.
    position: int
    count: int
    #: Nodes with a best choice.
    total: int


def position_bias(practice: dict) -> PositionBias | None:
    """Where the best choices are written: the most common position among the nodes that have a best choice."""
    positions = Counter(index + 1 for node in practice["nodes"]
                        if (index := best_choice_index(node)) is not None)
    if not positions:
        return None
    position, count = positions.most_common(1)[0]
    return PositionBias(position, count, sum(positions.values()))


def _state(node_id: str, variables: dict[str, int]) -> tuple:
    return node_id, tuple(sorted(variables.items()))


def first_option_chance(practice: dict) -> float:
    """The chance that a learner who always takes the first choice on screen reaches the best ending."""
    target = best_ending(practice)
    nodes = {n["id"]: n for n in practice["nodes"]}
    memo: dict[tuple, float] = {}

    def chance(node_id: str, variables: dict[str, int], depth: int, on_path: frozenset) -> float:
        node_id = engine.follow_redirects(nodes, node_id, variables)
        node = nodes[node_id]
        if node.get("ending"):
            return 1.0 if node_id == target else 0.0
        key = _state(node_id, variables)
        if key in memo:
            return memo[key]
        if depth >= MAX_STEPS or key in on_path:
            return 0.0
        visible = engine.visible_choices(node, variables)
        if not visible:
            return 0.0
        total = sum(chance(choice["to"], engine.apply_effects(variables, choice.get("effects")), depth + 1,
                           on_path | {key}) for _index, choice in visible)
        memo[key] = total / len(visible)
        return memo[key]

    if target is None:
        return 0.0
    return chance(practice["start"], engine.start_variables(practice), 0, frozenset())


def best_path_with_misstep(practice: dict) -> list[tuple[str, int]] | None:
    """A path to the best ending (as (node id, written choice index) steps) that takes at least one misstep and
    still gets there (the misstep is recovered), or None when no path to the best ending contains a misstep."""
    target = best_ending(practice)
    nodes = {n["id"]: n for n in practice["nodes"]}
    seen: set[tuple] = set()

    def search(node_id: str, variables: dict[str, int], missed: bool, path: list) -> list | None:
        node_id = engine.follow_redirects(nodes, node_id, variables)
        node = nodes[node_id]
        if node.get("ending"):
            return path if node_id == target and missed else None
        key = (_state(node_id, variables), missed)
        if key in seen or len(path) >= MAX_STEPS:
            return None
        seen.add(key)
        for index, choice in engine.visible_choices(node, variables):
            found = search(choice["to"], engine.apply_effects(variables, choice.get("effects")),
                           missed or choice_weight(choice) < 0, path + [(node_id, index)])
            if found is not None:
                return found
        return None

    if target is None:
        return None
    return search(practice["start"], engine.start_variables(practice), False, [])
