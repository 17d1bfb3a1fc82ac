"""The practice assignment's assessment criteria: read from a track file (requirements.practice.criteria and
.cutoff, documented in modules/README.md), and the decision they propose when a trainer scores a version.

A criterion is like a scenario rubric's: an id, what is assessed (`criterion`) and four levels described as what
the text shows. The cut-off works as a rubric's (jimtraining/scenarios/rubric.py): no criterion below
`min_level`, the levels together at least `min_total`. Meeting it proposes "approved", else "returned".
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from jimtraining.content.checks import check_ids, has_text, unknown_keys
from jimtraining.scenarios.rubric import HIGHEST_LEVEL, LOWEST_LEVEL, RubricCutoff
from jimtraining.scenarios.verdict import Proposal, VerdictError, deviation_reason, propose

CRITERION_KEYS = {"id", "criterion", "levels"}
CUTOFF_KEYS = {"min_level", "min_total"}
#: A practice assignment has at most this many criteria.
MAX_CRITERIA = 8
MAX_ID = 100
#: The decision a met / unmet cut-off proposes.
DECISIONS = {True: "approved", False: "returned"}


def check_criteria(practice: dict, at: tuple, report) -> tuple[list[dict], dict | None]:
    """The checked `criteria` and `cutoff` of a practice block ([] and None when it has none); problems are
    reported. Criteria and a cut-off come together: one without the other is a problem."""
    criteria, cutoff = practice.get("criteria"), practice.get("cutoff")
    if criteria is None and cutoff is None:
        return [], None
    before = report.count
    if not isinstance(criteria, list) or not criteria or len(criteria) > MAX_CRITERIA:
        report(at + ("criteria",), _("'criteria' noemt 1 tot %(n)s beoordelingscriteria", n=MAX_CRITERIA))
        criteria = []
    check_ids(criteria, at, "criteria", report, MAX_ID)
    for index, item in enumerate(criteria):
        where = at + ("criteria", index)
        if not isinstance(item, dict):
            continue
        unknown_keys(item, CRITERION_KEYS, where, report)
        if not has_text(item.get("criterion")):
            report(where, _("elk criterium heeft een 'criterion': wat beoordeel je?"))
        levels = item.get("levels")
        if not isinstance(levels, list) or len(levels) != 4 or not all(has_text(level) for level in levels):
            report(where + ("levels",), _("elk criterium heeft precies 4 niveaus, beschreven als wat de tekst laat "
                                          "zien"))
    checked_cutoff = _check_cutoff(cutoff, len(criteria), at + ("cutoff",), report)
    if report.count != before:
        return [], None
    return ([{"id": c["id"], "criterion": c["criterion"].strip(), "levels": [level.strip() for level in c["levels"]]}
             for c in criteria], checked_cutoff)


def _check_cutoff(cutoff, count: int, at: tuple, report) -> dict | None:
    if not isinstance(cutoff, dict):
        report(at, _("'cutoff' ontbreekt: wanneer is de opdracht voldoende? (min_level en min_total)"))
        return None
    unknown_keys(cutoff, CUTOFF_KEYS, at, report)
    level, total = cutoff.get("min_level"), cutoff.get("min_total")
    if isinstance(level, bool) or not isinstance(level, int) or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
        report(at + ("min_level",), _("'min_level' is een heel getal van %(low)s tot %(high)s",
                                      low=LOWEST_LEVEL, high=HIGHEST_LEVEL))
        return None
    if isinstance(total, bool) or not isinstance(total, int) or not (
            max(level, LOWEST_LEVEL) * count <= total <= HIGHEST_LEVEL * count):
        report(at + ("min_total",), _("'min_total' is een heel getal van %(low)s tot %(high)s (%(n)s criteria, "
                                      "elk minstens niveau %(level)s)", low=level * count,
                                      high=HIGHEST_LEVEL * count, n=count, level=level))
        return None
    return {"min_level": level, "min_total": total}


def cutoff_of(practice: dict | None) -> RubricCutoff | None:
    """The cut-off of a track's practice block, or None when it has no criteria."""
    if not practice or not practice.get("criteria") or not practice.get("cutoff"):
        return None
    rule = practice["cutoff"]
    return RubricCutoff(min_level=rule["min_level"], min_total=rule["min_total"],
                        criteria=tuple(c["id"] for c in practice["criteria"]))


def proposal(practice: dict | None, scores: Mapping[str, int]) -> Proposal:
    """What the criteria propose for these levels: sufficient (approve) or not (return), with the reasons."""
    return propose((practice or {}).get("criteria") or [], cutoff_of(practice), scores)


def read_levels(practice: dict | None, form) -> tuple[dict[str, int], list[str]]:
    """The levels a reviewer chose (form fields level-<criterion id>), and a message per criterion without one."""
    levels, errors = {}, []
    for criterion in (practice or {}).get("criteria") or []:
        raw = form.get(f"level-{criterion['id']}", "")
        if raw in ("1", "2", "3", "4"):
            levels[criterion["id"]] = int(raw)
        else:
            errors.append(_("Kies een niveau bij '%(criterion)s'.", criterion=criterion["criterion"]))
    return levels, errors


def judge(practice: dict | None, levels: Mapping[str, int] | None, decision: str,
          reason: str | None) -> tuple[str | None, str | None]:
    """The decision the criteria propose (None without criteria) and the deviation reason to keep (None when the
    decision follows the proposal). Refuses (VerdictError) when a criterion is not scored, or when the decision
    deviates without a reason."""
    levels = levels or {}
    proposed = proposal(practice, levels)
    if proposed.sufficient is None:
        return None, deviation_reason(proposed, decision == "approved", reason)
    missing = [c["criterion"] for c in practice["criteria"] if c["id"] not in levels]
    if missing:
        raise VerdictError(_("Kies een niveau bij elk criterium. Nog niet gekozen: %(list)s.",
                             list=", ".join(missing)))
    return DECISIONS[proposed.sufficient], deviation_reason(proposed, decision == "approved", reason)
