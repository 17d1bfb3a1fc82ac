"""Two learners in one cohort, each with a bit of everything; every free text names its writer
(tests/support/privacy.py), so a test can check whose words ended up where."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from jimtraining.accounts.models import User
from jimtraining.certification.models import Certificate
from jimtraining.certification.practice import review_practice, submit_practice
from jimtraining.certification.services import create_certificate
from jimtraining.extensions import db
from jimtraining.roleplay.models import ActorProfile, RolePlayRound, RoundNote, RoundScore
from jimtraining.scenarios.models import ScenarioChoice, ScenarioRun
from jimtraining.timeutil import utcnow
from tests.support.certification import finish_modules, mark, play_round
from tests.support.privacy import ABOUT_LOTTE, LOTTE, SEM, open_attempt
from tests.support.world import World


@dataclass
class PrivacyWorld(World):
    """The certification world (tests/support/world.py) with Lotte's and Sem's data in it."""

    #: The same person as `learner`.
    lotte: User
    #: The same person as `second`.
    sem: User
    lotte_round: RolePlayRound
    sem_round: RolePlayRound
    #: A round of Lotte's whose scores are not released yet.
    unreleased: RolePlayRound
    lotte_certificate: Certificate
    sem_certificate: Certificate


@pytest.fixture
def people(world) -> PrivacyWorld:
    """Lotte and Sem in cohort A, with progress, attempts, runs, rounds (each the other's observer), practice
    versions with feedback, certificates and audit events."""
    lotte, sem, trainer, actor = world.learner, world.second, world.trainer, world.actor
    lotte.skj_number = "1234567"
    db.session.commit()
    sessions = world.sessions
    finish_modules(lotte)
    finish_modules(sem, slugs=("basis",))
    mark(sessions, lotte, ["present"] * 4 + ["excused"])
    mark(sessions, sem, ["present"] * 5)
    open_attempt(lotte, LOTTE["open_answer"], reviewer=trainer, feedback=ABOUT_LOTTE["quiz_feedback"])
    open_attempt(sem, SEM["open_answer"])
    for person, slug in ((lotte, "lotte-scenario"), (sem, "sem-scenario")):
        run = ScenarioRun(user_id=person.id, scenario_slug=slug, current_node="einde", variables={"vertrouwen": 2},
                          practice={"nodes": []}, finished_at=utcnow())
        db.session.add(run)
        db.session.flush()
        db.session.add(ScenarioChoice(run_id=run.id, step=1, node_id="start", choice_index=1))
    db.session.add(ActorProfile(user_id=actor.id, availability="ACTEUR-BESCHIKBAARHEID: dinsdag", rehearsed=[]))
    db.session.commit()

    lotte_round = play_round(sessions[-1], lotte, actor)
    lotte_round.observers = [sem]
    sem_round = play_round(sessions[-1], sem, actor)
    sem_round.observers = [lotte]
    unreleased = play_round(sessions[-2], lotte, actor, released=False)
    db.session.add_all([
        RoundScore(round_id=lotte_round.id, rater_id=trainer.id, view="trainer", criterion_id="gelijkwaardig",
                   level=3, comment=ABOUT_LOTTE["trainer_comment"]),
        RoundScore(round_id=lotte_round.id, rater_id=sem.id, view="peer", criterion_id="gelijkwaardig", level=2,
                   comment=SEM["peer_comment"]),
        RoundScore(round_id=sem_round.id, rater_id=lotte.id, view="peer", criterion_id="gelijkwaardig", level=4,
                   comment=LOTTE["peer_comment"]),
        RoundScore(round_id=unreleased.id, rater_id=trainer.id, view="trainer", criterion_id="gelijkwaardig",
                   level=1, comment="TRAINER-NOG-NIET-VRIJGEGEVEN"),
        RoundNote(round_id=lotte_round.id, author_id=lotte.id, kind="self_reflection", text=LOTTE["self_reflection"]),
        RoundNote(round_id=lotte_round.id, author_id=actor.id, kind="actor_feedback",
                  text=ABOUT_LOTTE["actor_feedback"]),
        RoundNote(round_id=lotte_round.id, author_id=actor.id, kind="aftercare", text=ABOUT_LOTTE["aftercare"]),
        RoundNote(round_id=sem_round.id, author_id=sem.id, kind="self_reflection", text=SEM["self_reflection"]),
    ])
    db.session.commit()

    track = world.track
    first = submit_practice(lotte, track, LOTTE["reflection"])
    review_practice(first, "returned", ABOUT_LOTTE["practice_feedback"], trainer)
    submit_practice(lotte, track, LOTTE["reflection"] + " Tweede versie.")
    submit_practice(sem, track, SEM["reflection"])

    lotte_certificate = create_certificate(lotte, trainer, track, world.cohort, utcnow() - timedelta(days=30))
    sem_certificate = create_certificate(sem, trainer, track, world.cohort, utcnow() - timedelta(days=20))
    db.session.commit()
    return PrivacyWorld(**vars(world), lotte=lotte, sem=sem, lotte_round=lotte_round, sem_round=sem_round,
                        unreleased=unreleased, lotte_certificate=lotte_certificate, sem_certificate=sem_certificate)
