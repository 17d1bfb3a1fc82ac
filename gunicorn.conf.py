"""gunicorn's settings for JIM-training (read by gunicorn from the working directory: `gunicorn app:app`).

Workers: WEB_CONCURRENCY, else 2 x cores + 1. The count is put back into WEB_CONCURRENCY so that the app knows it:
in production with more than one worker the app refuses to start with per-worker throttling counts (memory://),
and `on_starting` below refuses it too when `--workers` on the command line overrides this file.

The app is loaded once, in the master process, and the workers are forked from it (`preload_app`), so they share
the memory of what it loaded (jimtraining/serving.py: what is loaded before the fork, and what each worker opens
for itself after it). GUNICORN_PRELOAD=0 loads the app in every worker instead.
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
os.environ["WEB_CONCURRENCY"] = str(workers)
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
# The app's own JSON lines carry the request id; gunicorn's access log would only repeat them without it.
accesslog = None
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# These processes only serve web requests: the app leaves out the `flask db` and other commands (and Alembic).
# gunicorn puts raw_env in the environment before it loads the app; this file itself changes nothing when read.
raw_env = [f"JIM_WEB_ONLY={os.environ.get('JIM_WEB_ONLY', '1')}"]


def on_starting(server):
    """Stop before any worker starts when the throttling store cannot be shared between the workers."""
    from jimtraining.config import is_production, shared_throttling_problem

    count = server.cfg.workers
    storage = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    if is_production() and count > 1 and storage.startswith("memory"):
        raise SystemExit(shared_throttling_problem(count))
    os.environ["WEB_CONCURRENCY"] = str(count)


def _flask_app(server):
    """The app the master loaded (preload_app), or None when every worker loads its own."""
    if not server.cfg.preload_app:
        return None
    return server.app.wsgi()


def when_ready(server):
    """Before the first worker is forked: load what the workers share, close the master's database connections."""
    app = _flask_app(server)
    if app is not None:
        from jimtraining import serving

        serving.before_fork(app)


def post_fork(server, worker):
    """In each new worker: database connections of its own."""
    app = _flask_app(server)
    if app is not None:
        from jimtraining import serving

        serving.after_fork(app)


def child_exit(server, worker):
    from jimtraining import serving

    serving.worker_ended(worker.pid)
