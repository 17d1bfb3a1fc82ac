"""The test track and helpers that give a learner each of its requirements (tests/support/world.py builds the
certification world they are used in)."""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from jimtraining.calibration.models import CalibrationAttempt
from jimtraining.certification.models import Certificate, PracticeAssignment, PracticeVersion, Track, TrainerLicence
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


@dataclass
class Issued:
    """Three certificates: one valid, one expired, one revoked."""

    valid: Certificate
    expired: Certificate
    revoked: Certificate

    def all(self) -> dict[str, Certificate]:
        return {"valid": self.valid, "expired": self.expired, "revoked": self.revoked}


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


def complete_requirements(learner, sessions, actor, reviewer):
    """Give the learner every requirement of the test track: present at `sessions`, two sufficient rounds with
    `actor` in the last one, the practice assignment approved by `reviewer`."""
    finish_modules(learner)
    attempt(learner)
    mark(sessions, learner, ["present"] * len(sessions))
    play_round(sessions[-1], learner, actor)
    play_round(sessions[-1], learner, actor)
    practice(learner, reviewer=reviewer)


def complete(world, learner):
    """Give the learner every requirement of the test track, in the certification world (tests/support/world.py)."""
    complete_requirements(learner, world.sessions, world.actor, world.trainer)


def months_from(moment, months):
    return moment + relativedelta(months=months)
