"""What operators see of a running installation: a request id on every request and log line, logs as one JSON
object per line, and Prometheus metrics at /metrics for the monitoring server only.

- Request id: the `X-Request-ID` a trusted proxy sends (letters, digits, `-_.`, 8 to 64 long) or a new random one;
  it is on the response (`X-Request-ID`) and on every log line written while the request runs.
- Logs: `LOG_FORMAT=json` (the default in production) writes one JSON object per line (python-json-logger) with
  time, level, logger, message and request_id; `LOG_FORMAT=text` one readable line.
- Metrics (prometheus_client): request latency per endpoint (histogram), responses per status, throttled requests
  (HTTP 429: login, password reset, check-in and SSO limits) per endpoint, the job queue's depth, jobs that need
  an admin, and failed job tries per kind. /metrics answers only addresses in
  `METRICS_ALLOW` (default: this machine) or a request with `Authorization: Bearer <METRICS_TOKEN>`; everyone else
  gets 404, so the address gives nothing away. With several gunicorn workers set `PROMETHEUS_MULTIPROC_DIR` to an
  empty folder so that every worker's figures are added up (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import re
import time
import uuid

from flask import Flask, Response, abort, current_app, g, has_app_context, has_request_context, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pythonjsonlogger.json import JsonFormatter

#: An incoming request id is kept only when it looks like one (it ends up in logs and a response header).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
#: Latency buckets in seconds: the pages answer in milliseconds; the slow end shows trouble.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_registry = CollectorRegistry(auto_describe=True)
REQUEST_SECONDS = Histogram("jim_request_duration_seconds", "Time to answer a request, per endpoint.",
                            ["endpoint", "method"], buckets=BUCKETS, registry=_registry)
RESPONSES = Counter("jim_responses_total", "Responses sent, per HTTP status.", ["status"], registry=_registry)
THROTTLED = Counter("jim_throttled_total", "Requests refused with 429 by a throttling limit, per endpoint.",
                    ["endpoint"], registry=_registry)
#: Background jobs (jimtraining/jobs/): how many wait or run, how many need an admin, and failed tries per kind.
#: The two gauges are read from the job table when /metrics is asked (jobs registers that in BEFORE_SCRAPE).
JOB_QUEUE_DEPTH = Gauge("jim_job_queue_depth", "Jobs waiting or running.", registry=_registry,
                        multiprocess_mode="mostrecent")
JOBS_FAILED = Gauge("jim_jobs_failed", "Jobs that failed on every try or were left uncertain (see /admin/jobs).",
                    registry=_registry, multiprocess_mode="mostrecent")
JOB_FAILURES = Counter("jim_job_failures_total", "Job tries that failed, per kind of job.", ["kind"],
                       registry=_registry)
#: Callables run before /metrics answers, to bring gauges up to date (jobs/metrics.py adds one).
BEFORE_SCRAPE: list = []


class RequestIdFilter(logging.Filter):
    """Puts the running request's id (or "-") on every log record; in a background job, the id of the request
    that asked for the job (jobs/tasks.py puts it on the job's app context as `job_request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id", "-")
        else:
            record.request_id = g.get("job_request_id", "-") if has_app_context() else "-"
        return True


def log_handler(log_format: str) -> logging.Handler:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                           rename_fields={"asctime": "time", "levelname": "level",
                                                          "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(app: Flask) -> None:
    """One handler on the root logger, in the chosen format; set once per process (tests build many apps)."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "jim_handler", False)]
    if ours:
        return
    handler = log_handler(app.config["LOG_FORMAT"])
    handler.jim_handler = True
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


def _allowed_networks(setting: str) -> list:
    return [ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip()]


def metrics_problem(config) -> str | None:
    """A METRICS_ALLOW the app cannot read (create_app stops on it)."""
    try:
        _allowed_networks(config.get("METRICS_ALLOW", ""))
    except ValueError as error:
        return f"METRICS_ALLOW must list addresses or networks separated by commas ({error})."
    return None


def _may_read_metrics() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks(current_app.config["METRICS_ALLOW"]))


def metrics_body() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(_registry)


def register(app: Flask) -> None:
    configure_logging(app)

    @app.before_request
    def start_request_clock():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def count_response(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        endpoint = request.endpoint or "unknown"
        if endpoint != "metrics" and "request_started" in g:
            REQUEST_SECONDS.labels(endpoint, request.method).observe(time.perf_counter() - g.request_started)
            RESPONSES.labels(str(response.status_code)).inc()
            if response.status_code == 429:
                THROTTLED.labels(endpoint).inc()
        return response

    @app.route("/metrics", endpoint="metrics")
    def metrics():
        if not _may_read_metrics():
            abort(404)
        for update in BEFORE_SCRAPE:
            try:
                update()
            except Exception:  # noqa: BLE001 - the other series are still worth reading
                logging.getLogger(__name__).exception("metrics: %s failed", getattr(update, "__name__", update))
        return Response(metrics_body(), mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
