"""Tokens: the admin makes one on a page with CSRF and sees it once; only its hash is kept; it expires, can be
revoked, and every use is recorded (a log line per request, the last use at most once a minute, an audit event for
the first use each day); each token has its own rate limit."""

import logging
from datetime import timedelta

from sqlalchemy import func, select

from jimtraining.api.models import ApiToken
from jimtraining.api.tokens import hash_token
from jimtraining.certification.models import AuditEvent
from jimtraining.extensions import db
from jimtraining.timeutil import local_date, utcnow
from tests.support.client import log_in


def _form(organisation, **changes):
    data = {"organisation_id": organisation.id, "name": "HR-systeem", "scopes": ["professionals:read"],
            "expires_on": (local_date(utcnow()) + timedelta(days=90)).isoformat()}
    data.update(changes)
    return data


def test_the_admin_makes_a_token_sees_it_once_and_only_its_hash_is_stored(client, api, api_world, world):
    log_in(client, world.admin)
    page = client.submit("/admin/api-tokens", _form(api_world.org_a), page="/admin/api-tokens")
    assert page.status_code == 201
    html = page.get_data(as_text=True)
    row = db.session.scalar(select(ApiToken))
    secret = html.split('id="nieuwe-sleutel" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("jimt_") and len(secret) > 40
    assert row.token_hash == hash_token(secret) and secret not in (row.prefix, row.token_hash)
    assert secret.startswith(row.prefix)
    # The list shows only the start of it, from now on.
    again = client.get("/admin/api-tokens").get_data(as_text=True)
    assert secret not in again and row.prefix in again
    assert api.get("/api/v1/professionals", secret).status_code == 200
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.created"))
    assert created.actor_id == world.admin.id and created.details["organisation"] == api_world.org_a.name


def test_a_token_needs_a_scope_and_an_expiry_within_a_year(client, api_world, world):
    log_in(client, world.admin)
    no_scope = client.submit("/admin/api-tokens", _form(api_world.org_a, scopes=[]), page="/admin/api-tokens")
    assert no_scope.status_code == 400 and "Kies minstens één recht." in no_scope.get_data(as_text=True)
    too_long = client.submit("/admin/api-tokens", _form(
        api_world.org_a, expires_on=(local_date(utcnow()) + timedelta(days=400)).isoformat()),
        page="/admin/api-tokens")
    assert too_long.status_code == 422 and "hoogstens een jaar" in too_long.get_data(as_text=True)
    no_date = client.submit("/admin/api-tokens", _form(api_world.org_a, expires_on=""), page="/admin/api-tokens")
    assert no_date.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_the_token_page_needs_a_csrf_token(client, api_world, world):
    log_in(client, world.admin)
    response = client.post("/admin/api-tokens", data=_form(api_world.org_a))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_a_revoked_token_stops_working_at_once(client, api, api_world, world, make_token):
    token = make_token(api_world.org_a)
    assert api.get("/api/v1/organisation", token.secret).status_code == 200
    log_in(client, world.admin)
    response = client.submit(f"/admin/api-tokens/{token.row.id}/revoke", page="/admin/api-tokens")
    assert response.status_code == 302
    assert api.get("/api/v1/organisation", token.secret).status_code == 401
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.revoked")).actor_id \
        == world.admin.id


def test_a_token_stops_working_when_it_expires(api, api_world, make_token, clock):
    token = make_token(api_world.org_a)
    assert api.get("/api/v1/organisation", token.secret).status_code == 200
    clock.shift(timedelta(days=31))
    assert api.get("/api/v1/organisation", token.secret).status_code == 401


def test_every_use_is_logged_but_the_database_is_written_at_most_once_a_minute(api, api_world, make_token, clock,
                                                                               caplog):
    token = make_token(api_world.org_a)
    caplog.set_level(logging.INFO, logger="jimtraining.api.audit")
    for _ in range(3):
        api.get("/api/v1/cohorts", token.secret)
    api.get("/api/v1/national", make_token(api_world.org_a, scopes=["cohorts:read"]).secret)  # refused: 403
    lines = [r.getMessage() for r in caplog.records if r.name == "jimtraining.api.audit"]
    assert len(lines) == 4 and all("/api/v1/" in line for line in lines)
    assert lines[0].endswith("-> 200") and lines[-1].endswith("-> 403")
    db.session.refresh(token.row)
    first_use = token.row.last_used_at
    assert first_use is not None

    def used_events():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "api_token.used", AuditEvent.object_id == token.row.id))

    assert used_events() == 1
    clock.shift(timedelta(seconds=30))
    api.get("/api/v1/cohorts", token.secret)
    db.session.refresh(token.row)
    assert token.row.last_used_at == first_use  # within the minute: not written
    clock.shift(timedelta(minutes=2))
    api.get("/api/v1/cohorts", token.secret)
    db.session.refresh(token.row)
    assert token.row.last_used_at > first_use and used_events() == 1  # the same day: no second event
    clock.shift(timedelta(days=1))
    api.get("/api/v1/cohorts", token.secret)
    assert used_events() == 2


def test_each_token_has_its_own_rate_limit_answered_with_429_and_retry_after(app, api, api_world, make_token,
                                                                             shared_limiter, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    busy, other = make_token(api_world.org_a), make_token(api_world.org_a)
    assert [api.get("/api/v1/organisation", busy.secret).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = api.get("/api/v1/organisation", busy.secret)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert api.get("/api/v1/organisation", other.secret).status_code == 200
