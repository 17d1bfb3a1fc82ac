"""Factories for people and groups: make_user, make_cohort."""

import pytest

from jimtraining.accounts.services import create_user
from jimtraining.extensions import db

#: Every test user's password (unless a test gives another).
PASSWORD = "lamp fiets wolk tegel"


@pytest.fixture
def make_user():
    """Create users: make_user(role="trainer", email=..., **profile)."""
    counter = {"n": 0}

    def make(role: str = "learner", email: str | None = None, name: str | None = None,
             password: str = PASSWORD, **profile):
        counter["n"] += 1
        return create_user(
            email=email or f"{role}{counter['n']}@example.org",
            name=name or f"Test {role.title()} {counter['n']}",
            password=password,
            role=role,
            **profile,
        )

    return make


@pytest.fixture
def make_cohort():
    """Create cohorts: make_cohort(trainers=[...], learners=[...], **fields)."""
    from jimtraining.cohorts.enrolment import enroll, new_join_code
    from jimtraining.cohorts.models import Cohort
    from jimtraining.organisations.models import Organisation

    counter = {"n": 0}

    def make(trainers=(), learners=(), **fields):
        counter["n"] += 1
        organisation = Organisation(name=f"Organisatie {counter['n']}", kind="jeugdzorg")
        db.session.add(organisation)
        cohort = Cohort(name=fields.pop("name", f"Groep {counter['n']}"), organisation=organisation,
                        region=fields.pop("region", "Twente"), join_code=new_join_code(),
                        status=fields.pop("status", "running"), **fields)
        cohort.trainers = list(trainers)
        db.session.add(cohort)
        db.session.commit()
        for learner in learners:
            enroll(cohort, learner, "trainer")
        return cohort

    return make
