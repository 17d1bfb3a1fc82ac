"""Absolute links on certificates and in certificate mails start with BASE_URL, never with the Host header."""

import io

import pytest
import segno
from PIL import Image, ImageChops
from pypdf import PdfReader
from sqlalchemy import select

from jimtraining.certification.models import Certificate
from jimtraining.certification.services import create_certificate
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.support.certification import complete

BASE_URL = "https://jim.example.nl"


@pytest.fixture
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    return BASE_URL


def test_the_certificate_mail_links_to_base_url_whatever_host_the_trainer_request_named(
        client_with_host, login, world, outbox, base_url):
    """Issue 14 item 5: the mail about a new certificate links to BASE_URL, not to the request's Host header."""
    complete(world, world.learner)
    client = client_with_host("evil.example")
    login(client, world.trainer)
    response = client.submit(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}/certificate",
                             {"confirm": "yes"})
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate))
    body = outbox[0].body
    assert f"{BASE_URL}/certification" in body
    assert f"{BASE_URL}/verify/{certificate.code}" in body
    assert "evil.example" not in body


def test_the_certificate_pdf_prints_and_encodes_the_verification_link_on_base_url(
        client_with_host, login, world, base_url):
    """Issue 14 item 5: the PDF's printed URL and its QR code point at BASE_URL, also when the request came in
    under another name (a forged Host header, or the internal address behind a proxy)."""
    certificate = create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    client = client_with_host("10.0.0.7:8000")
    login(client, world.learner)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    expected = f"{BASE_URL}/verify/{certificate.code}"
    assert expected in " ".join(page.extract_text().split())
    qr = io.BytesIO()
    segno.make(expected, error="m", boost_error=False, micro=False).save(qr, kind="png", scale=10, border=4)
    qr.seek(0)
    got = page.images[0].image.convert("L")
    want = Image.open(qr).convert("L")
    assert got.size == want.size and ImageChops.difference(got, want).getbbox() is None, \
        "the QR code does not encode the verification link on BASE_URL"
