"""`make run` serves with gunicorn and the jobs worker as one command (jimtraining/serve.py): when one of them
stops, the other is stopped too and the command ends with the first one's status."""

import sys

from jimtraining import serve


def test_when_the_web_server_stops_the_jobs_worker_is_stopped_too(monkeypatch):
    monkeypatch.setattr(serve, "commands", lambda: {
        "web": [sys.executable, "-c", "raise SystemExit(3)"],
        "jobs": [sys.executable, "-c", "import threading; threading.Event().wait()"],  # runs until stopped
    })
    started = []
    real_popen = serve.subprocess.Popen

    def popen(command):
        started.append(real_popen(command))
        return started[-1]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    # main() fills these in os.environ for its children. Set through monkeypatch (which puts back what was there,
    # also nothing), so no later test starts with a worker count: the production checks read WEB_CONCURRENCY.
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "5000")
    assert serve.main() == 3
    assert [child.poll() is not None for child in started] == [True, True]


def test_make_run_starts_gunicorn_with_its_settings_and_the_jobs_worker():
    commands = serve.commands("/srv/jim/.venv/bin/python")
    assert commands["web"] == ["/srv/jim/.venv/bin/gunicorn", "--config", "gunicorn.conf.py", "app:app"]
    assert commands["jobs"][:6] == ["/srv/jim/.venv/bin/python", "-m", "flask", "--app", "app", "jobs"]
    assert commands["jobs"][6] == "worker"


def _start_worker(app, monkeypatch, env=None):
    """`flask jobs worker` as far as starting Huey's consumer (which is replaced here); returns what os.nice was
    asked and what the worker printed."""
    from jimtraining.jobs import cli, queue

    asked, consumers = [], []

    class Consumer:
        def run(self):
            consumers.append(self)

    monkeypatch.setitem(app.config, "JOBS_IMMEDIATE", False)
    monkeypatch.setattr(queue, "configure", lambda _app: None)
    monkeypatch.setattr(queue.huey, "create_consumer", lambda **_options: Consumer())
    monkeypatch.setattr(cli.os, "nice", asked.append)
    result = app.test_cli_runner().invoke(args=["jobs", "worker"], env=env or {})
    assert result.exit_code == 0, result.output
    assert len(consumers) == 1
    return asked, result.output


def test_the_jobs_worker_lowers_its_cpu_priority_so_pages_go_first(app, monkeypatch):
    asked, output = _start_worker(app, monkeypatch)
    assert asked == [10] and "CPU priority lowered by 10" in output


def test_jobs_nice_zero_leaves_the_workers_cpu_priority_alone(app, monkeypatch):
    asked, output = _start_worker(app, monkeypatch, env={"JOBS_NICE": "0"})
    assert asked == [] and "lowered by 0" in output
