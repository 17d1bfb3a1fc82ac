"""The start page per role (issue 16 item 1). Each "Wacht op jou" count of a trainer must be what the page it links
to holds: the tests build the access-matrix world (an open answer, a practice version, a learner ready to sign, a
round not released, a session with sketches but no trainee-actor), compare, grow the world many times over and
compare again. A trainer sees only their own groups."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from jimtraining.extensions import db
from tests.performance.test_query_budgets import grow_world
from tests.security.test_access_matrix import build_world, client_for, prepare_content
from tests.support.database import count_queries, forget_cohort_overviews

WAITING = re.compile(r'<li data-kind="(\w+)" data-count="(\d+)">\s*<a href="([^"]+)"')


def waiting_lines(html: str) -> list[tuple[str, int, str]]:
    """(kind, count, link) of every "Wacht op jou" line of a start page."""
    return [(kind, int(count), url.replace("&amp;", "&")) for kind, count, url in WAITING.findall(html)]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    return response.get_data(as_text=True)


def what_the_page_holds(client, kind: str, url: str) -> int:
    """Count on the linked page what the line says waits there."""
    html = page(client, url)
    if kind == "answers":
        return len(set(re.findall(r'href="/quizzes/review/(\d+)"', html)))
    if kind == "practice":
        return html.count("<strong>Wacht op jou</strong>")
    if kind == "sign":
        return len(re.findall(r'<a class="badge badge-ok" href="[^"]*#certificaat">klaar om af te tekenen</a>', html))
    if kind == "release":
        rounds = re.findall(r'<li><a href="/rounds/\d+">.*?</li>', html)
        return sum(1 for line in rounds if "vrijgegeven" not in line)
    if kind == "actor":
        booked = re.search(r'<select id="actor_id".*?</select>', html, re.S).group(0)
        return 0 if "(geboekt)" in booked else 1
    raise AssertionError(f"unknown kind {kind}")


def assert_counts_match(client) -> list[tuple[str, int, str]]:
    lines = waiting_lines(page(client, "/"))
    for kind, count, url in lines:
        assert count == what_the_page_holds(client, kind, url), f"{kind} at {url}: the start page says {count}"
    return lines


@pytest.fixture
def world(app, synced_content):
    prepare_content(synced_content)
    return build_world(synced_content.root)


def test_every_waiting_count_of_a_trainer_is_what_the_linked_page_lists_also_in_a_grown_world(app, world):
    trainer = client_for(app, world["users"]["trainer"])
    kinds = {kind for kind, _count, _url in assert_counts_match(trainer)}
    # The world holds one of each kind of waiting work for trainer A except an unbooked session (A's is booked).
    assert {"answers", "practice", "sign", "release"} <= kinds

    grow_world(world)
    lines = assert_counts_match(trainer)
    assert sum(count for kind, count, _url in lines if kind == "answers") > 1


def test_the_review_queue_count_equals_the_review_queue_page_for_an_admin_too(app, world):
    from jimtraining.progress.waiting import review_count, review_queue_for

    grow_world(world)
    admin = world["users"]["admin"]
    html = page(client_for(app, admin), "/quizzes/review")
    assert review_count(admin) == len(review_queue_for(admin)) == len(set(re.findall(r"/quizzes/review/(\d+)", html)))


def test_the_open_answer_count_counts_a_learner_in_two_groups_once_and_leaves_out_removed_learners(app, world):
    """The count is taken learner by learner (an index lookup each, so its cost follows the trainer's own
    groups); a learner in two of the trainer's groups must not count twice, and one removed from every group of
    theirs not at all, just as on the review queue page."""
    from jimtraining.accounts.models import User
    from jimtraining.cohorts.enrolment import enroll
    from jimtraining.cohorts.models import Cohort, Enrollment, cohort_trainer
    from jimtraining.progress.waiting import review_count, review_queue_for
    from jimtraining.timeutil import utcnow

    grow_world(world)
    trainer = world["users"]["trainer"]
    waiting = {answer.attempt.user_id for answer in review_queue_for(trainer)}
    assert len(waiting) >= 2
    others = db.session.scalars(select(Cohort).join(cohort_trainer, cohort_trainer.c.cohort_id == Cohort.id).where(
        cohort_trainer.c.user_id == trainer.id, Cohort.id != world["cohort_a"])).all()
    first, gone = sorted(waiting)[:2]
    enroll(others[0], db.session.get(User, first), "trainer")
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.user_id == gone)):
        enrollment.removed_at = utcnow()
    db.session.commit()
    listed = review_queue_for(trainer)
    assert gone not in {answer.attempt.user_id for answer in listed}
    assert review_count(trainer) == len(listed) > 0
    html = page(client_for(app, trainer), "/")
    assert ("answers", len(listed), "/quizzes/review") in waiting_lines(html)


def test_a_trainer_sees_only_their_own_groups_and_their_waiting_work(app, world):
    grow_world(world)
    html_a = page(client_for(app, world["users"]["trainer"]), "/")
    html_b = page(client_for(app, world["users"]["trainer_b"]), "/")
    cohort_a, cohort_b = f"/cohorts/{world['cohort_a']}", f"/cohorts/{world['cohort_b']}"
    assert ">Groep A</a>" in html_a and f'"{cohort_a}"' in html_a
    assert ">Groep A</a>" not in html_b and f'"{cohort_a}"' not in html_b and f'"{cohort_a}/' not in html_b
    assert f'"{cohort_b}"' in html_b
    for _kind, _count, url in waiting_lines(html_b):
        assert not url.startswith(cohort_a), url
    # B's session plans a sketch and has no trainee-actor: that waits for B, not for A.
    assert ("actor", 1, f"{cohort_b}/sessions/{world['session_b']}") in waiting_lines(html_b)
    assert all(kind != "actor" for kind, _count, _url in waiting_lines(html_a))


def test_an_empty_workspace_says_that_nothing_waits(app, make_user):
    trainer = make_user("trainer")
    html = page(client_for(app, trainer), "/")
    assert "Er wacht nu niets op je." in html
    assert "Vandaag heb je geen bijeenkomsten." in html
    assert "modules afgerond" not in html  # not the learner's start page


def test_todays_session_links_its_attendance_page_the_code_and_starting_a_round(app, world):
    from jimtraining.cohorts.models import CohortSession

    html = page(client_for(app, world["users"]["trainer"]), "/")
    session = db.session.get(CohortSession, world["session_a"])  # starts in five minutes: check-in is open
    url = f"/cohorts/{world['cohort_a']}/sessions/{session.id}"
    today = html.split('id="vandaag-kop"')[1].split('id="wacht-kop"')[0]
    assert f'href="{url}/attendance"' in today and f'href="{url}/code"' in today
    assert f'href="{url}#nieuwe-ronde"' in today
    assert "Incheckcode:" in today


def test_the_actor_sees_coming_bookings_with_group_place_and_session_time_and_past_ones_apart(app, world):
    from jimtraining.cohorts.models import CohortSession
    from jimtraining.roleplay import services as live
    from jimtraining.timeutil import utcnow

    actor = world["users"]["actor"]
    past = db.session.get(CohortSession, world["session_a"])
    old = CohortSession(cohort_id=past.cohort_id, title="Vorige keer", starts_at=utcnow() - timedelta(days=30),
                        ends_at=utcnow() - timedelta(days=30) + timedelta(hours=2), location="Zaal 9",
                        checkin_secret="x" * 32)
    db.session.add(old)
    db.session.commit()
    live.book_actor(old, actor)
    html = page(client_for(app, actor), "/")
    coming, earlier = html.split('id="eerder-kop"')
    assert "Oefenavond" in coming and "Groep A" in coming and "Zaal 2" in coming and "Jeugdzorg Oost" in coming
    assert "Vorige keer" not in coming and "Vorige keer" in earlier and "<details>" in earlier
    assert f'href="/rounds/{world["round"]}"' in coming
    assert "testscenario" not in html  # the sketch's title, never its slug
    assert "Op slot" not in html and "Jouw modules" not in html


def test_the_admin_sees_national_progress_licences_and_the_latest_audit_events(app, world):
    from jimtraining.certification.models import TrainerLicence
    from jimtraining.timeutil import utcnow

    licence = db.session.scalar(select(TrainerLicence).where(TrainerLicence.user_id == world["users"]["trainer_b"].id))
    licence.expires_at = utcnow() + timedelta(days=20)
    db.session.commit()
    html = page(client_for(app, world["users"]["admin"]), "/")
    assert "van de 3.000 professionals gecertificeerd" in html
    licences = html.split('id="licenties-kop"')[1].split('id="mail-kop"')[0]
    assert "Olaf Andere" in licences and "Tineke Trainer" not in licences
    assert 'href="/admin/national"' in html and 'href="/admin/audit"' in html and 'href="/admin/outbox"' in html
    assert "Certificaat afgetekend" in html


def test_the_learner_sees_the_next_session_with_its_check_in_and_the_signed_certificate(app, world):
    html = page(client_for(app, world["users"]["learner"]), "/")
    assert "Nu inchecken met de code" in html  # session A starts in five minutes
    assert f'/certificates/{world["certificate"]}.pdf' in html
    assert f'/verify/{world["certificate_code"]}' in html
    assert "Jouw modules" in html


@pytest.mark.parametrize("role", ["trainer", "actor", "admin", "learner"])
def test_a_start_page_costs_the_same_queries_in_a_world_many_times_larger(app, world, role):
    client = client_for(app, world["users"][role])

    def first_visit():
        # What the page costs when the process has kept nothing yet (the groups' overviews).
        forget_cohort_overviews(app)
        return count_queries(lambda: client.get("/"))

    small = first_visit()
    grow_world(world)
    assert first_visit() == small
    # Visited again with nothing changed, the groups' figures are the ones the process kept: no query for them.
    assert count_queries(lambda: client.get("/")) <= small
