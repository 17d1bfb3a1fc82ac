"""What a learner sees: dashboard, module page, lesson page, marking lessons done, locked modules."""

import pytest
from sqlalchemy import select

from jimtraining.curriculum.models import LessonProgress
from jimtraining.extensions import db
from tests.support.database import count_queries


@pytest.fixture
def learner(make_user):
    return make_user(name="Lotte Leerling")


def test_anonymous_visitor_is_sent_to_login(client, synced_content):
    response = client.get("/modules/basis/eerste")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_dashboard_shows_progress_per_module_and_where_to_start(client, login, learner, synced_content):
    login(client, learner)
    page = client.get("/").get_data(as_text=True)
    assert "0 van 2 lessen klaar" in page
    assert "Verder met: Eerste les" in page
    assert "Op slot. Eerst afronden:" in page


def test_lesson_page_renders_markdown_and_links_to_the_next_lesson(client, login, learner, synced_content):
    login(client, learner)
    page = client.get("/modules/basis/eerste").get_data(as_text=True)
    assert "<h2>Kop</h2>" in page
    assert 'href="/modules/basis/tweede"' in page  # the Markdown link to 02-tweede.md, rewritten
    assert "Volgende: Tweede les" in page
    assert "Les 1 van 2" in page


def test_marking_a_lesson_done_moves_to_the_next_and_updates_progress(client, login, learner, synced_content):
    login(client, learner)
    response = client.submit("/modules/basis/eerste/done", page="/modules/basis/eerste")
    assert response.status_code == 302
    assert response.headers["Location"] == "/modules/basis/tweede"
    assert "1 van 2 lessen klaar" in client.get("/modules/basis").get_data(as_text=True)
    assert "Verder met: Tweede les" in client.get("/").get_data(as_text=True)


def test_marking_done_twice_keeps_one_row(client, login, learner, synced_content):
    login(client, learner)
    client.submit("/modules/basis/eerste/done", page="/modules/basis/eerste")
    client.submit("/modules/basis/eerste/done", page="/modules/basis/eerste")
    rows = db.session.scalars(select(LessonProgress)).all()
    assert len(rows) == 1 and rows[0].completed_at is not None


def test_undo_sets_a_lesson_back_to_not_done(client, login, learner, synced_content):
    login(client, learner)
    client.submit("/modules/basis/eerste/done", page="/modules/basis/eerste")
    client.submit("/modules/basis/eerste/undo", page="/modules/basis/eerste")
    assert "0 van 2 lessen klaar" in client.get("/modules/basis").get_data(as_text=True)


def test_locked_module_names_the_missing_prerequisite(client, login, learner, synced_content):
    login(client, learner)
    page = client.get("/modules/verder").get_data(as_text=True)
    assert "Deze module is nog op slot" in page
    assert 'href="/modules/basis">Basis</a>' in page
    response = client.get("/modules/verder/derde")
    assert response.status_code == 302
    assert response.headers["Location"] == "/modules/verder"
    assert client.submit("/modules/verder/derde/done", page="/modules/verder").status_code == 403


def test_completing_the_prerequisite_unlocks_the_module(client, login, learner, synced_content):
    login(client, learner)
    for slug in ("eerste", "tweede"):
        client.submit(f"/modules/basis/{slug}/done", page="/modules/basis")
    page = client.get("/modules/verder").get_data(as_text=True)
    assert "Deze module is nog op slot" not in page
    assert client.get("/modules/verder/derde").status_code == 200
    assert "Verder met: Derde les" in client.get("/").get_data(as_text=True)


def test_trainer_can_read_a_locked_module(client, login, make_user, synced_content):
    login(client, make_user(role="trainer"))
    assert client.get("/modules/verder/derde").status_code == 200


def test_unknown_module_or_lesson_is_404_with_a_dutch_page(client, login, learner, synced_content):
    login(client, learner)
    response = client.get("/modules/basis/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
    assert client.get("/modules/bestaat-niet").status_code == 404


def test_lesson_text_is_sanitised_even_if_it_got_past_the_check(client, login, learner, synced_content):
    from jimtraining.curriculum.models import Lesson

    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "eerste"))
    lesson.body = ('Hallo <script>alert(1)</script> [klik](javascript:alert(2)) '
                   '<img src="x" onerror="alert(3)" alt="x"> ![pixel](https://tracker.example/p.png)\n')
    db.session.commit()
    login(client, learner)
    page = client.get("/modules/basis/eerste").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page
    assert "onerror" not in page
    assert "tracker.example" not in page


def test_module_page_lists_goals_lessons_and_sources(client, login, learner, synced_content):
    login(client, learner)
    page = client.get("/modules/basis").get_data(as_text=True)
    assert "Je kunt iets uitleggen." in page
    assert "Eerste les" in page and "Tweede les" in page
    assert "Een bron" in page


def test_images_are_served_only_from_the_module_folder(client, login, learner, synced_content):
    synced_content.raw("01-basis/images/schema.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    synced_content.raw("01-basis/geheim.txt", "niet voor het web")
    synced_content.raw("02-verder/images/ander.png", "png")
    login(client, learner)
    response = client.get("/modules/basis/files/images/schema.svg")
    assert response.status_code == 200
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "private" in response.headers["Cache-Control"]
    assert client.get("/modules/basis/files/geheim.txt").status_code == 404
    assert client.get("/modules/basis/files/../02-verder/images/ander.png").status_code == 404
    assert client.get("/modules/basis/files/..%2F02-verder%2Fimages%2Fander.png").status_code == 404


def test_images_of_a_locked_module_are_not_served(client, login, learner, synced_content):
    synced_content.raw("02-verder/images/ander.png", "png")
    login(client, learner)
    assert client.get("/modules/verder/files/images/ander.png").status_code == 403


def test_opening_a_lesson_writes_nothing(client, login, learner, synced_content):
    login(client, learner)
    client.get("/modules/basis/eerste")
    assert db.session.scalars(select(LessonProgress)).all() == []


def test_a_started_module_stays_open_when_its_prerequisite_gets_a_new_lesson(client, login, learner,
                                                                             synced_content):
    from jimtraining.content_tree import load_content, sync_content

    login(client, learner)
    for path in ("/modules/basis/eerste/done", "/modules/basis/tweede/done", "/modules/verder/derde/done"):
        client.submit(path, page="/modules/basis")
    synced_content.lesson("01-basis", "03-nieuw.md", title="Nieuwe les")
    sync_content(load_content(synced_content.root))
    assert client.get("/modules/verder/vierde").status_code == 200
    assert "2 van 3 lessen klaar" in client.get("/modules/basis").get_data(as_text=True)


def test_dashboard_query_count_does_not_grow_with_progress(app, client, login, learner, synced_content):
    login(client, learner)
    few = count_queries(lambda: client.get("/"))
    for path in ("/modules/basis/eerste/done", "/modules/basis/tweede/done", "/modules/verder/derde/done"):
        client.submit(path, page="/modules/basis")
    many = count_queries(lambda: client.get("/"))
    assert few == many
    assert many <= 10


def test_module_and_lesson_pages_cost_the_same_queries_with_more_progress(app, client, login, learner,
                                                                          synced_content):
    login(client, learner)
    module_few = count_queries(lambda: client.get("/modules/basis"))
    lesson_few = count_queries(lambda: client.get("/modules/basis/tweede"))
    for path in ("/modules/basis/eerste/done", "/modules/basis/tweede/done", "/modules/verder/derde/done"):
        client.submit(path, page="/modules/basis")
    assert count_queries(lambda: client.get("/modules/basis")) == module_few
    assert count_queries(lambda: client.get("/modules/basis/tweede")) == lesson_few
    assert module_few <= 6 and lesson_few <= 6
