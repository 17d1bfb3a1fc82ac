"""The competence list (modules/competences.yml) that goals, questions and rubric criteria point at."""

from jimtraining.content_tree import load_content


def _write(content_dir, text: str) -> None:
    content_dir.module("01-een", body="Intro.\n")
    (content_dir.root / "competences.yml").write_text(text, encoding="utf-8")


def _entry(n: int) -> str:
    return f'  - id: c{n}\n    name: "Competentie {n}"\n    description: "Wat je kunt."\n'


def test_the_shipped_competences_load_without_problems():
    tree = load_content("modules")
    assert tree.ok, tree.problems
    assert 1 <= len(tree.competences) <= 8
    assert "jongere-in-de-regie" in tree.competences


def test_competences_are_read_in_file_order(content_dir):
    _write(content_dir, "competences:\n" + _entry(1) + _entry(2))
    tree = load_content(content_dir.root)
    assert [c.id for c in tree.competences.values()] == ["c1", "c2"]
    assert tree.competences["c2"].name == "Competentie 2"


def test_more_than_eight_competences_is_a_problem_with_its_line(content_dir):
    _write(content_dir, "competences:\n" + "".join(_entry(n) for n in range(1, 10)))
    messages = [str(p) for p in load_content(content_dir.root).problems]
    assert any(m.startswith("competences.yml:1:") and "8" in m for m in messages), messages


def test_a_doubled_or_incomplete_competence_is_reported(content_dir):
    _write(content_dir, "competences:\n" + _entry(1) + _entry(1) + '  - id: c3\n    name: "Zonder uitleg"\n')
    messages = [str(p) for p in load_content(content_dir.root).problems]
    assert any("dubbele competentie-id 'c1'" in m for m in messages), messages
    assert any(m.startswith("competences.yml:8:") and "description" in m for m in messages), messages


GOALS_MODULE = """---
title: "Een module"
summary: "Kort."
minutes: 30
goals:
{goals}sources:
  - title: "Een bron"
---
Intro.
"""


def _module_with_goals(content_dir, goals: str, competences: bool = True) -> list[str]:
    content_dir.raw("01-een/module.md", GOALS_MODULE.format(goals=goals))
    content_dir.lesson("01-een", "01-les.md")
    if competences:
        (content_dir.root / "competences.yml").write_text("competences:\n" + _entry(1) + _entry(2), encoding="utf-8")
    tree = load_content(content_dir.root)
    return tree, [str(p) for p in tree.problems]


def test_a_goal_names_its_competence_and_keeps_its_text(content_dir):
    tree, problems = _module_with_goals(content_dir, '  - text: "Je kunt iets uitleggen."\n    competence: c2\n')
    assert problems == []
    module = tree.modules[0]
    assert module.goals == ["Je kunt iets uitleggen."]
    assert module.goal_competences == ["c2"]


def test_with_a_competence_list_a_goal_without_a_competence_is_a_problem_on_its_line(content_dir):
    _tree, problems = _module_with_goals(content_dir, '  - text: "Een."\n    competence: c1\n  - "Twee."\n')
    assert problems == ["01-een/module.md:8: dit leerdoel noemt geen competentie: schrijf het als 'text' met "
                        "'competence' (een id uit competences.yml)"]


def test_an_unknown_competence_is_a_problem_on_its_line(content_dir):
    _tree, problems = _module_with_goals(content_dir, '  - text: "Een."\n    competence: c9\n')
    assert problems == ["01-een/module.md:6: onbekende competentie 'c9' (zie competences.yml)"]


def test_an_unknown_competence_is_a_problem_even_without_a_competence_list(content_dir):
    _tree, problems = _module_with_goals(content_dir, '  - text: "Een."\n    competence: c1\n', competences=False)
    assert problems == ["01-een/module.md:6: onbekende competentie 'c1' (zie competences.yml)"]


def test_plain_goal_sentences_still_work_without_a_competence_list(content_dir):
    tree, problems = _module_with_goals(content_dir, '  - "Een."\n  - "Twee."\n', competences=False)
    assert problems == []
    assert tree.modules[0].goals == ["Een.", "Twee."]
    assert tree.modules[0].goal_competences == [None, None]


def test_a_goal_with_a_typo_in_a_field_or_without_text_is_reported(content_dir):
    _tree, problems = _module_with_goals(content_dir, '  - tekst: "Een."\n    competence: c1\n')
    assert ("01-een/module.md:6: onbekend veld 'tekst' bij een leerdoel (toegestaan: competence, lessons, text)"
            in problems)
    assert "01-een/module.md:6: een leerdoel is een zin, of de velden 'text' en 'competence'" in problems


def test_every_goal_of_every_shipped_module_names_a_known_competence():
    tree = load_content("modules")
    assert tree.ok, tree.problems
    for module in tree.modules:
        assert len(module.goal_competences) == len(module.goals), module.slug
        assert all(c in tree.competences for c in module.goal_competences), module.slug
