"""Issue 19, item 1, acceptance: every certificate of the demo has a credential that validates against the OB 3.0
schema and verifies; the revoked one reads as revoked through the status list, the expired one as expired."""

import pytest
from sqlalchemy import select

from jimtraining.certification.models import Certificate
from jimtraining.credentials.services import verify
from jimtraining.extensions import db
from tests.credentials.badges import get_credential, schema_errors, status_bit


@pytest.fixture
def demo(app):
    """The demo data on the real curriculum (modules/ with its tracks)."""
    from jimtraining.content_tree import load_content, sync_content
    from jimtraining.demo import seed_demo

    tree = load_content(app.config["MODULES_DIR"])
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    seed_demo()


def test_every_demo_certificate_has_a_valid_verifiable_credential(demo, client, schema_validator):
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert len(certificates) >= 40
    status_list = client.get("/credentials/status/1").get_json()
    seen = {"valid": 0, "expired": 0, "revoked": 0}
    for certificate in certificates:
        document = get_credential(client, certificate)
        assert schema_errors(schema_validator, document) == [], certificate.number
        verdict = verify(document)
        assert verdict.verified, (certificate.number, verdict.problem)
        status = certificate.status()
        seen[status] += 1
        assert verdict.revoked == (status == "revoked") == status_bit(
            status_list, int(document["credentialStatus"]["statusListIndex"]))
        assert verdict.expired == (status == "expired")
        assert document["credentialSubject"]["achievement"]["name"] == certificate.track_title
    assert all(seen.values()), seen  # the demo has valid, expired and revoked certificates
    achievement = client.get("/achievements/jimwerker").get_json()
    assert ("Alle lessen gevolgd van de modules 'Wat is JIM en waarom werkt het?', 'Een JIM vinden'"
            in achievement["criteria"]["narrative"])


def test_the_demo_shows_an_skj_accreditation_only_as_a_marked_example(demo, client):
    """Issue 19 item 3: the demo's accredited group is marked VOORBEELD; certificates outside it name none."""
    certificates = db.session.scalars(select(Certificate)).all()
    accredited = [c for c in certificates if c.accreditation]
    assert accredited and all(c.accreditation["number"].startswith("VOORBEELD-") for c in accredited)
    assert all(c.cohort_id is not None for c in accredited)
    document = get_credential(client, accredited[0])
    assert document["credentialSubject"]["achievement"]["alignment"][0]["targetCode"].startswith("VOORBEELD-")
