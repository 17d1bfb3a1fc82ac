"""The verdict a rubric's cut-off proposes, explained in words, and the rule for deviating from it.

Used by live role-play rounds (jimtraining/roleplay/) and the practice assignment's review
(jimtraining/certification/): the proposal follows the scores; the person who decides may record another verdict
only with a reason, which goes to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _

from jimtraining.scenarios.rubric import LOWEST_LEVEL, RubricCutoff, explain_verdict

#: At most this many characters in a deviation reason.
MAX_REASON = 2000


class VerdictError(Exception):
    """A verdict that cannot be recorded as given; the message is shown to the person."""


@dataclass
class Proposal:
    """What the cut-off proposes: True (voldoende), False (nog niet voldoende), or None when the rubric has no
    cut-off; and why, in plain Dutch."""

    sufficient: bool | None
    reasons: list[str] = field(default_factory=list)


def propose(criteria: list[dict], cutoff: RubricCutoff | None, scores: Mapping[str, int]) -> Proposal:
    """The proposal from the levels per criterion id (criteria: the rubric, each with `id` and `criterion`)."""
    if cutoff is None:
        return Proposal(None)
    names = {c["id"]: c["criterion"] for c in criteria}
    why = explain_verdict(scores, cutoff)
    reasons = []
    if why.unscored:
        reasons.append(_("nog niet gescoord: %(list)s",
                         list=", ".join(f"'{names.get(c, c)}'" for c in why.unscored)))
    for criterion in why.too_low:
        if cutoff.min_level == LOWEST_LEVEL + 1:
            reasons.append(_("'%(name)s' op het laagste niveau", name=names.get(criterion, criterion)))
        else:
            reasons.append(_("'%(name)s' onder niveau %(level)s", name=names.get(criterion, criterion),
                             level=cutoff.min_level))
    if not why.unscored:
        if why.total < why.min_total:
            reasons.append(_("totaal %(total)s, minimaal %(min)s nodig (van %(max)s)", total=why.total,
                             min=why.min_total, max=why.max_total))
        elif why.sufficient:
            reasons.append(_("geen criterium onder niveau %(level)s en totaal %(total)s (minimaal %(min)s, van "
                             "%(max)s)", level=cutoff.min_level, total=why.total, min=why.min_total,
                             max=why.max_total))
    return Proposal(why.sufficient, reasons)


def deviation_reason(proposal: Proposal, sufficient: bool, reason: str | None) -> str | None:
    """The reason to keep for a verdict: None when it follows the proposal (or there is none); the stripped
    reason when it deviates. Refuses a deviation without a reason, and a reason that is too long."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise VerdictError(_("De reden is te lang (hoogstens %(n)s tekens).", n=MAX_REASON))
    if proposal.sufficient is None or proposal.sufficient == sufficient:
        return None
    if not reason:
        raise VerdictError(_("Je kiest een ander oordeel dan het voorstel. Schrijf op waarom: dat is verplicht."))
    return reason
