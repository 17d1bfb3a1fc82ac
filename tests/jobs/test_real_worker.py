"""A real jobs worker (`flask jobs worker`, Huey's consumer in its own process) against a SQLite-file queue:
killed in the middle of a mail and started again, it sends each mail exactly once (issue 20 acceptance 1)."""

import os
import select
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from jimtraining.extensions import db
from jimtraining.jobs import queue
from jimtraining.jobs.handover import dispatch
from jimtraining.jobs.models import DONE, RUNNING, UNCERTAIN
from jimtraining.jobs.sweep import sweep
from jimtraining.mailing import send_mail
from jimtraining.timeutil import utcnow
from tests.support.mail import mail_jobs

ROOT = Path(__file__).resolve().parents[2]
#: Longest wait for the worker to report a mail (it starts the app first); a failing test ends there.
PATIENCE = 60


@pytest.fixture
def file_queue(app, tmp_path):
    """The suite's queue pointed at a SQLite file instead of immediate mode, for this test."""
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    before = queue.huey.storage, queue._state["url"], queue.huey._immediate
    queue.huey.storage, queue._state["url"], queue.huey._immediate = queue.make_storage(url), url, False
    yield url
    queue.huey.storage, queue._state["url"], queue.huey._immediate = before


class Worker:
    """`flask --app tests.jobs.consumer_app jobs worker` in its own process group, reporting mails on a pipe."""

    def __init__(self, app, jobs_url, sent_dir):
        self.read_fd, write_fd = os.pipe()
        env = dict(os.environ, PYTHONPATH=str(ROOT), JIM_TEST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                   JIM_TEST_JOBS_URL=jobs_url, JIM_TEST_SENT_DIR=str(sent_dir), JIM_TEST_SIGNAL_FD=str(write_fd))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tests.jobs.consumer_app", "jobs", "worker", "--workers", "1",
             "--no-periodic"], cwd=ROOT, env=env, pass_fds=(write_fd,), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        self.buffer = b""

    def next_mail(self) -> str:
        """The subject of the next mail the worker hands to the mail server (waits for it)."""
        while b"\n" not in self.buffer:
            ready, _w, _x = select.select([self.read_fd], [], [], PATIENCE)
            assert ready, "the worker reported no mail"
            chunk = os.read(self.read_fd, 4096)
            assert chunk, "the worker stopped"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(PATIENCE)
        os.close(self.read_fd)

    def stop(self):
        os.killpg(self.process.pid, signal.SIGINT)  # Huey's graceful stop: finish the running job
        self.process.wait(PATIENCE)
        os.close(self.read_fd)


def test_a_worker_killed_in_the_middle_of_a_mail_and_started_again_sends_each_mail_exactly_once(app, file_queue,
                                                                                                 tmp_path):
    sent_dir = tmp_path / "sent"
    sent_dir.mkdir()
    for subject in ("Mail 1", "Mail 2 HANG", "Mail 3"):
        send_mail("sam@example.org", subject, "Hallo")
    db.session.commit()  # three jobs in the queue file
    first = Worker(app, file_queue, sent_dir)
    try:
        assert first.next_mail() == "Mail 1"
        assert first.next_mail() == "Mail 2 HANG"  # handed to the mail server, not yet marked sent
        assert [job.state for job in mail_jobs()] == [DONE, RUNNING, "pending"]
    finally:
        first.kill()

    # Its lease runs out: the sweep may not know whether the mail went, so it does not send it again.
    sweep(now=utcnow() + timedelta(seconds=app.config.get("JOBS_LEASE_SECONDS", 600) + 1))
    assert [job.state for job in mail_jobs()] == [DONE, UNCERTAIN, "pending"]
    dispatch([job.id for job in mail_jobs()])  # every job handed over again, as a queue may deliver twice
    send_mail("sam@example.org", "Mail 4", "Hallo")
    db.session.commit()

    second = Worker(app, file_queue, sent_dir)
    try:
        assert second.next_mail() == "Mail 3"
        assert second.next_mail() == "Mail 4"  # the last in the queue: the repeated jobs before it sent nothing
    finally:
        second.stop()
    sent = Counter(path.read_text() for path in sent_dir.iterdir())
    assert sent == {"Mail 1": 1, "Mail 2 HANG": 1, "Mail 3": 1, "Mail 4": 1}
    assert [job.state for job in mail_jobs()] == [DONE, UNCERTAIN, DONE, DONE]
