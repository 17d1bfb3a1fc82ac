"""The test scenario (tests/support/scenarios.py) has a reference round: criteria regie (expert 3) and samen
(expert 2)."""

import pytest


@pytest.fixture
def candidate_world(scenario_content, make_user, make_cohort):
    """A trainer, a learner on a track for future trainers (a candidate) and a learner on a professionals' track."""
    from tests.support.certification import make_track

    trainer_track = make_track(slug="trainer", title="JIM-trainer", audience="trainer",
                               requirements={"calibration": {"min_kappa": 0.6, "guidance": "Cursusadvies: ..."}})
    make_track()  # jimwerker, for professionals
    trainer = make_user(role="trainer", name="Tineke Trainer")
    candidate = make_user(name="Karel Kandidaat")
    professional = make_user(name="Pieter Professional")
    make_cohort(trainers=[trainer], learners=[candidate], track_slug=trainer_track.slug)
    make_cohort(trainers=[trainer], learners=[professional], track_slug="jimwerker")
    return {"trainer": trainer, "candidate": candidate, "professional": professional, "track": trainer_track}
