"""The load of `make bench`: one locust user class per measured page (bench/run.py starts one class at a time).

Accounts come from the manifest the data builder wrote (BENCH_MANIFEST). Every user first logs in and prepares
what it needs (quiz attempts to hand in); when all users are ready the statistics are reset, and for BENCH_SECONDS
every user requests its page without pause. So logins and preparation are never part of a page's figures.

A response counts as an error unless it is exactly what a person would get: the page itself (200 and a piece of
its content), or for a form the redirect to the page that follows a success. Each response carries X-SQL-Queries
(bench mode). When the run stops, the figures per page are written to BENCH_STATS_OUT as JSON.
"""

import itertools
import json
import os
import random
import re
from collections import defaultdict

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser

from bench.cases import CHECKIN_SECONDS
from bench.forms import answer_fields

MANIFEST = json.loads(open(os.environ["BENCH_MANIFEST"], encoding="utf-8").read())
PASSWORD = MANIFEST["password"]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: The message of a form that was not accepted (templates/_forms.html, flash messages).
PAGE_ERROR = re.compile(r'class="(?:error|flash flash-error)"[^>]*>([^<]+)<')
#: Per page: [requests seen, SQL statements in them].
QUERIES: dict[str, list[int]] = defaultdict(lambda: [0, 0])

_counters: dict[str, itertools.count] = defaultdict(itertools.count)


def take(pool: str, items: list):
    """The next account of a pool: every user of a run gets its own (gevent runs one greenlet at a time)."""
    return items[next(_counters[pool]) % len(items)]


def count_queries(name: str, response) -> None:
    value = response.headers.get("X-SQL-Queries")
    if value is not None:
        QUERIES[name][0] += 1
        QUERIES[name][1] += int(value)


SECONDS = int(os.environ.get("BENCH_SECONDS", "12"))
ALL_READY = Event()
_ready = {"users": 0}


def user_ready(environment) -> None:
    """Count a user that has logged in and prepared; the last one starts the measurement."""
    _ready["users"] += 1
    if _ready["users"] >= environment.parsed_options.num_users and not ALL_READY.is_set():
        environment.stats.reset_all()
        QUERIES.clear()
        ALL_READY.set()
        gevent.spawn_later(SECONDS, environment.runner.quit)


@events.quitting.add_listener
def _write_stats(environment, **_kwargs):
    target = os.environ.get("BENCH_STATS_OUT")
    if not target:
        return
    pages = {}
    for (name, _method), entry in environment.stats.entries.items():
        if name == "login" or not entry.num_requests:
            continue
        queries = QUERIES.get(name, [0, 0])
        pages[name] = {
            "requests": entry.num_requests, "failures": entry.num_failures, "rps": entry.total_rps,
            "p50_ms": entry.get_response_time_percentile(0.50), "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99), "max_ms": round(entry.max_response_time),
            "sql_per_request": queries[1] / queries[0] if queries[0] else None,
        }
    errors = [f"{error.name}: {error.error} ({error.occurrences}x)" for error in environment.stats.errors.values()]
    with open(target, "w", encoding="utf-8") as fh:
        json.dump({"measured": ALL_READY.is_set(), "pages": pages, "errors": errors}, fh)


class BenchUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    pool = "browsers"
    account: dict | str = ""
    csrf_token = ""

    def on_start(self):
        self.csrf_token = self.log_in(self.client, take(self.pool, self.accounts()))
        self.prepare()
        user_ready(self.environment)
        ALL_READY.wait()

    def accounts(self) -> list:
        return MANIFEST[self.pool]

    def prepare(self) -> None:
        """What a user needs before the measurement starts (nothing for most pages)."""

    def log_in(self, client, account) -> str:
        """Log `client` in as `account`; returns the CSRF token of the new session."""
        self.account = account
        email = account if isinstance(account, str) else account["email"]
        with client.get("/login", name="login", catch_response=True) as page:
            token = CSRF.search(page.text or "")
            if not token:
                page.failure("no csrf token on the login page")
                return ""
        with client.post("/login", name="login", allow_redirects=False, catch_response=True,
                         data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}) as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {email} refused: HTTP {answer.status_code}")
                return ""
        with client.get("/", name="login", catch_response=True) as home:
            token = CSRF.search(home.text or "")
            if not token:
                home.failure("no csrf token after login")
                return ""
            return token.group(1)

    def page(self, name: str, url: str, marker: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            count_queries(name, response)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif marker not in (response.text or ""):
                response.failure(f"the page lacks {marker!r}")

    def form(self, name: str, url: str, data: dict, expect: str, client=None, token=None):
        """POST a form; success is the redirect to a URL containing `expect`. Returns the Location."""
        client = client or self.client
        with client.post(url, name=name, data={"csrf_token": token or self.csrf_token, **data},
                         allow_redirects=False, catch_response=True) as response:
            count_queries(name, response)
            location = response.headers.get("Location", "")
            if response.status_code != 302 or expect not in location:
                said = PAGE_ERROR.search(response.text or "") if response.status_code == 200 else None
                response.failure(f"HTTP {response.status_code} to {location!r}, expected a redirect to *{expect}*"
                                 + (f" (the page says: {said.group(1).strip()[:120]})" if said else ""))
                return None
            return location


class Baseline(BenchUser):
    """The yardstick: 20 rows from one table in the base template, logged in as a learner."""

    @task
    def baseline(self):
        self.page("baseline", "/bench/baseline", "<table")


class LearnerDashboard(BenchUser):
    @task
    def dashboard(self):
        self.page("learner dashboard", "/", 'class="site-header"')


class LessonPage(BenchUser):
    @task
    def lesson(self):
        self.page("lesson page", self.account["lesson"], "<article")


class QuizPage(BenchUser):
    @task
    def quiz(self):
        self.page("quiz page", self.account["quiz"], "<h1")


class QuizSubmit(BenchUser):
    """Hand in quiz attempts. Before the measurement every user logs in as several learners (a session each),
    starts an attempt on each of their open modules and reads the questions, until it holds SUBMITS attempts;
    during it, it only hands them in. Every user holds the same number, so all of them hand in at full speed
    until the end (a user that ran out would leave the others to carry the load, and fewer users mean fewer
    requests per second)."""

    pool = "submitters"
    request_name = "quiz submit"
    #: The quiz hand-in takes the first half of the submitters, the busy-queue case the second: both find their
    #: modules open in one run of the whole bench.
    HALF = 0
    #: Attempts per user: several seconds of hand-ins at full speed.
    SUBMITS = int(os.environ.get("BENCH_SUBMITS_PER_USER", "80"))

    def prepare(self):
        self.ready: list[tuple] = []
        client, token, account = self.client, self.csrf_token, self.account
        while True:
            for module in account["modules"]:
                if len(self.ready) >= self.SUBMITS:
                    return
                location = self.form("login", f"/modules/{module}/quiz/start", {}, "/quiz/attempts/", client, token)
                if location is None:
                    continue
                path = location[location.index("/quiz/attempts/"):]
                with client.get(path, name="login") as response:
                    fields = answer_fields(response.text or "")
                self.ready.append((client, token, path, {name: values[0] for name, values in fields.items()}))
            account = take(self.pool, self.accounts())
            client = FastHttpSession(self.host, self.environment.events.request, self)
            token = self.log_in(client, account)

    def accounts(self) -> list:
        pool = MANIFEST[self.pool]
        return pool[:len(pool) // 2] if self.HALF == 0 else pool[len(pool) // 2:]

    @task
    def submit(self):
        if not self.ready:
            raise StopUser()
        client, token, path, data = self.ready.pop()
        self.form(self.request_name, f"{path}/submit", data, "/result", client, token)


#: The trainer's confirmation of the uploaded list: (HTTP session, form fields), prepared before the measurement.
UPLOAD: dict = {}
PAYLOAD = re.compile(r'name="payload" value="([^"]+)"')


class QuizSubmitBusyQueue(QuizSubmit):
    """The quiz hand-in while the job queue is busy (bench/busy_queue.py): before the measurement a trainer of the
    first group in the manifest uploads a list of BENCH_INVITATIONS new people (the check and preview); when the
    measurement starts the trainer confirms it, which writes the invitations and their mails as jobs, and the jobs
    worker sends them while every user hands in quizzes. The confirmation is shown under the page."""

    request_name = "busy queue: quiz hand-in"
    HALF = 1

    def prepare(self):
        if not next(_counters["busy-queue-trainer"]):
            self._upload()
        super().prepare()

    def _upload(self):
        from bench.busy_queue import INVITATIONS, invitation_csv

        trainer = MANIFEST["trainers"][0]
        client = FastHttpSession(self.host, self.environment.events.request, self)
        learner = self.account
        token = self.log_in(client, trainer)
        self.account = learner  # this user hands in as its own learner; the trainer only has the extra session
        boundary = "bench-busy-queue-boundary"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deelnemers.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode() + invitation_csv(os.environ["BENCH_INVITE_TAG"]) + (
            f"\r\n--{boundary}--\r\n").encode()
        path = f"/cohorts/{trainer['cohort_id']}/upload"
        with client.post(path, name="login", data=body, catch_response=True,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}) as preview:
            payload = PAYLOAD.search(preview.text or "")
            if preview.status_code != 200 or not payload:
                preview.failure(f"no preview of the uploaded list: HTTP {preview.status_code}")
                return
        UPLOAD.update(client=client, path=f"{path}/confirm", data={"payload": payload.group(1)}, token=token,
                      expect=f"/cohorts/{trainer['cohort_id']}", name=f"busy queue: {INVITATIONS} invitations sent")
        gevent.spawn(self._confirm)

    def _confirm(self):
        ALL_READY.wait()
        with UPLOAD["client"].post(UPLOAD["path"], name=UPLOAD["name"], allow_redirects=False, catch_response=True,
                                   data={"csrf_token": UPLOAD["token"], **UPLOAD["data"]}) as response:
            count_queries(UPLOAD["name"], response)
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.endswith(UPLOAD["expect"]):  # not back to the upload
                response.failure(f"HTTP {response.status_code} to {location!r}, expected the group's page")


class CohortDashboard(BenchUser):
    pool = "trainers"

    @task
    def cohort(self):
        self.page("cohort dashboard", f"/cohorts/{self.account['cohort_id']}", "<table")


class TrainerWorkspace(BenchUser):
    """The start page of a trainer: today's sessions, what waits for them, their running groups with progress."""

    pool = "trainers"

    @task
    def workspace(self):
        self.page("trainer workspace", "/", 'id="wacht-kop"')


class RoundScoring(BenchUser):
    """A trainer scores a live role-play round on a phone: every rubric criterion, again and again."""

    pool = "trainers"

    @task
    def score(self):
        round_ = random.choice(self.account["rounds"])
        data = {f"level-{criterion}": str(random.randint(1, 4)) for criterion in round_["criteria"]}
        self.form("live round scoring", f"/rounds/{round_['id']}/scores", data, f"/rounds/{round_['id']}")


class CertificateVerification(BenchUser):
    """Anyone checks a certificate: no login."""

    def on_start(self):
        user_ready(self.environment)
        ALL_READY.wait()

    @task
    def verify(self):
        code = random.choice(MANIFEST["certificate_codes"])
        self.page("certificate verification", f"/verify/{code}", "JIM-")


class NationalDashboard(BenchUser):
    pool = "admin"

    def accounts(self) -> list:
        return [MANIFEST["admin"]]

    @task
    def national(self):
        self.page("national dashboard", "/admin/national", "<svg")


class AttemptPage(BenchUser):
    """The page a learner answers a quiz on (six questions, with what they saved so far). Every user opens an
    attempt of its own before the measurement (starting resumes the open one, so a second run reads the same)."""

    pool = "answerers"

    def prepare(self):
        module = self.account["module"]
        location = self.form("login", f"/modules/{module}/quiz/start", {}, "/quiz/attempts/")
        self.path = location[location.index("/quiz/attempts/"):] if location else None

    @task
    def attempt(self):
        if self.path is None:
            raise StopUser()
        self.page("attempt page", self.path, 'name="q-')


#: Learners of the session-start case: (HTTP session, CSRF token, email), logged in before the measurement.
CHECKIN_LEARNERS: list[tuple] = []
#: Every DOUBLE_TAP-th learner sends the code twice at the same moment (a double tap on a phone).
DOUBLE_TAP = 3
PROJECTOR_CODE = re.compile(r'class="projector-code"[^>]*>\s*(\d{3})(?:&#8239;|\s|\u202f)*(\d{3})\s*<')


class SessionStart(BenchUser):
    """A session starts: the group's learners (30) check in with the code on the projector within CHECKIN_SECONDS,
    each at its own moment (the learner's session page, then the code; every third one taps twice at once), while
    the trainer's attendance page is refreshed without pause (every locust user is a browser of the group's
    trainer). bench/run.py opens the session just before and counts the attendance rows afterwards."""

    pool = "session_start"

    def accounts(self) -> list:
        return [MANIFEST["session_start"]["trainer"]]

    @property
    def session_path(self) -> str:
        entry = MANIFEST["session_start"]
        return f"/cohorts/{entry['cohort_id']}/sessions/{entry['session_id']}"

    def prepare(self):
        if next(_counters["session-start-learners"]):
            return
        trainer = self.account
        for email in MANIFEST["session_start"]["learners"]:
            client = FastHttpSession(self.host, self.environment.events.request, self)
            CHECKIN_LEARNERS.append((client, self.log_in(client, email), email))
        self.account = trainer
        gevent.spawn(self._learners_arrive)

    def _learners_arrive(self):
        ALL_READY.wait()
        with self.client.get(self.session_path + "/code", name="session start: projector code",
                             catch_response=True) as projector:
            found = PROJECTOR_CODE.search(projector.text or "")
            if not found:
                projector.failure("no check-in code on the projector page")
                return
        code = found.group(1) + found.group(2)
        step = CHECKIN_SECONDS / max(1, len(CHECKIN_LEARNERS))
        for index, (client, token, _email) in enumerate(CHECKIN_LEARNERS):
            gevent.spawn_later(index * step, self._check_in, client, token, code, index % DOUBLE_TAP == 0)

    def _check_in(self, client, token, code, double_tap):
        self.page_of(client, "session start: learner's session page", self.session_path, 'name="code"')
        clients = [client]
        if double_tap:  # the same phone, the same cookies, a second connection: both requests leave at once
            twin = FastHttpSession(self.host, self.environment.events.request, self)
            for cookie in client.cookiejar:
                twin.cookiejar.set_cookie(cookie)
            clients.append(twin)
        taps = [gevent.spawn(self.form, "session start: check-in", self.session_path, {"code": code},
                             self.session_path, each, token) for each in clients]
        gevent.joinall(taps)

    def page_of(self, client, name: str, url: str, marker: str):
        with client.get(url, name=name, catch_response=True) as response:
            count_queries(name, response)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif marker not in (response.text or ""):
                response.failure(f"the page lacks {marker!r}")

    @task
    def attendance(self):
        self.page("session start: attendance page", self.session_path + "/attendance", 'id="deelnemers"')
