"""Cue patterns: a quiz must not be passable by picking the longest option, always answering "niet waar" or ticking
the usual number of options. `content check` reports the figures; this file holds the shipped banks to them."""

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from jimtraining.quizzes.cues import LONGEST_RIGHT_MAX, MIN_RIGHT_COUNTS, TRUE_SHARE, Cues, cues_of, warnings
from tests.quizzes.test_quiz_check import base


def single(key: str, right: str, *wrong: str) -> str:
    options = f'      - id: a\n        text: "{right}"\n        correct: true\n' + "".join(
        f'      - id: {chr(98 + n)}\n        text: "{text}"\n' for n, text in enumerate(wrong))
    return f'  - id: {key}\n    type: single_choice\n    text: "Vraag?"\n    options:\n{options}' \
           '    feedback: "Uitleg."\n'


def true_false(key: str, answer: bool) -> str:
    return f'  - id: {key}\n    type: true_false\n    text: "Stelling."\n    answer: {str(answer).lower()}\n' \
           '    feedback: "Uitleg."\n'


def multiple(key: str, right: int, total: int = 5) -> str:
    options = "".join(f'      - id: {chr(97 + n)}\n        text: "Antwoord {n}"\n'
                      + ("        correct: true\n" if n < right else "") for n in range(total))
    return f'  - id: {key}\n    type: multiple_response\n    text: "Vraag?"\n    options:\n{options}' \
           '    feedback: "Uitleg."\n'


def bank(content_dir, *questions: str):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("01-basis/quiz.yml", 'title: "Toets"\ndraw: 1\nquestions:\n' + "".join(questions))
    tree = load_content(content_dir.root)
    assert tree.ok, tree.problems
    return tree


def test_a_bank_where_the_right_option_is_usually_the_longest_is_flagged(content_dir):
    tree = bank(content_dir, single("a", "Een lang en genuanceerd antwoord", "Kort", "Ook kort"),
                single("b", "Nog een lang en zorgvuldig antwoord", "Nee", "Nooit"),
                single("c", "Kort", "Een lang maar fout antwoord"))
    cues = cues_of(tree.modules[0].quiz.questions)
    assert (cues.longest_right, cues.single_choice) == (2, 3)
    assert "het goede antwoord is te vaak het langste (hoogstens 40%)" in warnings(cues)


def test_a_tie_for_the_longest_option_counts_as_a_cue(content_dir):
    tree = bank(content_dir, single("a", "Even lang", "Ook lang!"))
    assert cues_of(tree.modules[0].quiz.questions).longest_right == 1


def test_a_bank_that_is_mostly_false_is_flagged_and_a_balanced_one_is_not(content_dir):
    tree = bank(content_dir, true_false("a", False), true_false("b", False), true_false("c", True))
    cues = cues_of(tree.modules[0].quiz.questions)
    assert (cues.true, cues.true_false) == (1, 3)
    assert "waar en niet waar zijn niet in evenwicht (40 tot 60% waar)" in warnings(cues)
    assert warnings(Cues(true_false=5, true=2)) == []
    assert warnings(Cues(true_false=5, true=3)) == []


def test_a_constant_number_of_right_options_is_flagged_per_bank(content_dir):
    tree = bank(content_dir, multiple("a", 3), multiple("b", 3))
    cues = cues_of(tree.modules[0].quiz.questions)
    assert cues.right_counts == {3: 2}
    assert warnings(cues) == ["elke vraag met meer goede antwoorden heeft er evenveel goed"]


def test_over_all_banks_fewer_than_three_different_numbers_of_right_options_is_flagged(content_dir):
    tree = bank(content_dir, multiple("a", 2), multiple("b", 3))
    cues = cues_of(tree.modules[0].quiz.questions)
    assert warnings(cues) == []
    assert warnings(cues, overall=True) == [
        "vragen met meer goede antwoorden hebben maar 2 verschillende aantallen goede antwoorden (minstens 3)"]


def test_content_check_prints_the_cue_report_and_still_passes_with_warnings(runner, content_dir, app, monkeypatch):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("01-basis/quiz.yml", base())
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "Spiekpatronen in de toetsen:" in result.output
    assert ("  basis: langste antwoord is het goede: 0/1 (0%); waar: 0/1 (0%); aantallen goede antwoorden bij meer "
            "goede antwoorden: 2") in result.output
    assert "    LET OP: waar en niet waar zijn niet in evenwicht (40 tot 60% waar)" in result.output
    assert "  alle toetsen: " in result.output
    assert "OK:" in result.output


def test_the_shipped_banks_cannot_be_passed_on_cues():
    modules = load_content(PROJECT_ROOT / "modules").modules
    total = sum((cues_of(m.quiz.questions) for m in modules if m.quiz), Cues())
    assert total.single_choice and total.true_false and total.right_counts
    assert total.longest_right * 100 <= LONGEST_RIGHT_MAX * total.single_choice, total
    assert TRUE_SHARE[0] * total.true_false <= total.true * 100 <= TRUE_SHARE[1] * total.true_false, total
    assert len(total.right_counts) >= MIN_RIGHT_COUNTS, total
    assert warnings(total, overall=True) == []


def test_no_shipped_bank_on_its_own_shows_a_cue_pattern():
    for module in load_content(PROJECT_ROOT / "modules").modules:
        assert warnings(cues_of(module.quiz.questions)) == [], module.slug
