"""Cue patterns in the question banks: ways to pass a quiz without knowing the content.

`flask content check` prints, per bank and over all banks together:

* the share of single-choice questions whose right option is the longest (in characters; a tie counts as longest),
* the share of true/false questions whose answer is "waar",
* the numbers of right options among the multiple-response questions.

Figures outside the thresholds below are printed as warnings; they do not fail the check. The test
tests/quizzes/test_quiz_cues.py holds the shipped banks to them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

#: At most this percentage of single-choice questions may have the longest option as the right one.
LONGEST_RIGHT_MAX = 40
#: The percentage of true/false questions that are "waar" lies in this range (inclusive).
TRUE_SHARE = (40, 60)
#: Over all banks, multiple-response questions have at least this many different numbers of right options.
MIN_RIGHT_COUNTS = 3


@dataclass
class Cues:
    single_choice: int = 0
    longest_right: int = 0
    true_false: int = 0
    true: int = 0
    #: Number of right options -> how many multiple-response questions have that many.
    right_counts: Counter = field(default_factory=Counter)

    def __add__(self, other: Cues) -> Cues:
        return Cues(self.single_choice + other.single_choice, self.longest_right + other.longest_right,
                    self.true_false + other.true_false, self.true + other.true, self.right_counts + other.right_counts)

    @property
    def too_often_longest(self) -> bool:
        return self.longest_right * 100 > LONGEST_RIGHT_MAX * self.single_choice

    @property
    def unbalanced_true_false(self) -> bool:
        low, high = TRUE_SHARE
        return bool(self.true_false) and not low * self.true_false <= self.true * 100 <= high * self.true_false


def cues_of(questions) -> Cues:
    """The cue figures of one bank (a list of QuestionFile)."""
    cues = Cues()
    for question in questions:
        if question.type == "single_choice":
            options = question.data["options"]
            right = next(len(o["text"]) for o in options if o["correct"])
            cues.single_choice += 1
            cues.longest_right += right >= max(len(o["text"]) for o in options)
        elif question.type == "true_false":
            cues.true_false += 1
            cues.true += question.data["answer"] is True
        elif question.type == "multiple_response":
            cues.right_counts[sum(o["correct"] for o in question.data["options"])] += 1
    return cues


def warnings(cues: Cues, overall: bool = False) -> list[str]:
    """What is wrong with these figures. One bank is warned when all its multiple-response questions have the same
    number of right options; all banks together when they have fewer than MIN_RIGHT_COUNTS different numbers."""
    found = []
    if cues.too_often_longest:
        found.append(_("het goede antwoord is te vaak het langste (hoogstens %(max)s%%)", max=LONGEST_RIGHT_MAX))
    if cues.unbalanced_true_false:
        found.append(_("waar en niet waar zijn niet in evenwicht (%(low)s tot %(high)s%% waar)", low=TRUE_SHARE[0],
                       high=TRUE_SHARE[1]))
    different = len(cues.right_counts)
    if overall and cues.right_counts and different < MIN_RIGHT_COUNTS:
        found.append(_("vragen met meer goede antwoorden hebben maar %(n)s verschillende aantallen goede antwoorden "
                       "(minstens %(min)s)", n=different, min=MIN_RIGHT_COUNTS))
    elif not overall and different == 1 and cues.right_counts.total() > 1:
        found.append(_("elke vraag met meer goede antwoorden heeft er evenveel goed"))
    return found


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({round(100 * part / whole)}%)" if whole else "-"


def describe(cues: Cues) -> str:
    counts = ", ".join(str(n) for n in sorted(cues.right_counts)) or "-"
    return _("langste antwoord is het goede: %(longest)s; waar: %(true)s; aantallen goede antwoorden bij meer goede "
             "antwoorden: %(counts)s", longest=_share(cues.longest_right, cues.single_choice),
             true=_share(cues.true, cues.true_false), counts=counts)


def cue_report(modules) -> list[str]:
    """The lines `content check` prints: a line per bank and one for all banks, each warning on a line under it
    that starts with 'LET OP'."""
    note = _("LET OP")
    lines, total = [], Cues()
    for module in modules:
        if module.quiz is None:
            continue
        cues = cues_of(module.quiz.questions)
        total += cues
        lines.append(f"  {module.slug}: {describe(cues)}")
        lines += [f"    {note}: {warning}" for warning in warnings(cues)]
    if not lines:
        return []
    everything = _("alle toetsen")
    lines.append(f"  {everything}: {describe(total)}")
    lines += [f"    {note}: {warning}" for warning in warnings(total, overall=True)]
    return [_("Spiekpatronen in de toetsen:")] + lines
