"""The cohort dashboard keeps its figures between views (progress/dashboard.py, cohort_overview) and must
never show them after they changed: every way a figure on it can change is made here, and the page after the
change must equal a page counted from scratch."""

import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from jimtraining.certification import practice as practice_work
from jimtraining.certification import services as certification
from jimtraining.certification.models import Certificate
from jimtraining.cohorts import enrolment as cohorts
from jimtraining.cohorts.attendance import set_attendance
from jimtraining.content_tree import load_content, sync_content
from jimtraining.curriculum.models import Lesson
from jimtraining.curriculum.services import set_lesson_done
from jimtraining.extensions import db
from jimtraining.progress.dashboard import cohort_overview
from jimtraining.quizzes.models import QuizAttempt
from jimtraining.roleplay import services as live
from jimtraining.timeutil import utcnow
from tests.support.certification import (
    REFLECTION,
    add_sessions,
    attempt,
    give_licence,
    make_track,
    mark,
    play_round,
    practice,
)
from tests.support.database import forget_cohort_overviews, statements_run
from tests.support.quizzes import PERFECT, QUIZ_YML, answer_form

#: The test quiz without its open question, so a hand-in is graded at once.
CLOSED_QUIZ = QUIZ_YML.split("  - id: reflectie")[0]
FIGURE_TABLES = ("lesson_progress", "quiz_attempt", "attendance", "certificate", "role_play_round",
                 "practice_assignment")


@pytest.fixture
def group(synced_content, make_user, make_cohort):
    """A cohort following the test track, with a quiz on 'basis', five ended sessions, two learners and an actor."""
    synced_content.raw("01-basis/quiz.yml", CLOSED_QUIZ.format(draw=5, max_attempts=3, time_limit="",
                                                               show_answers="after_attempt"))
    sync_content(load_content(synced_content.root))
    make_track()
    trainer = make_user(role="trainer", name="Tineke Trainer")
    give_licence(trainer)
    learner = make_user(name="Lotte Leerling")
    second = make_user(name="Sem Tweede")
    cohort = make_cohort(trainers=[trainer], learners=[learner, second], track_slug="jimwerker",
                         module_slugs=["basis", "verder"])
    for enrollment in cohort.enrollments:
        enrollment.enrolled_at = utcnow() - timedelta(days=60)
    db.session.commit()
    sessions = add_sessions(cohort)
    return {"content": synced_content, "trainer": trainer, "learner": learner, "second": second, "cohort": cohort,
            "sessions": sessions, "actor": make_user(role="actor", name="Acteur Anouk"),
            "admin": make_user(role="admin", name="Ada Admin")}


def figures(client, cohort) -> str:
    """The part of the dashboard with the learners' figures (the rest of the page has per-request tokens)."""
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    return page[page.index('<h2 id="deelnemers">'):page.index("</main>")]


def fresh_figures(app, client, cohort) -> str:
    forget_cohort_overviews(app)  # count from scratch
    return figures(client, cohort)


def row_of(text: str, name: str) -> str:
    match = re.search(r"<tr>(?:(?!</tr>).)*" + re.escape(name) + r".*?</tr>", text, re.S)
    return match.group(0) if match else ""


# Every change: (what it is, what happens before the first view, the change itself)

def _finish_basis_except_one(g, clients):
    lessons = db.session.scalars(select(Lesson).where(Lesson.slug.in_(["eerste"]))).all()
    for lesson in lessons:
        set_lesson_done(g["learner"], lesson, True)
    attempt(g["learner"], passed=True)


def _mark_last_basis_lesson_on_the_page(g, clients):
    response = clients(g["learner"]).submit("/modules/basis/tweede/done", page="/modules/basis/tweede")
    assert response.status_code == 302


def _start_the_quiz_on_the_page(g, clients):
    g["quiz_page"] = clients(g["learner"])
    start = g["quiz_page"].submit("/modules/basis/quiz/start", page="/modules/basis/quiz")
    g["attempt_id"] = int(start.headers["Location"].rsplit("/", 1)[1])


def _hand_in_the_quiz_on_the_page(g, clients):
    attempt_id = g["attempt_id"]
    db.session.expire_all()
    form = answer_form(db.session.get(QuizAttempt, attempt_id), PERFECT)
    response = g["quiz_page"].submit(f"/quiz/attempts/{attempt_id}/submit", form, page=f"/quiz/attempts/{attempt_id}")
    assert response.status_code == 302 and "/result" in response.headers["Location"]


def _mark_attendance(g, clients):
    set_attendance(g["sessions"][0], {g["learner"].id: "present"})


def _play_one_round(g, clients):
    play_round(g["sessions"][-1], g["learner"], g["actor"])


def _release_a_round(g, clients):
    live.release(play_round(g["sessions"][-1], g["learner"], g["actor"], released=False), "sufficient",
                 g["trainer"], {})


def _hand_in_practice(g, clients):
    track = certification.cohort_track(g["cohort"])
    practice_work.submit_practice(g["learner"], track, REFLECTION)


def _approve_practice(g, clients):
    assignment = practice_work.practice_assignment(g["learner"], certification.cohort_track(g["cohort"]))
    practice_work.review_practice(assignment.latest, "approved", "", g["trainer"])


def _complete(g, clients):
    for lesson in db.session.scalars(select(Lesson)).all():
        set_lesson_done(g["learner"], lesson, True)
    attempt(g["learner"], passed=True)
    mark(g["sessions"], g["learner"], ["present"] * len(g["sessions"]))
    play_round(g["sessions"][-1], g["learner"], g["actor"])
    play_round(g["sessions"][-1], g["learner"], g["actor"])
    practice(g["learner"], reviewer=g["trainer"])


def _sign_off(g, clients):
    response = clients(g["trainer"]).submit(
        f"/cohorts/{g['cohort'].id}/learners/{g['learner'].id}/certificate", {"confirm": "yes"},
        page=f"/cohorts/{g['cohort'].id}/learners/{g['learner'].id}")
    assert response.status_code == 302


def _complete_and_certify(g, clients):
    _complete(g, clients)
    with current_app.test_request_context():  # the holder gets a mail with a link
        certification.issue_certificate(g["cohort"], g["learner"], g["trainer"])


def _revoke(g, clients):
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == g["learner"].id))
    with current_app.test_request_context():  # the holder gets a mail with a link
        certification.revoke_certificate(certificate, g["admin"], "Afgegeven op grond van een vergissing.")


def _remove_learner(g, clients):
    cohorts.remove_learner(g["cohort"], g["learner"].id)


def _add_learner(g, clients):
    from jimtraining.accounts.services import create_user

    newcomer = create_user(email="nieuw@example.org", name="Nina Nieuw", password="lamp fiets wolk tegel boom")
    cohorts.enroll(g["cohort"], newcomer, "trainer")


def _rename_learner(g, clients):
    g["learner"].name = "Lotte van Leerling"
    db.session.commit()


def _move_a_session_into_the_past(g, clients):
    coming = add_sessions(g["cohort"], count=1, past=False)[0]
    mark([coming], g["learner"], ["absent"])
    coming.starts_at, coming.ends_at = utcnow() - timedelta(hours=4), utcnow() - timedelta(hours=1)
    db.session.commit()


def _do_one_of_two_lessons(g, clients):
    set_lesson_done(g["learner"], db.session.scalar(select(Lesson).where(Lesson.slug == "derde")), True)


def _archive_the_other_lesson(g, clients):
    (g["content"].root / "02-verder" / "02-vierde.md").unlink()  # "verder" is now done: 1 of 1 lessons
    sync_content(load_content(g["content"].root))


CHANGES = [
    ("a lesson marked done (ORM)", _finish_basis_except_one, _mark_last_basis_lesson_on_the_page),
    ("a quiz handed in (Core UPDATE)", _start_the_quiz_on_the_page, _hand_in_the_quiz_on_the_page),
    ("attendance marked", None, _mark_attendance),
    ("a role-play round released", _play_one_round, _release_a_round),
    ("practice approved (Core UPDATE)", _hand_in_practice, _approve_practice),
    ("certificate signed off", _complete, _sign_off),
    ("certificate revoked", _complete_and_certify, _revoke),
    ("learner removed", None, _remove_learner),
    ("learner added", None, _add_learner),
    ("learner renamed", None, _rename_learner),
    ("a session moved into the past", None, _move_a_session_into_the_past),
    ("the lesson not done archived by a content sync", _do_one_of_two_lessons, _archive_the_other_lesson),
]


@pytest.mark.parametrize(("what", "prepare", "change"), CHANGES, ids=[c[0] for c in CHANGES])
def test_the_dashboard_shows_every_change_at_the_next_view(app, group, client_for, what, prepare, change):
    if prepare:
        prepare(group, client_for)
    trainer = client_for(group["trainer"])
    before = figures(trainer, group["cohort"])
    assert figures(trainer, group["cohort"]) == before  # kept: the same page again
    change(group, client_for)
    after = figures(trainer, group["cohort"])
    assert after != before, f"{what}: the dashboard did not change"
    assert after == fresh_figures(app, trainer, group["cohort"]), f"{what}: the kept figures were out of date"


def test_a_second_view_counts_nothing_again(group, client_for):
    trainer, url = client_for(group["trainer"]), f"/cohorts/{group['cohort'].id}"
    trainer.get(url)
    statements = statements_run(lambda: trainer.get(url))
    counted = [s for s in statements if any(f"FROM {table}" in s for table in FIGURE_TABLES)]
    assert counted == [], counted
    assert len(statements) <= 6, statements


def test_the_clock_alone_renews_the_figures_when_a_session_ends(app, group):
    cohort = group["cohort"]
    coming = add_sessions(cohort, count=1, past=False)[0]
    mark([coming], group["learner"], ["present"])
    with app.test_request_context():
        now = utcnow()
        before = cohort_overview(cohort, now=now)
        assert cohort_overview(cohort, now=now + timedelta(seconds=1)) is before  # kept
        after_end = coming.ends_at.replace(tzinfo=now.tzinfo) + timedelta(seconds=1)
        later = cohort_overview(cohort, now=after_end)
    assert later is not before and later.past == before.past + 1


def test_nothing_is_kept_when_the_dashboard_cache_is_off(app, group, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 0)
    with app.test_request_context():
        first = cohort_overview(group["cohort"])
        assert cohort_overview(group["cohort"]) is not first


def test_kept_figures_are_per_language(app, group, client_for):
    mark(group["sessions"], group["learner"], ["present"] * len(group["sessions"]))
    trainer = client_for(group["trainer"])
    assert "5 van 5" in row_of(figures(trainer, group["cohort"]), "Lotte Leerling")
    trainer.submit("/language", {"locale": "en"})
    english = figures(trainer, group["cohort"])
    assert "5 of 5" in row_of(english, "Lotte Leerling")
    assert english == fresh_figures(app, trainer, group["cohort"])
