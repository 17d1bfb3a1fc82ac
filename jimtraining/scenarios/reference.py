"""A scenario's reference round (`reference_round` in the scenario file): a written transcript of a played sketch
with the expert's rubric scores and a reason per criterion. Trainers and trainer candidates score it to calibrate
(jimtraining/calibration/). Checked here, at `content check`:

    reference_round:
      title: "Een ronde met ..."          # what the round is about, in a few words
      transcript: |                       # Markdown: who says what; fictional
        **JIMwerker:** ...
      scores:                             # one per rubric criterion, by the criterion's id
        <criterion-id>: {level: 1-4, reason: "why this level, from what happened in the transcript"}
"""

from __future__ import annotations

from flask_babel import gettext as _

from jimtraining.content.checks import has_text, unknown_keys
from jimtraining.scenarios.rubric import HIGHEST_LEVEL, LOWEST_LEVEL

REFERENCE_KEYS = {"title", "transcript", "scores"}
SCORE_KEYS = {"level", "reason"}
#: A transcript shorter than this many words cannot show what the expert's scores rest on.
MIN_TRANSCRIPT_WORDS = 120
#: The expert's levels use at least this many different levels (or one per criterion, with fewer criteria). With
#: four or five criteria on two neighbouring levels, a single miss of one level drops a rater's weighted kappa to
#: about 0.55; in the shipped rounds, which use three or four levels, one such miss keeps it at 0.67 or more.
MIN_DIFFERENT_LEVELS = 3


def check_reference_round(reference, rubric, report) -> None:
    """Report what is wrong with a scenario's reference round (`rubric`: the scenario's rubric list, checked)."""
    at = ("reference_round",)
    if not isinstance(reference, dict):
        report(at, _("'reference_round' ontbreekt: een uitgeschreven ronde met de scores van de expert "
                     "(title, transcript, scores)"))
        return
    unknown_keys(reference, REFERENCE_KEYS, at, report)
    for key in ("title", "transcript"):
        if not has_text(reference.get(key)):
            report(at + (key,), _("'reference_round' mist '%(key)s'", key=key))
    transcript = reference.get("transcript")
    if has_text(transcript) and len(transcript.split()) < MIN_TRANSCRIPT_WORDS:
        report(at + ("transcript",), _("het transcript is te kort (minstens %(n)s woorden): laat zien waar de "
                                       "scores op rusten", n=MIN_TRANSCRIPT_WORDS))
    criteria = [item["id"] for item in rubric if isinstance(item, dict) and isinstance(item.get("id"), str)] \
        if isinstance(rubric, list) else []
    scores = reference.get("scores")
    if not isinstance(scores, dict) or not scores:
        report(at + ("scores",), _("'scores' geeft per criterium van de rubric een niveau en een reden"))
        return
    for criterion, score in scores.items():
        where = at + ("scores", criterion)
        if criterion not in criteria:
            report(where, _("'%(id)s' is geen criterium van de rubric (%(list)s)", id=criterion,
                            list=", ".join(criteria)))
            continue
        if not isinstance(score, dict):
            report(where, _("een score heeft 'level' en 'reason'"))
            continue
        unknown_keys(score, SCORE_KEYS, where, report)
        level = score.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
            report(where + ("level",), _("'level' is een heel getal van %(low)s tot %(high)s",
                                         low=LOWEST_LEVEL, high=HIGHEST_LEVEL))
        if not has_text(score.get("reason")):
            report(where, _("de score van '%(id)s' mist een 'reason': waarom dit niveau?", id=criterion))
    for criterion in criteria:
        if criterion not in scores:
            report(at + ("scores",), _("de expert geeft geen score voor criterium '%(id)s'", id=criterion))
    levels = {score.get("level") for score in scores.values() if isinstance(score, dict)}
    needed = min(MIN_DIFFERENT_LEVELS, len(criteria))
    if len(levels) < needed:
        report(at + ("scores",), _("de expert gebruikt %(used)s verschillende niveaus; gebruik er minstens "
                                   "%(needed)s, anders zegt de kappa van een trainer weinig", used=len(levels),
                                   needed=needed))


def expert_levels(reference: dict) -> dict[str, int]:
    """The expert's level per criterion id, in written order (of a checked reference round)."""
    return {criterion: score["level"] for criterion, score in reference["scores"].items()}
