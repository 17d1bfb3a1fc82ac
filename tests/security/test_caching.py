"""Cache-Control: the pages of a logged-in person and every export are never stored by a browser or proxy cache;
public static files and the public pages of anonymous visitors keep what they have."""

from __future__ import annotations

import pytest

from jimtraining.certification.services import create_certificate
from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import CohortSession
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.support.certification import give_licence, make_track


@pytest.fixture
def sample(make_user, make_cohort):
    """A learner with a certificate from a cohort with one session, its trainer, an admin."""
    trainer, learner, admin = make_user(role="trainer"), make_user(), make_user(role="admin")
    give_licence(trainer)
    cohort = make_cohort(trainers=[trainer], learners=[learner], track_slug="jimwerker")
    start = utcnow()
    session = CohortSession(cohort_id=cohort.id, title="Bijeenkomst", starts_at=start, ends_at=start,
                            checkin_secret=new_checkin_secret())
    db.session.add(session)
    certificate = create_certificate(learner, trainer, make_track(), cohort, utcnow())
    db.session.commit()
    return {"learner": learner, "trainer": trainer, "admin": admin, "cohort": cohort.id, "session": session.id,
            "certificate": certificate.id, "code": certificate.code}


#: (who asks, path, status): every one of these must answer with Cache-Control: no-store.
NOT_STORED = [
    ("learner", "/", 200),                                          # HTML page, logged in
    ("learner", "/profile", 200),
    ("learner", "/certification", 200),
    ("learner", "/admin/users", 403),                               # error page, logged in
    ("learner", "/bestaat-niet", 404),
    ("learner", "/certification/skj.csv", 200),                     # CSV
    ("trainer", "/cohorts/{cohort}/export.csv", 200),
    ("admin", "/admin/audit.csv", 200),
    ("admin", "/admin/national.csv", 200),
    ("learner", "/cohorts/{cohort}/calendar.ics", 200),             # ICS
    ("learner", "/cohorts/{cohort}/sessions/{session}.ics", 200),
    ("learner", "/profile/export.json", 200),                       # JSON
    ("learner", "/certificates/{certificate}.pdf", 200),            # PDF
    ("trainer", "/cohorts/{cohort}", 200),
    ("admin", "/admin/certificates", 200),
    (None, "/api/v1/certificates/{code}", 200),                     # public JSON and verification page
    (None, "/verify/{code}", 200),
    (None, "/healthz", 200),
]

#: Public static files and anonymous public pages: no no-store.
MAY_BE_STORED = [
    (None, "/", 200),
    (None, "/login", 200),
    (None, "/progress", 200),
    (None, "/static/css/app.css", 200),
    ("learner", "/static/css/app.css", 200),
]


def _get(client_for, client, sample, who, path):
    asker = client_for(sample[who]) if who else client
    return asker.get(path.format(**sample))


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in (response.headers.get("Cache-Control") or "").split(",")}


@pytest.mark.parametrize(("who", "path", "status"), NOT_STORED)
def test_logged_in_pages_and_every_export_are_never_stored(client, client_for, sample, who, path, status):
    """Issue 14 item 10: authenticated pages and every export (CSV, ICS, JSON, PDF) send Cache-Control: no-store,
    so a shared computer's browser or a proxy does not keep a person's data."""
    response = _get(client_for, client, sample, who, path)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert "no-store" in _directives(response), (path, response.headers.get("Cache-Control"))


@pytest.mark.parametrize(("who", "path", "status"), MAY_BE_STORED)
def test_static_files_and_public_pages_keep_their_caching(client, client_for, sample, who, path, status):
    response = _get(client_for, client, sample, who, path)
    assert response.status_code == status
    assert "no-store" not in _directives(response), path
