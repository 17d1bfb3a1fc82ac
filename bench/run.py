"""`make bench`: the platform at ten times national scale, under load, compared with a minimal page.

For each database (SQLite always; PostgreSQL too when BENCH_DATABASE_URL is set):

1. build the data set (bench/build.py, fixed seed) in the bench's own database;
2. serve the app with gunicorn (2 x cores + 1 workers) on 127.0.0.1, in bench mode (jimtraining/benchmark.py),
   with the jobs worker beside it (bench/busy_queue.py: its queue; mail goes to the file outbox);
3. load every page in turn with locust (headless, one user class per page, bench/locustfile.py), each page
   between two runs of the baseline page, and read requests/s, p50/p95/p99, errors and SQL queries per request;
   a page's ratio is taken against the baseline runs next to it (see measure_pages); the busy queue hands in
   quizzes while the worker sends a trainer's uploaded invitations, then counts the mails;
4. the concurrency check: 300 learners hand in a quiz (each one twice at the same moment, like a double click)
   while 30 trainers score a role-play round, all released at once; then the rows are counted;
5. memory: the peak RSS of the workers, and their RSS after each of three identical rounds of load.

The table is printed and written to bench/results.json, and as Markdown to bench/results.md. The run fails
(exit 1) when a page is below its share of the baseline's throughput, a request failed, or the concurrency check
found a lost or doubled row.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench.busy_queue import INVITATIONS

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.json"
BIN = Path(sys.executable).parent

#: (locust user class, request name in the results, minimum share of the baseline's requests/s).
PAGES = [
    ("Baseline", "baseline", None),
    ("LearnerDashboard", "learner dashboard", 0.5),
    ("LessonPage", "lesson page", 0.5),
    ("QuizPage", "quiz page", 0.5),
    ("AttemptPage", "attempt page", 0.6),
    ("QuizSubmit", "quiz submit", 0.5),
    ("CohortDashboard", "cohort dashboard", 0.5),
    ("TrainerWorkspace", "trainer workspace", 0.5),
    ("RoundScoring", "live round scoring", 0.5),
    ("SessionStart", "session start: attendance page", 0.5),
    ("QuizSubmitBusyQueue", "busy queue: quiz hand-in", 0.5),
    ("CertificateVerification", "certificate verification", 0.5),
    ("NationalDashboard", "national dashboard", 0.25),
]
#: Requests of a run shown under its page (no target of their own, but every one must succeed).
PARTS = {"SessionStart": ["session start: check-in", "session start: learner's session page",
                          "session start: projector code"],
         "QuizSubmitBusyQueue": [f"busy queue: {INVITATIONS} invitations sent"]}
#: What `BENCH_ONLY` can name besides the pages: the concurrency check and the memory rounds.
STEPS = ("concurrency", "memory")
#: The most a worker may cost in PSS (MiB) after the rounds of load.
PSS_TARGET_MIB = 60


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def say(message: str) -> None:
    print(message, flush=True)


# The server -------------------------------------------------------------------------------------------------

class Server:
    """gunicorn serving app:app in bench mode against one database, and the jobs worker beside it (the same
    database and queue, `jobs_url`), as `make run` serves. Mail goes to the file outbox in bench/work/instance:
    MAIL_SERVER is left out, so the bench never talks to a mail server."""

    def __init__(self, database_url: str, port: int, workers: int, jobs_url: str, jobs_queue: str = ""):
        from bench.busy_queue import JOB_THREADS

        self.url = f"http://127.0.0.1:{port}"
        self.workers = workers
        self.jobs_queue = jobs_queue or jobs_url
        instance = WORK / "instance"
        instance.mkdir(parents=True, exist_ok=True)
        self.outbox = instance / "outbox"
        env = dict(os.environ, JIM_BENCH="1", DATABASE_URL=database_url, JIM_INSTANCE_PATH=str(instance),
                   SECRET_KEY="bench-only-not-secret", JOBS_URL=jobs_url)
        for name in ("JIM_ENV", "FLASK_ENV", "MAIL_SERVER", "JOBS_IMMEDIATE"):
            env.pop(name, None)
        self.jobs_log = open(WORK / "jobs-worker.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        # Periodic tasks (reminders, retention, the sweep) are left out: they run at clock times and would make
        # one run differ from the next; the bench measures the mails that a request asks for.
        self.jobs = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", str(JOB_THREADS),
             "--no-periodic"], cwd=ROOT, env=env, stdout=self.jobs_log, stderr=subprocess.STDOUT)
        self.log = open(WORK / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
             "--log-level", "warning", "--timeout", "60", "app:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {WORK / 'gunicorn.log'}")
            if self.jobs.poll() is not None:
                raise SystemExit(f"the jobs worker stopped; see {WORK / 'jobs-worker.log'}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):  # noqa: S310 - localhost
                    pass
                if len(self.worker_pids()) >= workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 60 s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if not children.exists():
            return []
        return [int(pid) for pid in children.read_text().split()]

    def memory(self) -> dict:
        """RSS now and at its peak (VmHWM), and PSS, per worker in MiB (Linux /proc; bench/cases.py)."""
        from bench.cases import worker_memory

        return worker_memory(self.worker_pids())

    def stop(self) -> None:
        for process in (self.process, self.jobs):
            process.send_signal(signal.SIGTERM)
        for process in (self.process, self.jobs):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()
        self.jobs_log.close()


# The load -----------------------------------------------------------------------------------------------------

def run_locust(server: Server, user_class: str, seconds: int, users: int, manifest: Path, tag: str,
               extra_env: dict | None = None) -> dict:
    """One headless locust run of one user class: every user logs in and prepares, then `seconds` of load.
    Returns {"pages": {request name: figures}, "errors": [...]} (bench/locustfile.py writes it)."""
    stats_out = WORK / f"stats-{tag}-{user_class}.json"
    env = dict(os.environ, BENCH_MANIFEST=str(manifest), BENCH_STATS_OUT=str(stats_out), BENCH_SECONDS=str(seconds),
               PYTHONPATH=str(ROOT), **(extra_env or {}))
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
               "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds + 240}s",
               "--host", server.url, "--loglevel", "WARNING", "--stop-timeout", "10", user_class]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=seconds + 300)
    if not stats_out.exists():
        raise SystemExit(f"locust wrote no figures for {user_class}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    figures = json.loads(stats_out.read_text())
    if not figures["measured"]:
        raise SystemExit(f"{user_class}: the users never got ready (logins failed?): {figures['errors'][:5]}")
    return figures


def page_result(name: str, run: dict) -> dict:
    row = run["pages"].get(name)
    if row is None:
        return {"page": name, "requests": 0, "rps": 0.0, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "errors": 0, "sql_per_request": None, "max_ms": None}
    return {
        "page": name, "requests": row["requests"], "rps": round(row["rps"], 1),
        "p50_ms": row["p50_ms"], "p95_ms": row["p95_ms"], "p99_ms": row["p99_ms"], "errors": row["failures"],
        "sql_per_request": None if row["sql_per_request"] is None else round(row["sql_per_request"], 1),
        "max_ms": row.get("max_ms"),
    }


def measure_pages(server: Server, args, manifest_path: Path, tag: str, database_url: str,
                  manifest: dict) -> tuple[list[dict], list[str]]:
    """Every page (of `args.only`, when given), each between two runs of the baseline: B P1 B P2 B ... Pn B.

    A page's ratio is its requests/s over the mean of the two baseline runs next to it, so both were measured
    within the same half minute: on a shared machine the speed of the whole machine drifts by a third over a few
    minutes, which a single baseline at the start would mistake for a slow or fast page. The baseline row shows
    the mean of all its runs. The session start opens its session before its run and counts the rows after it."""
    from bench import cases

    failures: list[str] = []
    baselines: list[dict] = []

    def load(user_class: str, name: str, seconds: int | None = None, extra_env: dict | None = None) -> dict:
        run = run_locust(server, user_class, seconds or args.seconds, args.users, manifest_path,
                         f"{tag}-{len(baselines)}", extra_env)
        failures.extend(run["errors"])
        return run

    baselines.append(page_result("baseline", load("Baseline", "baseline")))
    pages = []
    for user_class, name, target in PAGES[1:]:
        if not (wanted(args, name) or wanted(args, user_class.lower())):
            continue
        seconds = None
        if user_class == "SessionStart":
            cases.open_session(database_url, manifest["session_start"])
            seconds = max(args.seconds, int(cases.CHECKIN_SECONDS) + 2)  # every learner's moment falls within
        extra_env = None
        if user_class == "QuizSubmitBusyQueue":
            invite_tag = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            extra_env = {"BENCH_INVITE_TAG": invite_tag}
        run = load(user_class, name, seconds, extra_env)
        result = page_result(name, run)
        parts = [dict(page_result(part, run), part_of=name, baseline_rps=0.0, ratio=0.0, target=None)
                 for part in PARTS.get(user_class, [])]
        if user_class == "SessionStart":
            result["checkins"] = cases.count_checkins(database_url, manifest["session_start"])
        if user_class == "QuizSubmitBusyQueue":
            result["queue"] = busy_queue_mails(server, database_url, manifest, invite_tag, args.seconds)
        baselines.append(page_result("baseline", load("Baseline", "baseline")))
        before, after = baselines[-2]["rps"], baselines[-1]["rps"]
        result["baseline_rps"] = round((before + after) / 2, 1)
        result["ratio"] = round(result["rps"] / (result["baseline_rps"] or 1.0), 2)
        result["target"] = target
        pages += [result, *parts]
        say(f"   {name:26} {result['rps']:7.1f} req/s  ({result['ratio']:.0%} of the baseline's "
            f"{result['baseline_rps']:.1f} next to it)  p95 {result['p95_ms']} ms  errors {result['errors']}")
        for part in parts:
            say(f"     {part['page']:40} {part['requests']} requests, p50 {part['p50_ms']} ms, p95 {part['p95_ms']} "
                f"ms, max {part['max_ms']} ms, errors {part['errors']}")
        if "checkins" in result:
            c = result["checkins"]
            say(f"     {c['learners']} learners, {c['rows']} attendance rows, {c['problem_count']} lost or doubled")
    baseline = _mean_of(baselines)
    baseline.update(ratio=1.0, target=None, baseline_rps=baseline["rps"], runs=[b["rps"] for b in baselines])
    say(f"   {'baseline':26} {baseline['rps']:7.1f} req/s  (mean of {len(baselines)} runs: "
        + ", ".join(f"{b['rps']:.0f}" for b in baselines) + ")")
    return [baseline, *pages], failures


def _mean_of(runs: list[dict]) -> dict:
    """One row for several runs of the same page: requests summed, rates and percentiles averaged."""
    def mean(key):
        values = [run[key] for run in runs if run[key] is not None]
        return round(sum(values) / len(values), 1) if values else None

    return {"page": runs[0]["page"], "requests": sum(run["requests"] for run in runs), "rps": mean("rps"),
            "p50_ms": mean("p50_ms"), "p95_ms": mean("p95_ms"), "p99_ms": mean("p99_ms"),
            "errors": sum(run["errors"] for run in runs), "sql_per_request": mean("sql_per_request")}


# The concurrency check --------------------------------------------------------------------------------------------

def concurrency_check(server: Server, manifest: dict, database_url: str) -> dict:
    """300 learners submit (twice each, at once) while 30 trainers score; then count the rows."""
    import requests

    from bench.forms import answer_fields

    learners = manifest["concurrency"]["learners"]
    trainers = manifest["concurrency"]["trainers"]
    password = manifest["password"]
    errors: list[str] = []
    lock = threading.Lock()
    sent_answers: dict[str, dict] = {}
    sent_levels: dict[int, dict] = {}

    def failed(message: str) -> None:
        with lock:
            errors.append(message)

    def log_in(email: str):
        http = requests.Session()
        page = http.get(server.url + "/login", timeout=60)
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = http.post(server.url + "/login", data={"email": email, "password": password, "csrf_token": token},
                           allow_redirects=False, timeout=60)
        if answer.status_code != 302:
            raise RuntimeError(f"login of {email}: HTTP {answer.status_code}")
        home = http.get(server.url + "/", timeout=60)
        return http, home.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    prepared = []  # (callable that sends the simultaneous request(s))

    def prepare_learner(entry):
        http, token = log_in(entry["email"])
        start = http.post(f"{server.url}/modules/{entry['module']}/quiz/start", data={"csrf_token": token},
                          allow_redirects=False, timeout=60)
        location = start.headers.get("Location", "")
        if start.status_code != 302 or "/quiz/attempts/" not in location:
            raise RuntimeError(f"quiz start for {entry['email']}: HTTP {start.status_code} -> {location}")
        path = location[location.index("/quiz/attempts/"):]
        fields = answer_fields(http.get(server.url + path, timeout=60).text)
        data = {name: values[0] for name, values in fields.items()}
        with lock:
            sent_answers[entry["email"]] = {"attempt": int(path.rsplit("/", 1)[1]),
                                            "questions": len({name[2:].split(":", 1)[0] for name in data})}

        def submit():
            response = http.post(f"{server.url}{path}/submit", data={"csrf_token": token, **data},
                                 allow_redirects=False, timeout=120)
            if response.status_code != 302 or "/result" not in response.headers.get("Location", ""):
                failed(f"submit {path} by {entry['email']}: HTTP {response.status_code}")
        return [submit, submit]  # the same form twice at the same moment: a double click

    def prepare_trainer(entry):
        http, token = log_in(entry["email"])
        levels = {criterion: str(1 + (index % 4)) for index, criterion in enumerate(entry["criteria"])}
        with lock:
            sent_levels[entry["round_id"]] = {"email": entry["email"], "levels": levels}

        def score():
            data = {"csrf_token": token, **{f"level-{c}": v for c, v in levels.items()}}
            response = http.post(f"{server.url}/rounds/{entry['round_id']}/scores", data=data,
                                 allow_redirects=False, timeout=120)
            if response.status_code != 302:
                failed(f"scores for round {entry['round_id']} by {entry['email']}: HTTP {response.status_code}")
        return [score]

    say(f"   logging in {len(learners)} learners and {len(trainers)} trainers, opening the attempts ...")
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=20) as pool:
        for actions in pool.map(prepare_learner, learners):
            prepared.extend(actions)
        for actions in pool.map(prepare_trainer, trainers):
            prepared.extend(actions)

    barrier = threading.Barrier(len(prepared))

    def fire(action):
        barrier.wait()
        try:
            action()
        except Exception as error:  # noqa: BLE001 - every failure is reported
            failed(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=fire, args=(action,)) for action in prepared]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    counts = count_rows(database_url, manifest, sent_answers, sent_levels)
    return {"requests_at_once": len(prepared), "seconds": round(elapsed, 1), "http_errors": errors[:20],
            "http_error_count": len(errors), **counts}


def busy_queue_mails(server: Server, database_url: str, manifest: dict, invite_tag: str, seconds: int) -> dict:
    """After the busy-queue run: wait for the queue to drain, then every invitation of the run exactly once, with
    one mail job done and one mail in the outbox (bench/busy_queue.py)."""
    from bench import busy_queue

    cohort_id = manifest["trainers"][0]["cohort_id"]
    wanted = busy_queue.addresses(invite_tag, INVITATIONS)
    waited = busy_queue.wait_for_mails(database_url, cohort_id, wanted)
    counted = busy_queue.count_mails(database_url, cohort_id, wanted, server.outbox)
    return dict(counted, waited_after_run_seconds=waited, measured_seconds=seconds, queue=server.jobs_queue)


def count_rows(database_url: str, manifest: dict, sent_answers: dict, sent_levels: dict) -> dict:
    """Exactly one handed-in attempt per learner (graded, or waiting for the trainer when an open question was
    drawn) with one answer row per question, and exactly the sent level per trainer and criterion."""
    from sqlalchemy import create_engine, text

    from jimtraining.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    problems = []
    with engine.connect() as conn:
        emails = {entry["email"]: entry["module"] for entry in manifest["concurrency"]["learners"]}
        rows = conn.execute(text(
            "SELECT u.email, a.id, a.status, a.module_slug, "
            "(SELECT count(*) FROM attempt_answer x WHERE x.attempt_id = a.id), "
            "(SELECT count(*) FROM attempt_answer x WHERE x.attempt_id = a.id AND x.response IS NOT NULL "
            "AND CAST(x.response AS TEXT) <> 'null') "
            "FROM quiz_attempt a JOIN user_account u ON u.id = a.user_id WHERE u.email IN :emails"
        ).bindparams(_expanding("emails")), {"emails": list(emails)}).all()
        by_email: dict[str, list] = {}
        for row in rows:
            by_email.setdefault(row[0], []).append(row)
        attempts = answers = 0
        for email, module in emails.items():
            mine = [row for row in by_email.get(email, []) if row[3] == module]
            attempts += len(mine)
            if len(mine) != 1:
                problems.append(f"{email}: {len(mine)} attempts on {module} (expected 1)")
                continue
            _email, attempt_id, status, _module, total, answered = mine[0]
            answers += answered
            sent = sent_answers.get(email, {})
            if status not in ("graded", "pending_review"):  # pending_review: an open question waits for the trainer
                problems.append(f"{email}: attempt {attempt_id} is {status}, not handed in")
            if answered != sent.get("questions") or total != answered:
                problems.append(f"{email}: attempt {attempt_id} has {answered} answers ({total} rows), "
                                f"{sent.get('questions')} questions were answered")
        scores = 0
        for round_id, sent in sent_levels.items():
            stored = dict(conn.execute(text(
                "SELECT s.criterion_id, s.level FROM round_score s JOIN user_account u ON u.id = s.rater_id "
                "WHERE s.round_id = :round AND u.email = :email"), {"round": round_id, "email": sent["email"]}).all())
            scores += len(stored)
            expected = {c: int(v) for c, v in sent["levels"].items()}
            if stored != expected:
                problems.append(f"round {round_id}: stored {stored}, sent {expected}")
    engine.dispose()
    return {"learners": len(emails), "attempts": attempts, "answers": answers, "trainers": len(sent_levels),
            "scores": scores, "problems": problems[:20], "problem_count": len(problems)}


def _expanding(name):
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


# One database ---------------------------------------------------------------------------------------------------

def bench_database(label: str, database_url: str, args) -> dict:
    from bench.build import build

    tag = "sqlite" if label == "SQLite" else "postgresql"
    manifest_path = WORK / f"manifest-{tag}.json"
    if args.reuse and manifest_path.exists():
        say(f"\n== {label}: the data set of an earlier run (BENCH_REUSE) ...")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    else:
        say(f"\n== {label}: building the data set (seed {args.seed}) ...")
        manifest = build(database_url, str(manifest_path), seed=args.seed)
    say(f"   {manifest['build_seconds']:.0f} s; " + ", ".join(
        f"{table} {rows:,}" for table, rows in sorted(manifest["counts"].items()) if rows >= 1000))

    from bench.busy_queue import queue_url

    workers = 2 * cores() + 1
    jobs_url, jobs_queue = queue_url(database_url, WORK)
    server = Server(database_url, args.port, workers, jobs_url, jobs_queue)
    try:
        say(f"   gunicorn: {workers} workers on {server.url}; locust: {args.users} users, {args.seconds} s per page, "
            f"each page between two runs of the baseline; jobs worker beside it, queue: {jobs_queue}")
        run_locust(server, "Baseline", 3, args.users, manifest_path, f"{tag}-warmup")
        pages, failures = measure_pages(server, args, manifest_path, tag, database_url, manifest)
        memory_after_pages = server.memory()

        concurrency = None
        if wanted(args, "concurrency"):
            say("   concurrency check: 300 learners submit twice at once, 30 trainers score ...")
            concurrency = concurrency_check(server, manifest, database_url)

        rounds = []
        if wanted(args, "memory"):
            say("   memory: three identical rounds of load ...")
            for _ in range(3):
                for user_class in ("LearnerDashboard", "LessonPage", "CohortDashboard", "NationalDashboard"):
                    run_locust(server, user_class, max(3, args.seconds // 3), args.users, manifest_path,
                               f"{tag}-mem")
                rounds.append(server.memory())
        memory = memory_figures(workers, memory_after_pages, rounds)
    finally:
        server.stop()
    return {"database": label, "build_seconds": manifest["build_seconds"], "rows": manifest["counts"],
            "workers": workers, "users": args.users, "seconds_per_page": args.seconds, "pages": pages,
            "concurrency": concurrency, "memory": memory, "failures": failures[:30]}


def wanted(args, step: str) -> bool:
    """Whether a run with BENCH_ONLY (args.only) includes `step`; a run without it includes everything."""
    parts = args.only - {"sqlite", "postgresql"}
    return not parts or any(step.startswith(part) for part in parts)


def memory_figures(workers: int, after_pages: dict, rounds: list[dict]) -> dict:
    """Peak RSS of any worker; the largest worker's RSS after each round of load (it must not keep growing); and
    PSS per worker after the last round (after the pages when the rounds were left out): what each costs."""
    last = rounds[-1] if rounds else after_pages
    pss = last.get("pss_mib") or [0.0]
    memory = {
        "workers": workers,
        "peak_rss_mib": max(r["peak_rss_mib"] for r in [after_pages, *rounds]),
        "rss_after_round_mib": [round(max(r["rss_mib"], default=0), 1) for r in rounds],
        "rss_per_worker_mib": last["rss_mib"], "pss_per_worker_mib": pss,
        "pss_max_mib": max(pss), "pss_mean_mib": round(sum(pss) / len(pss), 1), "pss_target_mib": PSS_TARGET_MIB,
    }
    if len(rounds) == 3:
        memory["growth_round2_to_3_mib"] = round(memory["rss_after_round_mib"][2] - memory["rss_after_round_mib"][1],
                                                 1)
    return memory


def table(result: dict) -> str:
    lines = [f"\n{result['database']}: {result['workers']} gunicorn workers, {result['users']} locust users, "
             f"{result['seconds_per_page']} s per page",
             f"{'page':28}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}{'SQL/req':>9}"
             f"{'base/s':>8}{'vs base':>9}{'target':>8}"]

    def ms(value):
        return "-" if value is None else f"{value:.0f}"

    for page in result["pages"]:
        name = ("  " + page["page"]) if page.get("part_of") else page["page"]
        name = name if len(name) < 28 else name[:25] + "..."
        target = "" if not page.get("target") else f">={page['target']:.0%}"
        sql = "-" if page["sql_per_request"] is None else f"{page['sql_per_request']:.1f}"
        lines.append(f"{name:28}{page['rps']:8.1f}{ms(page['p50_ms']):>8}{ms(page['p95_ms']):>8}"
                     f"{ms(page['p99_ms']):>8}{page['errors']:8d}{sql:>9}{page['baseline_rps']:8.1f}"
                     f"{page['ratio']:8.0%} {target:>7}")
    lines += summaries(result)
    return "\n".join(lines)


def summaries(result: dict) -> list[str]:
    """The session start, the concurrency check and the memory in a sentence each."""
    lines = []
    for page in result["pages"]:
        if "checkins" in page:
            c = page["checkins"]
            parts = {p["page"]: p for p in result["pages"] if p.get("part_of") == page["page"]}
            checkin = parts.get("session start: check-in", {})
            lines.append(f"Session start: {c['learners']} learners checked in within {cases_seconds()} s "
                         f"({checkin.get('requests', 0)} check-ins sent, every third one twice at once; p50 "
                         f"{checkin.get('p50_ms')} ms, p95 {checkin.get('p95_ms')} ms, slowest "
                         f"{checkin.get('max_ms')} ms, "
                         f"{checkin.get('errors', 0)} errors) while the trainer's attendance page was refreshed "
                         f"{page['rps']:.1f} times a second; {c['rows']} attendance rows, {c['problem_count']} lost "
                         "or doubled.")
        if "queue" in page:
            q = page["queue"]
            parts = [p for p in result["pages"] if p.get("part_of") == page["page"]]
            confirm = (f"saving it took {parts[0]['max_ms']} ms" if parts and parts[0]["requests"]
                       else "its answer came after the measurement ended")
            lines.append(f"Busy queue: a trainer confirmed a list of {q['invited']} people when the hand-ins began "
                         f"({confirm}); the jobs worker ({q['queue']}) sent {q['mails']} invitation mails, "
                         f"{q['drain_seconds']} s from the first invitation written to the last mail sent "
                         f"(hand-ins measured for {q['measured_seconds']} s); {q['invitations']} invitations, "
                         f"{q['jobs_done']} mail jobs done, {q['problem_count']} lost or doubled.")
    c = result["concurrency"]
    if c:
        lines.append(f"Concurrency: {c['requests_at_once']} requests released at once ({c['learners']} learners "
                     f"handing in a quiz twice, {c['trainers']} trainers scoring): {c['http_error_count']} HTTP "
                     f"errors; {c['attempts']} attempts, {c['answers']} answers and {c['scores']} scores stored; "
                     f"{c['problem_count']} lost or doubled.")
    m = result["memory"]
    line = (f"Memory: PSS per worker {m['pss_per_worker_mib']} MiB (largest {m['pss_max_mib']} MiB, target "
            f"≤ {m['pss_target_mib']} MiB), RSS {m['rss_per_worker_mib']} MiB; peak RSS of a worker "
            f"{m['peak_rss_mib']} MiB")
    if "growth_round2_to_3_mib" in m:
        line += (f"; largest RSS after three identical rounds of load {m['rss_after_round_mib']} MiB (round 2 to 3: "
                 f"{m['growth_round2_to_3_mib']:+} MiB)")
    lines.append(line + ".")
    return lines


def cases_seconds() -> str:
    from bench.cases import CHECKIN_SECONDS

    return f"{CHECKIN_SECONDS:g}"


def markdown(report: dict) -> str:
    """The results as Markdown tables, for the README (bench/results.md)."""
    machine = report["machine"]
    lines = [f"Run of {report['when'][:10]} on {machine['cores']} cores, Python {machine['python']}, "
             f"{report['seconds_total']} s in all."]
    for result in report["results"]:
        rows = result["rows"]
        progress = rows.get("lesson_progress", 0) + rows.get("attempt_answer", 0)
        lines += ["", f"**{result['database']}**: {rows.get('user_account', 0):,} accounts, {rows.get('cohort', 0):,} "
                  f"cohorts, {progress:,} progress and answer rows, {rows.get('certificate', 0):,} certificates "
                  f"(built in {result['build_seconds']:.0f} s); {result['workers']} gunicorn workers, "
                  f"{result['users']} locust users, {result['seconds_per_page']} s per page.", "",
                  "| page | req/s | p50 ms | p95 ms | p99 ms | errors | SQL/request | baseline req/s next to it "
                  "| vs baseline | target |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for page in result["pages"]:
            target = f"≥ {page['target']:.0%}" if page.get("target") else ""
            ok = "" if not page.get("target") else (" ✓" if page["ratio"] >= page["target"] else " ✗")
            if page.get("part_of"):  # a request of the run above, measured beside it: no ratio of its own
                page = dict(page, baseline_rps=None, ratio=None)
            cells = [("↳ " if page.get("part_of") else "") + page["page"], f"{page['rps']:.1f}"] + [
                "–" if page[key] is None else f"{page[key]:.0f}" for key in ("p50_ms", "p95_ms", "p99_ms")] + [
                str(page["errors"]), "–" if page["sql_per_request"] is None else f"{page['sql_per_request']:.1f}",
                "–" if page["baseline_rps"] is None else f"{page['baseline_rps']:.1f}",
                "–" if page["ratio"] is None else f"{page['ratio']:.0%}{ok}", target]
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", " ".join(summaries(result))]
    return "\n".join(lines) + "\n"


def verdict(result: dict) -> list[str]:
    problems = []
    for page in result["pages"]:
        if page["errors"]:
            problems.append(f"{result['database']}: {page['page']}: {page['errors']} failed requests")
        if page["requests"] == 0 and not page.get("part_of"):
            problems.append(f"{result['database']}: {page['page']}: no requests measured")
        if page.get("target") and page["ratio"] < page["target"]:
            problems.append(f"{result['database']}: {page['page']} reaches {page['ratio']:.0%} of the baseline "
                            f"(target {page['target']:.0%})")
        if page.get("checkins", {}).get("problem_count"):
            c = page["checkins"]
            problems.append(f"{result['database']}: session start: {c['problem_count']} lost or doubled "
                            f"attendance rows: {c['problems'][:3]}")
        if page.get("queue", {}).get("problem_count"):
            q = page["queue"]
            problems.append(f"{result['database']}: busy queue: {q['problem_count']} invitation mails lost or "
                            f"doubled: {q['problems'][:3]}")
    c = result["concurrency"]
    m = result["memory"]
    if m["pss_max_mib"] > m["pss_target_mib"]:
        problems.append(f"{result['database']}: a worker costs {m['pss_max_mib']} MiB PSS (target "
                        f"≤ {m['pss_target_mib']} MiB)")
    if c and (c["http_error_count"] or c["problem_count"]):
        problems.append(f"{result['database']}: concurrency check: {c['http_error_count']} HTTP errors, "
                        f"{c['problem_count']} lost or doubled rows: {c['http_errors'][:3]} {c['problems'][:3]}")
    return problems


def only(setting: str) -> set[str]:
    """BENCH_ONLY as a set of lower-case names ("attempt page, memory" -> {"attempt page", "memory"})."""
    return {part.strip().lower() for part in setting.split(",") if part.strip()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "12")),
                        help="load per page (default 12, BENCH_SECONDS)")
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", "10")),
                        help="simultaneous locust users per page (default 10, BENCH_USERS)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "5099")))
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""),
                        help="a part of the bench, for working on it (BENCH_ONLY): page names or user classes, "
                             "'concurrency', 'memory', 'sqlite', 'postgresql', separated by commas; results go to "
                             "bench/work/, not bench/results.*")
    parser.add_argument("--reuse", action="store_true", default=os.environ.get("BENCH_REUSE") == "1",
                        help="with BENCH_ONLY: use the data set of the last run instead of building it again "
                             "(BENCH_REUSE=1); the quiz hand-ins and the concurrency check use up attempts")
    args = parser.parse_args()
    args.only = only(args.only)
    args.reuse = args.reuse and bool(args.only)

    started = time.monotonic()
    if not args.reuse:
        shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    databases = [("SQLite", f"sqlite:///{WORK / 'bench.db'}")]
    if os.environ.get("BENCH_DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    else:
        say("BENCH_DATABASE_URL is not set: PostgreSQL is skipped (e.g. "
            "BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench; its public schema is rebuilt).")

    named = [(label, url) for label, url in databases if label.lower() in args.only]
    databases = named or databases
    results = [bench_database(label, url, args) for label, url in databases]
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": cores(), "python": platform.python_version(), "system": platform.platform()},
        "seconds_total": round(time.monotonic() - started),
        "results": results,
    }
    target = WORK / "results-partial.json" if args.only else RESULTS
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    target.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    for result in results:
        say(table(result))
    problems = [problem for result in results for problem in verdict(result)]
    say(f"\nwritten to {target.relative_to(ROOT)}; {report['seconds_total']} s in all")
    if problems:
        say("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    say("every page within its target, no errors, no lost or doubled rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
