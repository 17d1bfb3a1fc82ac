"""Read a module's quiz.yml as plain data, and add imported questions to it without touching what is there.

The import appends: comments, key order, quoting and layout of everything already in quiz.yml stay byte for byte.
New questions are written by ruamel.yaml in the layout the file already uses (indentation, blank lines between
questions, double-quoted texts) and added after the last question; the result is read back and compared before
it is written. A quiz.yml the import cannot extend that way is left alone, with a message saying why.
"""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

DEFAULT_SETTINGS = {"title": "Toets", "pass_mark": 70, "max_attempts": 3, "shuffle_options": True,
                    "show_answers": "after_passing"}
#: Keys written first and last in a new question, as the modules write them.
FIRST_KEYS = ("id", "type", "points", "goal", "text")
LAST_KEYS = ("feedback",)
#: Plain (unquoted) values: ids, types and the like; every other text is double-quoted as in the modules.
PLAIN_KEYS = {"id", "type", "show_answers"}


class BankError(Exception):
    """quiz.yml cannot be extended; nothing was written."""


def read_bank(path: Path) -> dict:
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        if isinstance(data, dict):
            return data
    return {}


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    writer = YAML()  # round-trip mode: comments, order and quotes survive
    writer.preserve_quotes = True
    writer.width = 4096
    writer.indent(mapping=mapping, sequence=sequence, offset=offset)
    return writer


def _styled(value, key: str | None = None):
    """Plain data as ruamel nodes in the modules' style: texts double-quoted, multi-line texts as | blocks."""
    if isinstance(value, dict):
        ordered = [k for k in FIRST_KEYS if k in value] + [k for k in value if k not in FIRST_KEYS + LAST_KEYS]
        ordered += [k for k in LAST_KEYS if k in value]
        return CommentedMap((k, _styled(value[k], k)) for k in ordered)
    if isinstance(value, list):
        return CommentedSeq(_styled(item, key) for item in value)
    if isinstance(value, str) and key not in PLAIN_KEYS:
        lines = value.split("\n")
        if len(lines) > 1 and not any(line != line.rstrip() for line in lines) and value == value.strip():
            return LiteralScalarString(value)
        return DoubleQuotedScalarString(value)
    return value


def _dump(writer: YAML, data) -> str:
    out = io.StringIO()
    writer.dump(data, out)
    return out.getvalue()


def unique_ids(existing: list, questions: list[dict]) -> None:
    """Make the ids of imported questions unique against the bank (appending -2, -3, ...)."""
    used = {q.get("id") for q in existing if isinstance(q, dict)}
    for question in questions:
        base, number = question["id"], 2
        while question["id"] in used:
            question["id"] = f"{base}-{number}"
            number += 1
        used.add(question["id"])


def merge_questions(path: Path, questions: list[dict]) -> dict:
    """Add imported questions to quiz.yml (ids made unique against the bank); returns the new bank as plain data.
    Raises BankError, without writing anything, when quiz.yml cannot be read or extended in place."""
    raw = path.read_bytes() if path.exists() else b""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        raise BankError("quiz.yml is not UTF-8 text; nothing was changed") from None
    if not text.strip():
        return _new_bank(path, questions)
    try:
        data = _yaml().load(text)
    except RuamelError as error:
        raise BankError(f"quiz.yml is not valid YAML ({str(error).splitlines()[0]}); fix it first, nothing was "
                        f"changed") from None
    if not isinstance(data, CommentedMap):
        raise BankError("quiz.yml does not hold settings with a 'questions' list; fix it first, nothing was changed")
    existing = data.get("questions")
    if existing is not None and not isinstance(existing, CommentedSeq):
        raise BankError("'questions' in quiz.yml is not a list; fix it first, nothing was changed")
    unique_ids(list(existing or []), questions)
    new_text = _append_text(text, data, questions) or _append_round_trip(text, data, questions)
    if new_text is None:
        raise BankError("the questions cannot be added to quiz.yml without rewriting what is there (put "
                        "'questions:' last, as a list with one '- ' per question); nothing was changed")
    before = yaml.safe_load(text) or {}
    after = yaml.safe_load(new_text)
    expected = dict(before, questions=list(before.get("questions") or []) + questions)
    if after != expected:  # never write what does not read back as the old bank plus the new questions
        raise BankError("the questions could not be added to quiz.yml safely; nothing was changed")
    path.write_bytes(bom + new_text.encode("utf-8"))
    return after


def _new_bank(path: Path, questions: list[dict]) -> dict:
    bank = dict(DEFAULT_SETTINGS)
    bank["draw"] = min(6, len(questions))
    order = ("title", "draw", "pass_mark", "max_attempts", "shuffle_options", "show_answers")
    data = CommentedMap((key, _styled(bank[key], key)) for key in order)
    data["questions"] = _styled(questions)
    text = _blank_lines_between(_dump(_yaml(), data), 2)
    path.write_text(text, encoding="utf-8")
    return yaml.safe_load(text)


def _blank_lines_between(text: str, dash_column: int) -> str:
    """A blank line before every question after the first, as the modules write them."""
    marker = "\n" + " " * dash_column + "- "
    head, sep, rest = text.partition(marker)
    return head + sep + rest.replace(marker, "\n" + marker) if sep else text


def _append_text(text: str, data: CommentedMap, questions: list[dict]) -> str | None:
    """The usual case: 'questions' is the last key, a block list. The new questions go after the end of the file,
    in the file's own indentation; not one byte before them changes."""
    if not data or list(data)[-1] != "questions" or data.lc.key("questions")[1] != 0:
        return None
    seq = data["questions"]
    lines = text.splitlines()
    if seq is None:  # 'questions:' with nothing under it yet
        dash, content, separated = 2, 4, True
    elif not seq or seq.fa.flow_style():
        return None
    else:
        first_line, content = seq.lc.item(0)
        dash = len(lines[first_line]) - len(lines[first_line].lstrip())
        if content <= dash or lines[first_line][dash] != "-":
            return None
        separated = re.search(r"\n[ \t]*\n" + " " * dash + "- ", text) is not None or len(seq) == 1
    if seq is None and not re.search(r"^questions:[ \t]*(#.*)?$", lines[data.lc.key("questions")[0]]):
        return None
    writer = _yaml(mapping=2, sequence=content, offset=dash)
    items = _dump(writer, {"questions": _styled(questions)}).split("\n", 1)[1]
    if separated:
        items = _blank_lines_between(items, dash) if seq is None else "\n" + _blank_lines_between(items, dash)
    return (text if text.endswith("\n") else text + "\n") + items


def _append_round_trip(text: str, data: CommentedMap, questions: list[dict]) -> str | None:
    """Otherwise: ruamel's round trip, but only in a layout that gives back the file exactly as it is."""
    for mapping, sequence, offset in ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (2, 4, 0), (4, 4, 2)):
        writer = _yaml(mapping, sequence, offset)
        if _dump(writer, data) != text:
            continue
        if data.get("questions") is None:
            data["questions"] = CommentedSeq()
        data["questions"].extend(_styled(questions))
        new_text = _dump(writer, data)
        return new_text if _only_added_lines(text, new_text) else None
    return None


def _only_added_lines(old: str, new: str) -> bool:
    """True when `new` is `old` with lines added and none changed or removed."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new.splitlines(keepends=True),
                                      autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ranges in matcher.get_opcodes())
