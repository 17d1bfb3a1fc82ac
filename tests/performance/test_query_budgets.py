"""Query budgets: every page of the access matrix runs at most its budget of SQL statements (query_budgets.py),
and the same number on a small world as on one grown many times over: a count that grows with the data is an N+1.

The small world is the access matrix's (tests/security/test_access_matrix.build_world); grow_world then adds many
learners, cohorts, attempts, rounds, certificates... around the same objects, so every URL still points at the
same things. Every request is counted for every role that may open it (the login is not counted).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from jimtraining.extensions import db
from tests.performance import query_budgets as budgets
from tests.security import access_table as table
from tests.security.test_access_matrix import (
    TABLE_FILE,
    build_url,
    build_world,
    classify,
    client_for,
    planned_checks,
    prepare_content,
    routes,
)
from tests.support.database import count_queries, forget_cohort_overviews
from tests.support.factories import PASSWORD

BUDGET_FILE = "tests/performance/query_budgets.py"
#: Learners added to cohort A by grow_world (the other numbers there follow from it).
GROWTH = 25


# Which requests have a budget -------------------------------------------------------------------------------

def open_pages(app) -> set[str]:
    """GET endpoints of the access table that at least one role may open."""
    found = routes(app)
    return {endpoint for endpoint, methods in table.ACCESS.items()
            if endpoint in found and table.OK in methods.get("GET", {}).values()}


def budget_problems(app) -> list[str]:
    pages, hot, budgeted = open_pages(app), set(budgets.HOT_POSTS), set(budgets.BUDGETS)
    problems = [f"{endpoint}: a page of {TABLE_FILE} without a query budget; add \"{endpoint}\": <max queries> to "
                f"BUDGETS in {BUDGET_FILE} (or, only if its count depends on the input, a reason to EXEMPT)"
                for endpoint in sorted(pages - budgeted - set(budgets.EXEMPT))]
    problems += [f"{endpoint}: in HOT_POSTS but without a budget; add it to BUDGETS in {BUDGET_FILE}"
                 for endpoint in sorted(hot - budgeted)]
    problems += [f"{endpoint}: BUDGETS in {BUDGET_FILE} names an endpoint that is neither a GET page of {TABLE_FILE} "
                 f"that some role may open nor in HOT_POSTS; fix the name or remove it"
                 for endpoint in sorted(budgeted - pages - hot)]
    problems += [f"{endpoint}: EXEMPT in {BUDGET_FILE} names an endpoint that is not a GET page of {TABLE_FILE}"
                 for endpoint in sorted(set(budgets.EXEMPT) - pages)]
    problems += [f"{endpoint}: both in BUDGETS and in EXEMPT in {BUDGET_FILE}; keep one"
                 for endpoint in sorted(set(budgets.EXEMPT) & budgeted)]
    problems += [f"{endpoint}: KNOWN_GROWTH in {BUDGET_FILE} names an endpoint without a budget"
                 for endpoint in sorted(set(budgets.KNOWN_GROWTH) - budgeted)]
    return problems


def test_every_page_of_the_access_table_has_a_query_budget(app):
    problems = budget_problems(app)
    assert not problems, "\n".join(problems)


# Counting ---------------------------------------------------------------------------------------------------

@dataclass
class Count:
    endpoint: str
    what: str  # "endpoint METHOD url as role"
    queries: int
    problem: str = ""  # the request did not answer as expected, so its count means nothing


def count_request(client, method: str, url: str, data: dict | None = None) -> tuple[object, int, str]:
    """(response, number of SQL statements, error) of one request; response None and the error when it raised."""
    box = {}

    def request():
        if method == "GET":
            box["response"] = client.get(url)
        else:
            box["response"] = client.post(url, data={**(data or {}), "csrf_token": client.csrf})

    # Count what a page costs when the process kept no cohort overview yet (progress/dashboard.py): the start page
    # and the dashboard would otherwise count fewer queries for groups an earlier request already counted.
    forget_cohort_overviews(client.application)
    try:
        queries = count_queries(request)
    except Exception as error:  # noqa: BLE001 - report every request, not just the first that breaks
        return None, -1, f"the view raised {type(error).__name__}: {error}"
    return box["response"], queries, ""


def count_pages(app, clients: dict, world: dict) -> dict[tuple[str, str], Count]:
    """Every GET check of the access matrix (variants too), for every role whose outcome there is "ok"."""
    counts = {}
    for check in planned_checks(app):
        if check.method != "GET":
            continue
        for role in table.ROLES:
            if check.row[role] != table.OK:
                continue
            url = build_url(check, world)
            response, queries, problem = count_request(clients[role], "GET", url)
            if response is not None and classify(response) != table.OK:
                problem = f"expected ok, got {classify(response)} (HTTP {response.status_code})"
            counts[(check.label, role)] = Count(check.endpoint, f"{check.endpoint} GET {url} as {role}", queries,
                                                problem)
    return counts


def compare(small: dict[tuple, Count], large: dict[tuple, Count]) -> tuple[list[str], dict[str, list[str]]]:
    """(failures, known growth per endpoint): rows over budget or whose count differs between the two sizes."""
    failures, known = [], {}
    for key, before in small.items():
        if before.endpoint in budgets.EXEMPT:
            continue
        after = large[key]
        budget = budgets.BUDGETS.get(before.endpoint)
        line = f"{before.what}: small={before.queries} large={after.queries} budget={budget}"
        if before.problem or after.problem:
            failures.append(f"{line} (not counted: {before.problem or after.problem})")
        elif budget is None:
            failures.append(f"{line} (no budget)")
        elif before.queries > budget:
            failures.append(line)
        elif after.queries != before.queries or after.queries > budget:
            if before.endpoint in budgets.KNOWN_GROWTH:
                known.setdefault(before.endpoint, []).append(line)
            else:
                failures.append(line)
    return failures, known


def report(small: dict, large: dict, what: str) -> None:
    """Fail with every offending row at once; an expected failure when only KNOWN_GROWTH rows grow."""
    failures, known = compare(small, large)
    measured = {count.endpoint for count in small.values()}
    failures += [f"{endpoint}: in KNOWN_GROWTH but its count no longer grows: remove it there ({BUDGET_FILE})"
                 for endpoint in sorted((set(budgets.KNOWN_GROWTH) & measured) - set(known))]
    known_lines = [f"{line} -- {budgets.KNOWN_GROWTH[endpoint]}" for endpoint, lines in known.items()
                   for line in lines]
    if failures:
        lines = [f"{len(failures)} {what} over their query budget, growing with the data or not answering as "
                 f"expected (budgets in {BUDGET_FILE}; small: the access-matrix world, large: after grow_world):",
                 *failures]
        if known_lines:
            lines += ["", "Known growth (KNOWN_GROWTH):", *known_lines]
        pytest.fail("\n".join(lines), pytrace=False)
    if known_lines:
        pytest.xfail("query counts that grow with the data, listed in KNOWN_GROWTH:\n" + "\n".join(known_lines))


# Growing the world ------------------------------------------------------------------------------------------

def grow_world(world: dict) -> dict:
    """Many times the data around the same objects: learners of A with progress, attempts (graded, with answers,
    open answers to review), attendance, practice versions and certificates; more cohorts for A's trainer (the
    learner and the actor in one of them too); rounds with scores and notes in session A; more practice runs of
    the learner; licences, invitations, organisations, audit events and certificates across the country.
    Related rows point at different objects (organisations, users, cohorts), so that a lazy load per row shows.
    Returns some of the new objects."""
    from jimtraining.accounts.models import LoginSession, User, hash_session_token, new_session_token
    from jimtraining.calibration.models import CalibrationAttempt
    from jimtraining.certification.models import AuditEvent, PracticeAssignment, PracticeVersion, Track
    from jimtraining.certification.services import create_certificate, grant_licence
    from jimtraining.cohorts.attendance import new_checkin_secret
    from jimtraining.cohorts.enrolment import new_join_code
    from jimtraining.cohorts.invitations import create_invitation
    from jimtraining.cohorts.models import Attendance, Cohort, CohortSession, Enrollment
    from jimtraining.curriculum.models import LessonProgress, Module
    from jimtraining.organisations.models import Organisation
    from jimtraining.quizzes.models import QuizAttempt
    from jimtraining.quizzes.services import read_responses, save_answers, start_attempt, submit_attempt
    from jimtraining.roleplay.models import ActorBooking, ActorProfile, RolePlayRound, RoundNote, RoundScore
    from jimtraining.scenarios import services as scenario_services
    from jimtraining.scenarios.models import ScenarioRun
    from jimtraining.timeutil import as_utc, utcnow
    from tests.support.certification import REFLECTION, attempt, give_licence, practice
    from tests.support.quizzes import PERFECT, answer_form, module_quiz

    now = utcnow()
    users = {role: db.session.get(User, user.id) for role, user in world["users"].items()}
    learner, trainer, trainer_b, actor, admin = (users[r] for r in ("learner", "trainer", "trainer_b", "actor",
                                                                     "admin"))
    track = db.session.scalar(select(Track).where(Track.slug == world["track_slug"]))
    cohort_a, cohort_b = db.session.get(Cohort, world["cohort_a"]), db.session.get(Cohort, world["cohort_b"])
    session_a = db.session.get(CohortSession, world["session_a"])
    quiz = module_quiz("basis")
    scenario = scenario_services.get_scenario_or_none(world["scenario_slug"])
    rubric = [c["id"] for c in scenario.data["rubric"]]
    modules = list(db.session.scalars(select(Module).order_by(Module.position)))
    kinds = ("jeugdzorg", "wijkteam", "gemeente", "school", "hogeschool")
    regions = ("Twente", "Amsterdam", "Utrecht", "Groningen", "Rotterdam-Rijnmond")
    contexts = ("jeugdhulp", "wijkteam", "onderwijs", "participatiewet", "anders")

    organisations = [Organisation(name=f"Groei-organisatie {i}", kind=kinds[i % len(kinds)]) for i in range(12)]
    db.session.add_all(organisations)
    db.session.flush()
    counter = {"n": 0}

    def people(count, role="learner", prefix="groei"):
        made = []
        for _ in range(count):
            counter["n"] += 1
            n = counter["n"]
            made.append(User(email=f"{prefix}{n}@example.org", name=f"Groei {role.title()} {n:03d}",
                             password_hash="x", role=role, organisation_id=organisations[n % 12].id,
                             region=regions[n % len(regions)], work_context=contexts[n % len(contexts)],
                             skj_number=f"SKJ{n:05d}"))
        db.session.add_all(made)
        db.session.flush()
        return made

    def cohort(name, trainers, members, organisation, sessions=3):
        row = Cohort(name=name, organisation_id=organisation.id, region=regions[len(name) % len(regions)],
                     join_code=new_join_code(), status="running", track_slug=track.slug,
                     module_slugs=[m.slug for m in modules], trainers=list(trainers))
        db.session.add(row)
        db.session.flush()
        db.session.add_all(Enrollment(cohort_id=row.id, user_id=u.id, enrolled_at=now - timedelta(days=90))
                           for u in members)
        made = []
        for index in range(sessions):
            start = now - timedelta(days=7 * (sessions - index))
            made.append(CohortSession(cohort_id=row.id, title=f"{name} bijeenkomst {index + 1}", starts_at=start,
                                      ends_at=start + timedelta(hours=3), location=f"Zaal {index}",
                                      checkin_secret=new_checkin_secret()))
        db.session.add_all(made)
        db.session.flush()
        db.session.add_all(Attendance(session_id=s.id, user_id=u.id, status=("present", "absent", "excused")[i % 3])
                           for s in made for i, u in enumerate(members))
        return row, made

    # Cohort A: many more learners, each with a bit of everything.
    newcomers = people(GROWTH)
    db.session.add_all(Enrollment(cohort_id=cohort_a.id, user_id=u.id, enrolled_at=now - timedelta(days=60))
                       for u in newcomers)
    ended = [s for s in cohort_a.sessions if as_utc(s.ends_at) <= now]
    for index, user in enumerate(newcomers):
        for module in modules[: 1 + index % len(modules)]:
            db.session.add_all(LessonProgress(user_id=user.id, module_slug=module.slug, lesson_slug=lesson.slug,
                                              completed_at=now - timedelta(days=index))
                               for lesson in module.active_lessons)
        db.session.add_all(Attendance(session_id=s.id, user_id=user.id, status=("present", "absent")[(i + index) % 2])
                           for i, s in enumerate(ended + [session_a]))
    db.session.commit()
    for index, user in enumerate(newcomers):
        attempt(user, passed=False)  # a graded attempt without answers
        if index % 5 == 4:
            start_attempt(user, quiz)  # one in progress
            continue
        taken = start_attempt(user, quiz)
        responses, errors = read_responses(taken, quiz, MultiDict(answer_form(taken, PERFECT)))
        assert not errors, errors
        submit_attempt(taken, quiz, responses)  # graded answers, and an open answer waiting for review
    for index, user in enumerate(newcomers):
        decision = (None, "approved", "returned")[index % 3]
        assignment = practice(user, decision=decision, reviewer=trainer if decision else None)
        if decision == "returned":
            db.session.add(PracticeVersion(assignment_id=assignment.id, number=2, text="Een tweede versie. " * 10,
                                           word_count=40, submitted_at=now))
    db.session.commit()
    for user in newcomers[:8]:
        create_certificate(user, trainer, track, cohort_a, now - timedelta(days=30))
    db.session.commit()

    # More cohorts for A's trainer (one shared with B's trainer); the learner and the actor take part in one.
    others = []
    for index in range(4):
        members = people(6)
        if index == 0:
            members.append(learner)
        row, sessions = cohort(f"Groep A{index + 2}", [trainer] + ([trainer_b] if index == 1 else []), members,
                               organisations[index])
        others.append((row, sessions, members))
        for session in sessions:
            db.session.add(ActorBooking(session_id=session.id, actor_id=actor.id))
        db.session.flush()
        for session in sessions[:2]:
            db.session.add(RolePlayRound(session_id=session.id, scenario_slug=scenario.slug,
                                         professional_id=members[0].id, player_id=actor.id, outcome="sufficient",
                                         released_at=now))
    db.session.add_all(Enrollment(cohort_id=cohort_b.id, user_id=u.id) for u in people(8))
    db.session.commit()
    for row, _sessions, members in others:
        for user in members[:3]:
            if user.id != learner.id:
                create_certificate(user, trainer, track, row, now - timedelta(days=10))
    db.session.commit()

    # Role-play in session A: more rounds, observers, scores from every part and notes.
    def scored(round_, observers):
        round_.observers = list(observers)
        for criterion in rubric:
            db.session.add(RoundScore(round_id=round_.id, rater_id=trainer.id, view="trainer", criterion_id=criterion,
                                      level=3, comment="Vroeg goed door."))
            db.session.add(RoundScore(round_id=round_.id, rater_id=round_.professional_id, view="self",
                                      criterion_id=criterion, level=2, comment="Ik twijfelde."))
            db.session.add_all(RoundScore(round_id=round_.id, rater_id=o.id, view="peer", criterion_id=criterion,
                                          level=1 + i % 4, comment=f"Observatie {i}.") for i, o in enumerate(observers))
        db.session.add(RoundNote(round_id=round_.id, author_id=round_.player_id, kind="actor_feedback",
                                 text="Ik voelde me gehoord."))
        db.session.add(RoundNote(round_id=round_.id, author_id=round_.player_id, kind="aftercare", text="Ging goed."))
        db.session.add(RoundNote(round_id=round_.id, author_id=round_.professional_id, kind="self_reflection",
                                 text="Ik liet de regie bij de jongere."))

    for index in range(12):
        professional = newcomers[index]
        round_ = RolePlayRound(session_id=session_a.id, scenario_slug=scenario.slug, professional_id=professional.id,
                               player_id=actor.id if index % 3 else newcomers[index + 1].id, timer_minutes=10,
                               outcome="sufficient" if index % 2 else None, released_at=now if index % 2 else None)
        db.session.add(round_)
        db.session.flush()
        watchers = [newcomers[(index + k) % GROWTH] for k in range(2, 6)] + ([learner] if index % 4 == 0 else [])
        scored(round_, watchers)
    for key in ("round", "released_round"):
        round_ = db.session.get(RolePlayRound, world[key])
        scored(round_, newcomers[10:20])
    db.session.commit()

    # The learner's practice runs (some finished), and runs of others for the trainer's overview of choices.
    for index in range(6):
        run = scenario_services.start_run(learner, scenario)
        for _step in range(1 + index % 3):
            current = next(n for n in run.practice["nodes"] if n["id"] == run.current_node)
            if current.get("ending") or not current.get("choices"):
                break
            scenario_services.choose(run, run.current_node, 0)
    for index, user in enumerate(newcomers[:10]):
        run = scenario_services.start_run(user, scenario)
        scenario_services.choose(run, run.current_node, index % 2)

    # Trainers and licences, invitations, audit events, the actor's profile, login sessions.
    new_trainers = people(6, role="trainer", prefix="trainer-groei")
    # Calibrations over two years (a renewal below needs one within a year), also more of the world's trainer.
    db.session.add_all(CalibrationAttempt(user_id=who.id, scenario_slug=scenario.slug,
                                          created_at=now - timedelta(days=200 * k + i),
                                          scores=dict.fromkeys(rubric, 2 + k % 2), expert=dict.fromkeys(rubric, 3),
                                          exact=(k % 2) * 1.0, adjacent=1.0, kappa=None)
                       for i, who in enumerate([trainer, *new_trainers]) for k in range(4))
    db.session.flush()
    for index, other in enumerate(new_trainers):
        if index % 2:
            give_licence(other, days_left=30 * index)
        grant_licence(other, 12, admin, reason="Opleiding afgerond.")
    db.session.add_all(ActorProfile(user_id=a.id, availability="Dinsdag", rehearsed=[scenario.slug])
                       for a in people(4, role="actor", prefix="actor-groei"))
    db.session.add(ActorProfile(user_id=actor.id, availability="Maandag en donderdag", rehearsed=[scenario.slug]))
    for index, (row, _sessions, members) in enumerate(others):
        trainer_of = new_trainers[index]
        row.trainers = [*row.trainers, trainer_of]
        for user in members[3:5]:
            if user.id != learner.id:
                create_certificate(user, trainer_of, track, row, now - timedelta(days=400 * (index + 1)))
    for index in range(12):
        create_invitation(cohort_a if index % 2 else others[index % 4][0], f"uitgenodigd{index}@example.org",
                          f"Uitgenodigd {index}", trainer, organisation_id=organisations[index].id)
    db.session.add_all(AuditEvent(at=now - timedelta(hours=i), action="practice.approved", actor_id=trainer.id,
                                  actor_name=trainer.name, subject_id=newcomers[i % GROWTH].id,
                                  subject_name=newcomers[i % GROWTH].name, object_type="practice",
                                  object_id=i + 1000, reason="", details={"n": i}) for i in range(60))
    db.session.add_all(LoginSession(user_id=u.id, token_hash=hash_session_token(new_session_token()),
                                    user_agent="Firefox") for u in (learner, trainer, admin, actor) for _ in range(4))
    # An older certificate of the learner, signed in cohort B, long expired.
    create_certificate(learner, trainer_b, track, cohort_b, now - timedelta(days=2000))
    db.session.commit()

    # The world's own objects get more too: sessions of A (with attendance), versions of the practice assignment
    # reviewed by different trainers, events of the certificate, choices in the run, answers in the open attempt.
    extra = []
    for index in range(8):
        start = now + timedelta(days=7 * (index - 5))
        extra.append(CohortSession(cohort_id=cohort_a.id, title=f"Extra bijeenkomst {index + 1}", starts_at=start,
                                   ends_at=start + timedelta(hours=2), checkin_secret=new_checkin_secret()))
    db.session.add_all(extra)
    db.session.flush()
    db.session.add_all(Attendance(session_id=s.id, user_id=u.id, status=("present", "absent", "excused")[i % 3])
                       for s in extra if as_utc(s.ends_at) <= now for i, u in enumerate([learner, *newcomers]))
    db.session.add_all(Attendance(session_id=s.id, user_id=learner.id, status="present") for s in ended)
    # The learner who is ready to be signed off stays ready: present at the extra sessions too.
    db.session.add_all(Attendance(session_id=s.id, user_id=world["ready_learner"], status="present")
                       for s in extra if as_utc(s.ends_at) <= now)
    first = db.session.get(PracticeAssignment, world["assignment"]).versions[0]
    first.decision, first.reviewed_by_id, first.reviewed_at, first.feedback = "returned", trainer_b.id, now, "Meer."
    for number, reviewer in ((2, new_trainers[0]), (3, new_trainers[1]), (4, None)):
        db.session.add(PracticeVersion(assignment_id=first.assignment_id, number=number, text=REFLECTION,
                                       word_count=first.word_count, submitted_at=now,
                                       decision="returned" if reviewer else None,
                                       feedback="Nog niet." if reviewer else None,
                                       reviewed_by_id=reviewer.id if reviewer else None,
                                       reviewed_at=now if reviewer else None))
    db.session.add_all(AuditEvent(at=now, action="certificate.issued", actor_id=who.id, actor_name=who.name,
                                  subject_id=learner.id, subject_name=learner.name, object_type="certificate",
                                  object_id=world["certificate"], reason="Controle.", details={"i": i})
                       for i, who in enumerate([admin, trainer_b, *new_trainers]))
    db.session.commit()
    run = db.session.get(ScenarioRun, world["run"])
    for _step in range(3):  # choose and go back: the choices stay, marked undone; the run stays at the start
        scenario_services.choose(run, run.current_node, 0)
        scenario_services.go_back(run)
    open_attempt = db.session.get(QuizAttempt, world["attempt_open"])
    responses, errors = read_responses(open_attempt, quiz, MultiDict(answer_form(open_attempt, PERFECT)))
    assert not errors, errors
    save_answers(open_attempt, responses)
    grown = {"newcomers": [u.id for u in newcomers]}
    db.session.commit()
    return grown


# The pages ---------------------------------------------------------------------------------------------------

def test_every_page_stays_within_its_query_budget_and_does_not_grow_with_the_data(app, synced_content):
    prepare_content(synced_content)
    world = build_world(synced_content.root)
    clients = {role: client_for(app, world["users"].get(role)) for role in table.ROLES}  # logged in: not counted
    small = count_pages(app, clients, world)
    grow_world(world)
    large = count_pages(app, clients, world)
    report(small, large, "page request(s)")


# The hot POSTs -----------------------------------------------------------------------------------------------

def count_hot_posts(app, world: dict, phase: str, crowd: list[int]) -> dict[tuple[str, str], Count]:
    """A new learner of cohort A starts and hands in the quiz (every question answered), is scored in a new round
    of session A (by the trainer, and by themself with every criterion), and marks a lesson as done.
    `crowd`: learner ids whose peer scores the new round already has."""
    from jimtraining.accounts.services import create_user
    from jimtraining.cohorts.enrolment import enroll
    from jimtraining.cohorts.models import Cohort, CohortSession
    from jimtraining.curriculum.models import LessonProgress
    from jimtraining.roleplay import services as live
    from jimtraining.roleplay.models import RoundScore
    from jimtraining.scenarios import services as scenario_services
    from tests.support.quizzes import PERFECT, answer_form, latest_attempt

    poster = create_user(email=f"poster-{phase}@example.org", name=f"Poster {phase}", password=PASSWORD,
                         role="learner")
    enroll(db.session.get(Cohort, world["cohort_a"]), poster, "trainer")
    scenario = scenario_services.get_scenario_or_none(world["scenario_slug"])
    session_a = db.session.get(CohortSession, world["session_a"])
    actor = db.session.get(type(poster), world["users"]["actor"].id)
    round_ = live.create_round(session_a, scenario, poster, actor, [], 10)
    for rater_id in crowd:
        db.session.add_all(RoundScore(round_id=round_.id, rater_id=rater_id, view="peer", criterion_id=c["id"],
                                      level=2) for c in scenario.data["rubric"])
    db.session.commit()
    levels = {f"level-{c['id']}": "3" for c in scenario.data["rubric"]}
    learner_client = client_for(app, poster)
    trainer_client = client_for(app, world["users"]["trainer"])
    with app.test_request_context():
        urls = {"start": url_for("quizzes.start", module_slug="basis"),
                "scores": url_for("roleplay.scores", round_id=round_.id),
                "done": url_for("curriculum.mark_done", module_slug="basis", lesson_slug="eerste")}
    counts = {}

    def count(endpoint, role, client, url, data=None):
        response, queries, problem = count_request(client, "POST", url, data)
        if response is not None and response.status_code != 302:
            problem = f"expected a redirect, got HTTP {response.status_code}"
        counts[(endpoint, role)] = Count(endpoint, f"{endpoint} POST {url} as {role}", queries, problem)

    count("quizzes.start", "learner", learner_client, urls["start"])
    attempt = latest_attempt(poster)
    with app.test_request_context():
        submit_url = url_for("quizzes.submit", attempt_id=attempt.id)
    count("quizzes.submit", "learner", learner_client, submit_url, answer_form(attempt, PERFECT))
    count("roleplay.scores", "trainer", trainer_client, urls["scores"], levels)
    count("roleplay.scores", "learner", learner_client, urls["scores"], levels)
    count("curriculum.mark_done", "learner", learner_client, urls["done"])
    db.session.expire_all()  # the posts did what they are for
    assert db.session.get(type(attempt), attempt.id).status != "in_progress", "the quiz was not handed in"
    assert len(db.session.scalars(select(RoundScore).where(RoundScore.round_id == round_.id,
                                                           RoundScore.view != "peer")).all()) == 2 * len(levels)
    assert db.session.scalar(select(LessonProgress.completed_at).where(LessonProgress.user_id == poster.id))
    return counts


def test_hot_posts_stay_within_their_query_budget_and_do_not_grow_with_the_data(app, synced_content, monkeypatch):
    from jimtraining.quizzes import services as quiz_services

    # The same draw at both sizes. Where the open question lands changes how the answers' UPDATEs are batched
    # (one statement more or less); seed 0 puts it in the middle, the costlier order (see BUDGETS).
    monkeypatch.setattr(quiz_services, "random", SimpleNamespace(SystemRandom=lambda: random.Random(0)))
    prepare_content(synced_content)
    world = build_world(synced_content.root)
    small = count_hot_posts(app, world, "klein", crowd=[])
    grown = grow_world(world)
    large = count_hot_posts(app, world, "groot", crowd=grown["newcomers"][:15])
    assert {count.endpoint for count in small.values()} == set(budgets.HOT_POSTS), \
        f"HOT_POSTS in {BUDGET_FILE} and the POSTs counted here (count_hot_posts) must be the same"
    report(small, large, "hot POST(s)")
