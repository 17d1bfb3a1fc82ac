"""Demo data for certification: licensed and unlicensed trainers, learners at every stage, and enough
certificates across the country that the national dashboard shows something. Everyone here is fictional."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import select

from jimtraining.accounts.services import create_user
from jimtraining.certification import practice, services
from jimtraining.certification.models import CohortAccreditation, Track
from jimtraining.cohorts.models import Attendance
from jimtraining.curriculum.services import active_modules, set_lesson_done
from jimtraining.data import regions
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.quizzes.services import passed_modules
from jimtraining.roleplay import services as live
from jimtraining.roles import Role
from jimtraining.scenarios.models import Scenario
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: A reflection that meets the JIMwerker track's 300 words; it names nobody.
REFLECTION = """\
## Een jongere die zelf koos

In mijn werk in het wijkteam begeleid ik een jongen van zestien die al jaren hulp krijgt. Toen ik hem vroeg wie hij
vertrouwt, noemde hij eerst niemand. We hebben samen een netwerkkaart gemaakt. Daarop stonden meer mensen dan hij
dacht: een buurvrouw, een oud-trainer van de voetbalclub en een tante. Hij koos na twee weken de oud-trainer.

## Wat ik anders deed

Vroeger zou ik zelf iemand hebben voorgesteld die ik geschikt vond. Nu liet ik de keuze bij hem, ook toen ik twijfelde.
Ik merkte dat ik op mijn handen moest zitten. De oud-trainer had geen ervaring met hulpverlening en vroeg wat er van
hem werd verwacht. Ik heb uitgelegd dat hij er vooral voor de jongen is, en dat hij niet hoeft te doen wat ik doe.

In het eerste gesprek met ons drieën heb ik de JIM als gelijkwaardige partner behandeld. Ik vroeg hem wat hij zag en
wat hij belangrijk vond, voordat ik mijn eigen plan noemde. Hij kende de jongen van een heel andere kant. Hij wist
bijvoorbeeld dat de jongen 's avonds het meest praat, en dat hij boos wordt als hij zich niet gehoord voelt.

## Wat het opleverde

Het plan dat we maakten was kleiner dan mijn eerste idee, maar de jongen stond er achter. Hij kwam naar de afspraken,
omdat zijn JIM meeging. Toen het thuis misging, belde hij niet mij maar zijn JIM. Die belde daarna mij, en samen
konden we snel iets regelen. Ik heb geleerd dat ik niet altijd het eerste aanspreekpunt hoef te zijn.

## Wat ik heb geleerd

Het was lastig om de regie los te laten. Soms wilde ik dingen sneller. Ik heb gemerkt dat de jongen meer deed als hij
het zelf had bedacht. Ik bespreek nu in elk gesprek eerst met de JIM wat hij ziet. Ook met collega's praat ik anders
over de jongere: minder over wat er mis is en meer over wie er om hem heen staan. Een volgende keer wil ik eerder de
ouders betrekken, zodat zij de JIM niet zien als iemand die hun plek inneemt. Ik wil ook mijn team laten zien hoe ik
met de netwerkkaart werk, zodat meer collega's het proberen.
"""

#: The end of a first version that the trainer returns: it tells what happened, not what the writer learned.
FIRST_DRAFT_END = """\
## Tot slot

Het traject loopt nog. De jongen gaat nu twee keer per week naar school en hij traint weer mee bij de club. De JIM
komt elke maand bij het overleg. Ik vind dat het goed gaat en ik hoop dat het zo blijft. We kijken over drie maanden
samen terug op wat er is bereikt en wat er nog nodig is.
"""

FIRST = ["Nina", "Lars", "Sophie", "Youssef", "Emma", "Finn", "Zoë", "Ayoub", "Mila", "Stijn", "Hanna", "Rayan",
         "Esmee", "Gijs", "Amira", "Wouter", "Lina", "Jelle", "Sara", "Niels"]
LAST = ["Willems", "van Dam", "Kok", "Postma", "Huisman", "Bosman", "Ouali", "Veenstra", "Vermeulen", "Aydın",
        "Prins", "Kuipers", "de Jong", "Blom", "Verhoeven"]


def seed_certification(users: dict, youth, school, learners: list, password: str, pass_quiz) -> None:
    """Licences, tracks for the demo cohorts, and learners who are certified, eligible or nearly there.

    `pass_quiz(learner, trainer, quiz)` is the demo's own way of passing a quiz with the right answers.
    """
    track = db.session.scalar(select(Track).where(Track.slug == "jimwerker"))
    if track is None:
        log.warning("demo seed: no track 'jimwerker'; run `flask content sync` first for certification demo data")
        return
    now = utcnow()
    admin, trainer = users["admin"], users["trainer"]
    youth.track_slug = school.track_slug = track.slug
    db.session.commit()

    # The demo trainer holds a valid licence; the lecturer has none; a third trainer's licence has expired.
    services.grant_licence(trainer, 24, admin, "Train-de-trainer afgerond.", now=now - timedelta(days=300))
    former = create_user(email="trainer-verlopen@example.org", name="Ruud Rooijakkers", password=password,
                         role=Role.TRAINER, organisation_id=youth.organisation_id, region="Twente")
    services.grant_licence(former, 24, admin, "Train-de-trainer afgerond.", now=now - timedelta(days=800))

    members = [learner for learner, cohort in learners if cohort is youth]
    eligible, almost, certified, expired, revoked, expiring = members[:6]
    for learner in (eligible, almost, certified):
        _complete_everything(learner, trainer, pass_quiz)
    _rounds(youth, users["actor"], [(eligible, ["sufficient", "sufficient"]),
                                    (almost, ["not_yet", "sufficient"]),
                                    (certified, ["sufficient", "sufficient"])])
    # The second round of `almost` was first judged "not yet", then "sufficient" after the debrief.
    # The trainer scores every criterion of the practice assignment; the decisions follow the criteria's proposal.
    criteria = [c["id"] for c in (track.practice or {}).get("criteria") or []]
    for learner in (eligible, certified):
        version = practice.submit_practice(learner, track, REFLECTION)
        practice.review_practice(version, "approved", "Mooi hoe je de keuze bij de jongere liet.", trainer,
                                 dict.fromkeys(criteria, 3))
    first = practice.submit_practice(almost, track, REFLECTION.split("## Wat ik heb geleerd")[0] + FIRST_DRAFT_END)
    # The first draft says nothing about what was learned: the last criteria score the lowest level.
    practice.review_practice(first, "returned", "Beschrijf ook wat je zelf anders wilt doen. Wat heb je geleerd?",
                             trainer, {c: 1 if c in criteria[-2:] else 3 for c in criteria})
    practice.submit_practice(almost, track, REFLECTION)  # waits for the trainer: approve it, then sign off

    # The youth group's run shows how an SKJ accreditation looks: an example, marked VOORBEELD in its number, not an
    # accreditation SKJ gave (the tracks that ship have none). Its hours are the group's sessions; its points the
    # same number, for the example only.
    hours = round(sum((as_utc(s.ends_at) - as_utc(s.starts_at)).total_seconds() for s in youth.sessions) / 1800) / 2
    db.session.add(CohortAccreditation(cohort_id=youth.id, number="VOORBEELD-SKJ-0001", points=hours or 1,
                                       contact_hours=hours or 1, register_section="Jeugd- en gezinsprofessionals",
                                       final_test_required=True))
    db.session.commit()
    services.create_certificate(certified, trainer, track, youth, now - timedelta(days=20))
    services.create_certificate(expired, trainer, track, None, now - timedelta(days=365 * 3 + 60))
    services.create_certificate(expiring, trainer, track, None, now - timedelta(days=365 * 3 - 40))
    withdrawn = services.create_certificate(revoked, trainer, track, None, now - timedelta(days=150))
    db.session.commit()
    services.revoke_certificate(withdrawn, admin, "Afgetekend bij vergissing: de praktijkopdracht was nog niet "
                                                  "goedgekeurd.", now=now - timedelta(days=140))
    _national_history(trainer, track, now, password)
    log.info("demo certification data added")


def _complete_everything(learner, trainer, pass_quiz) -> None:
    done = passed_modules(learner.id)
    for module in active_modules():
        for lesson in module.active_lessons:
            set_lesson_done(learner, lesson, True)
        if module.quiz is not None and module.slug not in done:
            pass_quiz(learner, trainer, module.quiz)
    # Present at every session that has ended.
    for attendance in db.session.scalars(select(Attendance).where(Attendance.user_id == learner.id)):
        attendance.status = "present"
    db.session.commit()


def _rounds(cohort, actor, plan) -> None:
    """Live rounds in the cohort's last past session, played with the demo trainee-actor."""
    scenario = db.session.scalar(select(Scenario).where(Scenario.archived.is_(False)).order_by(Scenario.slug))
    past = [s for s in cohort.sessions if as_utc(s.ends_at) < utcnow()]
    if scenario is None or not past:
        return
    session = past[-1]
    live.book_actor(session, actor)
    trainer, rubric = cohort.trainers[0], scenario.data["rubric"]

    def score(round_, level):
        # The trainer scores first, so the verdict follows the rubric's proposal.
        live.save_scores(round_, trainer, "trainer", rubric, {f"level-{c['id']}": str(level) for c in rubric})

    for learner, outcomes in plan:
        for outcome in outcomes:
            round_ = live.create_round(session, scenario, learner, actor, [], 10)
            if outcome == "not_yet":
                score(round_, 1)
                live.release(round_, "not_yet", trainer, scenario.data)
            score(round_, 3)
            live.release(round_, "sufficient", trainer, scenario.data)


def _national_history(trainer, track, now, password) -> None:
    """Certificates of earlier cohorts across the country, over the past 14 months (for the national figures)."""
    rng = random.Random(3000)
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    places = [r for r in regions() if r != "Landelijk"]
    contexts = ["jeugdhulp", "wijkteam", "participatiewet", "onderwijs", "dakloze-jongeren"]
    for index in range(40):
        name = f"{FIRST[index % len(FIRST)]} {LAST[(index * 4) % len(LAST)]}"
        person = create_user(email=f"gecertificeerd{index + 1:02d}@example.org", name=name, password=password,
                             organisation_id=rng.choice(organisations).id, region=rng.choice(places[:12]),
                             work_context=rng.choice(contexts))
        services.create_certificate(person, trainer, track, None, now - timedelta(days=rng.randint(25, 420)))
    db.session.commit()
