"""Moodle GIFT: read into quiz.yml questions, and write a question bank as GIFT.

Supported: multiple choice (one right answer -> single_choice; weights like ~%50% -> multiple_response),
true/false, matching, essay (-> open). Short answer, numerical, missing-word with one answer and descriptions
are reported with their line, never silently dropped. GIFT has no ordering questions; an export lists those it
leaves out. Two comment lines carry what GIFT cannot say and Moodle ignores: `// points: N` and
`// model_answer: ...` before a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

SPECIAL = "~=#{}:"


@dataclass
class ImportResult:
    questions: list[dict] = field(default_factory=list)
    #: (line, message) for every question that could not be converted, or was converted with a caveat.
    problems: list[tuple[int, str]] = field(default_factory=list)


class IdMaker:
    """Question ids from titles: lowercase letters, digits and dashes, each one unique."""

    def __init__(self):
        self.used: set[str] = set()
        self.next_number: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        table = str.maketrans("áàäâãéèëêíìïîóòöôõúùüûçñ", "aaaaaeeeeiiiiooooouuuucn")
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")[:50].strip("-") or "vraag"
        candidate = slug
        while candidate in self.used:
            number = self.next_number.get(slug, 2)
            self.next_number[slug] = number + 1
            candidate = f"{slug}-{number}"
        self.used.add(candidate)
        return candidate


def _unescape(text: str) -> str:
    """One pass over GIFT escapes: \\n is a line break, \\x is x (so a literal backslash-n survives)."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text, flags=re.DOTALL).strip()


def _split_unescaped(text: str, chars: str) -> list[tuple[str, str]]:
    """Split at unescaped marker characters; returns (marker, chunk) pairs, the first with marker ''."""
    parts, current, marker, index = [], [], "", 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index:index + 2])
            index += 2
            continue
        if char in chars:
            parts.append((marker, "".join(current)))
            current, marker = [], char
        else:
            current.append(char)
        index += 1
    parts.append((marker, "".join(current)))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == char:
            return index
        index += 1
    return -1


def _blocks(source: str):
    """Yield (first line number, text, comments) per question; blank lines separate questions."""
    lines = source.splitlines()
    block, start, comments = [], None, []
    for number, line in enumerate(lines + [""], start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(stripped[2:].strip())
            continue
        if not stripped:
            if block:
                yield start, "\n".join(block), comments
                comments = []
            block, start = [], None
            continue
        if start is None:
            start = number
        block.append(line)


def parse_gift(source: str) -> ImportResult:
    result = ImportResult()
    make_id = IdMaker()
    for line, block, comments in _blocks(source):
        if block.strip().startswith("$CATEGORY:"):
            continue
        try:
            question = _parse_block(block, comments, make_id)
        except _UnsupportedError as reason:
            result.problems.append((line, str(reason)))
            continue
        for warning in question.pop("_warnings", []):
            result.problems.append((line, warning))
        result.questions.append(question)
    return result


class _UnsupportedError(Exception):
    pass


def _parse_block(block: str, comments: list[str], make_id) -> dict:
    text = block.strip()
    title = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            raise _UnsupportedError(_("de titel wordt niet afgesloten met '::'"))
        title, text = text[2:end].strip(), text[end + 2:].strip()
    text = re.sub(r"^\[(html|moodle|plain|markdown)\]", "", text).strip()
    open_at = _find_unescaped(text, "{")
    if open_at == -1:
        raise _UnsupportedError(_("geen antwoorden tussen {{ }}: een beschrijving, geen vraag"))
    close_at = _find_unescaped(text, "}", open_at)
    if close_at == -1:
        raise _UnsupportedError(_("de antwoorden worden niet afgesloten met '}}'"))
    before, answers, after = text[:open_at], text[open_at + 1:close_at].strip(), text[close_at + 1:]
    question_text = _unescape(before + (" _____ " + after if after.strip() else ""))
    if not question_text:
        raise _UnsupportedError(_("de vraag heeft geen tekst"))
    meta = {}
    for comment in comments:
        key, _sep, value = comment.partition(":")
        if key.strip() in ("points", "model_answer") and value.strip():
            meta[key.strip()] = _unescape(value)

    general = ""
    feedback_at = answers.find("####")
    if feedback_at != -1:
        general, answers = _unescape(answers[feedback_at + 4:]), answers[:feedback_at].strip()

    question = {"id": make_id(title or question_text), "text": question_text, "_warnings": []}
    if re.fullmatch(r"[0-9]{1,3}", meta.get("points", "")) and 1 <= int(meta["points"]) <= 100:
        question["points"] = int(meta["points"])
    kind = answers.split("#", 1)[0].strip().upper()
    if not answers:
        question.update(type="open", model_answer=meta.get("model_answer") or
                        _("Geen modelantwoord in het geïmporteerde bestand."))
        if "model_answer" not in meta:
            question["_warnings"].append(_("open vraag zonder modelantwoord: vul 'model_answer' aan"))
    elif kind in ("T", "TRUE", "F", "FALSE"):
        feedbacks = [_unescape(part) for _marker, part in _split_unescaped(answers, "#")[1:]]
        truth = kind.startswith("T")
        wrong_fb = feedbacks[0] if feedbacks else ""
        right_fb = feedbacks[1] if len(feedbacks) > 1 else ""
        question.update(type="true_false", answer=truth,
                        feedback_true=right_fb if truth else wrong_fb,
                        feedback_false=wrong_fb if truth else right_fb)
    elif answers.startswith("#"):
        raise _UnsupportedError(_("numerieke vragen worden niet ondersteund"))
    else:
        _parse_choices(question, answers)
    question["feedback"] = general or _("(Geen uitleg in het geïmporteerde bestand.)")
    return question


def _parse_choices(question: dict, answers: str) -> None:
    split = _split_unescaped(answers, "=~")
    if split[0][1].strip():
        raise _UnsupportedError(_("een antwoord staat zonder = of ~ ervoor: '%(text)s'", text=split[0][1].strip()))
    parts = [(marker, chunk) for marker, chunk in split if marker]
    if not parts:
        raise _UnsupportedError(_("de antwoorden beginnen niet met = of ~"))
    if all(marker == "=" for marker, _chunk in parts) and all("->" in chunk for _m, chunk in parts):
        pairs = []
        for number, (_marker, chunk) in enumerate(parts, start=1):
            left, _sep, right = chunk.partition("->")
            if not left.strip():
                raise _UnsupportedError(_("koppelvragen met extra (lege) antwoorden worden niet ondersteund"))
            pairs.append({"id": f"p{number}", "left": _unescape(left), "right": _unescape(right)})
        question.update(type="matching", pairs=pairs)
        return
    if all(marker == "=" for marker, _chunk in parts):
        raise _UnsupportedError(_("korte-antwoordvragen (alleen =) worden niet ondersteund"))
    options, weights = [], []
    for number, (marker, chunk) in enumerate(parts):
        weight = 100.0 if marker == "=" else 0.0
        match = re.match(r"^%([^%]*)%", chunk)
        if match:
            try:
                weight = float(match.group(1))
            except ValueError:
                raise _UnsupportedError(_("ongeldig gewicht '%%%(weight)s%%'", weight=match.group(1))) from None
            chunk = chunk[match.end():]
        text_part, *feedback = [piece for _m, piece in _split_unescaped(chunk, "#")]
        options.append({"id": chr(ord("a") + number) if number < 26 else f"o{number}", "text": _unescape(text_part),
                        "feedback": _unescape(feedback[0]) if feedback else ""})
        weights.append(weight)
    _mark_correct(question, options, weights)


def _mark_correct(question: dict, options: list[dict], weights: list[float]) -> None:
    """One answer worth 100%: single choice (other partial credit is dropped and reported). Several answers that
    share the points: multiple response."""
    full = [i for i, w in enumerate(weights) if w >= 100]
    partial = [i for i, w in enumerate(weights) if 0 < w < 100]
    if len(full) == 1:
        correct = full
        if partial:
            question["_warnings"].append(_("gedeeltelijke punten voor andere antwoorden zijn weggelaten; alleen "
                                           "'%(text)s' telt als goed", text=options[full[0]]["text"]))
        kind = "single_choice"
    else:
        correct = full + partial
        kind = "multiple_response"
    for index, option in enumerate(options):
        if index in correct:
            option["correct"] = True
    for option in options:  # key order as authors write it
        option["feedback"] = option.pop("feedback")
    question.update(type=kind, options=options)


# Export -----------------------------------------------------------------------------------------------------

def _escape(text: str) -> str:
    text = re.sub(r"([~=#{}:\\])", r"\\\1", text or "")
    return text.replace("\n", "\\n")


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def to_gift(questions: list[dict]) -> tuple[str, list[str]]:
    """GIFT text for a bank, and the ids of questions GIFT cannot hold."""
    out, skipped = [], []
    for q in questions:
        if q["type"] == "ordering":
            skipped.append(q["id"])
            continue
        lines = [f"// question: {q['id']}"]
        if q.get("points", 1) != 1:
            lines.append(f"// points: {q['points']}")
        if q["type"] == "open":
            lines.append(f"// model_answer: {_escape(q['model_answer'])}")
        body = [f"::{_escape(q['id'])}::[markdown]{_escape(q['text'])} {{"]
        if q["type"] == "single_choice":
            for o in q["options"]:
                body.append(f"\t{'=' if o.get('correct') else '~'}{_escape(o['text'])}" +
                            (f"#{_escape(o['feedback'])}" if o.get("feedback") else ""))
        elif q["type"] == "multiple_response":
            right = [o for o in q["options"] if o.get("correct")]
            wrong = [o for o in q["options"] if not o.get("correct")]
            for o in q["options"]:
                share = 100 / len(right) if o.get("correct") else -100 / len(wrong)
                body.append(f"\t~%{_weight(share)}%{_escape(o['text'])}" +
                            (f"#{_escape(o['feedback'])}" if o.get("feedback") else ""))
        elif q["type"] == "true_false":
            truth = q["answer"]
            wrong_fb = q.get("feedback_false", "") if truth else q.get("feedback_true", "")
            right_fb = q.get("feedback_true", "") if truth else q.get("feedback_false", "")
            body[-1] += ("TRUE" if truth else "FALSE") + f"#{_escape(wrong_fb)}#{_escape(right_fb)}"
        elif q["type"] == "matching":
            for p in q["pairs"]:
                body.append(f"\t={_escape(p['left'])} -> {_escape(p['right'])}")
        body.append(f"\t####{_escape(q.get('feedback', ''))}")
        body.append("}")
        if q["type"] == "true_false":
            body = [body[0] + " " + body[1].strip() + "}"]
        out.append("\n".join(lines + body))
    return "\n\n".join(out) + "\n", skipped
