"""`content check` on quiz.yml: the shipped banks pass; every kind of mistake is reported as path:line: message."""

from collections import Counter

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from tests.support.quizzes import QUIZ_YML


def problems(content_dir, quiz_text):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("01-basis/quiz.yml", quiz_text)
    return [str(p) for p in load_content(content_dir.root).problems]


def base(**settings):
    text = QUIZ_YML.format(draw=settings.get("draw", 6), max_attempts=settings.get("max_attempts", 3),
                           time_limit="", show_answers=settings.get("show_answers", "after_attempt"))
    return text


def test_every_shipped_module_has_a_valid_quiz_with_mixed_types():
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    for module in tree.modules:
        assert module.quiz is not None, module.slug
        kinds = Counter(q.type for q in module.quiz.questions)
        assert len(module.quiz.questions) >= 8, module.slug
        assert len(kinds) >= 4, (module.slug, kinds)
        assert all(q.feedback for q in module.quiz.questions)


def test_valid_quiz_has_no_problems(content_dir):
    assert problems(content_dir, base()) == []


def test_unknown_type_is_reported_on_its_line(content_dir):
    text = base().replace("type: true_false", "type: essay")
    line = text.splitlines().index("    type: essay") + 1
    assert problems(content_dir, text) == [
        f"01-basis/quiz.yml:{line}: onbekende vraagsoort 'essay' (kies uit: single_choice, multiple_response, "
        "true_false, matching, ordering, open)"]


def test_question_without_a_correct_option_is_reported(content_dir):
    text = base().replace("        correct: true\n        feedback: \"FB-KIEZEN-A\"",
                          "        feedback: \"FB-KIEZEN-A\"")
    found = problems(content_dir, text)
    assert len(found) == 1
    assert "geen enkel antwoord is goed" in found[0]


def test_single_choice_with_two_correct_options_is_reported(content_dir):
    text = base().replace('        text: "De hulpverlener"\n',
                          '        text: "De hulpverlener"\n        correct: true\n')
    assert any("precies één antwoord goed" in p for p in problems(content_dir, text))


def test_duplicate_question_ids_are_reported(content_dir):
    text = base().replace("id: familie", "id: kiezen")
    line = text.splitlines().index("  - id: kiezen", 10) + 1
    assert f"01-basis/quiz.yml:{line}: dubbele vraag-id 'kiezen'" in problems(content_dir, text)


def test_duplicate_option_ids_are_reported(content_dir):
    text = base().replace("      - id: b\n        text: \"De hulpverlener\"",
                          "      - id: a\n        text: \"De hulpverlener\"")
    assert any("dubbele id 'a'" in p for p in problems(content_dir, text))


@pytest.mark.parametrize("mark", ["0", "101", "\"zeventig\""])
def test_pass_mark_out_of_range_is_reported(content_dir, mark):
    text = base().replace("pass_mark: 60", f"pass_mark: {mark}")
    assert problems(content_dir, text) == ["01-basis/quiz.yml:3: 'pass_mark' is een percentage van 1 tot en met 100"]


def test_drawing_more_questions_than_the_bank_holds_is_reported(content_dir):
    assert problems(content_dir, base(draw=7)) == [
        "01-basis/quiz.yml:2: 'draw' vraagt 7 vragen, maar de vragenbank heeft er 6"]


def test_option_id_that_reveals_the_answer_is_reported(content_dir):
    text = base().replace("      - id: a\n        text: \"De jongere\"",
                          "      - id: juist\n        text: \"De jongere\"")
    assert any("verraadt het antwoord" in p for p in problems(content_dir, text))


def test_missing_feedback_is_reported(content_dir):
    text = base().replace('    feedback: "UITLEG-FAMILIE"\n', "")
    assert any("geef 'feedback'" in p for p in problems(content_dir, text))


def test_invalid_yaml_in_a_quiz_is_reported_with_its_line(content_dir):
    found = problems(content_dir, 'title: "open\ndraw: 2\n')
    assert len(found) == 1 and found[0].startswith("01-basis/quiz.yml:") and "ongeldige YAML" in found[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("show_answers: after_attempt", "show_answers: nooit", "'show_answers' zegt wanneer een deelnemer de goede "
             "antwoorden ziet: after_passing (na het slagen), after_last_attempt"),
        ("max_attempts: 3", "max_attempts: 0", "'max_attempts' is een heel getal van 1 tot 100"),
        ('    model_answer: "MODEL-REFLECTIE"\n', "", "'model_answer'"),
        ('        right: "Professional"', '        right: "Mentor uit het netwerk"', "dezelfde 'right'"),
        ("    points: 2", "    points: 0", "'points' is een heel getal van 1 tot 100"),
        ("    type: ordering\n    text: \"Zet op volgorde.\"\n    items:", "    type: ordering\n    text: \"Zet op "
         "volgorde.\"\n    onderdelen:", "onbekend veld 'onderdelen'"),
    ],
)
def test_other_mistakes_are_reported(content_dir, old, new, message):
    text = base().replace(old, new)
    assert text != base()
    assert any(message in p for p in problems(content_dir, text)), problems(content_dir, text)


def test_yaml_alias_bomb_is_checked_quickly(content_dir):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level in "bcdefgh":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    found = problems(content_dir, bomb + "questions: []\n")
    assert any("onbekend veld" in p for p in found)


def test_pass_mark_below_one_percent_is_reported(content_dir):
    text = base().replace("pass_mark: 60", "pass_mark: 0.4")
    assert problems(content_dir, text) == ["01-basis/quiz.yml:3: 'pass_mark' is een percentage van 1 tot en met 100"]


TWO_GOALS = ('---\ntitle: "Basis"\nsummary: "Kort."\nminutes: 30\ngoals:\n  - "Doel een."\n  - "Doel twee."\n'
             'sources:\n  - title: "Een bron"\n---\nIntro.\n')


def tagged(goals=(1, 1, 2, 2, 1, 2), draw=6):
    """The base bank with `goal: N` on its six questions in order (None: no goal)."""
    lines, numbers = [], iter(goals)
    for line in base(draw=draw).splitlines(keepends=True):
        lines.append(line)
        if line.startswith("    type: "):
            goal = next(numbers)
            if goal is not None:
                lines.append(f"    goal: {goal}\n")
    return "".join(lines)


def goal_problems(content_dir, text):
    content_dir.raw("01-basis/module.md", TWO_GOALS)
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("01-basis/quiz.yml", text)
    return [str(p) for p in load_content(content_dir.root).problems]


def test_a_bank_whose_questions_cover_every_goal_twice_has_no_problems(content_dir):
    assert goal_problems(content_dir, tagged()) == []


def test_a_goal_number_beyond_the_modules_goals_is_reported_on_its_line(content_dir):
    text = tagged(goals=(1, 1, 2, 2, 3, 2))
    line = text.splitlines().index("    goal: 3") + 1
    assert f"01-basis/quiz.yml:{line}: leerdoel 3 bestaat niet: module.md heeft 2 leerdoelen" in \
        goal_problems(content_dir, text)


def test_in_a_tagged_bank_a_question_without_a_goal_is_reported_on_its_line(content_dir):
    text = tagged(goals=(1, 1, 2, 2, None, 2))
    line = text.splitlines().index("  - id: stappen") + 1
    assert goal_problems(content_dir, text) == [
        f"01-basis/quiz.yml:{line}: deze vraag noemt geen leerdoel ('goal'); in deze toets noemt elke vraag het "
        "leerdoel dat ze toetst"]


def test_a_goal_with_fewer_than_two_questions_is_reported(content_dir):
    found = goal_problems(content_dir, tagged(goals=(1, 1, 1, 1, 1, 2)))
    assert found == ["01-basis/quiz.yml:7: leerdoel 2 wordt door minder dan twee vragen getoetst (1); geef elk "
                     "leerdoel minstens twee vragen"]


def test_drawing_fewer_questions_than_the_module_has_goals_is_reported(content_dir):
    assert goal_problems(content_dir, tagged(draw=1)) == [
        "01-basis/quiz.yml:2: 'draw' is 1, maar de module heeft 2 leerdoelen: trek minstens één vraag per leerdoel"]


def test_a_bank_without_goals_is_not_held_to_them(content_dir):
    assert goal_problems(content_dir, base(draw=1)) == []


def test_every_shipped_question_tests_a_goal_and_every_attempt_can_cover_all_goals():
    for module in load_content(PROJECT_ROOT / "modules").modules:
        quiz = module.quiz
        per_goal = Counter(q.goal for q in quiz.questions)
        assert None not in per_goal, module.slug
        assert all(per_goal[n] >= 2 for n in range(1, len(module.goals) + 1)), (module.slug, per_goal)
        assert quiz.draw_count >= len(module.goals), module.slug
        assert quiz.show_answers == "after_passing", module.slug
