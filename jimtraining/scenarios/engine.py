"""Branching practice: conditions on named variables, effects of choices, redirects. Pure functions, no I/O.

A condition is `<variable> <op> <integer>` (op: >= <= > < == !=), several joined with ` and `. It is parsed,
never evaluated as code.

The choices of a node are shown in an order fixed by a seed (one per run) and the node: the same run shows the same
order on every refresh and after "een stap terug", another run shows another order. The written order decides
nothing for the learner; a choice is always stored by its written index.
"""

from __future__ import annotations

import hashlib
import operator
import re

CONDITION_PART = re.compile(r"^\s*([a-z0-9]+(?:[-_][a-z0-9]+)*)\s*(>=|<=|==|!=|>|<)\s*(-?\d{1,4})\s*$")
OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq,
             "!=": operator.ne}
#: A redirect chain longer than this is a loop of redirects.
MAX_REDIRECTS = 50


class ConditionError(ValueError):
    pass


def parse_condition(text: str) -> list[tuple[str, str, int]]:
    """'regie >= 2 and veiligheid > 0' -> [('regie', '>=', 2), ('veiligheid', '>', 0)]; raises ConditionError."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("empty condition")
    parts = []
    for piece in re.split(r"\s+and\s+", text.strip()):
        match = CONDITION_PART.match(piece)
        if not match:
            raise ConditionError(piece)
        parts.append((match.group(1), match.group(2), int(match.group(3))))
    return parts


def holds(condition: str | None, variables: dict[str, int]) -> bool:
    if not condition:
        return True
    return all(OPERATORS[op](variables.get(name, 0), value) for name, op, value in parse_condition(condition))


def choice_order(node_id: str, count: int, seed: str | None) -> list[int]:
    """The written indexes 0..count-1 in the order to show them: written order without a seed, else an order that
    depends only on (seed, node id). Each index gets a SHA-256 key, so the order is a uniform shuffle that no
    library update can change, and all choices of a node are ordered at once: a choice that appears or disappears
    through its condition never moves the others relative to each other."""
    if seed is None:
        return list(range(count))
    return sorted(range(count), key=lambda index: hashlib.sha256(f"{seed}\x00{node_id}\x00{index}".encode()).digest())


def visible_choices(node: dict, variables: dict[str, int], seed: str | None = None) -> list[tuple[int, dict]]:
    """(written index, choice) of the choices whose condition holds, in the order of the seed (written order
    without one)."""
    choices = node.get("choices") or []
    return [(index, choices[index]) for index in choice_order(node.get("id", ""), len(choices), seed)
            if holds(choices[index].get("if"), variables)]


def follow_redirects(nodes: dict[str, dict], node_id: str, variables: dict[str, int]) -> str:
    """From a node, follow redirect nodes until a node with text is reached."""
    for _ in range(MAX_REDIRECTS):
        node = nodes[node_id]
        if not node.get("redirect"):
            return node_id
        node_id = next(step["to"] for step in node["redirect"] if holds(step.get("if"), variables))
    raise RuntimeError("redirect loop")


def apply_effects(variables: dict[str, int], effects: dict | None) -> dict[str, int]:
    result = dict(variables)
    for name, change in (effects or {}).items():
        result[name] = result.get(name, 0) + int(change)
    return result


def start_variables(practice: dict) -> dict[str, int]:
    return {v["id"]: int(v.get("start", 0)) for v in practice.get("variables", [])}


def replay(practice: dict, choice_indexes: list[int]) -> tuple[str, dict[str, int], list[str]]:
    """Play the given choices from the start: (current node, variables, path of node ids).

    Raises ValueError when a choice is not available at that point (a stale or forged choice).
    """
    nodes = {n["id"]: n for n in practice["nodes"]}
    variables = start_variables(practice)
    current = follow_redirects(nodes, practice["start"], variables)
    path = [current]
    for index in choice_indexes:
        node = nodes[current]
        available = dict(visible_choices(node, variables))
        if node.get("ending") or index not in available:
            raise ValueError("choice not available")
        choice = available[index]
        variables = apply_effects(variables, choice.get("effects"))
        current = follow_redirects(nodes, choice["to"], variables)
        path.append(current)
    return current, variables, path
