"""The access matrix: every route x method x role of app.url_map against the one table in access_table.py.

One rich world is built (cohorts A and B with sessions, a quiz attempt in progress and a handed-in one with an open
answer, a practice run, a live round with a booked actor, a practice assignment, a certificate, licences, an
invitation...), every role logs in once, and then:

1. every GET, for every role;
2. every POST whose expected outcome is a refusal (login, 403, 404);
3. every POST that is allowed and harmless, with an empty (or minimal) form;
4. every allowed POST marked "ok-destructive", each on a freshly built world.

Refusals, and every GET, must leave the database exactly as it was (every row of every table is compared).
All mismatches are collected and reported together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from jimtraining.extensions import db
from tests.security import access_table as table
from tests.support.database import empty_tables
from tests.support.factories import PASSWORD

METHODS = ("GET", "POST")
REFUSALS = {table.LOGIN, table.FORBIDDEN, table.NOTFOUND, table.UNAUTHORIZED}
TABLE_FILE = "tests/security/access_table.py"
#: Where login_required sends anonymous people (with ?next=...).
LOGIN_PATH = "/login"
#: A 1x1 transparent PNG, served by curriculum.module_file.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
                    "000154a24f5d0000000049454e44ae426082")


# The world ------------------------------------------------------------------------------------------------------

#: A course unit for the test curriculum: the overview with the study load, and one more part.
UNIT_OVERVIEW_MD = """---
title: "Overzicht"
summary: "De onderwijseenheid in het kort."
study_load: {words_per_minute: 100, minutes_per_question: 2, practice_hours: 8, scenario_hours: 4}
---
Zie de [handleiding](02-handleiding.md).
"""
UNIT_GUIDE_MD = """---
title: "Handleiding"
summary: "Voor docenten."
sessions:
  - {title: "Start", minutes: 120, modules: [basis]}
---
Lees eerst [de module](../01-basis/module.md).
"""


def prepare_content(content_dir) -> None:
    """The test curriculum (fixture synced_content) plus a quiz on 'basis', the test scenario and an image."""
    from tests.support.quizzes import write_quiz
    from tests.support.scenarios import SCENARIO_YML

    write_quiz(content_dir)
    content_dir.raw("scenarios/testscenario.yml", SCENARIO_YML)
    content_dir.raw("onderwijseenheid/01-overzicht.md", UNIT_OVERVIEW_MD)
    content_dir.raw("onderwijseenheid/02-handleiding.md", UNIT_GUIDE_MD)
    path = content_dir.root / "01-basis" / "images" / "plaatje.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG)


def build_world(content_root) -> dict:
    """Every object a URL parameter can point at, and one account per role. Returns world keys -> values, plus
    "users": {role: User}."""
    from jimtraining.accounts.models import LoginSession, hash_session_token
    from jimtraining.accounts.services import create_user, start_session
    from jimtraining.calibration import services as calibration
    from jimtraining.certification.services import create_certificate
    from jimtraining.cohorts.attendance import new_checkin_secret
    from jimtraining.cohorts.enrolment import enroll
    from jimtraining.cohorts.invitations import create_invitation
    from jimtraining.cohorts.models import CohortSession
    from jimtraining.content_tree import load_content, sync_content
    from jimtraining.organisations.models import Organisation
    from jimtraining.quizzes.models import AttemptAnswer
    from jimtraining.quizzes.services import read_responses, start_attempt, submit_attempt
    from jimtraining.roleplay import services as live
    from jimtraining.scenarios import services as scenario_services
    from jimtraining.timeutil import utcnow
    from tests.support.certification import add_sessions, complete_requirements, give_licence, make_track, practice
    from tests.support.quizzes import PERFECT, answer_form, module_quiz

    tree = load_content(content_root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    track = make_track()

    def user(role, email, name, **profile):
        return create_user(email=email, name=name, password=PASSWORD, role=role, **profile)

    users = {
        "learner": user("learner", "learner-a@example.org", "Lotte Leerling", region="Twente",
                        work_context="wijkteam"),
        "learner_b": user("learner", "learner-b@example.org", "Bart Bleerling"),
        "actor": user("actor", "actor@example.org", "Acteur Anouk"),
        "actor_unbooked": user("actor", "actor-free@example.org", "Acteur Vrij"),
        "trainer": user("trainer", "trainer-a@example.org", "Tineke Trainer"),
        "trainer_b": user("trainer", "trainer-b@example.org", "Olaf Andere"),
        "admin": user("admin", "admin@example.org", "Ada Admin"),
    }
    ready = user("learner", "ready@example.org", "Rik Klaar")
    licence = give_licence(users["trainer"])
    give_licence(users["trainer_b"])

    organisation = Organisation(name="Jeugdzorg Oost", kind="jeugdzorg")
    db.session.add(organisation)
    db.session.commit()

    def cohort(name, trainer, learners):
        from jimtraining.cohorts.enrolment import new_join_code
        from jimtraining.cohorts.models import Cohort

        row = Cohort(name=name, organisation=organisation, region="Twente", join_code=new_join_code(),
                     status="running", track_slug=track.slug, trainers=[trainer])
        db.session.add(row)
        db.session.commit()
        for learner in learners:
            enroll(row, learner, "trainer")
        for enrollment in row.enrollments:  # joined before the sessions, so every session counts for them
            enrollment.enrolled_at = utcnow() - timedelta(days=60)
        db.session.commit()
        return row

    cohort_a = cohort("Groep A", users["trainer"], [users["learner"], ready])
    cohort_b = cohort("Groep B", users["trainer_b"], [users["learner_b"]])
    ended = add_sessions(cohort_a)

    def upcoming(row):
        start = utcnow() + timedelta(minutes=5)
        session = CohortSession(cohort_id=row.id, title="Oefenavond", starts_at=start,
                                ends_at=start + timedelta(hours=2), location="Zaal 2", agenda="**Welkom**",
                                sketches=["Ruzie thuis"], checkin_secret=new_checkin_secret())
        db.session.add(session)
        db.session.commit()
        return session

    session_a, session_b = upcoming(cohort_a), upcoming(cohort_b)
    live.book_actor(session_a, users["actor"])

    # A learner of A who meets every requirement: sign-off can only be refused for who asks.
    complete_requirements(ready, ended, users["actor"], users["trainer"])

    scenario = scenario_services.get_scenario_or_none("testscenario")
    round_ = live.create_round(session_a, scenario, users["learner"], users["actor"], [], 10)
    released = live.create_round(session_a, scenario, users["learner"], users["actor"], [], 10)
    live.release(released, "not_yet", users["trainer"], scenario.data)
    run = scenario_services.start_run(users["learner"], scenario)
    calibrated = calibration.score(users["trainer"], scenario.slug, {"regie": 3, "samen": 2})

    quiz = module_quiz("basis")
    done = start_attempt(users["learner"], quiz)
    responses, errors = read_responses(done, quiz, MultiDict(answer_form(done, PERFECT)))
    assert not errors, errors
    submit_attempt(done, quiz, responses)
    open_answer = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.attempt_id == done.id,
                                                                AttemptAnswer.needs_review.is_(True)))
    assert open_answer is not None
    in_progress = start_attempt(users["learner"], quiz)

    assignment = practice(users["learner"], decision=None)  # waits for the trainer
    # Cohort A's run has its own SKJ accreditation (issue 19 item 3): its points list and the certificate show it.
    from jimtraining.certification.models import CohortAccreditation

    db.session.add(CohortAccreditation(cohort_id=cohort_a.id, number="VOORBEELD-TEST-1", points=4, contact_hours=8,
                                       register_section="Jeugd- en gezinsprofessionals", final_test_required=True))
    certificate = create_certificate(users["learner"], users["trainer"], track, cohort_a, utcnow())
    db.session.commit()
    _invitation, token = create_invitation(cohort_a, "nieuw@example.org", "Nina Nieuw", users["trainer"])
    reset_token = password_reset_token(users["learner"])
    other_device = start_session(users["learner"], "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Firefox/125.0")
    login_session = db.session.scalar(select(LoginSession.id).where(
        LoginSession.token_hash == hash_session_token(other_device)))

    from jimtraining.lti.platforms import add_platform

    lti_platform, _new = add_platform(issuer="https://lms.example.org", client_id="tool", deployment_ids=["1"],
                                      auth_login_url="https://lms.example.org/auth",
                                      auth_token_url="https://lms.example.org/token",
                                      keyset_url="https://lms.example.org/jwks", name="LMS")

    from jimtraining.api.tokens import create_token

    api_token, _secret = create_token(organisation, "HR-systeem", ["professionals:read"],
                                      utcnow() + timedelta(days=30), users["admin"])

    from jimtraining.jobs.models import FAILED, Job

    failed_job = Job(kind="mail", key="mail:access-matrix", state=FAILED, attempts=6, last_error="connection refused",
                     payload={"to": "nieuw@example.org", "subject": "Uitnodiging", "body": "Hallo"})
    db.session.add(failed_job)
    db.session.commit()

    return {
        "users": users, "api_token": api_token.id,
        "cohort_a": cohort_a.id, "cohort_b": cohort_b.id, "session_a": session_a.id, "session_b": session_b.id,
        "learner": users["learner"].id, "learner_b": users["learner_b"].id, "ready_learner": ready.id,
        "certificate": certificate.id, "certificate_code": certificate.code, "licence": licence.id,
        "track_slug": track.slug, "assignment": assignment.id, "module_slug": "basis", "lesson_slug": "eerste",
        "unit_part": "handleiding",
        "image": "images/plaatje.png", "scenario_slug": scenario.slug, "attempt_open": in_progress.id,
        "attempt_done": done.id, "open_answer": open_answer.id, "run": run.id, "round": round_.id,
        "released_round": released.id, "invitation_token": token, "reset_token": reset_token,
        "login_session": login_session, "sso_provider": "surfconext", "lti_platform": lti_platform.id,
        "calibration_attempt": calibrated.id, "failed_job": failed_job.id,
    }


def password_reset_token(user) -> str | None:
    """The token of a password-reset link for `user`, asked for the way a person does (the form, then the link in
    the mail); None when the app has no password reset."""
    import re

    from flask import current_app, url_for

    app = current_app._get_current_object()
    if "accounts.forgot_password_send" not in app.view_functions:
        return None
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    client = client_for(app)
    reset_limiter()
    with app.test_request_context():
        url = url_for("accounts.forgot_password_send")
    client.post(url, data={"email": user.email, "csrf_token": client.csrf})
    adapter = app.url_map.bind("localhost")
    for mail in mailman.outbox:
        for link in re.findall(r"https?://\S+", mail.body):
            try:
                endpoint, args = adapter.match(urlsplit(link).path, method="GET")
            except Exception:  # noqa: BLE001 - another link in the mail
                continue
            if endpoint == "accounts.reset_password":
                return args["token"]
    raise AssertionError("no password-reset link in the mail")


def clean_database() -> None:
    """What the suite's autouse fixture does after each test, for a fresh world within one test."""
    empty_tables()
    db.session.expunge_all()


# Clients ----------------------------------------------------------------------------------------------------

def reset_limiter() -> None:
    """Login throttling (Flask-Limiter), when the app has it, must not answer 429 to the matrix."""
    from jimtraining import extensions

    limiter = getattr(extensions, "limiter", None)
    if limiter is not None:
        try:
            limiter.reset()
        except Exception:  # noqa: BLE001 - a storage without reset: nothing to do
            pass


def _token(client, page: str) -> str:
    from tests.support.client import TOKEN_RE as _TOKEN_RE

    html = client.get(page).get_data(as_text=True)
    match = _TOKEN_RE.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def client_for(app, user=None):
    """A client logged in as `user` (anonymous for None) that knows a CSRF token for its session."""
    client = app.test_client()
    if user is not None:
        reset_limiter()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                               "csrf_token": _token(client, "/login")})
        assert response.status_code == 302, f"cannot log in as {user.email}: {response.status_code}"
    client.csrf = _token(client, "/")
    return client


# Requests -------------------------------------------------------------------------------------------------

@dataclass
class Check:
    label: str  # endpoint, or endpoint + variant description
    endpoint: str
    method: str
    rule: object
    row: dict  # role -> expected outcome
    variant: dict = field(default_factory=dict)  # parameter -> world key, over PARAMS and ENDPOINT_PARAMS


def world_key(rule, param: str) -> str | None:
    blueprint = rule.endpoint.rsplit(".", 1)[0]
    overrides = table.ENDPOINT_PARAMS.get(rule.endpoint, {})
    return overrides.get(param) or table.PARAMS.get(f"{blueprint}.{param}") or table.PARAMS.get(param)


def build_url(check: Check, world: dict) -> str:
    values = {param: world[check.variant.get(param) or world_key(check.rule, param)]
              for param in check.rule.arguments}
    _domain, path = check.rule.build(values, append_unknown=False)
    return path


def classify(response) -> str:
    code = response.status_code
    if 300 <= code < 400:
        location = urlsplit(response.headers.get("Location", ""))
        login_gate = location.path == LOGIN_PATH and "next" in parse_qs(location.query)
        return table.LOGIN if login_gate else table.OK
    if 200 <= code < 300:
        return table.OK
    return {400: table.BAD, 422: table.BAD, 401: table.UNAUTHORIZED, 403: table.FORBIDDEN,
            404: table.NOTFOUND}.get(code, f"HTTP {code}")


def matches(expected: str, observed: str, method: str) -> bool:
    if expected in REFUSALS or method == "GET":
        return observed == (table.OK if expected == table.DESTRUCTIVE else expected)
    if expected == table.BAD:
        return observed == table.BAD
    return observed in (table.OK, table.BAD)


def post_data(endpoint: str, role: str) -> dict:
    per_role = table.POST_DATA.get(endpoint, {})
    return dict(per_role.get(role, per_role.get("*", {})))


def send(client, method: str, url: str, data: dict):
    for _try in range(2):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**data, "csrf_token": client.csrf})
        if response.status_code != 429:
            return response
        reset_limiter()
    return response


def fingerprint() -> dict[str, tuple]:
    """Every row of every table in primary-key order (the world is small), minus table.VOLATILE_COLUMNS."""
    db.session.commit()
    state = {}
    for tbl in db.metadata.sorted_tables:
        columns = [c for c in tbl.columns if f"{tbl.name}.{c.name}" not in table.VOLATILE_COLUMNS]
        rows = db.session.execute(select(*columns).order_by(*tbl.primary_key.columns)).all()
        state[tbl.name] = (tuple(c.name for c in columns), tuple(tuple(row) for row in rows))
    db.session.commit()
    return state


def changes(before: dict, after: dict) -> list[str]:
    """What differs, readably: "cohort #1 join_code", "enrollment +1 row(s)"."""
    found = []
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) == after.get(name):
            continue
        tbl = db.metadata.tables[name]
        columns = (before.get(name) or after.get(name))[0]
        key_at = [columns.index(c.name) for c in tbl.primary_key.columns]

        def by_key(state, columns=columns, key_at=key_at, name=name):
            return {tuple(row[i] for i in key_at): dict(zip(columns, row, strict=True))
                    for row in (state.get(name) or ((), ()))[1]}

        old, new = by_key(before), by_key(after)
        if added := len(new.keys() - old.keys()):
            found.append(f"{name} +{added} row(s)")
        if removed := len(old.keys() - new.keys()):
            found.append(f"{name} -{removed} row(s)")
        for key in sorted(old.keys() & new.keys(), key=repr):
            if differing := [column for column in columns if old[key][column] != new[key][column]]:
                found.append(f"{name} #{'/'.join(map(str, key))} {', '.join(differing)}")
    return found


# Coverage of the table ----------------------------------------------------------------------------------------

def routes(app) -> dict[str, tuple[set[str], list]]:
    """endpoint -> (GET/POST methods, rules), static left out."""
    found: dict[str, tuple[set[str], list]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods, rules = found.setdefault(rule.endpoint, (set(), []))
        methods.update(set(rule.methods or ()) & set(METHODS))
        rules.append(rule)
    return found


def table_problems(app) -> list[str]:
    found = routes(app)
    problems = []
    missing = sorted(set(found) - set(table.ACCESS))
    if missing:
        skeleton = [f"    \"{endpoint}\": {{{', '.join(f'{m}: ...' for m in sorted(found[endpoint][0]))}}},"
                    f"  # {', '.join(r.rule for r in found[endpoint][1])}" for endpoint in missing]
        problems.append(
            f"{len(missing)} route(s) of app.url_map are not in {TABLE_FILE}, so nobody has said who may use them.\n"
            f"Add each to ACCESS there with the expected outcome of every method for every role "
            f"({', '.join(table.ROLES)}), using the helpers (PUBLIC, ANY_USER, LEARNERS, ACTORS, TRAINER_ADMIN, "
            f"ADMIN_ONLY, COHORT_A_STAFF, OWNER_ONLY, only(...), roles(...), destructive(...)); a URL parameter that "
            f"is new also needs a world key in PARAMS and a value in build_world:\n" + "\n".join(skeleton))
    stale = sorted(set(table.ACCESS) - set(found))
    if stale:
        problems.append(f"{TABLE_FILE} declares route(s) that no longer exist; remove them: {', '.join(stale)}")
    for endpoint, methods_rows in sorted(table.ACCESS.items()):
        if endpoint not in found:
            continue
        methods, rules = found[endpoint]
        if set(methods_rows) != methods:
            problems.append(f"{endpoint}: the route accepts {sorted(methods)}, {TABLE_FILE} declares "
                            f"{sorted(methods_rows)}")
        for method, row in methods_rows.items():
            if set(row) != set(table.ROLES):
                problems.append(f"{endpoint} {method}: roles missing {sorted(set(table.ROLES) - set(row))}, "
                                f"unknown {sorted(set(row) - set(table.ROLES))}")
            bad = {role: outcome for role, outcome in row.items() if outcome not in table.OUTCOMES
                   or (method == "GET" and outcome in (table.BAD, table.DESTRUCTIVE))}
            if bad:
                problems.append(f"{endpoint} {method}: outcomes not allowed here: {bad}")
        for rule in rules:
            for param in rule.arguments:
                if world_key(rule, param) is None:
                    problems.append(f"{endpoint}: no value for URL parameter <{param}> of {rule.rule}; add it to "
                                    f"PARAMS (or ENDPOINT_PARAMS) in {TABLE_FILE} and to build_world")
    for description, endpoint, method, _params, row in table.VARIANTS:
        if endpoint not in found or method not in found[endpoint][0]:
            problems.append(f"variant '{description}': {endpoint} {method} does not exist")
        elif set(row) != set(table.ROLES):
            problems.append(f"variant '{description}': roles missing {sorted(set(table.ROLES) - set(row))}")
    return problems


def test_access_table_covers_every_route(app):
    problems = table_problems(app)
    assert not problems, "\n\n".join(problems)


# The matrix -------------------------------------------------------------------------------------------------

def planned_checks(app) -> list[Check]:
    found = routes(app)
    checks = []
    for endpoint, methods_rows in table.ACCESS.items():
        if endpoint not in found:
            continue
        for method, row in methods_rows.items():
            for rule in found[endpoint][1]:
                if method in rule.methods:
                    checks.append(Check(endpoint, endpoint, method, rule, row))
    for description, endpoint, method, params, row in table.VARIANTS:
        for rule in found.get(endpoint, ((), []))[1]:
            if method in rule.methods:
                checks.append(Check(f"{endpoint} [{description}]", endpoint, method, rule, row, dict(params)))
    return checks


def test_access_matrix(app, synced_content):
    started = time.perf_counter()
    prepare_content(synced_content)
    world = build_world(synced_content.root)
    clients = {role: client_for(app, world["users"].get(role)) for role in table.ROLES}
    checks = planned_checks(app)
    failures: list[str] = []
    counts = {"requests": 0, "fingerprinted": 0}

    def run(check: Check, role: str, client, current_world: dict, state: dict | None):
        """One request; returns the fingerprint after it when it was taken (None: unknown)."""
        expected = check.row[role]
        url = build_url(check, current_world)
        must_not_change = state is not None and (expected in REFUSALS or check.method == "GET")
        before = state if must_not_change else None
        counts["requests"] += 1
        try:
            response = send(client, check.method, url, post_data(check.endpoint, role))
        except Exception as error:  # noqa: BLE001 - report every route, not just the first that breaks
            failures.append(f"{check.label} {check.method} {url} as {role}: expected {expected}, the view raised "
                            f"{type(error).__name__}: {error}")
            return None
        observed = classify(response)
        if not matches(expected, observed, check.method):
            where = f" -> {response.headers.get('Location')}" if 300 <= response.status_code < 400 else ""
            failures.append(f"{check.label} {check.method} {url} as {role}: expected {expected}, got {observed} "
                            f"(HTTP {response.status_code}{where})")
        if before is None:
            return None
        after = fingerprint()
        counts["fingerprinted"] += 1
        changed = changes(before, after)
        if changed:
            what = "a refused request" if expected in REFUSALS else "a GET"
            failures.append(f"{check.label} {check.method} {url} as {role}: {what} changed the database: "
                            f"{'; '.join(changed)}")
        return after

    # 1. GETs and 2. refused POSTs: nothing may change, so one fingerprint carries over to the next request.
    state = fingerprint()
    for check in checks:
        if check.method == "GET":
            for role in table.ROLES:
                state = run(check, role, clients[role], world, state) or fingerprint()
    for check in checks:
        if check.method == "POST":
            for role in table.ROLES:
                if check.row[role] in REFUSALS:
                    state = run(check, role, clients[role], world, state) or fingerprint()
    # 3. Allowed, harmless POSTs (empty forms), on the same world.
    for check in checks:
        if check.method == "POST":
            for role in table.ROLES:
                if check.row[role] in (table.OK, table.BAD):
                    run(check, role, clients[role], world, None)
    # 4. Allowed POSTs that break the world: each on a fresh one, with a fresh login.
    for check in checks:
        if check.method == "POST":
            for role in table.ROLES:
                if check.row[role] == table.DESTRUCTIVE:
                    clean_database()
                    fresh = build_world(synced_content.root)
                    run(check, role, client_for(app, fresh["users"].get(role)), fresh, None)

    problems = table_problems(app)
    elapsed = time.perf_counter() - started
    print(f"\naccess matrix: {len(checks)} route/method checks, {counts['requests']} requests, "
          f"{counts['fingerprinted']} database fingerprints, {elapsed:.1f} s")
    if failures or problems:
        report = [f"{len(failures)} access mismatch(es) against {TABLE_FILE}:", *failures]
        if problems:
            report += ["", "The table itself:", *problems]
        pytest.fail("\n".join(report), pytrace=False)
