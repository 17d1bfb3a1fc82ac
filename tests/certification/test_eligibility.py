"""Eligibility is computed from the data, per requirement kind, with the edge cases a trainer would argue about."""

from datetime import timedelta

from jimtraining.certification.eligibility import cohort_eligibility, learner_eligibilities, learner_eligibility
from jimtraining.certification.services import create_certificate
from jimtraining.cohorts.enrolment import remove_learner
from jimtraining.curriculum.models import Lesson
from jimtraining.extensions import db
from jimtraining.roleplay.services import release
from jimtraining.timeutil import utcnow
from tests.support.certification import (
    add_sessions,
    attempt,
    complete,
    finish_modules,
    make_track,
    mark,
    play_round,
    practice,
)
from tests.support.database import count_queries


def check(world, kind, learner=None):
    eligibility = learner_eligibility(world.cohort, world.track, (learner or world.learner).id)
    return [c for c in eligibility.checks if c.kind == kind]


def test_a_learner_with_everything_is_eligible_and_nothing_is_missing(world):
    complete(world, world.learner)
    eligibility = learner_eligibility(world.cohort, world.track, world.learner.id)
    assert eligibility.eligible and eligibility.missing == []
    assert {c.kind for c in eligibility.checks} == {"modules", "quizzes", "attendance", "roleplay", "practice"}


def test_a_new_learner_sees_every_requirement_as_missing(world):
    eligibility = learner_eligibility(world.cohort, world.track, world.learner.id)
    assert not eligibility.eligible
    assert len(eligibility.missing) == len(eligibility.checks) == 6  # 2 modules, quiz, attendance, rounds, practice


def test_module_counts_only_when_every_active_lesson_is_done(world):
    finish_modules(world.learner, ["basis"])
    modules = {c.slug: c for c in check(world, "modules")}
    assert modules["basis"].met and not modules["verder"].met
    assert modules["basis"].detail == "2 van 2 lessen" and modules["verder"].detail == "0 van 2 lessen"


def test_an_archived_lesson_no_longer_counts_against_the_module(world):
    finish_modules(world.learner, ["basis"])
    lesson = db.session.scalar(db.select(Lesson).where(Lesson.slug == "vierde"))
    from jimtraining.curriculum.services import set_lesson_done

    set_lesson_done(world.learner, db.session.scalar(db.select(Lesson).where(Lesson.slug == "derde")), True)
    lesson.archived = True
    db.session.commit()
    assert all(c.met for c in check(world, "modules"))


def test_a_done_lesson_that_was_archived_does_not_stand_in_for_an_active_one(world, client, login):
    from jimtraining.curriculum.services import set_lesson_done

    lessons = {lesson.slug: lesson for lesson in db.session.scalars(db.select(Lesson))}
    set_lesson_done(world.learner, lessons["derde"], True)
    lessons["derde"].archived = True  # "verder" now has one active lesson, "vierde", which is not done
    db.session.commit()
    verder = next(c for c in check(world, "modules") if c.slug == "verder")
    assert not verder.met and verder.detail == "0 van 1 lessen"
    login(client, world.trainer)
    page = client.get(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}").get_data(as_text=True)
    assert "0 van 1 lessen" in page


def test_quiz_passed_on_the_last_allowed_attempt_counts(world):
    attempt(world.learner, passed=False)
    attempt(world.learner, passed=False)
    assert not check(world, "quizzes")[0].met
    attempt(world.learner, passed=True)  # the third and last attempt
    assert check(world, "quizzes")[0].met


def test_quiz_failed_on_every_attempt_does_not_count(world):
    for _ in range(3):
        attempt(world.learner, passed=False)
    assert not check(world, "quizzes")[0].met


def test_attendance_exactly_at_the_threshold_is_enough(world):
    mark(world.sessions, world.learner, ["present", "present", "present", "present", "absent"])  # 80%
    attendance = check(world, "attendance")[0]
    assert attendance.met and attendance.detail.startswith("80%")


def test_attendance_just_below_the_threshold_is_not_enough(world):
    sessions = world.sessions + add_sessions(world.cohort, count=1)  # six sessions have ended
    mark(sessions, world.learner, ["present"] * 4 + ["absent", "absent"])  # 4 of 6 = 66.7%
    assert not check(world, "attendance")[0].met


def test_excused_sessions_count_for_nobody(world):
    mark(world.sessions, world.learner, ["present", "present", "present", "present", "excused"])
    attendance = check(world, "attendance")[0]
    assert attendance.met and "4 van 4" in attendance.detail


def test_sessions_that_have_not_ended_do_not_count(world):
    mark(world.sessions, world.learner, ["present"] * 4 + ["absent"])
    add_sessions(world.cohort, count=3, past=False)
    assert check(world, "attendance")[0].met


def test_no_session_ended_yet_means_attendance_is_not_met(world, make_user, make_cohort):
    learner = make_user()
    cohort = make_cohort(trainers=[world.trainer], learners=[learner], track_slug="jimwerker")
    eligibility = learner_eligibility(cohort, world.track, learner.id)
    attendance = next(c for c in eligibility.checks if c.kind == "attendance")
    assert not attendance.met and attendance.detail == "nog geen bijeenkomsten voorbij"


def test_sessions_before_joining_do_not_count_unless_marked(world, make_user):
    late = make_user()
    from jimtraining.cohorts.enrolment import enroll

    enroll(world.cohort, late, "code")  # joins now: all five ended sessions were before
    eligibility = learner_eligibility(world.cohort, world.track, late.id)
    assert next(c for c in eligibility.checks if c.kind == "attendance").detail == "nog geen bijeenkomsten voorbij"


def test_round_first_not_yet_then_sufficient_counts_as_sufficient(world):
    session = world.sessions[-1]
    round_ = play_round(session, world.learner, world.actor, outcome=None, released=False)
    release(round_, "not_yet", world.trainer, {})
    play_round(session, world.learner, world.actor)
    assert not check(world, "roleplay")[0].met  # one sufficient, one not yet
    release(round_, "sufficient", world.trainer, {})  # after the debrief the trainer changes the verdict
    roleplay = check(world, "roleplay")[0]
    assert roleplay.met and roleplay.detail == "2 van 2"


def test_unreleased_rounds_do_not_count(world):
    session = world.sessions[-1]
    play_round(session, world.learner, world.actor)
    play_round(session, world.learner, world.actor, released=False)
    assert not check(world, "roleplay")[0].met


def test_rounds_as_player_or_observer_do_not_count(world):
    session = world.sessions[-1]
    play_round(session, world.second, world.learner)
    play_round(session, world.second, world.learner)
    assert not check(world, "roleplay")[0].met


def test_practice_counts_only_when_approved(world):
    assignment = practice(world.learner, decision=None)
    assert check(world, "practice")[0].detail == "ingeleverd"
    assert check(world, "practice")[0].waiting  # the page says "wacht op je trainer" once, as a badge
    assignment.versions[0].decision = "returned"
    db.session.commit()
    assert check(world, "practice")[0].detail == "teruggegeven: pas je tekst aan"
    assignment.versions[0].decision = "approved"
    db.session.commit()
    assert check(world, "practice")[0].met


def test_practice_for_another_track_does_not_count(world):
    practice(world.learner, track_slug="jim-trainer")
    assert not check(world, "practice")[0].met


def test_a_track_without_a_kind_of_requirement_does_not_ask_for_it(world, make_user, make_cohort):
    light = make_track(slug="licht", requirements={"modules": ["basis"], "quizzes": [], "attendance_percent": 0,
                                                   "roleplay_sufficient": 0, "practice": None})
    learner = make_user()
    cohort = make_cohort(trainers=[world.trainer], learners=[learner], track_slug="licht")
    finish_modules(learner, ["basis"])
    eligibility = learner_eligibility(cohort, light, learner.id)
    assert [c.kind for c in eligibility.checks] == ["modules"] and eligibility.eligible


def test_a_removed_learner_has_no_eligibility_in_the_cohort(world):
    complete(world, world.learner)
    remove_learner(world.cohort, world.learner.id)
    assert learner_eligibility(world.cohort, world.track, world.learner.id) is None


def test_a_valid_certificate_makes_the_learner_already_certified_not_eligible_again(world):
    complete(world, world.learner)
    create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    eligibility = learner_eligibility(world.cohort, world.track, world.learner.id)
    assert eligibility.already_certified and not eligibility.eligible


def test_refresher_needs_an_earlier_certificate_of_the_renewed_track(world, make_user, make_cohort):
    refresher = make_track(slug="opfrissen", title="JIMwerker opfrissen", renews="jimwerker",
                           requirements={"modules": ["verder"], "quizzes": [], "attendance_percent": 0,
                                         "roleplay_sufficient": 0, "practice": None})
    learner = make_user()
    cohort = make_cohort(trainers=[world.trainer], learners=[learner], track_slug="opfrissen")
    finish_modules(learner, ["verder"])
    renewal = next(c for c in learner_eligibility(cohort, refresher, learner.id).checks if c.kind == "renewal")
    assert not renewal.met
    old = create_certificate(learner, world.trainer, world.track, None, utcnow() - timedelta(days=365 * 3 + 10))
    db.session.commit()
    eligibility = learner_eligibility(cohort, refresher, learner.id)
    assert eligibility.eligible and eligibility.certificate.id == old.id


def test_cohort_eligibility_costs_the_same_queries_for_2_or_20_learners(world, make_user):
    from jimtraining.cohorts.enrolment import enroll

    complete(world, world.learner)
    cohort, track = world.cohort, world.track
    db.session.expire_all()
    few = count_queries(lambda: cohort_eligibility(cohort, track))
    for index in range(18):
        learner = make_user()
        enroll(cohort, learner, "code")
        finish_modules(learner, ["basis"])
        attempt(learner)
        mark(world.sessions, learner, ["present"] * 5)
        play_round(world.sessions[0], learner, world.actor)
        practice(learner, decision=None if index % 2 else "approved")
    db.session.expire_all()
    many = count_queries(lambda: cohort_eligibility(cohort, track))
    assert len(cohort_eligibility(cohort, track)) == 20
    assert many == few


def test_a_learners_cohorts_are_checked_together_as_each_alone_in_the_queries_of_one(world, make_cohort):
    from jimtraining.cohorts.enrolment import enroll

    learner, track = world.learner, world.track
    complete(world, learner)
    light = make_track(slug="licht", title="Licht", requirements={"modules": ["basis"], "quizzes": [],
                                                                "attendance_percent": 50, "roleplay_sufficient": 0,
                                                                "practice": None})
    second = make_cohort(trainers=[world.trainer], track_slug="licht")
    add_sessions(second, count=2)
    enroll(second, learner, "code")  # joined after the sessions, so none counts
    pairs = [(world.cohort, track), (second, light)]
    db.session.expire_all()
    together = learner_eligibilities(pairs, learner.id)
    alone = [learner_eligibility(cohort, t, learner.id) for cohort, t in pairs]
    assert [(e.track.slug, e.eligible, [(c.kind, c.met, c.detail) for c in e.checks]) for e in together] == \
           [(e.track.slug, e.eligible, [(c.kind, c.met, c.detail) for c in e.checks]) for e in alone]
    assert together[0].eligible and not together[1].eligible  # attendance in the second cohort: none yet
    # With the cohorts and their sessions loaded (as the page has them), two cohorts cost what one does.
    one = count_queries(lambda: learner_eligibilities(pairs[:1], learner.id))
    assert count_queries(lambda: learner_eligibilities(pairs, learner.id)) == one


def test_recertification_needs_new_rounds_and_a_new_practice_version(world):
    from jimtraining.certification.models import PracticeVersion
    from jimtraining.roleplay.models import RolePlayRound

    complete(world, world.learner)
    yesterday = utcnow() - timedelta(days=1)
    db.session.execute(db.update(RolePlayRound).values(created_at=yesterday))
    db.session.execute(db.update(PracticeVersion).values(submitted_at=yesterday))
    create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    # Three years on: the old certificate has (nearly) run out; what was done for it does not count again.
    later = utcnow() + timedelta(days=365 * 3 - 30)
    eligibility = learner_eligibility(world.cohort, world.track, world.learner.id, now=later)
    missing = {c.kind for c in eligibility.missing}
    assert missing == {"roleplay", "practice"}
    practice_check = next(c for c in eligibility.checks if c.kind == "practice")
    assert "vorige certificaat" in practice_check.detail
