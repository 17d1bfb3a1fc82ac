"""A small certification world: two modules (one with a quiz), a track, a licensed trainer, a cohort with ended
sessions, and helpers that give a learner each requirement."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta

from jimtraining.calibration.models import CalibrationAttempt
from jimtraining.certification.models import PracticeAssignment, PracticeVersion, Track, TrainerLicence
from jimtraining.certification.practice import word_count
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import Attendance, CohortSession
from jimtraining.curriculum.models import Module
from jimtraining.curriculum.services import set_lesson_done
from jimtraining.extensions import db
from jimtraining.quizzes.models import GRADED, QuizAttempt
from jimtraining.roleplay.models import RolePlayRound
from jimtraining.timeutil import utcnow

REQUIREMENTS = {"modules": ["basis", "verder"], "quizzes": ["basis"], "attendance_percent": 80,
                "roleplay_sufficient": 2, "practice": {"min_words": 20, "prompt": "Schrijf over je werk."}}
#: More words than the test track's minimum of 20; names nobody.
REFLECTION = ("Ik liet de jongere zelf kiezen wie de JIM werd. Daarna sprak ik de JIM als gelijke aan en vroeg "
              "eerst wat hij zag voordat ik mijn plan gaf.")


def make_track(slug="jimwerker", title="JIMwerker", requirements=None, valid_months=36, renews=None,
               audience="learner") -> Track:
    track = Track(slug=slug, title=title, summary="Voor professionals.", audience=audience, renews=renews,
                  valid_months=valid_months, requirements=REQUIREMENTS if requirements is None else requirements)
    db.session.add(track)
    db.session.commit()
    return track


def give_licence(trainer, days_left=365, days_ago=30) -> TrainerLicence:
    now = utcnow()
    licence = TrainerLicence(user_id=trainer.id, valid_from=now - timedelta(days=days_ago),
                             expires_at=now + timedelta(days=days_left))
    db.session.add(licence)
    db.session.commit()
    return licence


def calibrate(user, days_ago=10, kappa=0.8, slug="testscenario") -> CalibrationAttempt:
    """A calibration of `user` (a reference round scored `days_ago` days ago, with this kappa)."""
    attempt = CalibrationAttempt(user_id=user.id, scenario_slug=slug, created_at=utcnow() - timedelta(days=days_ago),
                                 scores={"regie": 3, "samen": 2}, expert={"regie": 3, "samen": 3}, exact=0.5,
                                 adjacent=1.0, kappa=kappa)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def add_sessions(cohort, count=5, past=True):
    """Sessions that have ended (or, with past=False, that are still to come), one a week."""
    sessions = []
    for index in range(count):
        days = -(7 * (count - index)) if past else 7 * (index + 1)
        start = utcnow() + timedelta(days=days)
        session = CohortSession(cohort_id=cohort.id, title=f"Bijeenkomst {index + 1}", starts_at=start,
                                ends_at=start + timedelta(hours=3), checkin_secret=new_checkin_secret())
        db.session.add(session)
        sessions.append(session)
    db.session.commit()
    db.session.refresh(cohort)
    return sessions


def mark(sessions, learner, statuses):
    for session, status in zip(sessions, statuses, strict=True):
        db.session.add(Attendance(session_id=session.id, user_id=learner.id, status=status))
    db.session.commit()


def finish_modules(learner, slugs=("basis", "verder")):
    for slug in slugs:
        module = db.session.scalar(db.select(Module).where(Module.slug == slug))
        for lesson in module.active_lessons:
            set_lesson_done(learner, lesson, True)


def attempt(learner, slug="basis", passed=True, number=None):
    number = number or 1 + (db.session.scalar(db.select(db.func.count()).select_from(QuizAttempt).where(
        QuizAttempt.user_id == learner.id, QuizAttempt.module_slug == slug)) or 0)
    row = QuizAttempt(user_id=learner.id, module_slug=slug, number=number, status=GRADED, passed=passed,
                      percent=90.0 if passed else 40.0, score=1, max_score=1, submitted_at=utcnow(),
                      graded_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return row


def play_round(session, learner, player, outcome="sufficient", released=True) -> RolePlayRound:
    round_ = RolePlayRound(session_id=session.id, scenario_slug="een-sketch", professional_id=learner.id,
                           player_id=player.id, outcome=outcome, released_at=utcnow() if released else None)
    db.session.add(round_)
    db.session.commit()
    return round_


def practice(learner, track_slug="jimwerker", decision="approved", reviewer=None) -> PracticeAssignment:
    assignment = PracticeAssignment(user_id=learner.id, track_slug=track_slug)
    db.session.add(assignment)
    db.session.flush()
    db.session.add(PracticeVersion(assignment_id=assignment.id, number=1, text=REFLECTION,
                                   word_count=word_count(REFLECTION), decision=decision,
                                   reviewed_by_id=reviewer.id if reviewer else None,
                                   reviewed_at=utcnow() if decision else None))
    db.session.commit()
    return assignment


def complete(world, learner):
    """Give the learner every requirement of the test track."""
    finish_modules(learner)
    attempt(learner)
    mark(world["sessions"], learner, ["present"] * len(world["sessions"]))
    play_round(world["sessions"][-1], learner, world["actor"])
    play_round(world["sessions"][-1], learner, world["actor"])
    practice(learner, reviewer=world["trainer"])


@pytest.fixture
def world(synced_content, make_user, make_cohort):
    """Modules basis (with a quiz attempt possible) and verder; track jimwerker; a licensed trainer of cohort A,
    a licensed trainer of cohort B; five ended sessions in A; learners ready to be completed."""
    track = make_track()
    trainer = make_user(role="trainer", name="Tineke Trainer")
    other_trainer = make_user(role="trainer", name="Olaf Andere")
    give_licence(trainer)
    give_licence(other_trainer)
    calibrate(trainer)  # a licence renewal needs a calibration within the last year
    learner = make_user(name="Lotte Leerling", region="Twente", work_context="wijkteam")
    second = make_user(name="Sem Tweede")
    actor = make_user(role="actor", name="Acteur Anouk")
    cohort = make_cohort(trainers=[trainer], learners=[learner, second], track_slug="jimwerker")
    other = make_cohort(trainers=[other_trainer], learners=[make_user(name="Bart B")], track_slug="jimwerker")
    # The learners joined before the sessions (so every session counts for them).
    for enrollment in cohort.enrollments:
        enrollment.enrolled_at = utcnow() - timedelta(days=60)
    db.session.commit()
    sessions = add_sessions(cohort)
    return {"track": track, "trainer": trainer, "other_trainer": other_trainer, "learner": learner,
            "second": second, "actor": actor, "cohort": cohort, "other": other, "sessions": sessions,
            "admin": make_user(role="admin", name="Ada Admin")}


def months_from(moment, months):
    return moment + relativedelta(months=months)
