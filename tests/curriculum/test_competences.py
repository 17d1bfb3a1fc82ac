"""The competence list (modules/competences.yml) that goals, questions and rubric criteria point at."""

from jimtraining.curriculum.loader import load_content


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
