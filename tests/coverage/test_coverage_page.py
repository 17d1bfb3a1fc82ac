"""The coverage page: competences x module goals x quiz questions x rubric criteria, gaps highlighted; for
trainers (lecturers are trainers of a hogeschool class) and admins only."""

import re

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.content.competences import load_competences
from jimtraining.content_tree import load_content, sync_content
from tests.support.quizzes import QUIZ_YML

COMPETENCES = """competences:
  - id: comp-a
    name: "Competentie Alfa"
    description: "Wat Alfa is."
  - id: comp-b
    name: "Competentie Beta"
    description: "Wat Beta is."
"""


def text_of(page: str) -> str:
    """What a person reads: the page without its tags and attribute values."""
    body = page.split("<main", 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def shipped(app, monkeypatch):
    tree = load_content(PROJECT_ROOT / "modules")
    sync_content(tree)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(PROJECT_ROOT / "modules"))
    return tree


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_trainers_lecturers_and_admins_see_every_competence_with_titles_not_ids(client, login, make_user, shipped,
                                                                                role):
    login(client, make_user(role=role))
    response = client.get("/coverage")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    for competence in load_competences(PROJECT_ROOT / "modules", []).values():
        assert competence.name in text
        assert competence.id not in text
    for module in shipped.modules:
        assert module.title in text and module.slug not in text
    for scenario in shipped.scenarios:
        assert scenario.title in text
    assert "Samenvatting" in text


@pytest.mark.parametrize("role", ["learner", "actor"])
def test_learners_and_actors_may_not_open_it(client, login, make_user, shipped, role):
    login(client, make_user(role=role))
    assert client.get("/coverage").status_code == 403


def test_the_shipped_content_has_no_gaps(client, login, make_user, shipped):
    login(client, make_user(role="trainer"))
    page = client.get("/coverage").get_data(as_text=True)
    assert "Geen gaten" in page and "tag-warning" not in page


def test_gaps_are_highlighted(app, client, login, make_user, content_dir, monkeypatch):
    content_dir.module("01-basis", title="Basis")
    content_dir.lesson("01-basis", "01-eerste.md", title="Eerste les")
    content_dir.module("02-verder", title="Verder")
    content_dir.lesson("02-verder", "01-derde.md", title="Derde les")
    content_dir.competences(COMPETENCES, "comp-a")
    quiz = QUIZ_YML.format(draw=6, max_attempts=3, time_limit="", show_answers="after_passing")
    content_dir.raw("01-basis/quiz.yml", quiz.replace("    type: ", "    goal: 1\n    type: "))
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    login(client, make_user(role="trainer"))
    text = " ".join(text_of(client.get("/coverage").get_data(as_text=True)).split())
    assert "Verder, leerdoel 1: geen toetsvragen" in text  # a module without a quiz
    assert "Basis, leerdoel 1: geen toetsvragen" not in text  # its six questions test goal 1
    assert "Competentie Alfa: geen criterium in een rubric" in text
    assert "Competentie Beta: geen leerdoel" in text
    assert "Geen leerdoel bouwt aan deze competentie." in text
    assert "6 toetsvragen voor deze competentie." in text


def test_the_quiz_overview_and_the_module_overview_link_to_it_for_trainers_only(client, login, make_user, shipped):
    trainer = make_user(role="trainer")
    login(client, trainer)
    assert 'href="/coverage"' in client.get("/quizzes/").get_data(as_text=True)
    assert 'href="/coverage"' in client.get("/modules/").get_data(as_text=True)
    client.post("/logout")
    learner_client = client.application.test_client()
    login(learner_client, make_user())
    assert 'href="/coverage"' not in learner_client.get("/modules/").get_data(as_text=True)
