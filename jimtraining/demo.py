"""Demo data for a local installation. Every person here is fictional; the password is for the demo only."""

import logging
import random
from datetime import timedelta

from sqlalchemy import select

from jimtraining.accounts.services import create_user
from jimtraining.calibration.demo import seed_calibration
from jimtraining.certification.demo import seed_certification
from jimtraining.certification.models import Track
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.enrolment import enroll, new_join_code
from jimtraining.cohorts.models import Attendance, Cohort, CohortSession
from jimtraining.curriculum.models import Module
from jimtraining.curriculum.services import active_modules, set_lesson_done
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.quizzes.services import attempt_questions, review_answer, start_attempt, submit_attempt
from jimtraining.roles import Role
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

DEMO_PASSWORD = "jim-demo-wachtwoord"

ORGANISATIONS = [
    ("Jeugdzorg De Brug (demo)", "jeugdzorg"),
    ("Wijkteam Oost (demo)", "wijkteam"),
    ("Gemeente Veldhoven-aan-Zee (demo)", "gemeente"),
    ("Scholengroep De Horizon (demo)", "school"),
    ("Hogeschool Midden (demo)", "hogeschool"),
    ("Stichting Thuisbasis (demo)", "anders"),
]

ACCOUNTS = [
    # email, name, role, organisation index, region, work context
    ("admin@example.org", "Demi Beheer", Role.ADMIN, None, "Landelijk", None),
    ("trainer@example.org", "Tom Trainer", Role.TRAINER, 0, "Twente", "jeugdhulp"),
    ("professional@example.org", "Priya Professional", Role.LEARNER, 1, "Twente", "wijkteam"),
    ("actor@example.org", "Alex Acteur", Role.ACTOR, 5, "Twente", None),
    ("docent@example.org", "Dana Docent", Role.TRAINER, 4, "Utrecht Stad", "opleiding"),
]

FIRST_NAMES = ["Sanne", "Daan", "Lotte", "Bram", "Fleur", "Jesse", "Noor", "Milan", "Eva", "Thijs", "Iris",
               "Ruben", "Lieke", "Sem", "Anouk", "Luuk", "Femke", "Tim", "Julia", "Koen", "Yara", "Omar",
               "Fatima", "Mehmet", "Lisa"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
              "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
              "de Graaf", "van der Meer", "Kaya", "El Amrani", "Yilmaz", "Koster"]


def seed_demo() -> None:
    """Organisations of every kind, the four demo accounts, and some progress for the demo professional."""
    organisations = []
    for name, kind in ORGANISATIONS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, kind=kind)
            db.session.add(organisation)
        organisations.append(organisation)
    db.session.commit()

    users = {}
    for email, name, role, org_index, region, work_context in ACCOUNTS:
        users[email.split("@")[0]] = create_user(
            email=email, name=name, password=DEMO_PASSWORD, role=role,
            organisation_id=organisations[org_index].id if org_index is not None else None,
            region=region, work_context=work_context,
        )

    # The professional has finished the first module (lessons and quiz, with the open answer graded by the
    # trainer) and started the second, so the dashboard shows progress and "continue" right away.
    modules = active_modules()
    if modules:
        for lesson in modules[0].active_lessons:
            set_lesson_done(users["professional"], lesson, True)
        if modules[0].quiz is not None:
            _pass_quiz(users["professional"], users["trainer"], modules[0].quiz)
        if len(modules) > 1 and modules[1].active_lessons:
            set_lesson_done(users["professional"], modules[1].active_lessons[0], True)
    elif db.session.scalar(select(Module.id).limit(1)) is None:
        log.warning("demo seed: no modules in the database yet; run `flask content sync` first for demo progress")
    youth, school, learners = _seed_cohorts(users, organisations, modules)
    seed_certification(users, youth, school, learners, DEMO_PASSWORD, _pass_quiz)
    seed_calibration(users["trainer"])
    log.info("demo data added")


def _seed_cohorts(users, organisations, modules):
    """Two cohorts with 25 learners (a youth-care group and a hogeschool class), sessions and attendance."""
    rng = random.Random(2026)
    lecturer = users["docent"]
    # Both groups follow the JIMwerker track (certification/demo.py) and show its modules; the modules for future
    # JIM-trainers are not theirs.
    track = db.session.scalar(select(Track).where(Track.slug == "jimwerker"))
    wanted = set((track.requirements or {}).get("modules") or []) if track is not None else None
    slugs = [m.slug for m in modules if wanted is None or m.slug in wanted]
    youth = Cohort(name="JIMwerkers Twente, najaar", organisation_id=organisations[0].id, region="Twente",
                   work_context="jeugdhulp", status="running", join_code=new_join_code(), module_slugs=slugs,
                   starts_on=(utcnow() - timedelta(days=30)).date(), ends_on=(utcnow() + timedelta(days=60)).date())
    youth.trainers = [users["trainer"]]
    # The class follows the JIMwerker track like the youth-care group, so it shows all six modules: a group shows
    # every module its track requires (the cohort form refuses less), or its matrix and certificate column disagree.
    school = Cohort(name="Hogeschool Midden, klas SPH-2B", organisation_id=organisations[4].id,
                    region="Utrecht Stad", work_context="opleiding", status="running", join_code=new_join_code(),
                    module_slugs=slugs, starts_on=(utcnow() - timedelta(days=14)).date())
    school.trainers = [lecturer]
    db.session.add_all([youth, school])
    db.session.commit()
    enroll(youth, users["professional"], "trainer")
    learners = []
    for index in range(25):
        name = f"{FIRST_NAMES[index]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"
        cohort = youth if index < 13 else school
        learner = create_user(email=f"deelnemer{index + 1:02d}@example.org", name=name, password=DEMO_PASSWORD,
                              organisation_id=cohort.organisation_id, region=cohort.region,
                              work_context="opleiding" if cohort is school else rng.choice(["jeugdhulp", "wijkteam"]))
        enroll(cohort, learner, rng.choice(["code", "invitation", "csv"]))
        learners.append((learner, cohort))
        # Varied progress: some are far, some just started.
        for module in modules[:rng.randint(0, len(modules))]:
            lessons = module.active_lessons
            for lesson in lessons[:rng.randint(1, len(lessons))] if lessons else []:
                set_lesson_done(learner, lesson, True)
        if modules and modules[0].quiz is not None and rng.random() < 0.6:
            trainer = youth.trainers[0] if cohort is youth else lecturer
            _pass_quiz(learner, trainer, modules[0].quiz)
    for cohort in (youth, school):
        members = [u for u, c in learners if c is cohort] + ([users["professional"]] if cohort is youth else [])
        for offset, title in ((-14, "Start: wat is JIM?"), (-7, "Sketch: een JIM vinden"),
                              (7, "Sketch: op je handen zitten"), (21, "Terugkijken en afronden")):
            start = (utcnow() + timedelta(days=offset)).replace(hour=12, minute=30, second=0, microsecond=0)
            session = CohortSession(cohort_id=cohort.id, title=title, starts_at=start,
                                    ends_at=start + timedelta(hours=3), location="Lokaal 1.12",
                                    agenda="- Welkom en terugblik\n- Sketch met trainingsacteurs\n- Nabespreken",
                                    sketches=["Ruzie aan de keukentafel"], checkin_secret=new_checkin_secret())
            db.session.add(session)
            db.session.flush()
            if offset < 0:
                for member in members:
                    status = rng.choices(["present", "absent", "excused"], weights=[8, 1, 1])[0]
                    db.session.add(Attendance(session_id=session.id, user_id=member.id, status=status))
        db.session.commit()
    return youth, school, learners


def _right_answer(question):
    data = question.data
    if question.type == "single_choice":
        return next(o["id"] for o in data["options"] if o["correct"])
    if question.type == "multiple_response":
        return sorted(o["id"] for o in data["options"] if o["correct"])
    if question.type == "true_false":
        return data["answer"]
    if question.type == "matching":
        return {p["id"]: p["id"] for p in data["pairs"]}
    if question.type == "ordering":
        return [i["id"] for i in data["items"]]
    return "Ik zou samen met de jongere kijken wie er in het netwerk zijn, en de jongere zelf laten kiezen."


def _pass_quiz(learner, trainer, quiz):
    attempt = start_attempt(learner, quiz, random.Random(7))
    questions = attempt_questions(attempt, quiz)
    submit_attempt(attempt, quiz, {e["key"]: _right_answer(questions[e["key"]]) for e in attempt.drawn})
    for answer in attempt.answers:
        if answer.needs_review:
            review_answer(answer, quiz, questions[answer.question_key].points,
                          "Goed: je laat de regie bij de jongere.", trainer)
