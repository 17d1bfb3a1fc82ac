"""Read Moodle XML question files (what hogescholen export from Moodle) into quiz.yml questions.

Supported: multichoice (one or several answers, partial credit as `weight`s), truefalse, matching (extra answers
as `distractors`), essay (-> open) and ordering (qtype_ordering). Every text keeps its meaning: HTML becomes
Markdown or plain text (jimtraining.quizzes.moodle_text). Everything quiz.yml has no place for (categories, tags,
pictures and other embedded files, hints, combined feedback) is reported with the line it stands on, and so is
every other question type. A question whose meaning would change is not imported.
Parsing goes through defusedxml, so entity-expansion tricks in an uploaded file do nothing.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree

from defusedxml.ElementTree import DefusedXMLParser
from flask_babel import gettext as _

from jimtraining.quizzes.gift import (
    NO_FEEDBACK,
    NO_MODEL_ANSWER,
    IdMaker,
    ImportResult,
    choice_question,
    finish,
    option_id,
)
from jimtraining.quizzes.moodle_text import XML_FORMATS, Notes, to_markdown, to_plain

#: qtype_ordering grades like our ordering type with this grading type (credit per item followed by the right one).
ORDERING_GRADING = ("", "1", "RELATIVE_NEXT_EXCLUDE_LAST")


class _LineTreeBuilder(ElementTree.TreeBuilder):
    """Remembers the line each element starts on."""

    def __init__(self):
        super().__init__()
        self.parser = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


class _Reader:
    """Converts the texts of one question and collects (line, message) notes about what they leave out."""

    def __init__(self, lines: dict[int, int], notes: list, fallback_line: int):
        self.lines, self.notes, self.fallback = lines, notes, fallback_line
        self.files: set[str] = set()

    def line(self, element) -> int:
        return self.lines.get(id(element), self.fallback) if element is not None else self.fallback

    def note(self, element, message: str) -> None:
        self.notes.append((self.line(element), message))

    def _convert(self, convert, element) -> str:
        if element is None:
            return ""
        text_element = element.find("text")
        fmt = XML_FORMATS.get(element.get("format", "moodle_auto_format"), "moodle")
        found = Notes()
        text = convert(text_element.text or "" if text_element is not None else "", fmt, found)
        for message in found.messages:
            self.note(text_element if text_element is not None else element, message)
        self.files |= found.files
        for file in element.findall("file"):
            name = file.get("name") or "?"
            if name not in self.files:
                self.files.add(name)
                self.note(file, _("overgeslagen: ingebed bestand '%(name)s'; quiz.yml kan geen bestanden uit Moodle "
                                  "bevatten", name=name))
        return text

    def markdown(self, element) -> str:
        return self._convert(to_markdown, element)

    def plain(self, element) -> str:
        return self._convert(to_plain, element)


def _fraction(answer) -> float:
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


def _flag(element, name: str, default: bool) -> bool:
    value = (element.findtext(name) or "").strip().lower()
    return default if not value else value in ("true", "1", "yes")


def parse_moodle_xml(source: str) -> ImportResult:
    result = ImportResult()
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(source)
        root = parser.close()
    except Exception as error:  # noqa: BLE001 - ParseError and defusedxml's refusals alike
        line = getattr(error, "position", (1, 0))[0]
        result.problems.append((line, _("geen geldige XML: %(reason)s", reason=str(error).splitlines()[0])))
        return result
    make_id = IdMaker()
    for element in root.iter("question"):
        line = builder.lines.get(id(element), 1)
        notes: list[tuple[int, str]] = []
        reader = _Reader(builder.lines, notes, line)
        kind = element.get("type", "")
        if kind == "category":
            category = (element.findtext("category/text") or "").strip()
            result.problems.append((line, _("overgeslagen: categorie '%(name)s'; quiz.yml kent geen categorieën, de "
                                            "vragen komen in de vragenbank van de module", name=category)))
            continue
        name = to_plain(element.findtext("name/text") or "", "html", Notes())
        converter = CONVERTERS.get(kind)
        if converter is None:
            result.problems.append((line, _("vraagsoort '%(type)s' van '%(name)s' wordt niet ondersteund",
                                            type=kind, name=name)))
            continue
        text = reader.markdown(element.find("questiontext"))
        if not text:
            result.problems.append((line, _("vraag '%(name)s' heeft geen tekst", name=name)))
            continue
        question = {"id": _question_id(element, name or text, make_id, reader), "text": text, "_notes": []}
        _points(element, question, reader)
        _extras(element, reader)
        try:
            converter(element, question, reader)
        except _SkipError as skip:
            result.problems.append((skip.line or line, str(skip)))
            continue
        question["feedback"] = reader.markdown(element.find("generalfeedback")) or NO_FEEDBACK
        notes.extend((line, message) for message in question["_notes"])
        finish(question, line, result, sorted(notes, key=lambda note: note[0]))
    return result


class _SkipError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _question_id(element, name: str, make_id: IdMaker, reader: _Reader) -> str:
    """Moodle's id number when it is a valid, unused question id; otherwise one made from the name."""
    number = element.find("idnumber")
    wanted = (number.text or "").strip() if number is not None else ""
    if wanted and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", wanted) and len(wanted) <= 60 and make_id.claim(wanted):
        return wanted
    made = make_id(name)
    if wanted:
        reader.note(number, _("het Moodle-id '%(wanted)s' kan geen vraag-id zijn (kleine letters, cijfers en "
                              "streepjes, uniek); de vraag kreeg id '%(id)s'", wanted=wanted, id=made))
    return made


def _points(element, question: dict, reader: _Reader) -> None:
    grade = element.find("defaultgrade")
    try:
        value = float(grade.text) if grade is not None and grade.text else 1.0
    except ValueError:
        value = 1.0
    if not math.isfinite(value):
        value = 1.0
    points = max(1, min(round(value), 100))
    if abs(points - value) > 1e-6:
        reader.note(grade, _("let op: %(grade)s punten in Moodle zijn hier %(points)s punten (hele getallen van 1 "
                             "tot 100)", grade=f"{value:g}", points=points))
    if points != 1:
        question["points"] = points


def _extras(element, reader: _Reader) -> None:
    """Report the parts of a Moodle question that quiz.yml cannot hold."""
    for tag in element.findall("tags/tag"):
        reader.note(tag, _("overgeslagen: tag '%(tag)s'; quiz.yml kent geen tags",
                           tag=(tag.findtext("text") or "").strip()))
    for key, label in (("correctfeedback", _("bij een goed antwoord")),
                       ("partiallycorrectfeedback", _("bij een deels goed antwoord")),
                       ("incorrectfeedback", _("bij een fout antwoord"))):
        part = element.find(key)
        if part is not None and (part.findtext("text") or "").strip():
            reader.note(part, _("overgeslagen: de feedback %(when)s ('%(key)s'); quiz.yml heeft feedback per "
                                "antwoord en een algemene uitleg", when=label, key=key))
    for hint in element.findall("hint"):
        if (hint.findtext("text") or "").strip():
            reader.note(hint, _("overgeslagen: hint (alleen voor Moodle's interactieve modus)"))
    for image in element.findall("image"):
        if (image.text or "").strip():
            reader.note(image, _("overgeslagen: afbeelding '%(name)s' (oud Moodle 1.9-veld)",
                                 name=image.text.strip()))
    shuffle = element.find("shuffleanswers")
    if shuffle is not None and not _flag(element, "shuffleanswers", True) and element.get("type") == "multichoice":
        reader.note(shuffle, _("let op: in Moodle staan de antwoorden van deze vraag in een vaste volgorde; hier "
                               "bepaalt 'shuffle_options' van de toets de volgorde"))


def _multichoice(element, question, reader: _Reader) -> None:
    answers = element.findall("answer")
    options, weights = [], []
    for number, answer in enumerate(answers):
        text = reader.plain(answer)
        if not text:
            raise _SkipError(_("overgeslagen: antwoord %(n)s is leeg", n=number + 1), reader.line(answer))
        options.append({"id": option_id(number), "text": text, "feedback": reader.plain(answer.find("feedback"))})
        weights.append(_fraction(answer))
    for weight, answer in zip(weights, answers, strict=True):
        if not -100 <= weight <= 100:
            raise _SkipError(_("overgeslagen: ongeldig gewicht '%(weight)s'", weight=answer.get("fraction")),
                             reader.line(answer))
    choice_question(question, options, weights, _flag(element, "single", True))


def _truefalse(element, question, reader: _Reader) -> None:
    truth, feedback, seen = None, {"true": "", "false": ""}, set()
    for answer in element.findall("answer"):
        value = (answer.findtext("text") or "").strip().lower()
        if value not in feedback:
            raise _SkipError(_("overgeslagen: een waar/niet waar-vraag heeft de antwoorden 'true' en 'false', niet "
                               "'%(value)s'", value=value), reader.line(answer))
        seen.add(value)
        feedback[value] = reader.plain(answer.find("feedback"))
        if _fraction(answer) > 0:
            truth = value == "true"
    if truth is None or seen != {"true", "false"}:
        raise _SkipError(_("overgeslagen: bij deze waar/niet waar-vraag is geen antwoord goed"), reader.line(element))
    question.update(type="true_false", answer=truth, feedback_true=feedback["true"],
                    feedback_false=feedback["false"])


def _matching(element, question, reader: _Reader) -> None:
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        left, right = reader.plain(sub), (sub.findtext("answer/text") or "").strip()
        if not right:
            raise _SkipError(_("overgeslagen: een paar heeft geen rechterkant"), reader.line(sub))
        if not left:
            distractors.append(right)  # an extra answer that belongs to no left-hand item
            continue
        pairs.append({"id": f"p{len(pairs) + 1}", "left": left, "right": right})
    question.update(type="matching", pairs=pairs)
    if distractors:
        question["distractors"] = distractors


def _essay(element, question, reader: _Reader) -> None:
    model = reader.plain(element.find("graderinfo"))
    question.update(type="open", model_answer=model or NO_MODEL_ANSWER)
    if not model:
        question["_notes"].append(_("open vraag '%(id)s' zonder modelantwoord: vul 'model_answer' aan",
                                    id=question["id"]))
    template = element.find("responsetemplate")
    if template is not None and (template.findtext("text") or "").strip():
        reader.note(template, _("overgeslagen: het antwoordsjabloon ('responsetemplate')"))
    attachments = element.find("attachments")
    if attachments is not None and (attachments.text or "0").strip() not in ("0", ""):
        reader.note(attachments, _("overgeslagen: bijlagen bij het antwoord; een open vraag hier is alleen tekst"))


def _ordering(element, question, reader: _Reader) -> None:
    answers = sorted(element.findall("answer"), key=_fraction)
    question.update(type="ordering", items=[{"id": f"i{n}", "text": reader.plain(a)} for n, a in enumerate(answers, 1)])
    grading = element.find("gradingtype")
    if grading is not None and (grading.text or "").strip().upper() not in ORDERING_GRADING:
        reader.note(grading, _("let op: Moodle beoordeelt deze vraag als '%(how)s'; hier krijgt elk onderdeel dat "
                               "direct door het goede volgt punten", how=(grading.text or "").strip()))
    select = element.find("selecttype")
    if select is not None and (select.text or "").strip().upper() not in ("", "0", "ALL"):
        reader.note(select, _("let op: Moodle toont een deel van de onderdelen ('%(how)s'); hier staan ze er "
                              "allemaal", how=(select.text or "").strip()))


CONVERTERS = {"multichoice": _multichoice, "truefalse": _truefalse, "matching": _matching, "essay": _essay,
              "ordering": _ordering}
