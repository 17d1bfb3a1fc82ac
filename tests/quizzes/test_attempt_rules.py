"""The quiz attempt rules carry their whole condition: being a trainer is not enough to see a learner's attempt,
the trainer must train that learner (an active member of one of their cohorts)."""

from types import SimpleNamespace

from jimtraining.access import RULES
from jimtraining.access import quizzes as _attempt_rules  # noqa: F401 - registers the attempt rules
from jimtraining.cohorts.enrolment import remove_learner


def attempt_of(user):
    return SimpleNamespace(user_id=user.id)


def test_a_trainer_sees_the_attempts_of_their_own_learners_only(make_user, make_cohort):
    trainer, other_trainer, admin = make_user(role="trainer"), make_user(role="trainer"), make_user(role="admin")
    learner, stranger = make_user(), make_user()
    make_cohort(trainers=[trainer], learners=[learner])
    view = RULES["attempt.view"]
    assert view(trainer, attempt_of(learner))
    assert not view(other_trainer, attempt_of(learner))
    assert not view(trainer, attempt_of(stranger))
    assert view(admin, attempt_of(stranger))
    assert view(learner, attempt_of(learner))
    assert not view(learner, attempt_of(stranger))


def test_a_trainer_no_longer_sees_the_attempts_of_a_learner_removed_from_the_group(make_user, make_cohort):
    trainer, learner = make_user(role="trainer"), make_user()
    cohort = make_cohort(trainers=[trainer], learners=[learner])
    remove_learner(cohort, learner.id)
    assert not RULES["attempt.view"](trainer, attempt_of(learner))
    assert not RULES["attempt.review"](trainer, attempt_of(learner))


def test_only_the_learner_takes_an_attempt_and_nobody_reviews_their_own(make_user, make_cohort):
    trainer, admin, learner = make_user(role="trainer"), make_user(role="admin"), make_user()
    make_cohort(trainers=[trainer], learners=[learner])
    take, review = RULES["attempt.take"], RULES["attempt.review"]
    assert take(learner, attempt_of(learner))
    assert not take(trainer, attempt_of(learner))
    assert not take(admin, attempt_of(learner))
    assert review(trainer, attempt_of(learner))
    assert review(admin, attempt_of(learner))
    assert not review(admin, attempt_of(admin))
    assert not review(learner, attempt_of(learner))
