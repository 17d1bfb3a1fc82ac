"""The content framework (jimtraining/content/): what every reader and sync of modules/ shares."""

import pytest

import jimtraining.content.catalogue as catalogue_module
from jimtraining.certification.models import Track
from jimtraining.certification.tracks import TrackFile
from jimtraining.content.catalogue import catalogue
from jimtraining.content.sync import synced_fields
from jimtraining.content_tree import load_content
from jimtraining.curriculum.loader import LessonFile, ModuleFile
from jimtraining.curriculum.models import Lesson, Module
from jimtraining.quizzes.loader import QuestionFile, QuizFile
from jimtraining.quizzes.models import Question, Quiz
from jimtraining.scenarios.loader import ScenarioFile
from jimtraining.scenarios.models import Scenario


@pytest.mark.parametrize(("source", "model", "key", "fields"), [
    (ModuleFile, Module, "slug",
     ("position", "folder", "title", "summary", "minutes", "prerequisites", "goals", "sources", "body",
          "goal_links")),
    (LessonFile, Lesson, "slug", ("position", "filename", "title", "minutes", "body")),
    (QuizFile, Quiz, "slug",
     ("title", "draw_count", "pass_mark", "max_attempts", "time_limit_minutes", "shuffle_options", "show_answers")),
    (QuestionFile, Question, "key", ("position", "type", "text", "points", "feedback", "data", "goal")),
    (ScenarioFile, Scenario, "slug", ("title", "work_context", "data")),
    (TrackFile, Track, "slug",
     ("title", "summary", "audience", "valid_months", "renews", "requirements", "position", "accreditation")),
])
def test_sync_writes_exactly_the_fields_a_file_and_its_table_share(source, model, key, fields):
    """What the parser only needs for its checks (lines, the list of goal competences) is never written; a
    question's goal and each goal's competence and lessons (goal_links) are, for the blueprint and coverage."""
    assert synced_fields(source, model, key) == fields


def test_the_catalogue_refuses_to_load_without_a_loader_for_a_content_table(monkeypatch):
    monkeypatch.setattr(catalogue_module, "_LOADERS", [loader for loader in catalogue_module._LOADERS
                                                       if Track not in loader.models])
    with pytest.raises(RuntimeError, match="no loader for Track"):
        catalogue()


def test_an_unknown_field_names_the_allowed_ones_in_every_kind_of_file(content_dir):
    content_dir.raw("scenarios/test.yml", "titel: x\n")
    content_dir.raw("tracks/test.yml", "titel: x\n")
    problems = [str(p) for p in load_content(content_dir.root).problems]
    for path, allowed in (("scenarios/test.yml", "debrief, learning_goals, practice, reference_round, roles, rubric, "
                                                 "rubric_cutoff, situation, summary, title, work_context"),
                          ("tracks/test.yml", "accreditation, audience, renews, requirements, summary, title, "
                                              "valid_months")):
        assert f"{path}:1: onbekend veld 'titel' (toegestaan: {allowed})" in problems, problems


def test_a_yaml_file_that_is_not_utf8_says_so_at_line_one(content_dir):
    (content_dir.root / "tracks").mkdir()
    (content_dir.root / "tracks" / "test.yml").write_bytes("title: café\n".encode("latin-1"))
    problems = [str(p) for p in load_content(content_dir.root).problems]
    assert "tracks/test.yml:1: het bestand is geen UTF-8-tekst" in problems, problems
