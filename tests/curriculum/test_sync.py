"""`flask content sync`: idempotent, keeps progress on edits, archives instead of deleting."""

from sqlalchemy import func, select

from jimtraining.content_tree import load_content, sync_content
from jimtraining.curriculum.models import Lesson, LessonProgress, Module
from jimtraining.curriculum.services import set_lesson_done
from jimtraining.extensions import db


def sync(content_dir):
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems]
    return sync_content(tree)


def lesson(module_slug, lesson_slug):
    return db.session.scalar(
        select(Lesson).join(Module).where(Module.slug == module_slug, Lesson.slug == lesson_slug))


def test_second_sync_changes_nothing(synced_content):
    report = sync(synced_content)
    assert not report.changed
    assert report.unchanged == 6  # 2 modules + 4 lessons


def test_editing_a_lesson_text_keeps_progress(synced_content, make_user):
    learner = make_user()
    set_lesson_done(learner, lesson("basis", "eerste"), True)
    synced_content.lesson("01-basis", "01-eerste.md", title="Eerste les, herschreven", body="Nieuwe tekst.\n")
    report = sync(synced_content)
    assert report.updated == ["basis/eerste"]
    edited = lesson("basis", "eerste")
    assert edited.title == "Eerste les, herschreven"
    assert edited.body == "Nieuwe tekst.\n"
    progress = db.session.scalars(select(LessonProgress)).all()
    assert [(p.module_slug, p.lesson_slug, p.completed_at is not None) for p in progress] == [
        ("basis", "eerste", True)]


def test_removing_a_lesson_archives_it_and_keeps_its_progress_rows(synced_content, make_user):
    learner = make_user()
    set_lesson_done(learner, lesson("basis", "tweede"), True)
    (synced_content.root / "01-basis" / "02-tweede.md").unlink()
    # The first lesson linked to the removed one; the check would refuse that, so update the link too.
    synced_content.lesson("01-basis", "01-eerste.md", title="Eerste les", body="Geen link meer.\n")
    report = sync(synced_content)
    assert report.archived == ["basis/tweede"]
    removed = lesson("basis", "tweede")
    assert removed is not None and removed.archived
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 1


def test_archived_lesson_comes_back_with_its_progress(synced_content, make_user, client, login):
    learner = make_user()
    set_lesson_done(learner, lesson("basis", "tweede"), True)
    path = synced_content.root / "01-basis" / "02-tweede.md"
    saved = path.read_text()
    path.unlink()
    synced_content.lesson("01-basis", "01-eerste.md", title="Eerste les", body="Geen link meer.\n")
    sync(synced_content)
    path.write_text(saved)
    report = sync(synced_content)
    assert report.restored == ["basis/tweede"]
    login(client, learner)
    page = client.get("/modules/basis").get_data(as_text=True)
    assert "1 van 2 lessen klaar" in page


def test_removing_a_module_archives_it(synced_content):
    for file in (synced_content.root / "02-verder").iterdir():
        file.unlink()
    (synced_content.root / "02-verder").rmdir()
    report = sync(synced_content)
    assert report.archived == ["verder"]
    assert db.session.scalar(select(Module).where(Module.slug == "verder")).archived


def test_sync_refuses_content_with_problems(runner, content_dir, app, monkeypatch):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", title=None)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 1
    assert "Nothing was loaded" in result.output
    assert db.session.scalar(select(func.count(Module.id))) == 0


def test_cli_sync_loads_the_shipped_curriculum_once(runner):
    first = runner.invoke(args=["content", "sync"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["content", "sync"])
    assert "0 created, 0 updated, 0 archived, 0 restored" in second.output
    assert db.session.scalar(select(func.count(Module.id))) >= 6
