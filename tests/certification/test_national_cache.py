"""The national figures are computed at most once a minute per process, and at once after a certificate."""

from datetime import timedelta

import pytest

from jimtraining.certification import stats
from jimtraining.certification.models import Certificate
from jimtraining.timeutil import utcnow
from tests.support.database import count_queries


@pytest.fixture
def cached(app):
    app.config["NATIONAL_FIGURES_CACHE_SECONDS"] = 60
    stats.forget_national_figures()
    yield
    app.config["NATIONAL_FIGURES_CACHE_SECONDS"] = 0
    stats.forget_national_figures()


def certificate(number: int, **fields) -> Certificate:
    now = utcnow()
    values = dict(number=f"JIM-2026-TEST-{number:04d}", code=f"code-{number:04d}" + "x" * 40, track_slug="jimwerker",
                  qualification="jimwerker", audience="learner", issued_at=now, expires_at=now + timedelta(days=900),
                  holder_name="L. Leerling", track_title="JIMwerker", trainer_name="T. Trainer")
    values.update(fields)
    return Certificate(**values)


def test_public_progress_page_is_served_from_the_cache_within_a_minute(client, cached):
    first = count_queries(lambda: client.get("/progress"))
    again = count_queries(lambda: client.get("/progress"))
    assert first > 0 and again == 0
    assert "elke minuut bijgewerkt" in client.get("/progress").get_data(as_text=True)


def test_cached_figures_are_recomputed_after_a_minute(app, cached, clock):
    from jimtraining.extensions import db

    with app.test_request_context():
        before = stats.current_national_figures()
        db.session.add(certificate(1))
        db.session.commit()
        assert stats.current_national_figures().issued == before.issued  # still the cached figures
        clock.shift(61)
        assert stats.current_national_figures().issued == before.issued + 1


def test_revoking_a_certificate_clears_the_cached_figures(app, cached, make_user):
    from jimtraining.certification.services import revoke_certificate
    from jimtraining.extensions import db

    admin = make_user(role="admin")
    row = certificate(2)
    db.session.add(row)
    db.session.commit()
    with app.test_request_context():
        assert stats.current_national_figures().revoked == 0
        revoke_certificate(row, admin, "Uitgegeven aan de verkeerde persoon.")
        assert stats.current_national_figures().revoked == 1


def test_no_cache_when_the_setting_is_zero(client):
    first = count_queries(lambda: client.get("/progress"))
    assert count_queries(lambda: client.get("/progress")) == first
