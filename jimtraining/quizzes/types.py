"""Question types: a small registry keyed by the `type` of a question.

Each type knows how to check its content (for `flask content check`), how to read an answer from a submitted
form, and how to grade it. Grading happens on the server only. Answers in the page never carry the ids the
author gave options: every attempt gets random tokens, so the HTML does not reveal which option is correct.
"""

from __future__ import annotations

import math
import random
import re
import secrets
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jimtraining.content.checks import check_ids, has_text
from jimtraining.content.problems import Report

#: Option ids that would tell which answer is right.
REVEALING_IDS = re.compile(r"correct|juist|goed|fout|wrong|right|true|false|waar|onwaar", re.IGNORECASE)



class AnswerError(ValueError):
    """An answer that cannot be accepted; the message is shown to the learner."""


#: Ids of options, pairs and items are at most this long.
MAX_ID = 40


def _not_revealing(report: Report) -> Callable[[str, tuple], None]:
    """check_ids' extra check for option ids: an id must not give the right answer away."""
    def check(item_id: str, at: tuple) -> None:
        if REVEALING_IDS.search(item_id):
            report(at, _("de id '%(id)s' verraadt het antwoord; gebruik a, b, c, ...", id=item_id))
    return check


class QuestionType:
    key = ""
    label = ""
    #: Keys this type accepts on top of the common ones.
    extra_keys: set[str] = set()
    #: True when a trainer grades the answer.
    needs_review = False

    def check(self, q: dict, path: tuple, report: Report) -> None:
        """Report content problems of one question."""

    def normalise(self, q: dict) -> dict:
        """The type-specific data stored with the question."""
        return {}

    def draw(self, data: dict, shuffle: bool, rng: random.Random) -> dict:
        """Per-attempt display data: random tokens for the options, in display order."""
        return {}

    def parse(self, data: dict, drawn: dict, values: list[str], form) -> object:
        """Read the answer from the form values of this question; None when not answered."""
        raise NotImplementedError

    def grade(self, data: dict, response) -> float | None:
        """Fraction of the points earned, 0..1; None when a trainer must grade it."""
        raise NotImplementedError

    def chosen(self, data: dict, response) -> list[str]:
        """Option ids chosen in a response, for the item statistics."""
        return []

    # Helpers -----------------------------------------------------------------------------------------------
    @staticmethod
    def _tokens(ids: list[str], shuffle: bool, rng: random.Random) -> list[list[str]]:
        order = list(ids)
        if shuffle:
            rng.shuffle(order)
        return [[secrets.token_hex(4), item_id] for item_id in order]

    @staticmethod
    def _untoken(drawn: dict, key: str, token: str) -> str:
        for tok, item_id in drawn.get(key, []):
            if tok == token:
                return item_id
        raise AnswerError(_("Dit antwoord hoort niet bij deze vraag."))


def _weight(option: dict) -> float | None:
    """An option's weight as a number from -100 to 100 (missing: 0), or None when it is not one."""
    value = option.get("weight", 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if -100 <= value <= 100 else None


def uses_weights(q: dict) -> bool:
    """True when a choice question grades by `weight` (Moodle's partial credit) instead of `correct`."""
    options = q.get("options")
    return isinstance(options, list) and any(isinstance(o, dict) and "weight" in o for o in options)


class _Choice(QuestionType):
    extra_keys = {"options"}

    def _check_options(self, q, path, report, min_correct, max_correct):
        options = q.get("options")
        if not isinstance(options, list) or len(options) < 2:
            report(path + ("options",), _("geef minstens twee antwoorden onder 'options'"))
            return
        check_ids(options, path, "options", report, MAX_ID, also=_not_revealing(report))
        weighted = uses_weights(q)
        for index, option in enumerate(options):
            if isinstance(option, dict):
                if not has_text(option.get("text")):
                    report(path + ("options", index), _("elk antwoord heeft een 'text'"))
                if "correct" in option and not isinstance(option["correct"], bool):
                    report(path + ("options", index, "correct"), _("'correct' is true of false"))
                if weighted and "correct" in option:
                    report(path + ("options", index, "correct"),
                           _("gebruik in één vraag 'weight' of 'correct', niet allebei"))
                if "weight" in option and _weight(option) is None:
                    report(path + ("options", index, "weight"),
                           _("'weight' is een percentage van -100 tot en met 100"))
                unknown = set(option) - {"id", "text", "correct", "feedback", "weight"}
                if unknown:
                    report(path + ("options", index), _("onbekend veld '%(key)s'", key=sorted(unknown)[0]))
        if weighted:
            weights = [_weight(o) if isinstance(o, dict) else None for o in options]
            if None not in weights:
                self._check_weights(weights, path + ("options",), report)
            return
        correct = sum(1 for o in options if isinstance(o, dict) and o.get("correct") is True)
        if correct < min_correct:
            report(path + ("options",), _("geen enkel antwoord is goed: zet bij het goede antwoord 'correct: true'")
                   if correct == 0 else _("kies minstens %(n)s goede antwoorden", n=min_correct))
        elif max_correct is not None and correct > max_correct:
            report(path + ("options",), _("bij deze vraagsoort is precies één antwoord goed"))
        if correct == len(options):
            report(path + ("options",), _("minstens één antwoord moet fout zijn"))

    def _check_weights(self, weights: list[float], path: tuple, report: Report) -> None:
        raise NotImplementedError

    def normalise(self, q):
        if not uses_weights(q):
            return {"options": [
                {"id": o["id"], "text": o["text"].strip(), "correct": bool(o.get("correct")),
                 "feedback": (o.get("feedback") or "").strip()}
                for o in q["options"]
            ]}
        # With weights, 'correct' (shown with the results, counted in the statistics) follows from them.
        return {"options": [
            {"id": o["id"], "text": o["text"].strip(), "correct": self._counts_as_correct(_weight(o)),
             "feedback": (o.get("feedback") or "").strip(), "weight": _weight(o)}
            for o in q["options"]
        ]}

    def _counts_as_correct(self, weight: float) -> bool:
        return weight > 0

    def draw(self, data, shuffle, rng):
        return {"options": self._tokens([o["id"] for o in data["options"]], shuffle, rng)}

    def chosen(self, data, response):
        if isinstance(response, str):
            return [response]
        if isinstance(response, list):
            return [item for item in response if isinstance(item, str)]
        return []


class SingleChoice(_Choice):
    key = "single_choice"
    label = _l("Eén goed antwoord")

    def check(self, q, path, report):
        self._check_options(q, path, report, 1, 1)

    def _check_weights(self, weights, path, report):
        if max(weights) != 100:
            report(path, _("geef minstens één antwoord 'weight: 100': dat antwoord is helemaal goed"))

    def _counts_as_correct(self, weight):
        return weight == 100

    def parse(self, data, drawn, values, form):
        if not values or not values[0]:
            return None
        if len(values) > 1:
            raise AnswerError(_("Kies bij deze vraag één antwoord."))
        return self._untoken(drawn, "options", values[0])

    def grade(self, data, response):
        """All or nothing; with weights (Moodle's partial credit) the weight of the chosen option, never below 0.
        Several options may weigh 100%: any one of them is right."""
        if any("weight" in o for o in data["options"]):
            chosen = next((o["weight"] for o in data["options"] if o["id"] == response), 0)
            return round(max(0.0, chosen) / 100, 4)
        correct = next(o["id"] for o in data["options"] if o["correct"])
        return 1.0 if response == correct else 0.0


class MultipleResponse(_Choice):
    key = "multiple_response"
    label = _l("Meer goede antwoorden")

    def check(self, q, path, report):
        self._check_options(q, path, report, 1, None)

    def _check_weights(self, weights, path, report):
        positive = sum(w for w in weights if w > 0)
        if abs(positive - 100) > 0.01:
            report(path, _("de positieve gewichten ('weight') tellen op tot %(sum)s; dat moet 100 zijn",
                           sum=f"{positive:.5g}"))

    def parse(self, data, drawn, values, form):
        chosen = [self._untoken(drawn, "options", v) for v in values if v]
        if len(set(chosen)) != len(chosen):
            raise AnswerError(_("Elk antwoord kan maar één keer gekozen worden."))
        return sorted(chosen) if chosen else None

    def grade(self, data, response):
        """Each right tick earns its share, each wrong tick costs its share; ticking everything earns nothing.
        With weights (Moodle's multiple answers): the sum of the weights of the ticked options, from 0 to 100%."""
        chosen = set(response or [])
        if any("weight" in o for o in data["options"]):
            total = sum(o["weight"] for o in data["options"] if o["id"] in chosen)
            return round(min(1.0, max(0.0, total / 100)), 4)
        right = [o["id"] for o in data["options"] if o["correct"]]
        wrong = [o["id"] for o in data["options"] if not o["correct"]]
        earned = len(chosen & set(right)) / len(right)
        lost = len(chosen & set(wrong)) / len(wrong) if wrong else 0.0
        return round(max(0.0, earned - lost), 4)


class TrueFalse(QuestionType):
    key = "true_false"
    label = _l("Waar of niet waar")
    extra_keys = {"answer", "feedback_true", "feedback_false"}

    def check(self, q, path, report):
        if not isinstance(q.get("answer"), bool):
            report(path + ("answer",), _("'answer' is true (waar) of false (niet waar)"))

    def normalise(self, q):
        return {"answer": q["answer"], "feedback_true": (q.get("feedback_true") or "").strip(),
                "feedback_false": (q.get("feedback_false") or "").strip()}

    def parse(self, data, drawn, values, form):
        if not values or not values[0]:
            return None
        if values[0] not in ("true", "false") or len(values) > 1:
            raise AnswerError(_("Kies 'waar' of 'niet waar'."))
        return values[0] == "true"

    def grade(self, data, response):
        return 1.0 if response is data["answer"] else 0.0

    def chosen(self, data, response):
        return ["true" if response else "false"] if isinstance(response, bool) else []


class Matching(QuestionType):
    key = "matching"
    label = _l("Koppelen")
    extra_keys = {"pairs", "distractors"}
    #: Distractors get ids a pair id can never have (pair ids are lowercase letters, digits and dashes).
    DISTRACTOR_PREFIX = "*"

    @classmethod
    def right_texts(cls, data: dict) -> dict[str, str]:
        """Every right-hand answer by its id: the pairs' rights and the distractors."""
        texts = {p["id"]: p["right"] for p in data["pairs"]}
        texts.update({f"{cls.DISTRACTOR_PREFIX}{n}": text for n, text in enumerate(data.get("distractors", []), 1)})
        return texts

    def check(self, q, path, report):
        pairs = q.get("pairs")
        if not isinstance(pairs, list) or len(pairs) < 2:
            report(path + ("pairs",), _("geef minstens twee paren onder 'pairs'"))
            return
        check_ids(pairs, path, "pairs", report, MAX_ID)
        rights = []
        for index, pair in enumerate(pairs):
            if not isinstance(pair, dict) or not has_text(pair.get("left")) or not has_text(pair.get("right")):
                report(path + ("pairs", index), _("elk paar heeft een 'left' en een 'right'"))
                continue
            if pair["right"].strip() in rights:
                report(path + ("pairs", index, "right"), _("twee paren hebben dezelfde 'right'"))
            rights.append(pair["right"].strip())
        distractors = q.get("distractors", [])
        if not isinstance(distractors, list):
            report(path + ("distractors",), _("'distractors' is een lijst extra antwoorden voor de rechterkant"))
            return
        for index, extra in enumerate(distractors):
            if not has_text(extra):
                report(path + ("distractors", index), _("elk extra antwoord onder 'distractors' is een tekst"))
            elif extra.strip() in rights:
                report(path + ("distractors", index), _("het extra antwoord '%(text)s' staat al bij een paar of "
                                                        "staat er twee keer", text=extra.strip()))
            else:
                rights.append(extra.strip())

    def normalise(self, q):
        data = {"pairs": [{"id": p["id"], "left": p["left"].strip(), "right": p["right"].strip()}
                          for p in q["pairs"]]}
        if q.get("distractors"):
            data["distractors"] = [extra.strip() for extra in q["distractors"]]
        return data

    def draw(self, data, shuffle, rng):
        ids = [p["id"] for p in data["pairs"]]
        # The right-hand answers are always shuffled: in the authored order they would line up with the lefts.
        return {"lefts": self._tokens(ids, shuffle, rng), "rights": self._tokens(list(self.right_texts(data)), True,
                                                                                 rng)}

    def parse(self, data, drawn, values, form):
        raise AssertionError("matching reads several fields; use parse_fields")

    def parse_fields(self, drawn, field_values: dict[str, str]):
        """field_values: left token -> right token (empty when not chosen)."""
        response = {}
        for left_token, right_token in field_values.items():
            left = self._untoken(drawn, "lefts", left_token)
            if right_token:
                response[left] = self._untoken(drawn, "rights", right_token)
        return response or None

    def grade(self, data, response):
        response = response or {}
        return round(sum(1 for p in data["pairs"] if response.get(p["id"]) == p["id"]) / len(data["pairs"]), 4)


class Ordering(QuestionType):
    key = "ordering"
    label = _l("Volgorde")
    extra_keys = {"items"}

    def check(self, q, path, report):
        items = q.get("items")
        if not isinstance(items, list) or len(items) < 2:
            report(path + ("items",), _("geef minstens twee onderdelen onder 'items', in de goede volgorde"))
            return
        check_ids(items, path, "items", report, MAX_ID)
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not has_text(item.get("text")):
                report(path + ("items", index), _("elk onderdeel heeft een 'text'"))

    def normalise(self, q):
        return {"items": [{"id": i["id"], "text": i["text"].strip()} for i in q["items"]]}

    def draw(self, data, shuffle, rng):
        # Always a random order (the authored order is the answer). It may by chance be the right order: any
        # rule that avoided it would itself tell the learner something.
        return {"items": self._tokens([i["id"] for i in data["items"]], True, rng)}

    def parse(self, data, drawn, values, form):
        raise AssertionError("ordering reads several fields; use parse_fields")

    def parse_fields(self, drawn, field_values: dict[str, str]):
        """field_values: item token -> chosen position ('1'..'n', or empty)."""
        count = len(drawn["items"])
        if not any(field_values.values()):
            return None
        positions = {}
        for token, value in field_values.items():
            item = self._untoken(drawn, "items", token)
            if not re.fullmatch(r"[0-9]{1,3}", value) or not 1 <= int(value) <= count:
                raise AnswerError(_("Kies voor elk onderdeel een plaats van 1 tot %(n)s.", n=count))
            positions[item] = int(value)
        if len(positions) != count or len(set(positions.values())) != count:
            raise AnswerError(_("Geef elk onderdeel een eigen plaats: elke plaats komt één keer voor."))
        return [item for item, _pos in sorted(positions.items(), key=lambda kv: kv[1])]

    def grade(self, data, response):
        """Credit for every item that is directly followed by its right successor."""
        ids = [i["id"] for i in data["items"]]
        if not response:
            return 0.0
        successor = {ids[i]: ids[i + 1] for i in range(len(ids) - 1)}
        good = sum(1 for i in range(len(response) - 1) if successor.get(response[i]) == response[i + 1])
        return round(good / (len(ids) - 1), 4)


class OpenAnswer(QuestionType):
    key = "open"
    label = _l("Open vraag")
    extra_keys = {"model_answer"}
    needs_review = True
    MAX_LENGTH = 5000

    def check(self, q, path, report):
        if not has_text(q.get("model_answer")):
            report(path + ("model_answer",), _("een open vraag heeft een 'model_answer' voor de trainer"))

    def normalise(self, q):
        return {"model_answer": q["model_answer"].strip()}

    def parse(self, data, drawn, values, form):
        text = (values[0] if values else "").strip()
        if len(text) > self.MAX_LENGTH:
            raise AnswerError(_("Je antwoord is te lang (hoogstens %(n)s tekens).", n=self.MAX_LENGTH))
        return text or None

    def grade(self, data, response):
        return 0.0 if not response else None


QUESTION_TYPES: dict[str, QuestionType] = {
    t.key: t for t in (SingleChoice(), MultipleResponse(), TrueFalse(), Matching(), Ordering(), OpenAnswer())
}
