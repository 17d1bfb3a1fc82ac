"""The certification checklist: says each thing once, links what is missing to where it is done, shows overall
progress, and says "wacht op je trainer" for what the trainer still has to look at."""

from jimtraining.extensions import db
from jimtraining.quizzes.models import PENDING_REVIEW, QuizAttempt
from jimtraining.timeutil import utcnow
from tests.support.certification import finish_modules, practice


def _waiting_quiz(learner, slug="basis"):
    db.session.add(QuizAttempt(user_id=learner.id, module_slug=slug, number=1, status=PENDING_REVIEW,
                               submitted_at=utcnow()))
    db.session.commit()


def test_the_learner_checklist_says_each_thing_once_and_links_what_is_missing(client_for, world):
    page = client_for(world.learner).get("/certification").get_data(as_text=True)
    assert "(gehaald)" not in page and "gehaald (" not in page
    assert "Praktijkopdracht goedgekeurd (" not in page
    assert 'href="/modules/basis">Module &#39;' in page  # a missing module links to the module
    assert 'href="/modules/basis/quiz">Toets van' in page  # a quiz not passed links to the quiz
    assert 'href="/certification/jimwerker/practice">Praktijkopdracht</a>' in page
    assert "0 van 6 onderdelen klaar" in page and '<progress max="6" value="0"' in page


def test_done_items_count_towards_the_overall_progress_and_are_not_links(client_for, world):
    finish_modules(world.learner)
    page = client_for(world.learner).get("/certification").get_data(as_text=True)
    assert "2 van 6 onderdelen klaar" in page
    assert 'href="/modules/basis">Module' not in page


def test_a_quiz_waiting_for_review_says_wacht_op_je_trainer_not_nog_niet_gehaald(client_for, world):
    _waiting_quiz(world.learner)
    practice(world.learner, decision=None)
    page = client_for(world.learner).get("/certification").get_data(as_text=True)
    assert page.count("wacht op je trainer") == 2  # the quiz and the practice version, once each
    assert "nog niet gehaald" not in page


def test_the_trainer_sees_what_waits_for_them_linked_to_their_queues(client_for, world):
    _waiting_quiz(world.learner)
    practice(world.learner, decision=None)
    client = client_for(world.trainer)
    page = client.get(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}").get_data(as_text=True)
    assert page.count("wacht op jou</span>") == 2
    assert 'href="/quizzes/review">Toets van' in page
    assert f'href="/cohorts/{world.cohort.id}/practice">Praktijkopdracht</a>' in page


def test_the_group_matrix_flags_a_practice_version_waiting_for_review(client_for, world):
    practice(world.learner, decision=None)
    page = client_for(world.trainer).get(f"/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert (f'<a class="badge badge-info" href="/cohorts/{world.cohort.id}/practice">praktijkopdracht nakijken</a>'
            in page)
    assert "1</strong> praktijkopdracht om te beoordelen" in page
