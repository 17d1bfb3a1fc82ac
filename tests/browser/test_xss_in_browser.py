"""Stored XSS in a real browser: the payload corpus in every kind of free-text field of a live server (with the
demo data), every page that shows it opened as learner, trainer, trainee actor, admin and anonymous visitor.

Each page gets an init script (tests/security/xss.py) that traps alert/confirm/prompt, ``window.__xss`` and
``document.title = 'XSS-EXECUTED'`` before any page script runs, and counts CSP violation reports; dialogs are
counted by Playwright as well. After the page has loaded, the DOM is scanned for live markup (event handlers,
javascript:/data: URLs, script, iframe, base, meta refresh...). Zero executions, zero dialogs and zero live
elements are required; CSP reports are printed (they show the policy blocked something, and are not a failure).

The server is this module's own (the shared `live_server` fixture does not expose its app): built the same way,
then the payloads are written with the app's services inside its app context. The server-side test
(tests/security/test_xss_stored.py) types every payload into every field through the forms; here each field
class gets the whole corpus, and the pages that list many records get all of them.
"""

import copy
import random
import threading
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from jimtraining import create_app
from jimtraining.accounts.models import User
from jimtraining.accounts.services import create_user
from jimtraining.certification import practice
from jimtraining.certification import services as certification
from jimtraining.certification.models import Track
from jimtraining.cohorts import enrolment as cohorts
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.invitations import create_invitation
from jimtraining.cohorts.models import Cohort, CohortSession
from jimtraining.content_tree import load_content, sync_content
from jimtraining.curriculum.models import Module
from jimtraining.curriculum.services import active_modules
from jimtraining.demo import DEMO_PASSWORD, seed_demo
from jimtraining.extensions import db
from jimtraining.mailing import send_mail
from jimtraining.organisations.models import Organisation
from jimtraining.quizzes.models import AttemptAnswer
from jimtraining.quizzes.services import review_answer, start_attempt, submit_attempt
from jimtraining.roleplay import services as live
from jimtraining.scenarios import services as scenarios
from jimtraining.scenarios.models import Scenario
from jimtraining.timeutil import utcnow
from tests.security.xss import DOM_SCAN, INIT_SCRIPT, load_payloads, pack, single_line
from tests.support.database import config_for_tests

PAYLOADS = load_payloads()
LINES = single_line(PAYLOADS)
LEARNER = "xss-leerling@example.org"
OBSERVER = "xss-observator@example.org"


def _markdown(limit: int) -> list[str]:
    """Every payload as Markdown blocks and again inline, in values of at most `limit` characters."""
    return pack(PAYLOADS, limit, sep="\n\n") + pack(PAYLOADS, limit, sep=" ")


def _add_payloads(app) -> dict:
    """Write the corpus into the demo database with the app's services; returns the pages to open per role."""
    names, org_names, titles = pack(PAYLOADS, 120), pack(PAYLOADS, 200), pack(PAYLOADS, 200)
    texts, long_texts = _markdown(5000), _markdown(20000)
    reasons = pack(PAYLOADS, 2000, sep="\n")
    now = utcnow()

    def user(email):
        return db.session.scalar(select(User).where(User.email == email))

    admin, trainer, actor = user("admin@example.org"), user("trainer@example.org"), user("actor@example.org")
    youth = db.session.scalar(select(Cohort).where(Cohort.name == "JIMwerkers Twente, najaar"))
    track = db.session.scalar(select(Track).where(Track.slug == youth.track_slug))

    # Organisations and people with payload names, in the demo cohort (so every list of members shows them).
    orgs = [Organisation(name=value, kind="jeugdzorg") for value in org_names]
    db.session.add_all(orgs)
    db.session.commit()
    learner = create_user(email=LEARNER, name=names[0], password=DEMO_PASSWORD, role="learner",
                          organisation_id=orgs[0].id, region="Twente")
    observer = create_user(email=OBSERVER, name=names[1], password=DEMO_PASSWORD, role="learner")
    people = [create_user(email=f"xss{i}@example.org", name=value, password=DEMO_PASSWORD, role="learner",
                          organisation_id=orgs[i % len(orgs)].id) for i, value in enumerate(names)]
    for person in [learner, observer, *people]:
        cohorts.enroll(youth, person, "trainer")
    extra_trainers = [create_user(email=f"xss-trainer{i}@example.org", name=value, password=DEMO_PASSWORD,
                                  role="trainer") for i, value in enumerate(names)]
    youth.trainers = [trainer, *extra_trainers]
    for index, value in enumerate(names):
        create_user(email=f"xss-acteur{index}@example.org", name=value, password=DEMO_PASSWORD, role="actor")
    db.session.commit()

    # Cohorts with payload names, all trained by the demo trainer, the learner in each of them.
    named = []
    for value in titles:
        cohort = Cohort(name=value, organisation_id=orgs[0].id, region="Twente", status="running",
                        join_code=cohorts.new_join_code(), track_slug=youth.track_slug)
        cohort.trainers = [trainer]
        db.session.add(cohort)
        named.append(cohort)
    db.session.commit()
    for cohort in named:
        cohorts.enroll(cohort, learner, "code")

    # Sessions in the demo cohort: titles and locations packed, the agenda Markdown, the sketches, a link.
    urls = pack(LINES, 500, prefix="https://example.org/?q=")
    agendas = _markdown(10000)
    sketches = pack(LINES, 2000, sep="\n")
    sessions = []
    for index, title in enumerate(titles):
        start = now + timedelta(days=2 + index % 30, hours=index % 5)
        session = CohortSession(cohort_id=youth.id, title=title, starts_at=start, ends_at=start + timedelta(hours=2),
                                location=titles[-1 - index], online_url=urls[index % len(urls)],
                                agenda=agendas[index % len(agendas)],
                                sketches=sketches[index % len(sketches)].split("\n"),
                                checkin_secret=new_checkin_secret())
        db.session.add(session)
        sessions.append(session)
    current = CohortSession(cohort_id=youth.id, title=titles[0], starts_at=now - timedelta(minutes=30),
                            ends_at=now + timedelta(hours=2), location=titles[1], agenda=agendas[0],
                            checkin_secret=new_checkin_secret())
    db.session.add(current)
    db.session.commit()
    for session in sessions[:10] + [current]:
        live.book_actor(session, actor)

    # Content in the database as a sync would leave it: a lesson body, a quiz question, the scenario texts.
    module = active_modules()[0]
    lesson = module.active_lessons[0]
    lesson.body = "\n\n".join(_markdown(100_000))
    quiz = module.quiz
    quiz.draw_count = len(quiz.active_questions)  # every question in every attempt, the open one included
    open_question = next(q for q in quiz.active_questions if q.type == "open")
    open_question.text, open_question.feedback = texts[0], texts[1]
    scenario = db.session.scalar(select(Scenario).where(Scenario.archived.is_(False)).order_by(Scenario.slug))
    data = copy.deepcopy(scenario.data)
    data["situation"] = long_texts[0]
    for node in data["practice"]["nodes"]:
        if "text" in node:
            node["text"] = long_texts[1]
    data["roles"][0]["trainee_brief"] = reasons[0]
    scenario.data = data
    db.session.commit()

    # Open answers and the trainer's feedback on them (one attempt per person; the last one stays unreviewed).
    attempts = []
    for person, answer in zip([learner, *people], texts, strict=False):
        attempt = start_attempt(person, quiz, random.Random(7))
        responses = {e["key"]: (answer if e["question"]["type"] == "open" else None) for e in attempt.drawn}
        submit_attempt(attempt, quiz, responses)
        attempts.append(attempt)
    for index, attempt in enumerate(attempts[:-1]):
        for answer in attempt.answers:
            if answer.needs_review:
                review_answer(answer, quiz, 1, texts[-1 - index], trainer)
    waiting = db.session.scalar(select(AttemptAnswer.id).where(AttemptAnswer.attempt_id == attempts[-1].id,
                                                               AttemptAnswer.needs_review.is_(True)))

    # The practice assignment: every version returned with feedback, the last one waiting.
    for index, text in enumerate(long_texts):
        version = practice.submit_practice(learner, track, text)
        if index < len(long_texts) - 1:
            practice.review_practice(version, "returned", long_texts[-1 - index], trainer, {
                c["id"]: 1 for c in (track.practice or {}).get("criteria") or []})
    assignment_id = version.assignment_id

    # Live role-play in the running session: rubric comments, actor feedback, self-reflection, aftercare.
    rounds = []
    for index, text in enumerate(texts):
        round_ = live.create_round(current, scenario, learner, actor, [observer], 10)
        rubric = scenario.data["rubric"]
        for rater, view, offset in ((trainer, "trainer", 0), (observer, "peer", 1), (learner, "self", 2)):
            form = {}
            for number, criterion in enumerate(rubric):
                form[f"level-{criterion['id']}"] = "3"
                form[f"comment-{criterion['id']}"] = texts[(index + offset + number) % len(texts)]
            assert not live.save_scores(round_, rater, view, rubric, form)
        live.save_note(round_, actor, "actor_feedback", text)
        live.save_note(round_, actor, "aftercare", texts[-1 - index])
        live.save_note(round_, learner, "self_reflection", texts[(index + 1) % len(texts)])
        if index % 2 == 0:
            live.release(round_, "sufficient", trainer, scenario.data)
        rounds.append(round_.id)
    run = scenarios.start_run(learner, scenario)

    # Certificates for people with payload names (by trainers with payload names), some revoked with a reason;
    # licences granted and withdrawn with a reason.
    certificates = [certification.create_certificate(person, extra_trainers[i % len(extra_trainers)], track, youth,
                                                     now) for i, person in enumerate(people)]
    db.session.commit()
    for certificate, reason in zip(certificates, reasons, strict=False):
        certification.revoke_certificate(certificate, admin, reason)
    for other, reason in zip(extra_trainers, reasons, strict=False):
        licence = certification.grant_licence(other, 12, admin, reason)
        certification.withdraw_licence(licence, admin, reasons[-1])
    db.session.commit()

    # Invitations (the mail goes to the file outbox that Beheer -> Uitgaande mail shows).
    tokens = []
    with app.test_request_context("/"):
        for index, value in enumerate(names[:50]):
            _invitation, token = create_invitation(named[index % len(named)], f"uitnodiging{index}@example.org",
                                                           value, trainer)
            send_mail(f"uitnodiging{index}@example.org", f"Uitnodiging voor de groep {named[index].name}",
                      f"Hallo {value},\n\n{trainer.name} nodigt je uit voor '{named[index].name}'.\n")
            tokens.append(token)
        db.session.commit()  # the mails are queued with the commit (jimtraining/jobs/)

    quiz_slug = module.slug
    return {
        "learner": ["/", "/profile", "/modules/", f"/modules/{module.slug}",
                    f"/modules/{module.slug}/{lesson.slug}", f"/modules/{quiz_slug}/quiz",
                    f"/quiz/attempts/{attempts[0].id}/result", "/certification",
                    f"/certification/{track.slug}/practice", "/scenarios/", f"/scenarios/{scenario.slug}",
                    f"/practice/{run.id}", f"/cohorts/{youth.id}/sessions/{current.id}",
                    *[f"/cohorts/{youth.id}/sessions/{s.id}" for s in sessions[:3]],
                    *[f"/rounds/{r}" for r in rounds], *[f"/rounds/{r}/debrief" for r in rounds[::2]]],
        "observer": [*[f"/rounds/{r}" for r in rounds[:2]], f"/cohorts/{youth.id}/sessions/{current.id}"],
        "trainer": ["/cohorts/", f"/cohorts/{youth.id}", f"/cohorts/{youth.id}/edit",
                    f"/cohorts/{youth.id}/learners/{learner.id}", f"/cohorts/{named[0].id}",
                    f"/cohorts/{youth.id}/sessions/{current.id}", f"/cohorts/{youth.id}/sessions/{current.id}/code",
                    *[f"/cohorts/{youth.id}/sessions/{s.id}" for s in sessions[:4]],
                    *[f"/cohorts/{youth.id}/sessions/{s.id}/edit" for s in sessions[:4]],
                    *[f"/rounds/{r}" for r in rounds], *[f"/rounds/{r}/debrief" for r in rounds],
                    "/quizzes/", "/quizzes/review", f"/quizzes/review/{waiting}", f"/quizzes/{quiz_slug}/results",
                    f"/quizzes/{quiz_slug}/statistics", *[f"/quiz/attempts/{a.id}/result" for a in attempts],
                    f"/cohorts/{youth.id}/practice", f"/cohorts/{youth.id}/practice/{assignment_id}",
                    f"/scenarios/{scenario.slug}/choices", f"/modules/{module.slug}/{lesson.slug}"],
        "actor": ["/actor/", *[f"/rounds/{r}" for r in rounds]],
        "admin": ["/admin/users", f"/admin/users/{learner.id}", "/admin/users/new", "/admin/organisations",
                  "/admin/outbox", "/admin/licences", "/admin/certificates", "/admin/certificates?page=2",
                  *[f"/admin/certificates/{c.id}" for c in certificates[:len(reasons) + 1]],
                  "/admin/audit", "/admin/audit?page=2", "/admin/audit?action=certificate.revoked",
                  "/admin/audit?action=licence.granted", "/admin/national", "/cohorts/", "/cohorts/new"],
        "anonymous": ["/progress", *[f"/verify/{c.code}" for c in certificates[:len(reasons) + 2]],
                      *[f"/invite/{t}" for t in tokens[:5]]],
        "professional": ["/", f"/cohorts/{youth.id}/sessions/{sessions[0].id}"],
    }


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    """Like the shared live_server (demo data on its own SQLite file), plus the payloads."""
    folder = tmp_path_factory.mktemp("xss-live")
    app = create_app(config_for_tests("sqlite:///" + str(folder / "live.db"), MAIL_BACKEND="file",
                                      MAIL_FILE_PATH=str(folder / "outbox")))
    with app.app_context():
        upgrade()
        sync_content(load_content(app.config["MODULES_DIR"]))
        seed_demo()
        assert db.session.scalar(select(Module.id).limit(1)) is not None
        pages = _add_payloads(app)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()


ACCOUNTS = {"learner": LEARNER, "observer": OBSERVER, "trainer": "trainer@example.org",
            "actor": "actor@example.org", "admin": "admin@example.org", "professional": "professional@example.org",
            "anonymous": None}


def _log_in(page, email):
    page.goto("/login")
    form = page.locator("main form").first
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def test_no_payload_runs_in_the_browser_on_any_page_for_any_role(browser, xss_server):
    base_url, pages_by_role = xss_server
    executions, dialogs, live_elements, csp, opened = [], [], [], [], 0
    for role, urls in pages_by_role.items():
        context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        page.on("dialog", lambda dialog, role=role: (dialogs.append(f"{role} {dialog.type}: {dialog.message}"),
                                                     dialog.dismiss()))
        if ACCOUNTS[role]:
            _log_in(page, ACCOUNTS[role])
        for url in urls:
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, f"{role} {url}: {response and response.status}"
            page.wait_for_timeout(60)  # onerror/onload/ontoggle/autofocus handlers fire right after load
            opened += 1
            executions += [f"{role} {url}: {hit}" for hit in page.evaluate("window.__xssHits")]
            csp += [f"{role} {url}: {report}" for report in page.evaluate("window.__cspViolations")]
            live_elements += [f"{role} {url}: {found}" for found in page.evaluate(DOM_SCAN)]
        context.close()
    print(f"\nXSS browser check: {opened} pages, {len(executions)} executions, {len(dialogs)} dialogs, "
          f"{len(live_elements)} live elements, {len(csp)} CSP violation reports")
    for report in csp:
        print("CSP:", report)
    assert not executions, "\n".join(executions)
    assert not dialogs, "\n".join(dialogs)
    assert not live_elements, "\n".join(live_elements[:100])
