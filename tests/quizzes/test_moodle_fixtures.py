"""Moodle's own GIFT and XML import fixtures (tests/fixtures/third_party/moodle, GPL-3.0-or-later; see the README
there) import with no question silently changed: every question is imported with its meaning, or reported with
its line, and so is everything left out (issue 14, item 20)."""

import re
from pathlib import Path

import pytest

from jimtraining.quizzes.gift import parse_gift
from jimtraining.quizzes.moodle_xml import parse_moodle_xml

NO_FEEDBACK = "(Geen uitleg in het geïmporteerde bestand.)"
NO_MODEL_ANSWER = "Geen modelantwoord in het geïmporteerde bestand."
FIXTURES = Path(__file__).parents[1] / "fixtures" / "third_party" / "moodle"
FILES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix in (".txt", ".xml"))
CATEGORY = ("overgeslagen: categorie '%s'; quiz.yml kent geen categorieën, de vragen komen in de vragenbank van de "
            "module")


def parse(path: Path):
    source = path.read_text(encoding="utf-8")
    return source, (parse_moodle_xml(source) if path.suffix == ".xml" else parse_gift(source))


def question_lines(path: Path, source: str) -> list[int]:
    """Where each question of the file starts, found without the importer: Moodle XML <question> elements (not
    categories), or GIFT's blank-line separated blocks without their comment lines (not $CATEGORY)."""
    if path.suffix == ".xml":
        return [source.count("\n", 0, m.start()) + 1 for m in re.finditer(r'<question type="(?!category")', source)]
    starts, in_block = [], False
    for number, line in enumerate(source.splitlines(), 1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            in_block = False
        elif not in_block:
            in_block = True
            if not line.strip().startswith("$CATEGORY:"):
                starts.append(number)
    return starts


def tf(qid, text, answer, feedback=NO_FEEDBACK, feedback_true="", feedback_false=""):
    return {"id": qid, "text": text, "type": "true_false", "answer": answer, "feedback_true": feedback_true,
            "feedback_false": feedback_false, "feedback": feedback}


#: What the files say, written by hand from the files: (line, question) for the questions that import.
EXPECTED = {
    "questions.gift.txt": [
        (2, {"id": "q8", "text": "How are you?", "type": "open", "model_answer": NO_MODEL_ANSWER,
             "feedback": NO_FEEDBACK}),
        (5, {"id": "moodle-activities", "text": "Match the **activity** to the description.", "type": "matching",
             "pairs": [
                 {"id": "p1", "left": "An activity supporting asynchronous discussions.", "right": "Forum"},
                 {"id": "p2", "left": "A teacher asks a question and specifies a choice of multiple responses.",
                  "right": "Choice"},
                 {"id": "p3", "left": "A bank of record entries which participants can add to.",
                  "right": "Database"},
                 {"id": "p4", "left": "A collection of web pages that anyone can add to or edit.", "right": "Wiki"}],
             "distractors": ["Chat"], "feedback": NO_FEEDBACK}),
        (14, {"id": "q2", "text": "What's between orange and green in the spectrum?", "type": "single_choice",
              "options": [{"id": "a", "text": "yellow", "correct": True, "feedback": "right; good!"},
                          {"id": "b", "text": "red", "feedback": "wrong, it's yellow"},
                          {"id": "c", "text": "blue", "feedback": "wrong, it's yellow"}],
              "feedback": NO_FEEDBACK}),
        (22, {"id": "colours", "text": "What's between orange and green in the spectrum?",
              "type": "multiple_response",
              "options": [{"id": "a", "text": "yellow", "weight": 50, "feedback": "right; good!"},
                          {"id": "b", "text": "red", "weight": -100, "feedback": "wrong"},
                          {"id": "c", "text": "off-beige", "weight": 50, "feedback": "right; good!"},
                          {"id": "d", "text": "blue", "weight": -100, "feedback": "wrong"}],
              "feedback": NO_FEEDBACK}),
        # Moodle puts its gap where text follows the answers: here the stray `";` of the fixture.
        (41, tf("q1", '42 is the Absolute Answer to everything.\\_\\_\\_\\_\\_";', False,
                feedback_true="42 is the Ultimate Answer.", feedback_false="You gave the right answer.",
                feedback="This is, of course, a Hitchiker's Guide to the Galaxy reference.")),
        (46, tf("2-08-tsl", "TSL is blablabla.", True)),
        (49, tf("2-08-tsl-2", "TSL is blablabla.", True)),
    ],
    "questions_in_category.gift.txt": [
        (5, {"id": "moodle-activities", "text": "Match the activity to the description.", "type": "matching",
             "pairs": [
                 {"id": "p1", "left": "An activity supporting asynchronous discussions.", "right": "Forum"},
                 {"id": "p2", "left": "A teacher asks a question and specifies a choice of multiple responses.",
                  "right": "Choice"},
                 {"id": "p3", "left": "A bank of record entries which participants can add to.",
                  "right": "Database"},
                 {"id": "p4", "left": "A collection of web pages that anyone can add to or edit.", "right": "Wiki"}],
             "distractors": ["Chat"], "feedback": NO_FEEDBACK}),
        (14, {"id": "greeting", "type": "single_choice",
              "text": "[Listen to this greeting:](http://demo.moodle.net/file.php/5/media/bonjour.mp3)\n\n"
                      "What language is being spoken?",
              "options": [{"id": "a", "text": "English", "feedback": "Sorry, listen again."},
                          {"id": "b", "text": "French", "correct": True, "feedback": "Yes, well done!"},
                          {"id": "c", "text": "German", "feedback": "Sorry, listen again."},
                          {"id": "d", "text": "Spanish", "feedback": "Sorry, listen again."}],
              "feedback": NO_FEEDBACK}),
        (27, tf("moodle-acronym", "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment.",
                True)),
    ],
    "multichoice.xml": [
        (12, {"id": "greeting", "type": "single_choice",
              "text": "Listen to this greeting:\n\nWhat language is being spoken?",
              "options": [{"id": "a", "text": "English", "feedback": "Sorry, listen again."},
                          {"id": "b", "text": "French", "correct": True, "feedback": "Yes, well done!"},
                          {"id": "c", "text": "German", "feedback": "Sorry, listen again."},
                          {"id": "d", "text": "Danish", "feedback": "Sorry, listen again."}],
              "feedback": NO_FEEDBACK}),
    ],
    "truefalse.xml": [
        (12, tf("moodle-acronym-false", "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Education.",
                False, feedback_true="Your answer is incorrect.", feedback_false="Your answer is correct.",
                feedback='For further information, see the [documentation about Moodle]'
                         '(http://docs.moodle.org/en/About_Moodle "Moodle Docs - About Moodle").')),
        (40, tf("moodle-acronym-true", "Moodle is an acronym for Modular Object-Oriented Dynamic Learning "
                "Environment.", True, feedback_true="Your answer is correct.",
                feedback_false="Your answer is incorrect.",
                feedback='For further information, see the [documentation about Moodle]'
                         '(http://docs.moodle.org/en/About_Moodle "Moodle Docs - About Moodle")\n\n.')),
    ],
    "sample_questions_with_old_image_tag.xml": [
        (36, {"id": "mcq-with-image", "type": "single_choice",
              "text": 'This is a multichoice question with an image in the old "image" field that was used in '
                      "Moodle 1.9",
              "options": [{"id": "a", "text": "wrong answer", "feedback": ""},
                          {"id": "b", "text": "another wrong answer", "feedback": ""},
                          {"id": "c", "text": "right answer", "correct": True, "feedback": ""}],
              "feedback": NO_FEEDBACK}),
    ],
    "nested_categories_with_questions.xml": [
        (15, tf("iota-question", "Testing Iota Question", True)),
        (55, {"id": "kappa-essay-question", "text": "Testing Kappa Essay Question", "type": "open",
              "model_answer": NO_MODEL_ANSWER, "feedback": NO_FEEDBACK}),
        (83, tf("kappa-question", "Testing Kappa Question", True)),
        (123, tf("lambda-question", "Testing Lambda Question", True)),
        (163, tf("mu-question", "Testing Mu Question", True)),
    ],
    "error_invalid_grades.xml": [],  # Moodle refuses it too: the grades do not add up
    "broken_cloze_questions.xml": [],
    "multianswer.xml": [],
}

def test_there_are_fixtures():
    assert len(FILES) == 16


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_question_of_a_moodle_fixture_is_imported_or_reported_at_its_line(path):
    """Item 20: no question disappears: each one starts a question in quiz.yml or a report at its own line."""
    source, result = parse(path)
    starts = question_lines(path, source)
    assert sorted(result.lines) == result.lines and set(result.lines) <= set(starts)
    ends = starts[1:] + [source.count("\n") + 2]
    for start, end in zip(starts, ends, strict=True):
        if start in result.lines:
            continue
        reasons = [message for line, message in result.problems if start <= line < end]
        assert any(m.startswith("overgeslagen") or "niet ondersteund" in m for m in reasons), (start, reasons)


@pytest.mark.parametrize("path", [p for p in FILES if p.name in EXPECTED], ids=lambda p: p.name)
def test_moodle_fixture_questions_import_with_the_meaning_the_file_gives_them(path):
    """Item 20: text, options, right answers, weights and feedback are what the file says, question by question."""
    _source, result = parse(path)
    assert result.questions == [question for _line, question in EXPECTED[path.name]]
    assert result.lines == [line for line, _question in EXPECTED[path.name]]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_everything_a_moodle_fixture_holds_that_quiz_yml_cannot_is_reported_at_its_line(path):
    """Item 20: categories and every embedded file (pictures, sound) are named in the report, at their line."""
    source, result = parse(path)
    problems = {(line, message) for line, message in result.problems}
    lines = source.splitlines()
    for number, line in enumerate(lines, 1):
        category = re.search(r"\$CATEGORY: (.*)", line)
        if category:
            assert (number, CATEGORY % category.group(1).strip()) in problems
        if '<question type="category">' in line:
            name = re.search(r"<text>(.*)</text>", "".join(lines[number:number + 3])).group(1)
            assert (number, CATEGORY % name) in problems
    imported = set(result.lines)
    starts = question_lines(path, source)
    for start, end in zip(starts, starts[1:] + [len(lines) + 1], strict=True):
        if start not in imported:
            continue
        block = "\n".join(lines[start - 1:end - 1])
        for name in set(re.findall(r'<file name="([^"]+)"', block)) | set(re.findall(r"@@PLUGINFILE@@/([^\"']+)",
                                                                                   block)):
            assert any(start <= line < end and f"'{name}'" in message for line, message in result.problems), name
        for name in re.findall(r"<image>([^<]+)</image>", block):
            assert any(start <= line < end and name in message for line, message in result.problems), name


def test_all_moodle_fixtures_import_into_a_module_and_pass_content_check(runner, app, content_dir, monkeypatch):
    """Item 20: importing every fixture (ids made unique across files) leaves a quiz.yml that content check
    accepts: no "0 problems" import that the check then rejects."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    imported = 0
    for path in FILES:
        result = runner.invoke(args=["quiz", "import", str(path), "--module", "basis"])
        if "no question could be converted" in result.output:
            assert result.exit_code != 0
            continue
        assert result.exit_code == 0, result.output
        assert "check:" not in result.output, result.output
        imported += int(re.search(r"Imported (\d+) question", result.output).group(1))
    assert imported == 27
    check = runner.invoke(args=["content", "check"])
    assert check.exit_code == 0, check.output
