"""The test scenario (tests/scenarios/conftest.py) has a reference round: criteria regie (expert 3) and samen
(expert 2)."""

import pytest

from tests.scenarios.conftest import scenario_content  # noqa: F401 - the fixture, shared


@pytest.fixture
def candidate_world(scenario_content, make_user, make_cohort):  # noqa: F811
    """A trainer, a learner on a track for future trainers (a candidate) and a learner on a professionals' track."""
    from tests.certification.conftest import make_track

    trainer_track = make_track(slug="trainer", title="JIM-trainer", audience="trainer",
                               requirements={"calibration": {"min_kappa": 0.6, "guidance": "Cursusadvies: ..."}})
    make_track()  # jimwerker, for professionals
    trainer = make_user(role="trainer", name="Tineke Trainer")
    candidate = make_user(name="Karel Kandidaat")
    professional = make_user(name="Pieter Professional")
    make_cohort(trainers=[trainer], learners=[candidate], track_slug=trainer_track.slug)
    make_cohort(trainers=[trainer], learners=[professional], track_slug="jimwerker")
    return {"trainer": trainer, "candidate": candidate, "professional": professional, "track": trainer_track}
