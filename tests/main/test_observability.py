"""Operations (issue 20 items 3 and 5): request ids, JSON logs, /metrics for the monitoring server only, and no
per-worker throttling counts in production with several workers."""

from __future__ import annotations

import io
import json
import logging
import os
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from jimtraining.config import settings_problems
from jimtraining.observability import log_handler

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]

    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-4f1c2e9a77"}).headers["X-Request-ID"]
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>x</script>"}).headers["X-Request-ID"]

    assert kept == "lb-4f1c2e9a77"
    assert replaced != "<script>x</script>" and len(replaced) == 32


def test_json_log_lines_are_one_object_each_with_the_request_id(app):
    stream = io.StringIO()
    handler = log_handler("json")
    handler.setStream(stream)
    logger = logging.getLogger("jimtraining.test-json")
    logger.addHandler(handler)
    try:
        with app.test_request_context("/", headers={"X-Request-ID": "req-12345678"}):
            app.preprocess_request()
            logger.warning("een regel\nmet een nieuwe regel erin")
        logger.warning("buiten een verzoek")
    finally:
        logger.removeHandler(handler)

    lines = stream.getvalue().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert len(lines) == 2
    assert first["request_id"] == "req-12345678" and first["level"] == "WARNING"
    assert first["message"] == "een regel\nmet een nieuwe regel erin" and first["logger"] == "jimtraining.test-json"
    assert second["request_id"] == "-"


def test_metrics_show_latency_per_endpoint_and_responses_per_status(client):
    client.get("/healthz")

    response = client.get("/metrics")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'jim_request_duration_seconds_count{endpoint="main.healthz",method="GET"}' in body
    assert 'jim_responses_total{status="200"}' in body


def test_metrics_are_refused_to_other_addresses(client):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404


def test_metrics_with_the_token_from_anywhere_and_not_with_a_wrong_one(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token-for-prometheus")

    right = client.get("/metrics", environ_base=OUTSIDE,
                       headers={"Authorization": "Bearer s3cret-token-for-prometheus"})
    wrong = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer guess"})

    assert right.status_code == 200 and wrong.status_code == 404


def test_metrics_allow_networks(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOW", "10.0.0.0/8, 203.0.113.0/24")

    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed


def _throttled_logins(body: str) -> float:
    for line in body.splitlines():
        if line.startswith('jim_throttled_total{endpoint="accounts.login"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_throttled_logins_are_counted(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "2 per minute")
    before = _throttled_logins(client.get("/metrics").get_data(as_text=True))
    statuses = [client.submit("/login", {"email": "niemand@example.org", "password": "fout"}, page="/login")
                .status_code for _ in range(3)]

    after = _throttled_logins(client.get("/metrics").get_data(as_text=True))

    assert statuses[-1] == 429
    assert after == before + 1


PRODUCTION = {"PRODUCTION": True, "BASE_URL": "https://jim.example.nl", "SECRET_KEY": "x" * 40,
              "METRICS_ALLOW": "127.0.0.1"}


def test_production_with_several_workers_refuses_per_worker_throttling():
    problems = settings_problems({**PRODUCTION, "WORKERS": 3, "RATELIMIT_STORAGE_URI": "memory://"})

    assert len(problems) == 1 and problems[0].startswith("RATELIMIT_STORAGE_URI must name a shared store")


@pytest.mark.parametrize("settings", [
    {"WORKERS": 1, "RATELIMIT_STORAGE_URI": "memory://"},
    {"WORKERS": 4, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"},
], ids=["one worker", "shared store"])
def test_production_starts_with_one_worker_or_a_shared_store(settings):
    assert settings_problems({**PRODUCTION, **settings}) == []


def test_an_unreadable_metrics_allow_list_stops_the_app():
    problems = settings_problems({"METRICS_ALLOW": "127.0.0.1, not-an-address"})

    assert problems and problems[0].startswith("METRICS_ALLOW must list addresses or networks")


def _gunicorn_on_starting():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["on_starting"]


def test_gunicorn_refuses_several_workers_without_a_shared_store_in_production(monkeypatch):
    monkeypatch.setenv("JIM_ENV", "production")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    on_starting = _gunicorn_on_starting()

    with pytest.raises(SystemExit, match="RATELIMIT_STORAGE_URI"):
        on_starting(SimpleNamespace(cfg=SimpleNamespace(workers=5)))


def test_gunicorn_tells_the_app_how_many_workers_run(monkeypatch):
    monkeypatch.setenv("JIM_ENV", "production")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    on_starting = _gunicorn_on_starting()

    on_starting(SimpleNamespace(cfg=SimpleNamespace(workers=5)))

    assert os.environ["WEB_CONCURRENCY"] == "5"
