from dataclasses import dataclass
from datetime import timedelta

import pytest

from jimtraining.accounts.models import User
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import Cohort, CohortSession
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


@pytest.fixture
def make_session():
    def make(cohort, starts_in=timedelta(minutes=5), length=timedelta(hours=2), title="Bijeenkomst"):
        start = utcnow() + starts_in
        session = CohortSession(cohort_id=cohort.id, title=title, starts_at=start, ends_at=start + length,
                                location="Zaal 2", agenda="**Welkom**", sketches=["Ruzie thuis"],
                                checkin_secret=new_checkin_secret())
        db.session.add(session)
        db.session.commit()
        return session

    return make


@dataclass
class TwoCohorts:
    a: Cohort
    b: Cohort
    trainer_a: User
    trainer_b: User
    learner_a: User
    learner_b: User
    #: A session of `a` that starts in five minutes.
    session_a: CohortSession
    #: A session of `b` that starts in five minutes.
    session_b: CohortSession


@pytest.fixture
def two_cohorts(make_user, make_cohort, make_session) -> TwoCohorts:
    """Cohort A and cohort B, each with its own trainer, learner and session."""
    trainer_a, trainer_b = make_user(role="trainer", name="Trainer A"), make_user(role="trainer", name="Trainer B")
    learner_a, learner_b = make_user(name="Leerling A"), make_user(name="Leerling B")
    a = make_cohort(trainers=[trainer_a], learners=[learner_a], name="Groep A")
    b = make_cohort(trainers=[trainer_b], learners=[learner_b], name="Groep B")
    return TwoCohorts(a=a, b=b, trainer_a=trainer_a, trainer_b=trainer_b, learner_a=learner_a, learner_b=learner_b,
                      session_a=make_session(a), session_b=make_session(b))
