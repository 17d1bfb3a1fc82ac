"""Certification tracks (modules/tracks/<slug>.yml): `content check` reports every kind of broken track as
path:line: message, and `content sync` loads them into Track rows, archiving instead of deleting."""

import pytest
from sqlalchemy import select

from jimtraining.certification.models import Track
from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content, sync_content
from jimtraining.extensions import db

QUIZ_YML = """\
title: "Toets basis"
draw: 1
pass_mark: 60
questions:
  - id: familie
    type: true_false
    text: "Een JIM moet familie zijn."
    answer: false
    feedback: "Nee: de jongere kiest wie hij of zij vertrouwt."
"""

TRACK_YML = """\
title: "Testtraject"
summary: "Kort."
audience: learner
valid_months: 36
requirements:
  modules: [basis, verder]
  quizzes: [basis]
  attendance_percent: 80
  roleplay_sufficient: 2
  practice:
    min_words: 300
    prompt: "Schrijf over je eigen werk."
"""

REFRESHER_YML = """\
title: "Opfrissen"
summary: "Korter."
audience: learner
valid_months: 36
renews: test
requirements:
  modules: [verder]
"""


def write_modules(content_dir):
    """Two modules: 'basis' has a quiz, 'verder' has none."""
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("01-basis/quiz.yml", QUIZ_YML)
    content_dir.module("02-verder")
    content_dir.lesson("02-verder", "01-les.md")


def problems(content_dir, text, name="test.yml", **others):
    write_modules(content_dir)
    content_dir.raw(f"tracks/{name}", text)
    for other_name, other_text in others.items():
        content_dir.raw(f"tracks/{other_name}.yml", other_text)
    return [str(p) for p in load_content(content_dir.root).problems]


def line_of(text, needle):
    return text.splitlines().index(needle) + 1


def replaced(old, new, text=TRACK_YML):
    result = text.replace(old, new)
    assert result != text, f"{old!r} not in the fixture"
    return result


# The shipped tracks -------------------------------------------------------------------------------------------

def test_shipped_tracks_pass_the_check(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "3 tracks" in result.output


def test_shipped_tracks_have_the_agreed_requirements():
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    tracks = {t.slug: t for t in tree.tracks}
    assert set(tracks) == {"jimwerker", "jimwerker-opfrissen", "jim-trainer"}
    jimwerker_modules = ["wat-is-jim", "een-jim-vinden", "de-rol-van-de-jimwerker", "samenwerken-met-het-netwerk",
                         "jim-in-verschillende-werkvelden", "resultaten-en-onderbouwing"]
    assert [m.slug for m in tree.modules][:6] == jimwerker_modules

    jimwerker = tracks["jimwerker"]
    assert (jimwerker.audience, jimwerker.valid_months, jimwerker.renews) == ("learner", 36, None)
    assert jimwerker.requirements["modules"] == jimwerker_modules
    assert jimwerker.requirements["quizzes"] == jimwerker_modules
    assert (jimwerker.requirements["attendance_percent"], jimwerker.requirements["roleplay_sufficient"]) == (80, 2)
    assert jimwerker.requirements["practice"]["min_words"] == 300

    refresher = tracks["jimwerker-opfrissen"]
    assert (refresher.audience, refresher.valid_months, refresher.renews) == ("learner", 36, "jimwerker")
    assert refresher.requirements["modules"] == ["de-rol-van-de-jimwerker", "samenwerken-met-het-netwerk"]
    assert refresher.requirements["quizzes"] == ["de-rol-van-de-jimwerker", "samenwerken-met-het-netwerk"]
    assert (refresher.requirements["attendance_percent"], refresher.requirements["roleplay_sufficient"]) == (80, 1)
    assert refresher.requirements["practice"]["min_words"] == 150

    trainer = tracks["jim-trainer"]
    assert (trainer.audience, trainer.valid_months, trainer.renews) == ("trainer", 24, None)
    # A future trainer knows the approach first: every JIMwerker module and quiz is part of the trainer track too.
    assert set(jimwerker_modules) <= set(trainer.requirements["modules"])
    assert set(jimwerker_modules) <= set(trainer.requirements["quizzes"])
    # Issue 17 acceptance 5: the trainer track asks at least two modules of its own, with at least 8 lessons.
    own = [slug for slug in trainer.requirements["modules"] if slug not in jimwerker_modules]
    assert len(own) >= 2 and set(own) <= set(trainer.requirements["quizzes"])
    lessons = {m.slug: len(m.lessons) for m in load_content(PROJECT_ROOT / "modules").modules}
    assert sum(lessons[slug] for slug in own) >= 8
    assert (trainer.requirements["attendance_percent"], trainer.requirements["roleplay_sufficient"]) == (90, 3)
    assert trainer.requirements["practice"]["min_words"] == 500


def test_future_trainers_have_modules_of_their_own_on_training_the_approach():
    """Modules that the JIMwerker track does not ask (training the JIM-aanpak): at least two, with at least eight
    lessons between them, each with a quiz whose every question tests a goal of its module, every goal at least
    twice, and each open only after all the JIMwerker modules."""
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    modules = {m.slug: m for m in tree.modules}
    jimwerker = set(next(t for t in tree.tracks if t.slug == "jimwerker").requirements["modules"])
    for_trainers = [m for m in tree.modules if m.slug not in jimwerker]
    assert len(for_trainers) >= 2
    assert sum(len(m.lessons) for m in for_trainers) >= 8

    def needs(slug, seen=()):
        direct = set(modules[slug].prerequisites)
        return direct.union(*(needs(p, seen + (slug,)) for p in direct if p not in seen))

    for module in for_trainers:
        assert jimwerker <= needs(module.slug), module.slug
        assert module.quiz is not None, module.slug
        goals = [q.goal for q in module.quiz.questions]
        assert all(goal is not None and 1 <= goal <= len(module.goals) for goal in goals), module.slug
        assert all(goals.count(n) >= 2 for n in range(1, len(module.goals) + 1)), module.slug


def test_every_shipped_practice_prompt_warns_against_personal_data():
    for track in load_content(PROJECT_ROOT / "modules").tracks:
        prompt = track.requirements["practice"]["prompt"]
        assert "geen namen" in prompt, track.slug
        assert "BSN" in prompt and "telefoonnummers" in prompt and "e-mailadressen" in prompt, track.slug


# The check -----------------------------------------------------------------------------------------------------

def test_fixture_track_is_valid_and_normalised(content_dir):
    assert problems(content_dir, TRACK_YML) == []
    track = load_content(content_dir.root).tracks[0]
    assert (track.slug, track.title, track.summary, track.audience, track.valid_months, track.renews,
            track.position) == ("test", "Testtraject", "Kort.", "learner", 36, None, 0)
    assert track.requirements == {"modules": ["basis", "verder"], "quizzes": ["basis"], "attendance_percent": 80,
                                  "roleplay_sufficient": 2,
                                  "practice": {"min_words": 300, "prompt": "Schrijf over je eigen werk."},
                                  "calibration": None}


def test_absent_requirements_are_normalised_to_zero_empty_and_none(content_dir):
    text = TRACK_YML.split("requirements:")[0] + "requirements:\n  roleplay_sufficient: 1\n"
    assert problems(content_dir, text) == []
    assert load_content(content_dir.root).tracks[0].requirements == {
        "modules": [], "quizzes": [], "attendance_percent": 0, "roleplay_sufficient": 1, "practice": None,
        "calibration": None}


def test_unknown_top_level_key_is_reported_at_its_line(content_dir):
    text = replaced('title: "Testtraject"', 'titel: "Testtraject"')
    found = problems(content_dir, text)
    assert any(p.startswith("tracks/test.yml:1: onbekend veld 'titel'") for p in found), found
    assert "tracks/test.yml:1: 'title' ontbreekt" in found


def test_unknown_key_inside_requirements_and_practice_is_reported(content_dir):
    text = replaced("  attendance_percent: 80", "  aanwezigheid: 80")
    text = replaced("    min_words: 300", "    min_words: 300\n    max_words: 900", text)
    found = problems(content_dir, text)
    assert any(p.startswith(f"tracks/test.yml:{line_of(text, '  aanwezigheid: 80')}: onbekend veld 'aanwezigheid'")
               for p in found), found
    assert any(p.startswith(f"tracks/test.yml:{line_of(text, '    max_words: 900')}: onbekend veld 'max_words'")
               for p in found), found


def test_unknown_module_is_reported_at_its_list_item(content_dir):
    text = replaced("  modules: [basis, verder]", "  modules:\n    - basis\n    - bestaat-niet")
    found = problems(content_dir, text)
    assert found == [f"tracks/test.yml:{line_of(text, '    - bestaat-niet')}: onbekende module 'bestaat-niet'"]


def test_quiz_of_a_module_without_quiz_is_reported(content_dir):
    text = replaced("  quizzes: [basis]", "  quizzes:\n    - basis\n    - verder")
    found = problems(content_dir, text)
    assert found == [f"tracks/test.yml:{line_of(text, '    - verder')}: module 'verder' heeft geen toets (quiz.yml)"]


def test_quiz_of_an_unknown_module_is_reported(content_dir):
    text = replaced("  quizzes: [basis]", "  quizzes:\n    - nergens")
    assert problems(content_dir, text) == [
        f"tracks/test.yml:{line_of(text, '    - nergens')}: onbekende module 'nergens'"]


def test_duplicate_module_in_a_list_is_reported(content_dir):
    text = replaced("  modules: [basis, verder]", "  modules:\n    - basis\n    - verder\n    - basis")
    found = problems(content_dir, text)
    assert found == [f"tracks/test.yml:{line_of(text, '    - verder') + 1}: 'basis' staat twee keer in 'modules'"]


def test_renews_an_unknown_track_is_reported(content_dir):
    text = replaced("valid_months: 36\n", "valid_months: 36\nrenews: bestaat-niet\n")
    assert problems(content_dir, text) == [
        f"tracks/test.yml:{line_of(text, 'renews: bestaat-niet')}: onbekend traject 'bestaat-niet' bij 'renews'"]


def test_renews_itself_is_reported(content_dir):
    text = replaced("valid_months: 36\n", "valid_months: 36\nrenews: test\n")
    found = problems(content_dir, text)
    assert found == [f"tracks/test.yml:{line_of(text, 'renews: test')}: een traject kan niet zichzelf vernieuwen "
                     "('renews: test')"]


def test_refresher_of_a_valid_track_is_accepted(content_dir):
    assert problems(content_dir, TRACK_YML, opfrissen=REFRESHER_YML) == []
    tracks = {t.slug: t for t in load_content(content_dir.root).tracks}
    assert tracks["opfrissen"].renews == "test"
    assert [tracks["opfrissen"].position, tracks["test"].position] == [0, 1]


def test_renews_a_track_that_is_itself_a_refresher_is_reported(content_dir):
    chained = replaced("renews: test", "renews: opfrissen", REFRESHER_YML)
    found = problems(content_dir, TRACK_YML, opfrissen=REFRESHER_YML, weer=chained)
    line = line_of(chained, "renews: opfrissen")
    assert found == [f"tracks/weer.yml:{line}: 'opfrissen' vernieuwt zelf al een ander traject; "
                     "'renews' noemt een gewoon traject"]


def test_refresher_for_another_audience_is_reported(content_dir):
    trainer = replaced("audience: learner", "audience: trainer", REFRESHER_YML)
    found = problems(content_dir, TRACK_YML, opfrissen=trainer)
    assert len(found) == 1 and found[0].startswith(f"tracks/opfrissen.yml:{line_of(trainer, 'renews: test')}: "
                                                   "'test' is voor een andere doelgroep"), found


@pytest.mark.parametrize(("old", "new", "key", "message"), [
    ("valid_months: 36", "valid_months: 0", "valid_months", "is een heel getal van 1 tot en met 120"),
    ("valid_months: 36", "valid_months: 121", "valid_months", "is een heel getal van 1 tot en met 120"),
    ("valid_months: 36", "valid_months: 12.5", "valid_months", "is een heel getal van 1 tot en met 120"),
    ("  attendance_percent: 80", "  attendance_percent: 101", "attendance_percent",
     "is een heel getal van 0 tot en met 100"),
    ("  roleplay_sufficient: 2", "  roleplay_sufficient: -1", "roleplay_sufficient",
     "is een heel getal van 0 tot en met 50"),
    ("  roleplay_sufficient: 2", "  roleplay_sufficient: 51", "roleplay_sufficient",
     "is een heel getal van 0 tot en met 50"),
    ("    min_words: 300", "    min_words: 49", "min_words", "is een heel getal van 50 tot en met 5000"),
    ("    min_words: 300", "    min_words: 5001", "min_words", "is een heel getal van 50 tot en met 5000"),
    ("    min_words: 300", '    min_words: "300"', "min_words", "is een heel getal van 50 tot en met 5000"),
])
def test_number_out_of_range_is_reported_at_its_line(content_dir, old, new, key, message):
    text = replaced(old, new)
    assert problems(content_dir, text) == [f"tracks/test.yml:{line_of(text, new)}: '{key}' {message}"]


@pytest.mark.parametrize(("old", "new", "key"), [
    ("valid_months: 36", "valid_months: true", "valid_months"),
    ("  attendance_percent: 80", "  attendance_percent: true", "attendance_percent"),
    ("  roleplay_sufficient: 2", "  roleplay_sufficient: yes", "roleplay_sufficient"),
    ("    min_words: 300", "    min_words: false", "min_words"),
])
def test_boolean_is_not_accepted_as_a_number(content_dir, old, new, key):
    text = replaced(old, new)
    assert problems(content_dir, text) == [
        f"tracks/test.yml:{line_of(text, new)}: '{key}' is een getal, geen ja of nee (true/false)"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('summary: "Kort."', 'summary: "   "', "'summary' ontbreekt"),
    ('title: "Testtraject"', f'title: "{"x" * 201}"', "'title' is te lang (hoogstens 200 tekens)"),
    ("audience: learner", "audience: iedereen", "'audience' is learner (professionals) of trainer"),
    ("valid_months: 36\n", "", "'valid_months' ontbreekt"),
    ('    prompt: "Schrijf over je eigen werk."', '    prompt: ""', "'prompt' ontbreekt"),
    ("  modules: [basis, verder]", "  modules: basis", "'modules' is een lijst met module-slugs"),
    ("valid_months: 36\n", "valid_months: 36\nrenews: \"\"\n", "'renews' is de slug van het traject"),
])
def test_other_broken_fields_are_reported(content_dir, old, new, message):
    found = problems(content_dir, replaced(old, new))
    assert len(found) == 1 and found[0].startswith("tracks/test.yml:") and message in found[0], found


def test_track_without_any_requirement_is_reported(content_dir):
    text = TRACK_YML.split("requirements:")[0] + "requirements:\n  modules: []\n  attendance_percent: 0\n"
    assert problems(content_dir, text) == [
        f"tracks/test.yml:{line_of(text, 'requirements:')}: een traject heeft minstens één eis: modules, quizzes, "
        "attendance_percent, roleplay_sufficient of practice"]


def test_track_without_requirements_key_is_reported(content_dir):
    text = TRACK_YML.split("requirements:")[0]
    found = problems(content_dir, text)
    assert len(found) == 1 and found[0].startswith("tracks/test.yml:1: 'requirements' ontbreekt"), found


@pytest.mark.parametrize("name", ["Hoofdletters.yml", "met_underscore.yml", "-streepje.yml", "x" * 101 + ".yml"])
def test_bad_file_name_is_reported(content_dir, name):
    assert problems(content_dir, TRACK_YML, name=name) == [
        f"tracks/{name}:1: bestandsnaam moet een slug zijn: kleine letters, cijfers, streepjes"]


def test_invalid_yaml_is_reported_with_a_line(content_dir):
    found = problems(content_dir, 'title: "open\nsummary: x\n')
    assert len(found) == 1 and found[0].startswith("tracks/test.yml:") and "ongeldige YAML" in found[0]


def test_a_file_that_is_not_a_mapping_is_reported(content_dir):
    assert problems(content_dir, "- een\n- lijst\n") == [
        "tracks/test.yml:1: een traject bestaat uit velden (naam: waarde)"]


def test_cli_check_lists_track_problems_and_exits_1(runner, content_dir, app, monkeypatch):
    write_modules(content_dir)
    content_dir.raw("tracks/test.yml", replaced("  quizzes: [basis]", "  quizzes: [verder]"))
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "tracks/test.yml:7: module 'verder' heeft geen toets (quiz.yml)" in result.output


# The sync ------------------------------------------------------------------------------------------------------

def sync(content_dir):
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems]
    return sync_content(tree)


def track_row(slug):
    return db.session.scalar(select(Track).where(Track.slug == slug))


@pytest.fixture
def synced_tracks(content_dir):
    write_modules(content_dir)
    content_dir.raw("tracks/test.yml", TRACK_YML)
    content_dir.raw("tracks/opfrissen.yml", REFRESHER_YML)
    sync(content_dir)
    return content_dir


def test_sync_creates_track_rows_with_normalised_requirements(content_dir):
    write_modules(content_dir)
    content_dir.raw("tracks/test.yml", TRACK_YML)
    content_dir.raw("tracks/opfrissen.yml", REFRESHER_YML)
    report = sync(content_dir)
    assert {"tracks/test", "tracks/opfrissen"} <= set(report.created)
    row = track_row("test")
    assert (row.title, row.summary, row.audience, row.valid_months, row.renews, row.position, row.archived) == (
        "Testtraject", "Kort.", "learner", 36, None, 1, False)
    assert row.requirements == {"modules": ["basis", "verder"], "quizzes": ["basis"], "attendance_percent": 80,
                                "roleplay_sufficient": 2,
                                "practice": {"min_words": 300, "prompt": "Schrijf over je eigen werk."},
                                "calibration": None}
    refresher = track_row("opfrissen")
    assert (refresher.renews, refresher.qualification, refresher.position) == ("test", "test", 0)
    assert refresher.requirements == {"modules": ["verder"], "quizzes": [], "attendance_percent": 0,
                                      "roleplay_sufficient": 0, "practice": None,
                                      "calibration": None}
    assert refresher.practice is None


def test_second_sync_of_tracks_changes_nothing(synced_tracks):
    report = sync(synced_tracks)
    assert not report.changed
    assert report.unchanged == 2 + 2 + 2  # modules, lessons, tracks (quizzes are not counted as rows here)


def test_editing_a_track_updates_its_row(synced_tracks):
    synced_tracks.raw("tracks/test.yml", replaced("  roleplay_sufficient: 2", "  roleplay_sufficient: 4"))
    report = sync(synced_tracks)
    assert report.updated == ["tracks/test"]
    assert track_row("test").requirements["roleplay_sufficient"] == 4


def test_removed_track_is_archived_not_deleted_and_restored_when_it_returns(synced_tracks):
    path = synced_tracks.root / "tracks" / "opfrissen.yml"
    saved = path.read_text()
    path.unlink()
    report = sync(synced_tracks)
    assert report.archived == ["tracks/opfrissen"]
    assert track_row("opfrissen").archived
    assert not sync(synced_tracks).changed

    path.write_text(saved)
    report = sync(synced_tracks)
    assert report.restored == ["tracks/opfrissen"]
    assert report.created == []
    assert report.updated == ["tracks/test"]  # only its position: it sorts after opfrissen.yml again
    assert not track_row("opfrissen").archived
    assert db.session.scalar(select(db.func.count(Track.id))) == 2


def test_cli_sync_loads_the_shipped_tracks_once(runner):
    first = runner.invoke(args=["content", "sync"])
    assert first.exit_code == 0, first.output
    assert {t.slug for t in db.session.scalars(select(Track))} == {"jimwerker", "jimwerker-opfrissen", "jim-trainer"}
    second = runner.invoke(args=["content", "sync"])
    assert "0 created, 0 updated, 0 archived, 0 restored" in second.output


def test_refresher_of_a_track_with_invalid_yaml_gets_no_second_problem(content_dir):
    found = problems(content_dir, 'title: "open\nsummary: x\n', opfrissen=REFRESHER_YML)
    assert len(found) == 1 and found[0].startswith("tracks/test.yml:") and "ongeldige YAML" in found[0], found


def test_same_slug_as_yml_and_yaml_is_reported(content_dir):
    found = problems(content_dir, TRACK_YML, name="test.yaml", test=TRACK_YML)
    assert found == ["tracks/test.yml:1: dubbele traject-slug 'test' (ook in tracks/test.yaml)"]
