"""Stored XSS, server side: the payload corpus typed into every free-text field comes out inert on every page that
shows it, for every role that can see it.

Payloads are packed into each field up to its maximum length (several records where one is not enough), so every
payload is stored in every field class at least once. Values go in through the app's own forms (with the defaults
the page itself offers, as a browser would send them); where a value is only *displayed* in another context (a
learner's name on a certificate) the record is written with the app's services. Each page is parsed with
``html.parser`` (tests/security/xss.py) and must hold no live element that came from the input; each value must
also show up as typed (plain-text fields) or by its sentinel (Markdown fields), so a check can never pass because
the value was not on the page at all.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import yaml
from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.accounts.services import create_user
from jimtraining.certification import services as certification
from jimtraining.certification.models import Certificate, PracticeAssignment, TrainerLicence
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import Cohort, CohortSession
from jimtraining.content_tree import load_content, sync_content
from jimtraining.curriculum.services import render_content, set_lesson_done
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.quizzes.models import AttemptAnswer
from jimtraining.rendering import render_markdown
from jimtraining.roleplay import services as live
from jimtraining.timeutil import utcnow
from tests.security.xss import MAX_PAYLOAD_LENGTH, live_markup, load_payloads, pack, page_text, single_line
from tests.support.certification import give_licence, make_track
from tests.support.factories import PASSWORD
from tests.support.quizzes import PERFECT, QUIZ_YML, answer_form, latest_attempt, write_quiz
from tests.support.scenarios import SCENARIO_YML

PAYLOADS = load_payloads()
LINES = single_line(PAYLOADS)
MARKERS = ("alert(", "confirm(", "prompt(", "__xss", "XSS-EXECUTED", "alert`")
#: The same markers, spelled so that a filter looking for "alert(" misses them (they still call alert at run time).
OBFUSCATED_MARKERS = ("al'+'ert", "ale'+'rt", "(alert)", "['alert']", "%61lert")


# Reading forms as a browser would send them -------------------------------------------------------------------

class _Forms(HTMLParser):
    """The post forms of a page with the values a browser would submit without changes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if "name" not in a or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = {"name": a.get("name"), "multiple": "multiple" in a, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = [a.get("name"), []]

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            select_, self._select = self._select, None
            if select_["name"] and self._form is not None:
                chosen = select_["chosen"] or ([] if select_["multiple"] or select_["first"] is None
                                               else [select_["first"]])
                self._form["fields"].extend((select_["name"], value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            (name, parts), self._textarea = self._textarea, None
            if name and self._form is not None:
                self._form["fields"].append((name, "".join(parts).removeprefix("\n")))
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)


def form_data(page_html: str, action: str = "") -> dict:
    """The fields of the post form with this action ('' for a form that posts to its own page)."""
    parser = _Forms()
    parser.feed(page_html)
    for form in parser.forms:
        if form["method"] == "post" and form["action"] == action:
            data: dict = {}
            for name, value in form["fields"]:
                if name in data:
                    data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no post form with action {action!r} on the page")


def _errors(body: str) -> str:
    return " | ".join(re.findall(r'class="(?:error|flash flash-error)"[^>]*>(.*?)</', body, re.S))[:600]


class Pages:
    """Fetches pages as people and collects what the payloads left live in them (reported all at once)."""

    def __init__(self, app, login):
        self.app = app
        self._login = login
        self.problems: list[str] = []
        self.fetched = 0

    def client(self, user=None, who: str | None = None):
        client = self.app.test_client()
        client.who = who or (f"{user.role} {user.id}" if user is not None else "anonymous")
        if user is not None:
            self._login(client, user)
        return client

    def inspect(self, response, client, where: str, field: str, shows=()) -> str:
        body = response.get_data(as_text=True)
        if "html" not in (response.content_type or ""):
            return body
        self.fetched += 1
        for finding in live_markup(body):
            self.problems.append(f"[{field}] {where} as {client.who}: {finding}")
        if shows:
            text = page_text(body)
            for value in shows:
                if value not in text:
                    self.problems.append(f"[{field}] {where} as {client.who}: not shown as typed: {value[:90]!r}")
        return body

    def get(self, client, url: str, field: str, shows=(), status: int = 200) -> str:
        response = client.get(url)
        assert response.status_code == status, f"GET {url} as {client.who}: {response.status_code}"
        return self.inspect(response, client, f"GET {url}", field, shows)

    def submit(self, client, page: str, values: dict, field: str, action: str = "", expect: int = 302,
               shows=()):
        """Open the page (checked too), fill in its form like a browser and post it."""
        body = self.get(client, page, field, shows)
        data = form_data(body, action)
        data.update(values)
        return self._post(client, action or page, data, field, expect)

    def form(self, client, page: str, field: str, action: str = "") -> dict:
        """The fields of a page's form as a browser would send them unchanged (to post several times)."""
        return form_data(self.get(client, page, field), action)

    def post(self, client, url: str, values: dict, field: str, expect: int = 302):
        """Post to a form whose fields are known (a button on another page); the CSRF token is kept per client."""
        if "csrf_token" not in values:
            if not getattr(client, "token", None):
                client.token = client.csrf_token("/")
            values = {"csrf_token": client.token, **values}
        return self._post(client, url, values, field, expect)

    def _post(self, client, url, data, field, expect):
        response = client.post(url, data=data)
        body = self.inspect(response, client, f"POST {url}", field)
        assert response.status_code == expect, \
            f"POST {url} as {client.who}: {response.status_code}, expected {expect}: {_errors(body)}"
        return response

    def assert_clean(self):
        print(f"{self.fetched} pages checked, {len(self.problems)} problems")
        assert not self.problems, f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems[:150])


@pytest.fixture
def pages(app, login):
    return Pages(app, login)


def markdown_values(limit: int, tag: str) -> tuple[list[str], list[str]]:
    """Markdown values that hold every payload twice over: once as blocks (blank lines between), once inline
    (spaces between). Each value starts with a sentinel word; returns (values, sentinels)."""
    values, sentinels = [], []
    for style, sep in (("blok", "\n\n"), ("regel", " ")):
        for index, value in enumerate(pack(PAYLOADS, limit - 40, sep=sep)):
            sentinel = f"ZIN{tag}{style}{index}X"
            values.append(f"{sentinel}\n\n{value}")
            sentinels.append(sentinel)
    return values, sentinels


def location_id(response, pattern: str) -> int:
    match = re.search(pattern, response.headers.get("Location", ""))
    assert match, response.headers.get("Location")
    return int(match.group(1))


def add_session(cohort, days: float = -0.01, hours: float = 3, title: str = "Bijeenkomst") -> CohortSession:
    start = utcnow() + timedelta(days=days)
    session = CohortSession(cohort_id=cohort.id, title=title, starts_at=start, ends_at=start + timedelta(hours=hours),
                            checkin_secret=new_checkin_secret())
    db.session.add(session)
    db.session.commit()
    return session


def organisation(name="Organisatie XSS", kind="jeugdzorg") -> Organisation:
    row = Organisation(name=name, kind=kind)
    db.session.add(row)
    db.session.commit()
    return row


# The corpus and the detector ------------------------------------------------------------------------------------

def test_the_corpus_has_enough_payloads_that_fit_every_field_and_announce_themselves():
    assert len(PAYLOADS) >= 200
    assert len(set(PAYLOADS)) == len(PAYLOADS), "duplicate payloads"
    assert all(len(p) <= MAX_PAYLOAD_LENGTH for p in PAYLOADS)
    runs = re.compile(r"<script|\bon[a-z]+\s*=|javascript:", re.IGNORECASE)
    silent = [p for p in PAYLOADS if runs.search(p) and not any(m in p for m in MARKERS + OBFUSCATED_MARKERS)
              and "&#" not in p and "\\u00" not in p]
    assert not silent, f"payloads that would run without calling a marker: {silent}"


def test_the_detector_ignores_escaped_text_and_our_own_scripts():
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}</p>") == []
    assert live_markup('<script src="/static/js/quiz.js" defer></script><meta http-equiv="refresh" content="15">') == []


@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '<a href=" jav&#x61;script:x">',
    '<iframe srcdoc="x">', "<svg><animate attributeName=href>", "<base href=//evil>", "<marquee>",
    '<meta http-equiv=refresh content="0;url=x">', '<div style="width:expression(alert(1))">', "<p>1787569</p>"])
def test_the_detector_finds_live_markup(markup):
    assert live_markup(markup)


@pytest.mark.parametrize("wrap", ["{}", "Tekst {} tekst", "- {}", "# {}", "> {}", "| a |\n|---|\n| {} |", "**{}**"])
def test_each_payload_alone_through_the_markdown_renderer(wrap):
    """Packing could hide a payload inside another one (an open comment swallows the rest): each one alone."""
    problems = []
    for payload in PAYLOADS:
        html = str(render_markdown(wrap.format(payload)))
        problems += [f"{payload!r} in {wrap!r}: {finding}" for finding in live_markup(html)]
    assert not problems, "\n".join(problems)


def test_each_payload_alone_through_the_curriculum_renderer(app, synced_content):
    """Content files go through the same renderer with a resolver for relative links and images."""
    problems = []
    with app.test_request_context("/"):
        for payload in PAYLOADS:
            html = str(render_content("01-basis/01-eerste.md", payload + "\n"))
            problems += [f"{payload!r}: {finding}" for finding in live_markup(html)]
    assert not problems, "\n".join(problems)


# Names: profile, admin, organisations -------------------------------------------------------------------------

def forget_objects():
    """Drop the test's ORM objects: every request commits the test's session, which expires all it holds."""
    db.session.commit()
    db.session.expunge_all()


def test_names_and_organisations(pages, make_user, make_cohort):
    names = pack(PAYLOADS, 120)
    org_names = pack(PAYLOADS, 200)
    admin_client = pages.client(make_user(role="admin", name="Ada Admin"))
    trainer = make_user(role="trainer", name="Tom Trainer")
    trainer_client = pages.client(trainer)
    first_orgs = [(o.id, o.name) for o in (organisation(name=value) for value in org_names[:3])]
    learner_objects = [make_user(name=f"Deelnemer {i}") for i in range(len(names))]
    cohort = make_cohort(trainers=[trainer], learners=learner_objects, name="Groep met namen")
    cohort.organisation_id = first_orgs[0][0]
    # The same names as trainers and trainee actors, where other templates show those.
    cohort.trainers = [trainer] + [create_user(email=f"trainer-x{i}@example.org", name=v, password=PASSWORD,
                                               role="trainer") for i, v in enumerate(names)]
    for index, value in enumerate(names):
        create_user(email=f"acteur-x{index}@example.org", name=value, password=PASSWORD, role="actor")
    db.session.commit()
    cohort_id, session_id = cohort.id, add_session(cohort).id
    learners = [(u.id, u.email) for u in learner_objects]
    del learner_objects, cohort, trainer
    forget_objects()

    # A few learners type their own name on their profile; the admin types the others.
    for (user_id, _email), value, (org_id, org_name) in zip(learners[:3], names[:3], first_orgs, strict=True):
        client = pages.client(db.session.get(User, user_id))
        pages.submit(client, "/profile", {"name": value, "organisation_id": str(org_id)}, "profile name")
        pages.get(client, "/profile", "profile name", shows=[value, org_name])
        pages.get(client, "/", "profile name", shows=[value])
    edit = pages.form(admin_client, f"/admin/users/{learners[3][0]}", "name typed by an admin")
    for index, ((user_id, email), value) in enumerate(zip(learners[3:], names[3:], strict=True)):
        pages.post(admin_client, f"/admin/users/{user_id}", {
            **edit, "name": value, "email": email, "organisation_id": str(first_orgs[index % 3][0])},
            "name typed by an admin")
        pages.get(admin_client, f"/admin/users/{user_id}", "names", shows=[value])
    new_user = {"name": names[-1], "email": "nieuw@example.org", "role": "learner", "password": PASSWORD}
    pages.submit(admin_client, "/admin/users/new", new_user, "name of a new account")
    # The user list comes in pages of 50: every page is checked, every name is on one of them.
    listed, number, body = "", 1, 'rel="next"'
    while 'rel="next"' in body:
        body = pages.get(admin_client, f"/admin/users?page={number}", "names")
        listed, number = listed + page_text(body), number + 1
    pages.problems += [f"[names] /admin/users: not on any page as typed: {value[:90]!r}"
                       for value in names + [name for _id, name in first_orgs] if value not in listed]
    pages.get(admin_client, "/admin/users?q=" + quote(names[0][:40]), "names", shows=[names[0]])
    for (user_id, _email), value in zip(learners[:3], names[:3], strict=True):
        pages.get(admin_client, f"/admin/users/{user_id}", "names", shows=[value])

    pages.get(trainer_client, f"/cohorts/{cohort_id}", "names", shows=names + [org_names[0]])
    pages.get(trainer_client, f"/cohorts/{cohort_id}/sessions/{session_id}", "names", shows=names)
    for (user_id, _email), value in zip(learners, names, strict=True):
        pages.get(trainer_client, f"/cohorts/{cohort_id}/learners/{user_id}", "names", shows=[value])
    pages.get(trainer_client, "/cohorts/", "names")

    # Organisations are free text for admins; they show in every organisation list.
    add = pages.form(admin_client, "/admin/organisations", "organisation name")
    for value in org_names[3:]:
        pages.post(admin_client, "/admin/organisations", {**add, "name": value, "kind": "jeugdzorg"},
                   "organisation name")
    pages.get(admin_client, "/admin/organisations", "organisation name", shows=org_names)
    pages.get(pages.client(db.session.get(User, learners[0][0])), "/profile", "organisation name", shows=org_names)
    pages.get(admin_client, "/admin/users/new", "organisation name", shows=org_names)
    pages.get(admin_client, "/cohorts/new", "names", shows=names + org_names)
    pages.get(admin_client, "/cohorts/", "names")
    pages.get(trainer_client, f"/cohorts/{cohort_id}/edit", "names", shows=names + org_names)
    pages.assert_clean()


# Cohorts and sessions -------------------------------------------------------------------------------------------

def test_cohort_and_session_fields(pages, make_user):
    trainer_client, learner_client = pages.client(make_user(role="trainer")), pages.client(make_user(name="Lotte"))
    actor = make_user(role="actor", name="Alex Acteur")
    actor_id, actor_client = actor.id, pages.client(actor)
    admin_client = pages.client(make_user(role="admin"))
    org_id = organisation().id
    forget_objects()

    cohort_names = pack(PAYLOADS, 200)
    cohort_ids = []
    new_cohort = pages.form(trainer_client, "/cohorts/new", "cohort name")
    for value in cohort_names:
        response = pages.post(trainer_client, "/cohorts/new", {**new_cohort, "name": value,
                                                               "organisation_id": str(org_id), "status": "running"},
                              "cohort name")
        cohort_ids.append(location_id(response, r"/cohorts/(\d+)"))
        pages.get(trainer_client, f"/cohorts/{cohort_ids[-1]}", "cohort name", shows=[value])
        pages.get(trainer_client, f"/cohorts/{cohort_ids[-1]}/edit", "cohort name", shows=[value])
    codes = dict(db.session.execute(select(Cohort.id, Cohort.join_code)).all())
    join = pages.form(learner_client, "/join", "cohort name")
    for cohort_id, value in zip(cohort_ids, cohort_names, strict=True):
        pages.post(learner_client, "/join", {**join, "code": codes[cohort_id]}, "cohort name")
        pages.get(learner_client, "/join", "cohort name", shows=[value])  # the flash names the cohort
    pages.get(trainer_client, "/cohorts/", "cohort name", shows=cohort_names)
    pages.get(admin_client, "/cohorts/", "cohort name", shows=cohort_names)
    pages.get(learner_client, "/", "cohort name", shows=cohort_names)

    # Sessions of the first cohort: every field packed, as many sessions as the longest list needs.
    titles, locations = pack(PAYLOADS, 200), pack(PAYLOADS, 200)
    urls = pack(LINES, 500, prefix="https://example.org/?q=")
    agendas, agenda_sentinels = markdown_values(10000, "agenda")
    sketches = pack(LINES, 2000, sep="\n")
    cohort_id = cohort_ids[0]
    date = (utcnow() + timedelta(days=5)).date().isoformat()
    new_session = pages.form(trainer_client, f"/cohorts/{cohort_id}/sessions/new", "session fields")
    for index, title in enumerate(titles):
        values = {"title": title, "date": date, "start_time": "10:00", "end_time": "12:00",
                  "location": locations[index] if index < len(locations) else "",
                  "online_url": urls[index] if index < len(urls) else "",
                  "agenda": agendas[index] if index < len(agendas) else "",
                  "sketches": sketches[index] if index < len(sketches) else ""}
        response = pages.post(trainer_client, f"/cohorts/{cohort_id}/sessions/new", {**new_session, **values},
                              "session fields")
        session_id = location_id(response, r"/sessions/(\d+)")
        shown = [values[key] for key in ("title", "location", "online_url") if values[key]] \
            + ([agenda_sentinels[index]] if index < len(agendas) else []) \
            + (sketches[index].split("\n") if index < len(sketches) else [])
        base = f"/cohorts/{cohort_id}/sessions/{session_id}"
        pages.get(trainer_client, base, "session fields", shows=shown)
        pages.get(trainer_client, f"{base}/edit", "session fields", shows=shown)
        pages.get(trainer_client, f"{base}/code", "session fields", shows=[title])
        pages.get(learner_client, base, "session fields", shows=shown)
        live.book_actor(db.session.get(CohortSession, session_id), db.session.get(User, actor_id))
        forget_objects()
    pages.get(trainer_client, f"/cohorts/{cohort_id}", "session fields", shows=titles)
    pages.get(learner_client, "/", "session fields")

    # The trainee actor's availability (free text) and their bookings (the session titles).
    profile = pages.form(actor_client, "/actor/", "actor availability")
    for value in pack(PAYLOADS, 2000, sep="\n"):
        pages.post(actor_client, "/actor/", {**profile, "availability": value}, "actor availability")
        pages.get(actor_client, "/actor/", "actor availability", shows=[value] + titles)
    pages.assert_clean()


# Invitations and the CSV import --------------------------------------------------------------------------------

def test_invitation_names_csv_import_and_the_outbox(pages, app, make_user, make_cohort, outbox, tmp_path,
                                                      monkeypatch):
    from flask_mailman.backends.file import EmailBackend

    trainer = make_user(role="trainer", name="Tom Trainer")
    admin = make_user(role="admin")
    cohort_name = pack(PAYLOADS, 200)[0]
    cohort = make_cohort(trainers=[trainer], name=cohort_name)
    names = pack(PAYLOADS, 120)
    org_names = pack(PAYLOADS, 200)
    known = organisation(name=org_names[0])
    trainer_client = pages.client(trainer)

    # The invitation form, with every name.
    invite = pages.form(trainer_client, f"/cohorts/{cohort.id}/invite", "invitation name")
    for index, value in enumerate(names):
        pages.post(trainer_client, f"/cohorts/{cohort.id}/invite",
                   {**invite, "name": value, "email": f"uitgenodigd{index}@example.org"}, "invitation name")

    # The CSV upload: every name as a row, every organisation as a (refused, unknown) row, and a known one.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["naam", "e-mail", "organisatie", "skj-nummer"])
    for index, value in enumerate(names):
        writer.writerow([value, f"csv{index}@example.org", known.name if index == 0 else "", ""])
    for index, value in enumerate(org_names[1:]):
        writer.writerow(["Iemand", f"org{index}@example.org", value, ""])
    upload = f"/cohorts/{cohort.id}/upload"
    body = pages.get(trainer_client, upload, "CSV import")
    data = form_data(body)
    data["file"] = (io.BytesIO(buffer.getvalue().encode("utf-8")), "deelnemers.csv")
    response = trainer_client.post(upload, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    readable = [v for v in names + org_names if '"' not in v]  # see below: quotes are misread by the import
    preview = pages.inspect(response, trainer_client, f"POST {upload}", "CSV import", shows=readable)
    confirm = f"/cohorts/{cohort.id}/upload/confirm"
    pages._post(trainer_client, confirm, form_data(preview, confirm), "CSV import", 302)
    pages.get(trainer_client, f"/cohorts/{cohort.id}", "CSV import")
    # Every name was invited through the form; the CSV import invites the rows it could read (values with both
    # '"' and ';' are split wrongly by its CSV dialect sniffing: a parsing problem, reported, not an XSS one).
    assert len(outbox) >= 2 * len(names) - 20

    # The invitation page (for a new account) shows the name in its form, and the cohort's name.
    sent = {f"uitgenodigd{i}@example.org": v for i, v in enumerate(names)}
    sent.update({f"csv{i}@example.org": v for i, v in enumerate(names)})
    anonymous = pages.client()
    for mail in outbox:
        token = re.search(r"/invite/(\S+)", mail.body).group(1)
        invited = sent[mail.to[0]]  # (a CSV row whose name the import misread carries that misread name)
        shown = [invited] if invited in mail.body else []
        pages.get(anonymous, f"/invite/{token}", "invitation name", shows=shown + [cohort_name])

    # New people accept with the name they type themselves; the app greets them with it.
    for index, mail in enumerate(outbox[:3]):
        token, value = re.search(r"/invite/(\S+)", mail.body).group(1), names[-1 - index]
        newcomer = pages.client(who="newcomer")
        pages.submit(newcomer, f"/invite/{token}", {"name": value, "password": PASSWORD, "confirm": PASSWORD},
                     "name when accepting an invitation")
        pages.get(newcomer, "/", "name when accepting an invitation", shows=[value, cohort_name])
        pages.get(newcomer, "/profile", "name when accepting an invitation", shows=[value])

    # Beheer -> Uitgaande mail, in batches of the 50 it shows.
    admin_client = pages.client(admin)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    for start in range(0, len(outbox), 50):
        folder = tmp_path / f"outbox-{start}"
        monkeypatch.setitem(app.config, "MAIL_FILE_PATH", str(folder))
        batch = outbox[start:start + 50]
        EmailBackend(mailman=app.extensions["mailman"], file_path=str(folder)).send_messages(batch)
        shown = [sent[mail.to[0]] for mail in batch if sent[mail.to[0]] in mail.body]
        pages.get(admin_client, "/admin/outbox", "invitation mail", shows=shown)
    pages.assert_clean()


# Quizzes: open answers and the trainer's feedback -----------------------------------------------------------------

@pytest.fixture
def quiz_content(synced_content):
    write_quiz(synced_content)
    tree = load_content(synced_content.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    return synced_content


def test_open_answers_and_feedback_on_them(pages, quiz_content, make_user, make_cohort):
    trainer = make_user(role="trainer", name="Tom Trainer")
    admin = make_user(role="admin")
    answers = pack(PAYLOADS, 5000, sep="\n\n") + pack(PAYLOADS, 5000, sep=" ")
    feedbacks = pack(PAYLOADS, 5000, sep="\n")
    assert len(answers) >= len(feedbacks)
    learners = [make_user(name=f"Leerling {i}") for i in range(len(answers))]
    cohort = make_cohort(trainers=[trainer], learners=learners)
    attempts = []
    for learner, answer in zip(learners, answers, strict=True):
        client = pages.client(learner)
        pages.post(client, "/modules/basis/quiz/start", {}, "open answer")
        attempt = latest_attempt(learner)
        form = answer_form(attempt, {**PERFECT, "reflectie": answer})
        pages.post(client, f"/quiz/attempts/{attempt.id}/save", form, "open answer")
        pages.get(client, f"/quiz/attempts/{attempt.id}", "open answer", shows=[answer])
        pages.post(client, f"/quiz/attempts/{attempt.id}/submit", form, "open answer")
        pages.get(client, f"/quiz/attempts/{attempt.id}/result", "open answer", shows=[answer])
        attempts.append((client, attempt, answer))

    trainer_client, admin_client = pages.client(trainer), pages.client(admin)
    pages.get(trainer_client, "/quizzes/review", "open answer")
    for index, (client, attempt, answer) in enumerate(attempts):
        row = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id,
                                                            AttemptAnswer.question_key == "reflectie"))
        feedback = feedbacks[index % len(feedbacks)]
        pages.get(admin_client, f"/quiz/attempts/{attempt.id}/result", "open answer", shows=[answer])
        pages.submit(trainer_client, f"/quizzes/review/{row.id}", {"points": "1", "feedback": feedback},
                     "trainer feedback on an open answer", shows=[answer])
        for viewer in (client, trainer_client, admin_client):
            pages.get(viewer, f"/quiz/attempts/{attempt.id}/result", "trainer feedback on an open answer",
                      shows=[answer, feedback])
        pages.get(trainer_client, f"/cohorts/{cohort.id}/learners/{attempt.user_id}", "open answer")
    for url in ("/quizzes/", "/quizzes/review", "/quizzes/basis/results", "/quizzes/basis/statistics"):
        pages.get(trainer_client, url, "open answer")
    pages.assert_clean()


# Certification: the practice assignment and the trainer's feedback ------------------------------------------------

def test_practice_assignment_and_feedback(pages, synced_content, make_user, make_cohort):
    make_track()
    trainer = make_user(role="trainer", name="Tom Trainer")
    give_licence(trainer)
    learner = make_user(name="Lotte Leerling")
    admin = make_user(role="admin")
    cohort = make_cohort(trainers=[trainer], learners=[learner], track_slug="jimwerker")
    texts, sentinels = markdown_values(20000, "praktijk")
    feedbacks = pack(PAYLOADS, 20000, sep="\n") + pack(PAYLOADS, 20000, sep="\n\n")
    learner_client, trainer_client = pages.client(learner), pages.client(trainer)
    practice = "/certification/jimwerker/practice"

    # Text that looks like client data (an e-mail address is in the corpus) is held back and stays in the form.
    pages.submit(learner_client, practice, {"text": texts[0]}, "practice text", expect=422)
    for index, text in enumerate(texts):
        pages.submit(learner_client, practice, {"text": text, "no_client_data": "y"}, "practice text")
        assignment = db.session.scalar(select(PracticeAssignment).where(PracticeAssignment.user_id == learner.id))
        review = f"/cohorts/{cohort.id}/practice/{assignment.id}"
        pages.get(trainer_client, f"/cohorts/{cohort.id}/practice", "practice text")
        feedback = feedbacks[index % len(feedbacks)]
        if index == 0:
            pages.submit(trainer_client, review, {"decision": "returned", "feedback": feedback},
                         "practice feedback", expect=422, shows=sentinels[:index + 1])
        last = index == len(texts) - 1
        pages.submit(trainer_client, review, {"decision": "approved" if last else "returned", "feedback": feedback,
                                              "no_client_data": "y"}, "practice feedback", shows=sentinels[:index + 1])
        pages.get(learner_client, practice, "practice feedback", shows=sentinels[:index + 1] + [feedback])
        pages.get(trainer_client, review, "practice feedback", shows=sentinels[:index + 1] + [feedback])
    pages.get(learner_client, "/certification", "practice feedback")
    pages.get(trainer_client, f"/cohorts/{cohort.id}/learners/{learner.id}", "practice feedback")
    pages.get(pages.client(admin), "/admin/audit", "practice feedback")
    pages.assert_clean()


# Live role-play: rubric comments, actor feedback, self-reflection, aftercare ---------------------------------------

@pytest.fixture
def scenario_content(synced_content):
    synced_content.raw("scenarios/testscenario.yml", SCENARIO_YML)
    tree = load_content(synced_content.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    return synced_content


def test_live_roleplay_comments_and_notes(pages, scenario_content, make_user, make_cohort):
    trainer = make_user(role="trainer", name="Tom Trainer")
    professional, observer = make_user(name="Priya Professional"), make_user(name="Olle Observator")
    actor = make_user(role="actor", name="Alex Acteur")
    cohort = make_cohort(trainers=[trainer], learners=[professional, observer])
    session = add_session(cohort)
    texts = pack(PAYLOADS, 5000, sep="\n\n") + pack(PAYLOADS, 5000, sep=" ")
    clients = {"trainer": pages.client(trainer), "professional": pages.client(professional),
               "observer": pages.client(observer), "player": pages.client(actor)}
    base = f"/cohorts/{cohort.id}/sessions/{session.id}"
    pages.post(clients["trainer"], f"{base}/actors", {"actor_id": str(actor.id)}, "role-play")
    for index in range(len(texts)):
        response = pages.post(clients["trainer"], f"{base}/rounds", {
            "scenario": "testscenario", "professional_id": str(professional.id), "player_id": str(actor.id),
            "observer_ids": str(observer.id), "timer": "10"}, "role-play")
        round_id = location_id(response, r"/rounds/(\d+)")
        written: dict[str, list[str]] = {}
        for offset, role in enumerate(("trainer", "observer", "professional")):
            first, second = texts[(index + 2 * offset) % len(texts)], texts[(index + 2 * offset + 1) % len(texts)]
            pages.post(clients[role], f"/rounds/{round_id}/scores", {
                "level-regie": "3", "comment-regie": first, "level-samen": "2", "comment-samen": second},
                "rubric comment")
            written[role] = [first, second]
        note = texts[index]
        pages.post(clients["player"], f"/rounds/{round_id}/notes", {"kind": "actor_feedback", "text": note},
                   "actor feedback")
        pages.post(clients["player"], f"/rounds/{round_id}/notes", {"kind": "aftercare", "text": note},
                   "aftercare note")
        pages.post(clients["professional"], f"/rounds/{round_id}/notes", {"kind": "self_reflection", "text": note},
                   "self-reflection")
        for role, client in clients.items():
            pages.get(client, f"/rounds/{round_id}", "role-play", shows=written.get(role, []) + (
                [note] if role in ("player", "professional") else []))
        pages.get(clients["trainer"], f"/rounds/{round_id}/debrief", "role-play",
                  shows=sum(written.values(), []) + [note])
        pages.post(clients["trainer"], f"/rounds/{round_id}/release", {"outcome": "sufficient"}, "role-play")
        pages.get(clients["professional"], f"/rounds/{round_id}/debrief", "role-play",
                  shows=sum(written.values(), []) + [note])
    pages.get(clients["player"], "/actor/", "role-play")
    pages.get(clients["trainer"], base, "role-play")
    pages.get(clients["professional"], base, "role-play")
    pages.assert_clean()


# Certificates, revocation and licence reasons ----------------------------------------------------------------------

def test_certificates_revocations_and_licences(pages, synced_content, make_user, make_cohort):
    from tests.support.certification import add_sessions, complete_requirements

    track = make_track()
    names, org_names = pack(PAYLOADS, 120), pack(PAYLOADS, 200)
    orgs = [organisation(name=value) for value in org_names]
    signer = make_user(role="trainer", name=names[0])
    give_licence(signer)
    holders = [make_user(name=value, organisation_id=orgs[i % len(orgs)].id) for i, value in enumerate(names)]
    trainers = [make_user(role="trainer", name=value) for value in names[1:] + names[:1]]
    cohort = make_cohort(trainers=[signer], learners=holders[:1], track_slug="jimwerker")
    for enrollment in cohort.enrollments:
        enrollment.enrolled_at = utcnow() - timedelta(days=60)
    db.session.commit()

    # The first certificate is signed off through the page; the others are written as a sign-off would.
    complete_requirements(holders[0], add_sessions(cohort), make_user(role="actor"), signer)
    now = utcnow()
    for holder, trainer in zip(holders[1:], trainers[1:], strict=True):
        certification.create_certificate(holder, trainer, track, None, now)
    db.session.commit()
    signer_client, admin_client = pages.client(signer), pages.client(make_user(role="admin", name="Ada Admin"))
    holder_clients = [pages.client(holder) for holder in holders[:10]]
    trainer_ids = [t.id for t in trainers]
    learner_page = f"/cohorts/{cohort.id}/learners/{holders[0].id}"
    del holders, trainers, orgs, signer, cohort
    forget_objects()

    pages.get(signer_client, learner_page, "certificate", shows=[names[0]])
    pages.get(signer_client, f"{learner_page}/certificate", "certificate preview", shows=[names[0]])
    pages.post(signer_client, f"{learner_page}/certificate", {"confirm": "yes"}, "certificate")
    pages.get(signer_client, learner_page, "certificate")
    certificates = db.session.execute(select(Certificate.id, Certificate.code, Certificate.holder_name,
                                             Certificate.trainer_name, Certificate.organisation_name)
                                      .order_by(Certificate.id)).all()
    assert len(certificates) == len(names)

    anonymous = pages.client()
    reasons = pack(PAYLOADS, 2000, sep="\n")
    revoke = pages.form(admin_client, f"/admin/certificates/{certificates[0].id}", "revocation reason")
    for index, (certificate_id, code, *shown) in enumerate(certificates):
        if index < len(reasons):
            pages.post(admin_client, f"/admin/certificates/{certificate_id}", {**revoke, "reason": reasons[index]},
                       "revocation reason")
        pages.get(anonymous, f"/verify/{code}", "certificate", shows=shown)
        pages.get(admin_client, f"/admin/certificates/{certificate_id}", "revocation reason",
                  shows=shown + ([reasons[index]] if index < len(reasons) else []))
    for page in range(1, len(certificates) // 50 + 2):
        pages.get(admin_client, f"/admin/certificates?page={page}", "certificate")
    for status in ("valid", "revoked"):
        pages.get(admin_client, f"/admin/certificates?status={status}", "certificate")
    for payload in [p for p in LINES if len(p) <= 100][:60]:
        response = admin_client.get("/admin/certificates", query_string={"q": payload})
        pages.inspect(response, admin_client, "GET /admin/certificates?q=", "certificate search")
    for client, value in zip(holder_clients, names, strict=False):
        pages.get(client, "/certification", "certificate", shows=[value])

    # Licences: granted with a reason, withdrawn with a reason (one trainer each, so each withdrawal is its own).
    licence_reasons = pack(PAYLOADS, 2000, sep="\n")
    grant = pages.form(admin_client, "/admin/licences", "licence reason")
    for trainer_id, reason in zip(trainer_ids, licence_reasons, strict=False):
        pages.post(admin_client, "/admin/licences", {**grant, "user_id": str(trainer_id), "months": "12",
                                                     "reason": reason}, "licence reason")
    for trainer_id, reason in zip(trainer_ids, reversed(licence_reasons), strict=False):
        licence_id = db.session.scalar(select(TrainerLicence.id).where(TrainerLicence.user_id == trainer_id))
        pages.post(admin_client, f"/admin/licences/{licence_id}/withdraw", {"reason": reason}, "licence withdrawal")
    pages.get(admin_client, "/admin/licences", "licence reason", shows=licence_reasons + names)
    events = db.session.scalar(select(db.func.count()).select_from(certification.AuditEvent))
    for page in range(1, events // 50 + 2):
        pages.get(admin_client, f"/admin/audit?page={page}", "audit log")
    pages.get(admin_client, "/admin/audit?action=licence.granted", "audit log", shows=licence_reasons)
    pages.get(admin_client, "/admin/audit?action=licence.withdrawn", "audit log", shows=licence_reasons)
    pages.get(admin_client, "/admin/audit?action=certificate.revoked", "audit log", shows=reasons)
    pages.get(admin_client, "/admin/national", "national figures")
    pages.get(anonymous, "/progress", "national figures")
    pages.assert_clean()


# Content files: lessons, module headers, quiz and scenario texts ------------------------------------------------------

def _front_matter(fields: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000) + "---\n" + body


def _strip_refused(content_dir, relpath: str, front: dict, blocks: list[str], sep: str = "\n\n"):
    """Write a Markdown file from blocks and drop the blocks the content check refuses (broken relative links,
    pictures from outside the module). Returns (kept, refused, the check's messages)."""
    refused, messages = [], []
    header = _front_matter(front, "").count("\n")
    while True:
        content_dir.raw(relpath, _front_matter(front, sep.join(blocks) + "\n"))
        problems = [p for p in load_content(content_dir.root).problems if p.path == relpath]
        if not problems:
            return blocks, refused, messages
        messages += [p.message for p in problems]
        lines, start, keep = {p.line for p in problems}, header + 1, []
        for block in blocks:
            end = start + block.count("\n")
            (refused if any(start <= line <= end for line in lines) else keep).append(block)
            start = end + sep.count("\n")
        assert len(keep) < len(blocks), [str(p) for p in problems]
        blocks = keep


def test_content_files_lessons_quiz_and_scenario(pages, app, content_dir, monkeypatch, make_user, make_cohort):
    titles = pack(PAYLOADS, 200)
    longer = pack(PAYLOADS, 2000, sep="\n")
    fronts = []
    for index, title in enumerate(titles):
        listed = PAYLOADS[index::len(titles)]
        front = {"title": title, "summary": longer[index % len(longer)], "minutes": 10, "prerequisites": [],
                 "goals": listed, "sources": [{"title": p, "publisher": p, "date": "2020"} for p in listed]}
        folder = f"{index + 1:02d}-m{index}" if index else "01-basis"
        content_dir.raw(f"{folder}/module.md", _front_matter(front, "Introductie.\n"))
        content_dir.raw(f"{folder}/01-les.md", _front_matter({"title": title, "minutes": 5}, "Tekst.\n"))
        fronts.append(front)
    # Markdown bodies: a lesson with every payload as a block (and as a heading), one with all of them inline,
    # and the introduction of the first module.
    _blocks, refused, messages = _strip_refused(content_dir, "01-basis/02-alles.md", {"title": "Alles", "minutes": 5},
                                                ["ZINlesblokX"] + PAYLOADS + ["# " + p for p in LINES])
    _inline, refused_inline, messages_inline = _strip_refused(
        content_dir, "01-basis/03-inline.md", {"title": "Inline", "minutes": 5},
        ["ZINlesregelX"] + [p.strip() for p in LINES], sep="\n")
    _intro, refused_intro, messages_intro = _strip_refused(content_dir, "01-basis/module.md", fronts[0],
                                                           ["ZINintroX"] + PAYLOADS)

    # The quiz: every text a quiz file holds, filled with payloads.
    quiz = yaml.safe_load(QUIZ_YML.format(draw=6, max_attempts=3, time_limit="", show_answers="after_attempt"))
    quiz["title"] = titles[0]
    slots = {"question": [], "option": [], "feedback": [], "other": []}
    for question in quiz["questions"]:
        slots["question"].append((question, "text"))
        slots["feedback"].append((question, "feedback"))
        for option in question.get("options", []):
            slots["option"].append((option, "text"))
            if "feedback" in option:
                slots["feedback"].append((option, "feedback"))
        for pair in question.get("pairs", []):
            slots["other"] += [(pair, "left"), (pair, "right")]
        for item in question.get("items", []):
            slots["other"].append((item, "text"))
        if "model_answer" in question:
            slots["other"].append((question, "model_answer"))
    quiz_values = {}
    for kind, places in slots.items():
        size = max(len("\n".join(PAYLOADS)) // len(places) + 200, 200)
        values = pack(PAYLOADS, size, sep="\n\n" if kind in ("question", "feedback") else " ")
        assert len(values) <= len(places), kind
        for (target, key), value in zip(places, values, strict=False):
            target[key] = value
        quiz_values[kind] = values
    content_dir.raw("01-basis/quiz.yml", yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False, width=10_000))

    # The scenario: every text, filled with payloads.
    scenario = yaml.safe_load(SCENARIO_YML)
    plain = pack(PAYLOADS, 2000, sep=" ")
    markdown = pack(PAYLOADS, 20000, sep="\n\n")[0]
    scenario.update(title=titles[1], summary=plain[0], situation=markdown)
    texts = iter(plain * 10)
    for role in scenario["roles"]:
        role["name"], role["trainee_brief"] = titles[2], next(texts)
        for key in role.get("actor_brief", {}):
            role["actor_brief"][key] = next(texts)
    for criterion in scenario["rubric"]:
        criterion["criterion"], criterion["competence"] = titles[3], titles[4]
        criterion["levels"] = [next(texts) for _ in criterion["levels"]]
    scenario["debrief"] = {key: [next(texts)] for key in scenario["debrief"]}
    for variable in scenario["practice"]["variables"]:
        variable["label"] = titles[5]
    for node in scenario["practice"]["nodes"]:
        if "text" in node:
            node["text"] = markdown
        if "title" in node:
            node["title"] = titles[6]
        if "jimwerker" in node:
            node["jimwerker"] = next(texts)
        for choice in node.get("choices", []):
            choice["text"], choice["feedback"] = titles[7], next(texts)
    content_dir.raw("scenarios/testscenario.yml", yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False,
                                                                 width=10_000))
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems][:20]
    sync_content(tree)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    # What the content check refused (and so never reaches a page) are links and pictures that do not point into
    # the module; each of those payloads also went through the renderer alone, above.
    assert all(re.search(r"link|afbeelding", m) for m in messages + messages_inline + messages_intro), messages
    assert len(refused) + len(refused_inline) + len(refused_intro) < len(PAYLOADS)

    trainer = make_user(role="trainer", name="Tom Trainer")
    learner, actor = make_user(name="Lotte Leerling"), make_user(role="actor", name="Alex Acteur")
    cohort = make_cohort(trainers=[trainer], learners=[learner])
    learner_client, trainer_client, actor_client = pages.client(learner), pages.client(trainer), pages.client(actor)

    pages.get(learner_client, "/modules/", "module and lesson titles", shows=titles)
    pages.get(learner_client, "/", "module and lesson titles")
    for index in range(len(titles)):
        slug = "basis" if index == 0 else f"m{index}"
        pages.get(learner_client, f"/modules/{slug}", "module header", shows=[titles[index]])
        pages.get(learner_client, f"/modules/{slug}/les", "lesson title", shows=[titles[index]])
    pages.get(learner_client, "/modules/basis/alles", "lesson Markdown",
              shows=["ZINlesblokX", "{{7*7}}", "{{config}}", "${1337*1337}", "{% raw %}{{7*7}}{% endraw %}"])
    pages.get(learner_client, "/modules/basis/inline", "lesson Markdown", shows=["ZINlesregelX"])
    pages.get(learner_client, "/modules/basis", "module introduction", shows=["ZINintroX"] + fronts[0]["goals"])
    for lesson in ("alles", "inline", "les"):
        pages.get(trainer_client, f"/modules/basis/{lesson}", "lesson Markdown")

    # The quiz as the learner (questions, options, then the feedback on the result page) and the trainer.
    pages.get(learner_client, "/modules/basis/quiz", "quiz texts", shows=[titles[0]])
    pages.post(learner_client, "/modules/basis/quiz/start", {}, "quiz texts")
    attempt = latest_attempt(learner)
    pages.get(learner_client, f"/quiz/attempts/{attempt.id}", "quiz texts", shows=quiz_values["option"])
    answers = {**PERFECT, "reflectie": "Samen kijken."}
    pages.post(learner_client, f"/quiz/attempts/{attempt.id}/submit", answer_form(attempt, answers), "quiz texts")
    pages.get(learner_client, f"/quiz/attempts/{attempt.id}/result", "quiz texts")
    for url in ("/quizzes/", "/quizzes/review", "/quizzes/basis/results", "/quizzes/basis/statistics",
                f"/quiz/attempts/{attempt.id}/result"):
        pages.get(trainer_client, url, "quiz texts")
    row = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id,
                                                        AttemptAnswer.question_key == "reflectie"))
    pages.get(trainer_client, f"/quizzes/review/{row.id}", "quiz texts")

    # The scenario: list, introduction, both paths of the practice, the trainer's overview, and a live round.
    pages.get(learner_client, "/scenarios/", "scenario texts", shows=[titles[1]])
    pages.get(learner_client, "/scenarios/testscenario", "scenario texts", shows=[titles[2]])
    for path in ((0, 0), (1, 1)):
        response = pages.post(learner_client, "/scenarios/testscenario/practice", {}, "scenario texts")
        run_id = location_id(response, r"/practice/(\d+)")
        for choice in path:
            body = pages.get(learner_client, f"/practice/{run_id}", "scenario texts", shows=[titles[7]])
            node = re.search(r'name="node" value="([^"]+)"', body).group(1)
            pages.post(learner_client, f"/practice/{run_id}/choose", {"node": node, "choice": str(choice)},
                       "scenario texts")
        response = learner_client.get(f"/practice/{run_id}")
        while response.status_code == 200:  # a node left with one choice
            body = pages.inspect(response, learner_client, f"GET /practice/{run_id}", "scenario texts")
            node = re.search(r'name="node" value="([^"]+)"', body).group(1)
            pages.post(learner_client, f"/practice/{run_id}/choose", {"node": node, "choice": "0"}, "scenario texts")
            response = learner_client.get(f"/practice/{run_id}")
        pages.get(learner_client, f"/practice/{run_id}/result", "scenario texts", shows=[titles[6]])
    pages.get(trainer_client, "/scenarios/testscenario/choices", "scenario texts")
    session = add_session(cohort)
    live.book_actor(session, actor)
    response = pages.post(trainer_client, f"/cohorts/{cohort.id}/sessions/{session.id}/rounds", {
        "scenario": "testscenario", "professional_id": str(learner.id), "player_id": str(actor.id), "timer": "10"},
        "scenario texts")
    round_id = location_id(response, r"/rounds/(\d+)")
    for client in (trainer_client, learner_client, actor_client):
        pages.get(client, f"/rounds/{round_id}", "scenario texts")
    pages.post(trainer_client, f"/rounds/{round_id}/scores", {"level-regie": "3", "level-samen": "2"}, "scenario texts")
    pages.post(trainer_client, f"/rounds/{round_id}/release", {"outcome": "sufficient"}, "scenario texts")
    for client in (trainer_client, learner_client):
        pages.get(client, f"/rounds/{round_id}/debrief", "scenario texts", shows=[titles[3]])
    pages.get(trainer_client, f"/cohorts/{cohort.id}/sessions/{session.id}", "scenario texts", shows=[titles[1]])
    set_lesson_done(learner, _first_lesson(), True)
    pages.get(learner_client, "/", "module and lesson titles")
    pages.assert_clean()


def _first_lesson():
    from jimtraining.curriculum.models import Lesson

    return db.session.scalar(select(Lesson).order_by(Lesson.id))


# Request headers that are stored: the browser's User-Agent of a login -------------------------------------------

def test_user_agent_stored_with_a_login_is_inert(pages, make_user):
    """Not typed in a form, but chosen by whoever logs in, and kept with the login session."""
    admin_client = pages.client(make_user(role="admin"))
    for value in pack(LINES, 200)[:12]:
        user = make_user()
        client = pages.app.test_client()
        client.who = f"learner with User-Agent {value[:30]!r}"
        client.environ_base["HTTP_USER_AGENT"] = value
        pages.submit(client, "/login", {"email": user.email, "password": PASSWORD}, "User-Agent")
        for url in ("/", "/profile"):
            pages.get(client, url, "User-Agent")
        pages.get(admin_client, f"/admin/users/{user.id}", "User-Agent")
    pages.assert_clean()


# Template injection comes out literally ---------------------------------------------------------------------------

INJECTIONS = ["{{7*7}}", "{{ 7*7 }}", "${7*7}", "{{1337*1337}}", "{{config}}", "{% raw %}{{7*7}}{% endraw %}",
              "{{7*'7'}}", "<%= 1337*1337 %>"]


def test_template_injection_is_shown_as_text(pages, synced_content, make_user, make_cohort):
    value = " ".join(INJECTIONS)
    trainer = make_user(role="trainer", name=value)
    learner = make_user(name=value)
    cohort = make_cohort(trainers=[trainer], learners=[learner], name=value)
    session = add_session(cohort, days=3, title=value)
    session.agenda, session.location = value, value
    db.session.commit()
    for client, url in ((pages.client(learner), "/"), (pages.client(learner), "/profile"),
                        (pages.client(trainer), f"/cohorts/{cohort.id}"),
                        (pages.client(trainer), f"/cohorts/{cohort.id}/sessions/{session.id}"),
                        (pages.client(learner), f"/cohorts/{cohort.id}/sessions/{session.id}")):
        body = pages.get(client, url, "template injection", shows=[value] if "sessions" not in url else [])
        text = page_text(body)
        for injection in INJECTIONS:
            assert injection in text, (url, injection)
    pages.assert_clean()
