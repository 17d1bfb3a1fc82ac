"""Issue 19, item 1: the issuer is did:web on an https BASE_URL (or its profile address without one); keys are made
and rotated from the command line, and a rotation leaves every credential already issued verifiable."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from jimtraining.certification.services import create_certificate
from jimtraining.credentials.models import BadgeCredential, SigningKey
from jimtraining.credentials.services import verify
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.credentials.badges import get_credential
from tests.support.mail import run_waiting_jobs


def sign_off(people, track, who="anna", days_ago=1):
    certificate = create_certificate(getattr(people, who), people.trainer, track, None,
                                     utcnow() - timedelta(days=days_ago))
    db.session.commit()
    return certificate


def test_keys_are_made_and_rotated_from_the_command_line_and_old_credentials_keep_verifying(client, runner, track,
                                                                                          people):
    made = runner.invoke(args=["credentials", "generate-key"])
    assert made.exit_code == 0 and "Signing key made: http://127.0.0.1:5000/issuer#key-1" in made.output
    again = runner.invoke(args=["credentials", "generate-key"])
    assert again.exit_code == 0 and "nothing made" in again.output
    old = get_credential(client, sign_off(people, track, "anna"))
    assert old["proof"][0]["verificationMethod"].endswith("#key-1")

    rotated = runner.invoke(args=["credentials", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    assert "New signing key: http://127.0.0.1:5000/issuer#key-2" in rotated.output
    assert "Retired (still published, signs nothing new): http://127.0.0.1:5000/issuer#key-1" in rotated.output
    new = get_credential(client, sign_off(people, track, "bram"))
    assert new["proof"][0]["verificationMethod"].endswith("#key-2")

    assert verify(old).valid and verify(new).valid
    profile = client.get("/issuer").get_json()
    assert [m["id"] for m in profile["verificationMethod"]] == ["http://127.0.0.1:5000/issuer#key-1",
                                                               "http://127.0.0.1:5000/issuer#key-2"]
    assert profile["assertionMethod"] == [m["id"] for m in profile["verificationMethod"]]
    listing = runner.invoke(args=["credentials", "keys"]).output
    assert "#key-1" in listing and "retired" in listing and "#key-2" in listing and "signs new credentials" in listing
    # The status list is signed with the new key; the old credential's bit is still read from it.
    assert client.get("/credentials/status/1").get_json()["proof"]["verificationMethod"].endswith("#key-2")


def test_the_first_certificate_makes_the_first_key_when_none_was_made(track, people):
    assert db.session.scalar(select(SigningKey)) is None
    sign_off(people, track)
    assert [k.number for k in db.session.scalars(select(SigningKey))] == [1]


def test_a_changed_secret_key_stops_signing_but_not_the_certificate_until_the_key_is_rotated(
        app, client, runner, track, people, monkeypatch, caplog):
    # migrations/env.py (logging.config.fileConfig) switches off the loggers that exist when the test database is
    # built; the app's own log is not switched off outside the tests.
    monkeypatch.setattr(logging.getLogger("jimtraining.credentials.issuing"), "disabled", False)
    runner.invoke(args=["credentials", "generate-key"])
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-for-this-test-only")
    certificate = sign_off(people, track)  # signed off all the same: the badge is not there yet (its job failed)
    assert db.session.scalar(select(BadgeCredential).where(BadgeCredential.certificate_id == certificate.id)) is None
    assert "cannot be decrypted with this SECRET_KEY" in caplog.text
    response = client.get(f"/certificates/{certificate.code}/open-badge.json")
    assert response.status_code == 503 and "Het certificaat zelf is in orde" in response.get_data(as_text=True)
    assert client.get(f"/api/v1/certificates/{certificate.code}/credential").get_json() == {"status": "unavailable"}
    assert runner.invoke(args=["credentials", "rotate-key"]).exit_code == 0
    run_waiting_jobs()  # the job's next try, after its retry delay, signs it with the new key
    assert verify(get_credential(client, certificate)).valid


@pytest.mark.parametrize("base_url, did, served, not_served", [
    ("https://jim.example.nl", "did:web:jim.example.nl", "/.well-known/did.json", "/did.json"),
    ("https://example.nl/jim", "did:web:example.nl:jim", "/did.json", "/.well-known/did.json"),
    ("https://jim.example.nl:8443", "did:web:jim.example.nl%3A8443", "/.well-known/did.json", "/did.json"),
])
def test_the_issuer_is_did_web_on_an_https_base_url(app, client, track, people, monkeypatch, base_url, did, served,
                                                    not_served):
    monkeypatch.setitem(app.config, "BASE_URL", base_url)
    document = get_credential(client, sign_off(people, track))
    assert document["issuer"]["id"] == did and document["issuer"]["url"] == base_url + "/"
    assert document["proof"][0]["verificationMethod"] == f"{did}#key-1"
    assert document["id"].startswith(f"{base_url}/api/v1/certificates/")
    did_document = client.get(served)
    assert did_document.status_code == 200 and did_document.headers["Access-Control-Allow-Origin"] == "*"
    body = did_document.get_json()
    assert body["id"] == did and body["assertionMethod"] == [f"{did}#key-1"]
    assert body["verificationMethod"][0]["type"] == "Multikey"
    assert client.get(not_served).status_code == 404
    assert verify(document).valid
    assert client.get("/issuer").get_json()["id"] == did


def test_a_did_web_resolver_finds_the_signing_key_where_the_did_says(app, client, track, people, monkeypatch):
    """The library's own did:web resolution (as a wallet would do it), with its HTTPS download replaced by the test
    client: the DID names the address of its document, and that document holds the key that signed."""
    from openbadgeslib.ob3 import OB3LdpVerifier

    monkeypatch.setitem(app.config, "BASE_URL", "https://example.nl/jim")
    document = get_credential(client, sign_off(people, track))
    fetched = []

    def download(url):
        fetched.append(url)
        assert url.startswith("https://example.nl/jim/")
        return client.get(url.removeprefix("https://example.nl/jim")).get_data()

    OB3LdpVerifier.for_issuer_did("did:web:example.nl:jim").verify(document, download=download)
    assert fetched == ["https://example.nl/jim/did.json"]


def test_without_an_https_base_url_there_is_no_did_document(client, issued):
    assert client.get("/.well-known/did.json").status_code == 404
    assert client.get("/did.json").status_code == 404
