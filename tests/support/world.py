"""The certification world: the small curriculum, the test track, two licensed trainers with a cohort each, learners,
an actor and an admin. Tests read its parts as attributes: ``world.cohort``, ``world.learner``."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from jimtraining.accounts.models import User
from jimtraining.certification.models import Track
from jimtraining.cohorts.models import Cohort, CohortSession
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.support.certification import add_sessions, calibrate, give_licence, make_track


@dataclass
class World:
    track: Track
    #: Licensed trainer of `cohort`.
    trainer: User
    #: Licensed trainer of `other` (not of `cohort`).
    other_trainer: User
    #: Lotte, in `cohort` (region Twente, work context wijkteam).
    learner: User
    #: Sem, the second learner in `cohort`.
    second: User
    actor: User
    #: Cohort A, on track jimwerker, with `learner` and `second`, joined 60 days ago.
    cohort: Cohort
    #: Cohort B, of `other_trainer`, with one learner of its own.
    other: Cohort
    #: Five ended sessions of `cohort`, one a week.
    sessions: list[CohortSession]
    admin: User


@pytest.fixture
def world(synced_content, make_user, make_cohort) -> World:
    """Modules basis (with a quiz attempt possible) and verder; track jimwerker; a licensed trainer of cohort A,
    a licensed trainer of cohort B; five ended sessions in A; learners ready to be completed."""
    track = make_track()
    trainer = make_user(role="trainer", name="Tineke Trainer")
    other_trainer = make_user(role="trainer", name="Olaf Andere")
    give_licence(trainer)
    calibrate(trainer)  # a licence renewal needs a calibration within the last year
    give_licence(other_trainer)
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
    return World(track=track, trainer=trainer, other_trainer=other_trainer, learner=learner, second=second,
                 actor=actor, cohort=cohort, other=other, sessions=sessions,
                 admin=make_user(role="admin", name="Ada Admin"))
