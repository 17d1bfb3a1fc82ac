"""Moodle GIFT: read into quiz.yml questions, and write a question bank as GIFT.

Read as Moodle reads it (question/format/gift/format.php): escapes, `[html]`/`[moodle]`/`[plain]`/`[markdown]`
on every text, `####` general feedback, `// [id:...]` and `// [tag:...]` comments. Multiple choice becomes
single_choice (any `=` answer is right) or multiple_response, with `weight`s where Moodle gives partial credit;
matching keeps its extra right-hand answers as `distractors`; true/false and essay (-> open) too. Short answer,
numerical and descriptions are reported with their line, and so is everything left out (categories, tags,
pictures, embedded files): nothing is dropped without a word, and a question whose meaning would change is not
imported. GIFT has no ordering questions; an export lists those it leaves out. Two comment lines carry what GIFT
cannot say and Moodle ignores: `// points: N` and `// model_answer: ...` before a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from jimtraining.quizzes.moodle_text import BLANK, Notes, to_markdown, to_plain


@dataclass
class ImportResult:
    questions: list[dict] = field(default_factory=list)
    #: (line, message) for every question that could not be converted, or was converted with a caveat.
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: The line each imported question starts on (parallel to `questions`).
    lines: list[int] = field(default_factory=list)


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

    def claim(self, wanted: str) -> bool:
        """Take an id given in the file; False when it is already used."""
        if wanted in self.used:
            return False
        self.used.add(wanted)
        return True


_ESC = "\ue000"
#: Escaped characters as letters after _ESC, so that no search for a special character finds them.
_CODES = {"\\": "b", "~": "t", "=": "e", "#": "h", "{": "o", "}": "c", ":": "k", "n": "n"}
_CHARS = {code: ("\n" if char == "n" else char) for char, code in _CODES.items()}
_FORMAT_PREFIX = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%([^%]*)%")
_ID_COMMENT = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG_COMMENT = re.compile(r"\[tag:((?:\\\]|[^\]\x00-\x1f])+)\]")
NO_FEEDBACK = "(Geen uitleg in het geïmporteerde bestand.)"
NO_MODEL_ANSWER = "Geen modelantwoord in het geïmporteerde bestand."


class SkipError(Exception):
    """A question that is not imported; the message and line go into the report."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def option_id(number: int) -> str:
    return chr(ord("a") + number) if number < 26 else f"o{number}"


def weight_number(value: float) -> int | float:
    """A weight as written in quiz.yml: 50, not 50.0; 33.33333 stays."""
    value = round(value, 5)
    return int(value) if value == int(value) else value


def _equal_shares(weights: list[float]) -> bool:
    """Right answers share +100% equally and wrong ones -100%: exactly how multiple_response without weights
    grades, so the question needs no weights."""
    right, wrong = [w for w in weights if w > 0], [w for w in weights if w < 0]
    return (bool(right) and bool(wrong) and len(right) + len(wrong) == len(weights)
            and abs(sum(right) - 100) <= 0.01 and abs(sum(wrong) + 100) <= 0.01
            and max(right) - min(right) <= 0.01 and max(wrong) - min(wrong) <= 0.01)


def choice_question(question: dict, options: list[dict], weights: list[float], single: bool) -> None:
    """Moodle's multichoice as ours. One answer at 100% and the rest at 0%: single_choice with `correct`. Any
    other single-answer question (several right answers, partial credit): single_choice with `weight`s, the
    chosen option's weight is the score. Multiple answers: multiple_response, graded as Moodle does (sum of the
    ticked weights, between 0 and 100%): with `correct` when the weights are equal shares, else with `weight`s."""
    plain = single and weights.count(100) == 1 and all(w in (0, 100) for w in weights)
    shared = not single and _equal_shares(weights)
    for option, weight in zip(options, weights, strict=True):
        if shared:
            if weight > 0:
                option["correct"] = True
        elif plain and weight == 100:
            option["correct"] = True
        elif not plain:
            option["weight"] = weight_number(weight)
        option["feedback"] = option.pop("feedback", "")  # key order as authors write it
    if plain or shared:
        question.update(type="single_choice" if plain else "multiple_response", options=options)
        return
    question.update(type="single_choice" if single else "multiple_response", options=options)
    if single and any(w < 0 for w in weights):
        question["_notes"].append(_("let op: een antwoord met een negatief gewicht geeft hier 0 punten voor de "
                                    "vraag; in Moodle kan het punten van andere vragen kosten"))


def finish(question: dict, line: int, result: ImportResult, notes: list[tuple[int, str]]) -> None:
    """Add a converted question when `flask content check` would accept it; otherwise report why, at `line`."""
    from jimtraining.quizzes.loader import question_problems

    question.pop("_notes", None)
    problems = question_problems(question)
    if problems:
        for message in problems:
            result.problems.append((line, _("overgeslagen: de vraag past zo niet in quiz.yml: %(reason)s",
                                            reason=message)))
        return
    result.problems.extend(notes)
    result.questions.append(question)
    result.lines.append(line)


def _protect(text: str) -> str:
    """Moodle's escapes (\\\\ \\~ \\= \\# \\{ \\} \\: \\n) as placeholders of the same length, so that splitting
    at the special characters ignores them and offsets still point at the right line. Other backslashes stay."""
    return re.sub(r"\\([\\~=#{}:n])", lambda m: _ESC + _CODES[m.group(1)], text.replace(_ESC, " "))


def _restore(text: str) -> str:
    return re.sub(_ESC + "(.)", lambda m: _CHARS.get(m.group(1), ""), text, flags=re.DOTALL)


@dataclass
class _Block:
    text: str
    lines: list[int]
    comments: list[str]

    def line(self, offset: int) -> int:
        return self.lines[min(self.text.count("\n", 0, max(offset, 0)), len(self.lines) - 1)]


def _blocks(source: str):
    """Blank lines separate questions (as in Moodle); comment lines belong to the question they stand in."""
    block, lines, comments = [], [], []
    for number, line in enumerate(source.splitlines() + [""], start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(stripped[2:].strip())
            continue
        if not stripped:
            if block:
                yield _Block(_protect("\n".join(block)), lines, comments)
            block, lines, comments = [], [], []
            continue
        block.append(line)
        lines.append(number)


def parse_gift(source: str) -> ImportResult:
    result = ImportResult()
    make_id = IdMaker()
    for block in _blocks(source):
        notes: list[tuple[int, str]] = []
        try:
            question = _parse_block(block, make_id, notes)
        except SkipError as skip:
            result.problems.append((skip.line or block.lines[0], str(skip)))
            continue
        if question is None:
            result.problems.extend(notes)
            continue
        finish(question, block.lines[0], result, notes)
    return result


class _Texts:
    """Converts the texts of one block, noting what they leave out at the line they stand on."""

    def __init__(self, block: _Block, notes: list):
        self.block, self.notes = block, notes

    def _split_format(self, raw: str, default: str) -> tuple[str, str]:
        raw = raw.strip()
        match = _FORMAT_PREFIX.match(raw)
        return (match.group(1), raw[match.end():]) if match else (default, raw)

    def _convert(self, convert, raw: str, default: str, offset: int) -> str:
        fmt, raw = self._split_format(raw, default)
        found = Notes()
        text = convert(_restore(raw), fmt, found)
        self.notes.extend((self.block.line(offset), message) for message in found.messages)
        return text

    def markdown(self, raw: str, default: str, offset: int) -> str:
        return self._convert(to_markdown, raw, default, offset)

    def plain(self, raw: str, default: str, offset: int) -> str:
        return self._convert(to_plain, raw, default, offset)


def _pieces(text: str, start: int, markers: str):
    """Split text at marker characters: (marker, chunk, offset of the chunk in the block), the first with ''."""
    pieces, marker, begin = [], "", 0
    for match in re.finditer(f"[{re.escape(markers)}]", text):
        pieces.append((marker, text[begin:match.start()], start + begin))
        marker, begin = match.group(0), match.end()
    pieces.append((marker, text[begin:], start + begin))
    return pieces


def _parse_block(block: _Block, make_id: IdMaker, notes: list) -> dict | None:
    text, texts = block.text, _Texts(block, notes)
    pos = len(text) - len(text.lstrip())
    if text.startswith("$CATEGORY:", pos):
        notes.append((block.line(pos), _("overgeslagen: categorie '%(name)s'; quiz.yml kent geen categorieën, de "
                                         "vragen komen in de vragenbank van de module",
                                         name=_restore(text[pos + 10:]).strip())))
        return None
    title = None
    if text.startswith("::", pos):
        end = text.find("::", pos + 2)
        if end == -1:
            pos += 2  # as Moodle: no name, the rest is the question
        else:
            title, pos = _restore(text[pos + 2:end]).strip(), end + 2
    open_at, close_at = text.find("{", pos), text.find("}", pos)
    if open_at == -1 and close_at == -1:
        raise SkipError(_("overgeslagen: geen antwoorden tussen { }: een beschrijving, geen vraag"), block.line(pos))
    if open_at == -1 or close_at == -1 or close_at < open_at:
        raise SkipError(_("overgeslagen: de antwoorden staan niet tussen { en }"), block.line(max(open_at, close_at)))
    answers, answers_at = text[open_at + 1:close_at], open_at + 1
    after = text[close_at + 1:]
    raw_text = text[pos:open_at] + (BLANK + after if after.strip() else "")
    qformat, _rest = texts._split_format(raw_text, "moodle")
    question_text = texts.markdown(raw_text, "moodle", pos)
    if not question_text.strip(BLANK + " \\_"):
        raise SkipError(_("overgeslagen: de vraag heeft geen tekst"), block.line(pos))

    general = ""
    feedback_at = answers.rfind("####")
    if feedback_at != -1:
        general = texts.markdown(answers[feedback_at + 4:], qformat, answers_at + feedback_at + 4)
        answers = answers[:feedback_at]
    meta = _comments(block, notes)
    question = {"id": _question_id(meta, title or _plain_name(question_text), make_id, notes, block.lines[0]),
                "text": question_text, "_notes": []}
    if re.fullmatch(r"[0-9]{1,3}", meta.get("points", "")) and 1 <= int(meta["points"]) <= 100:
        question["points"] = int(meta["points"])

    stripped = answers.strip()
    line = block.line(answers_at)
    if not stripped:
        model = meta.get("model_answer", "")
        question.update(type="open", model_answer=model or NO_MODEL_ANSWER)
        if not model:
            notes.append((line, _("open vraag zonder modelantwoord: vul 'model_answer' aan")))
    elif stripped.startswith("#"):
        raise SkipError(_("overgeslagen: numerieke vragen worden niet ondersteund"), line)
    elif "~" in stripped:
        _multichoice(question, answers, answers_at, qformat, texts, block)
    elif "=" in stripped and "->" in stripped:
        _matching(question, answers, answers_at, qformat, texts, block)
    else:
        check = stripped.split("#", 1)[0].strip() if "#" in stripped[1:] else stripped
        if check not in ("T", "TRUE", "F", "FALSE"):
            if check.upper() in ("T", "TRUE", "F", "FALSE"):
                raise SkipError(_("overgeslagen: Moodle leest {%(text)s} als korte-antwoordvraag; schrijf {TRUE} "
                                  "of {FALSE} in hoofdletters", text=check), line)
            raise SkipError(_("overgeslagen: korte-antwoordvragen (alleen = antwoorden, de lerende typt het "
                              "antwoord) worden niet ondersteund"), line)
        parts = _pieces(answers, answers_at, "#")
        parts[2:] = [("#", "#".join(chunk for _m, chunk, _at in parts[2:]), parts[2][2])] if len(parts) > 2 else []
        truth = check.startswith("T")
        feedback = [texts.plain(chunk, qformat, at) for _m, chunk, at in parts[1:]] + ["", ""]
        wrong, right = feedback[0], feedback[1]
        question.update(type="true_false", answer=truth, feedback_true=right if truth else wrong,
                        feedback_false=wrong if truth else right)
    question["feedback"] = general or NO_FEEDBACK
    notes.extend((block.lines[0], message) for message in question["_notes"])
    return question


def _plain_name(markdown_text: str) -> str:
    return re.sub(r"[\\*_`#>\[\]()!]", " ", markdown_text.replace(BLANK, " "))


def _comments(block: _Block, notes: list) -> dict:
    meta: dict = {}
    for comment in block.comments:
        key, _sep, value = comment.partition(":")
        if key.strip() in ("points", "model_answer") and value.strip():
            meta[key.strip()] = _restore(_protect(value)).strip()
        if "id" not in meta and (match := _ID_COMMENT.search(comment)):
            meta["id"] = match.group(1).replace("\\]", "]").strip()
        for match in _TAG_COMMENT.finditer(comment):
            notes.append((block.lines[0], _("overgeslagen: tag '%(tag)s'; quiz.yml kent geen tags",
                                            tag=match.group(1).replace("\\]", "]").strip())))
    return meta


def _question_id(meta: dict, name: str, make_id: IdMaker, notes: list, line: int) -> str:
    """Moodle's id number when it is a valid, unused question id; otherwise one made from the name."""
    wanted = meta.get("id")
    if wanted and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", wanted) and len(wanted) <= 60 and make_id.claim(wanted):
        return wanted
    made = make_id(name)
    if wanted:
        notes.append((line, _("het Moodle-id '%(wanted)s' kan geen vraag-id zijn (kleine letters, cijfers en "
                              "streepjes, uniek); de vraag kreeg id '%(id)s'", wanted=wanted, id=made)))
    return made


def _multichoice(question, answers, answers_at, qformat, texts, block) -> None:
    single = "=" in answers
    pieces = _pieces(answers, answers_at, "~=")
    if pieces[0][1].strip():
        raise SkipError(_("overgeslagen: een antwoord staat zonder = of ~ ervoor: '%(text)s'",
                     text=_restore(pieces[0][1]).strip()), block.line(pieces[0][2]))
    options, weights = [], []
    for number, (marker, chunk, at) in enumerate(pieces[1:]):
        line = block.line(at)
        body = chunk.strip()
        weight = 100.0 if marker == "=" else 0.0
        match = _WEIGHT.match(body)
        if match:
            if marker == "=":
                raise SkipError(_("overgeslagen: een gewicht na '=' ('%%%(weight)s%%') leest Moodle als tekst; schrijf "
                             "~%%%(weight)s%%", weight=match.group(1)), line)
            try:
                weight = float(match.group(1))
            except ValueError:
                weight = float("nan")
            if not -100 <= weight <= 100:
                raise SkipError(_("overgeslagen: ongeldig gewicht '%%%(weight)s%%'", weight=match.group(1)), line)
            body = body[match.end():]
        text_part, _sep, feedback = body.partition("#")
        text_at = at + chunk.find(body[:1] or " ")
        option_text = texts.plain(text_part, qformat, text_at)
        if not option_text:
            raise SkipError(_("overgeslagen: antwoord %(n)s is leeg", n=number + 1), line)
        options.append({"id": option_id(number), "text": option_text,
                        "feedback": texts.plain(feedback, qformat, at) if _sep else ""})
        weights.append(weight)
    choice_question(question, options, weights, single)


def _matching(question, answers, answers_at, qformat, texts, block) -> None:
    pieces = _pieces(answers, answers_at, "=")
    if pieces[0][1].strip():
        raise SkipError(_("overgeslagen: een paar staat zonder = ervoor: '%(text)s'",
                          text=_restore(pieces[0][1]).strip()), block.line(pieces[0][2]))
    pairs, distractors = [], []
    for _marker, chunk, at in pieces[1:]:
        line = block.line(at)
        if "->" not in chunk:
            raise SkipError(_("overgeslagen: bij een koppelvraag heeft elk antwoord de vorm =links -> rechts"), line)
        left, _sep, right = chunk.partition("->")
        right = _restore(right).strip()
        if not right:
            raise SkipError(_("overgeslagen: een paar heeft geen rechterkant"), line)
        if not left.strip():
            distractors.append(right)  # an extra answer that belongs to no left-hand item
            continue
        pairs.append({"id": f"p{len(pairs) + 1}", "left": texts.plain(left, qformat, at), "right": right})
    question.update(type="matching", pairs=pairs)
    if distractors:
        question["distractors"] = distractors


# Export -----------------------------------------------------------------------------------------------------

def _escape(text: str) -> str:
    text = re.sub(r"([~=#{}:\\])", r"\\\1", text or "")
    return text.replace("\n", "\\n")


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _plain(text: str) -> str:
    """A plain-text field (options, pairs, true/false feedback): [plain], so Moodle shows it as written."""
    return f"[plain]{_escape(text)}" if text else ""


def _choice_marker(q: dict, o: dict, right: int, wrong: int) -> str:
    if "weight" in o:
        weight = float(o["weight"])
        if weight == 100 and q["type"] == "single_choice":
            return "="
        return "~" if weight == 0 else f"~%{_weight(weight)}%"
    if q["type"] == "single_choice":
        return "=" if o.get("correct") else "~"
    # multiple response without weights: our grading is Moodle's with equal shares
    return f"~%{_weight(100 / right if o.get('correct') else -100 / wrong)}%"


def to_gift(questions: list[dict]) -> tuple[str, list[str]]:
    """GIFT text for a bank, and the ids of questions GIFT cannot hold."""
    out, skipped = [], []
    for q in questions:
        if q["type"] == "ordering":
            skipped.append(q["id"])
            continue
        lines = [f"// question: {q['id']}", f"// [id:{q['id']}]"]
        if q.get("points", 1) != 1:
            lines.append(f"// points: {q['points']}")
        if q["type"] == "open":
            lines.append(f"// model_answer: {_escape(q['model_answer'])}")
        body = [f"::{_escape(q['id'])}::[markdown]{_escape(q['text'])} " + "{"]
        if q["type"] in ("single_choice", "multiple_response"):
            right = sum(1 for o in q["options"] if o.get("correct")) or 1
            wrong = sum(1 for o in q["options"] if not o.get("correct")) or 1
            for o in q["options"]:
                body.append(f"\t{_choice_marker(q, o, right, wrong)}{_plain(o['text'])}" +
                            (f"#{_plain(o['feedback'])}" if o.get("feedback") else ""))
        elif q["type"] == "true_false":
            truth = q["answer"]
            wrong_fb = q.get("feedback_false", "") if truth else q.get("feedback_true", "")
            right_fb = q.get("feedback_true", "") if truth else q.get("feedback_false", "")
            body[-1] += ("TRUE" if truth else "FALSE") + f"#{_plain(wrong_fb)}#{_plain(right_fb)}"
        elif q["type"] == "matching":
            for p in q["pairs"]:
                body.append(f"\t={_plain(p['left'])} -> {_escape(p['right'])}")
            for extra in q.get("distractors") or []:
                body.append(f"\t= -> {_escape(extra)}")
        body.append(f"\t####{_escape(q.get('feedback', ''))}")
        body.append("}")
        if q["type"] == "true_false":
            body = [body[0] + " " + body[1].strip() + "}"]
        out.append("\n".join(lines + body))
    return "\n\n".join(out) + "\n", skipped
