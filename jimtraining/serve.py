"""`python -m jimtraining.serve` (what `make run` ends with): the app served by gunicorn (gunicorn.conf.py, a few
workers, http://127.0.0.1:$PORT) and the jobs worker (`flask --app app jobs worker`) beside it, as one command.

Ctrl-C (or SIGTERM) stops both; when one of them stops by itself, the other is stopped too and the exit status
is that of the one that stopped first, so a supervisor (systemd, a container runtime) sees the failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

#: gunicorn's workers when WEB_CONCURRENCY is not set: a few, whatever the number of cores.
DEFAULT_WEB_WORKERS = "3"
#: Threads of the jobs worker when JOBS_WORKERS is not set.
DEFAULT_JOB_WORKERS = "2"


def commands(python: str = sys.executable) -> dict[str, list[str]]:
    bin_dir = os.path.dirname(python)
    return {
        "web": [os.path.join(bin_dir, "gunicorn"), "--config", "gunicorn.conf.py", "app:app"],
        "jobs": [python, "-m", "flask", "--app", "app", "jobs", "worker", "--workers",
                 os.environ.get("JOBS_WORKERS", DEFAULT_JOB_WORKERS)],
    }


def main() -> int:
    os.environ.setdefault("WEB_CONCURRENCY", DEFAULT_WEB_WORKERS)
    os.environ.setdefault("PORT", "5000")
    children = {name: subprocess.Popen(command) for name, command in commands().items()}
    print(f"JIM-training: http://127.0.0.1:{os.environ['PORT']} (gunicorn, {os.environ['WEB_CONCURRENCY']} "
          "workers) and the jobs worker. Stop with Ctrl-C.", flush=True)
    stopping = {"signal": None}

    def stop(signum, _frame):
        stopping["signal"] = signum

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _supervise(children, stopping)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _supervise(children: dict, stopping: dict) -> int:
    status = 0
    while stopping["signal"] is None:
        ended = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
        if ended:
            name, status = ended[0]
            print(f"JIM-training: the {name} process stopped (status {status}); stopping the other.", flush=True)
            break
        time.sleep(0.5)  # polling two children; signals wake this loop up at once
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM if stopping["signal"] != signal.SIGINT else signal.SIGINT)
    for child in children.values():
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
