"""Read Moodle XML question files (what hogescholen export from Moodle) into quiz.yml questions.

Supported: multichoice (single or multiple), truefalse, matching, essay (-> open) and ordering (qtype_ordering).
Categories are skipped; every other type, and any part we cannot keep, is reported with its line.
Parsing goes through defusedxml, so entity-expansion tricks in an uploaded file do nothing.
"""

from __future__ import annotations

import html
import math
import re

import nh3
from defusedxml import ElementTree
from flask_babel import gettext as _

from jimtraining.quizzes.gift import IdMaker, ImportResult, _mark_correct


def _text(element) -> str:
    """Plain text from a Moodle <text> element that may hold HTML."""
    if element is None:
        return ""
    raw = element.findtext("text") or ""
    raw = re.sub(r"<\s*br\s*/?>|</p>\s*<p[^>]*>", "\n", raw, flags=re.IGNORECASE)
    return html.unescape(nh3.clean(raw, tags=set())).strip()


def _fraction(answer) -> float:
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


def parse_moodle_xml(source: str) -> ImportResult:
    result = ImportResult()
    try:
        root = ElementTree.fromstring(source)
    except Exception as error:  # noqa: BLE001 - ParseError and defusedxml's refusals alike
        line = getattr(error, "position", (1, 0))[0]
        result.problems.append((line, _("geen geldige XML: %(reason)s", reason=str(error).splitlines()[0])))
        return result
    # Line numbers: find the <question> tags in the text with comments and CDATA blanked out (same length).
    visible = re.sub(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>", lambda m: re.sub(r"[^\n]", " ", m.group(0)), source,
                     flags=re.DOTALL)
    lines = [visible.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", visible)]
    make_id = IdMaker()
    for index, element in enumerate(root.iter("question")):
        line = lines[index] if index < len(lines) else 1
        kind = element.get("type", "")
        if kind == "category":
            continue
        name = (element.findtext("name/text") or "").strip()
        text = _text(element.find("questiontext"))
        if not text:
            result.problems.append((line, _("vraag '%(name)s' heeft geen tekst", name=name)))
            continue
        question = {"id": make_id(name or text), "text": text, "_warnings": []}
        try:
            grade = float(element.findtext("defaultgrade") or "1")
            points = round(grade) if math.isfinite(grade) else 1
        except (ValueError, OverflowError):
            points = 1
        if points != 1:
            question["points"] = max(1, min(points, 100))
        converter = CONVERTERS.get(kind)
        if converter is None:
            result.problems.append((line, _("vraagsoort '%(type)s' van '%(name)s' wordt niet ondersteund",
                                            type=kind, name=name)))
            continue
        warning = converter(element, question)
        for message in ([warning] if warning else []) + question.pop("_warnings"):
            result.problems.append((line, message))
        question["feedback"] = _text(element.find("generalfeedback")) or _("(Geen uitleg in het geïmporteerde "
                                                                            "bestand.)")
        result.questions.append(question)
    return result


def _multichoice(element, question):
    answers = element.findall("answer")
    options = [{"id": chr(ord("a") + number) if number < 26 else f"o{number}", "text": _text(answer),
                "feedback": _text(answer.find("feedback"))} for number, answer in enumerate(answers)]
    weights = [_fraction(answer) for answer in answers]
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    if not single and sum(1 for w in weights if w >= 100) == 1:
        # a multiple-answer question with one right answer stays a multiple-response question
        question.update(type="multiple_response", options=options)
        for option, weight in zip(options, weights, strict=True):
            if weight > 0:
                option["correct"] = True
        return None
    _mark_correct(question, options, weights)
    return None


def _truefalse(element, question):
    truth, feedback = True, {"true": "", "false": ""}
    for answer in element.findall("answer"):
        value = _text(answer).lower()
        if value in feedback:
            feedback[value] = _text(answer.find("feedback"))
            if _fraction(answer) > 0:
                truth = value == "true"
    question.update(type="true_false", answer=truth, feedback_true=feedback["true"],
                    feedback_false=feedback["false"])
    return None


def _matching(element, question):
    pairs, dropped = [], 0
    for sub in element.findall("subquestion"):
        left, right = _text(sub), (sub.findtext("answer/text") or "").strip()
        if not left:
            dropped += 1  # a right-hand distractor without a question
            continue
        pairs.append({"id": f"p{len(pairs) + 1}", "left": left, "right": html.unescape(right)})
    question.update(type="matching", pairs=pairs)
    if dropped:
        return _("'%(id)s': %(n)s extra antwoord(en) zonder vraag (afleiders) zijn weggelaten", id=question["id"],
                 n=dropped)
    return None


def _essay(element, question):
    model = _text(element.find("graderinfo"))
    question.update(type="open", model_answer=model or _("Geen modelantwoord in het geïmporteerde bestand."))
    if not model:
        return _("open vraag '%(id)s' zonder modelantwoord: vul 'model_answer' aan", id=question["id"])
    return None


def _ordering(element, question):
    answers = sorted(element.findall("answer"), key=_fraction)
    question.update(type="ordering", items=[{"id": f"i{n}", "text": _text(a)} for n, a in enumerate(answers, 1)])
    return None


CONVERTERS = {"multichoice": _multichoice, "truefalse": _truefalse, "matching": _matching, "essay": _essay,
              "ordering": _ordering}
