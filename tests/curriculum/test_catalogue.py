"""The curriculum kept in each process's memory (jimtraining/content/catalogue.py): read once, and read again
as soon as any process writes content."""

import pytest
from sqlalchemy import create_engine, select, text

from jimtraining.accounts.models import User
from jimtraining.content.catalogue import catalogue
from jimtraining.content.models import ContentVersion
from jimtraining.content_tree import load_content, sync_content
from jimtraining.curriculum.models import Lesson, Module
from jimtraining.extensions import db
from tests.support.database import statements_run


@pytest.fixture
def learner(make_user):
    return make_user(name="Lotte Leerling")


def _token():
    return db.session.scalar(select(ContentVersion.token))


def _reads_curriculum(statements) -> bool:
    return any(s.lstrip().upper().startswith("SELECT") and (" FROM module" in s or " FROM lesson " in s
                                                             or s.rstrip().endswith("FROM lesson")
                                                             or " FROM quiz" in s)
               for s in statements)


def test_after_the_first_page_learner_pages_read_no_modules_or_lessons(client, login, learner, synced_content):
    login(client, learner)
    client.get("/")
    for path in ("/", "/modules/", "/modules/basis", "/modules/basis/eerste"):
        statements = statements_run(lambda path=path: client.get(path))
        assert not _reads_curriculum(statements), f"{path} loaded the curriculum again: {statements}"
        assert any("content_version" in s for s in statements), f"{path} did not check the content version"


def test_a_sync_in_this_process_shows_at_the_next_page(client, login, learner, synced_content):
    login(client, learner)
    assert "Basis" in client.get("/").get_data(as_text=True)
    synced_content.module("01-basis", title="Basis, herschreven")
    synced_content.lesson("01-basis", "03-derde-basis.md", title="Nieuwe les")
    sync_content(load_content(synced_content.root))
    page = client.get("/modules/basis").get_data(as_text=True)
    assert "Basis, herschreven" in page and "Nieuwe les" in page
    assert "0 van 3 lessen klaar" in page


def test_content_written_by_another_process_shows_at_the_next_page(app, client, login, learner, synced_content):
    login(client, learner)
    assert "Een andere titel" not in client.get("/modules/basis").get_data(as_text=True)
    # Another process (say `flask content sync` on the server) writes through its own connection.
    other = create_engine(db.engine.url)
    with other.begin() as connection:
        connection.execute(text("UPDATE module SET title = 'Een andere titel' WHERE slug = 'basis'"))
        connection.execute(text("UPDATE content_version SET token = 'van-een-ander-proces' WHERE id = 1"))
    other.dispose()
    assert "Een andere titel" in client.get("/modules/basis").get_data(as_text=True)


def test_every_content_write_gives_a_new_token_and_other_writes_do_not(synced_content, make_user):
    before = _token()
    make_user()
    assert _token() == before
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "eerste"))
    lesson.title = "Eerste les, verbeterd"
    db.session.commit()
    after = _token()
    assert after and after != before
    user = db.session.scalar(select(User))
    user.name = "Iemand Anders"
    db.session.commit()
    assert _token() == after


def test_a_content_change_that_is_rolled_back_leaves_nothing_behind(client, login, learner, synced_content):
    login(client, learner)
    client.get("/")
    module = db.session.scalar(select(Module).where(Module.slug == "basis"))
    module.title = "Nooit opgeslagen"
    db.session.flush()
    assert catalogue().module("basis").title == "Nooit opgeslagen"  # this transaction sees its own write
    db.session.rollback()
    assert catalogue().module("basis").title == "Basis"
    assert "Nooit opgeslagen" not in client.get("/modules/basis").get_data(as_text=True)


def test_pages_stay_right_without_the_version_row(client, login, learner, synced_content):
    db.session.execute(text("DELETE FROM content_version"))
    db.session.commit()
    login(client, learner)
    assert "0 van 2 lessen klaar" in client.get("/modules/basis").get_data(as_text=True)
    db.session.execute(text("UPDATE lesson SET archived = :yes WHERE slug = 'tweede'"), {"yes": True})
    db.session.commit()
    # Without a token nothing is kept, so even a write that bypassed the ORM shows at once.
    assert "0 van 1 lessen klaar" in client.get("/modules/basis").get_data(as_text=True)


def test_with_a_check_interval_other_processes_writes_show_after_it_and_own_writes_at_once(
        app, client, login, learner, synced_content, monkeypatch, clock):
    monkeypatch.setitem(app.config, "CONTENT_CHECK_SECONDS", 60)
    login(client, learner)
    client.get("/modules/basis")
    statements = statements_run(lambda: client.get("/modules/basis"))
    assert not any("content_version" in s for s in statements), "checked the token within the interval"
    other = create_engine(db.engine.url)
    with other.begin() as connection:
        connection.execute(text("UPDATE module SET title = 'Van een ander proces' WHERE slug = 'basis'"))
        connection.execute(text("UPDATE content_version SET token = 'ander-proces' WHERE id = 1"))
    other.dispose()
    assert "Van een ander proces" not in client.get("/modules/basis").get_data(as_text=True)
    clock.shift(61)
    assert "Van een ander proces" in client.get("/modules/basis").get_data(as_text=True)
    synced_content.module("01-basis", title="Basis, door dit proces")
    sync_content(load_content(synced_content.root))
    assert "Basis, door dit proces" in client.get("/modules/basis").get_data(as_text=True)
