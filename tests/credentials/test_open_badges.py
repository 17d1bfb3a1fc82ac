"""Issue 19, item 1: every certificate is an Open Badges 3.0 credential (a W3C Verifiable Credential) signed with
an eddsa-rdfc-2022 Data Integrity proof, valid against 1EdTech's schema, revocable through a status list."""

import copy
import json

import pytest
from openbadgeslib.ob3 import add_data_integrity_proof
from sqlalchemy import delete, select

from jimtraining.certification.services import revoke_certificate
from jimtraining.credentials import engine
from jimtraining.credentials.models import BadgeCredential, SigningKey
from jimtraining.credentials.services import credential_for, verify
from jimtraining.extensions import db
from tests.credentials.badges import NetworkUsedError, get_credential, schema_errors, status_bit
from tests.support.database import count_queries


@pytest.mark.parametrize("kind", ["valid", "expired", "revoked"])
def test_every_certificate_has_a_credential_that_validates_against_the_ob3_schema(client, issued, schema_validator,
                                                                                  kind):
    certificate = getattr(issued, kind)
    document = get_credential(client, certificate)
    assert schema_errors(schema_validator, document) == []
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["issuer"]["name"] == "JIM-training" and document["issuer"]["type"] == ["Profile"]
    assert document["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert document["validUntil"] == certificate.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = document["credentialSubject"]
    assert subject["identifier"] == [{"type": "IdentityObject", "hashed": False,
                                      "identityHash": certificate.holder_name, "identityType": "name"}]
    achievement = subject["achievement"]
    assert achievement["id"] == "http://127.0.0.1:5000/achievements/jimwerker"
    assert achievement["name"] == "JIMwerker" and achievement["achievementType"] == "Certification"
    assert achievement["image"] == {"id": "http://127.0.0.1:5000/achievements/jimwerker.svg", "type": "Image"}
    [proof] = document["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof", "eddsa-rdfc-2022", "assertionMethod")
    assert proof["verificationMethod"] == "http://127.0.0.1:5000/issuer#key-1"
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert document["credentialStatus"]["statusListCredential"] == "http://127.0.0.1:5000/credentials/status/1"


def test_the_criteria_are_the_tracks_requirements_in_dutch(client, issued):
    achievement = get_credential(client, issued.valid)["credentialSubject"]["achievement"]
    criteria = achievement["criteria"]["narrative"]
    assert "Dit certificaat krijg je als je het traject 'JIMwerker' hebt afgerond:" in criteria
    assert "- Alle lessen gevolgd van de modules 'Basis', 'Verder'" in criteria
    assert "- De toetsen gehaald van de modules 'Basis'" in criteria
    assert "- Minstens 80% aanwezig bij de bijeenkomsten" in criteria
    assert "- Minstens 2 rollenspellen als professional met 'voldoende'" in criteria
    assert "- Praktijkopdracht goedgekeurd" in criteria
    assert "Het certificaat is 36 maanden geldig. Verlengen kan met het traject 'JIMwerker opfrissen'." in criteria
    assert achievement["description"] == "Voor professionals die met JIMs werken."


def test_the_proof_verifies_and_the_verdict_tells_expired_and_revoked_apart(client, issued):
    verdicts = {kind: verify(get_credential(client, certificate)) for kind, certificate in issued.all().items()}
    assert verdicts["valid"].verified and verdicts["valid"].valid
    assert verdicts["expired"].verified and verdicts["expired"].expired and not verdicts["expired"].valid
    assert verdicts["revoked"].verified and verdicts["revoked"].revoked and not verdicts["revoked"].valid
    assert not verdicts["valid"].revoked and not verdicts["expired"].revoked


def tamper(document: dict, change) -> dict:
    copied = copy.deepcopy(document)
    change(copied)
    return copied


CHANGES = {
    "holder name": lambda d: d["credentialSubject"]["identifier"][0].update(identityHash="Eva Echt"),
    "valid until": lambda d: d.update(validUntil="2099-01-01T00:00:00Z"),
    "achievement": lambda d: d["credentialSubject"]["achievement"].update(name="JIM-trainer"),
    "status bit": lambda d: d["credentialStatus"].update(statusListIndex="7"),
    "issuer name": lambda d: d["issuer"].update(name="Nep-instituut"),
}


@pytest.mark.parametrize("what", CHANGES)
def test_changing_one_field_breaks_the_proof(client, issued, what):
    document = get_credential(client, issued.valid)
    assert verify(document).verified
    verdict = verify(tamper(document, CHANGES[what]))
    assert not verdict.verified and not verdict.valid
    assert verdict.problem


def test_a_credential_signed_with_another_key_or_for_another_issuer_is_not_ours(client, issued):
    document = get_credential(client, issued.valid)
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    private_pem, _public = engine.new_key_pair()
    forged = add_data_integrity_proof(unsigned, private_pem, "http://127.0.0.1:5000/issuer#key-1")
    verdict = verify(forged)
    assert not verdict.verified and "signature mismatch" in verdict.problem
    other = tamper(document, lambda d: d["issuer"].update(id="https://elders.example/issuer"))
    assert verify(other).problem == "not issued by this platform"
    assert verify(b"not json").problem.startswith("not a JSON document")


def test_a_revoked_certificate_reads_as_revoked_in_the_status_list(client, issued):
    response = client.get("/credentials/status/1")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    status_list = response.get_json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    index = {kind: int(get_credential(client, c)["credentialStatus"]["statusListIndex"])
             for kind, c in issued.all().items()}
    assert status_bit(status_list, index["revoked"]) is True
    assert status_bit(status_list, index["valid"]) is False and status_bit(status_list, index["expired"]) is False
    # The list is a credential of the platform itself: its proof verifies with the published key.
    key = client.get("/issuer").get_json()["verificationMethod"][0]["publicKeyMultibase"]
    engine.verify_proof(status_list, engine.public_pem(key))
    assert status_list["proof"]["verificationMethod"] == "http://127.0.0.1:5000/issuer#key-1"


def test_revoking_later_sets_the_bit_and_the_stored_credential_stays_the_same(client, issued, people):
    certificate = issued.valid
    before = client.get(f"/api/v1/certificates/{certificate.code}/credential").get_data()
    index = int(json.loads(before)["credentialStatus"]["statusListIndex"])
    assert status_bit(client.get("/credentials/status/1").get_json(), index) is False
    revoke_certificate(certificate, people.admin, "Niet terecht afgetekend.")
    assert status_bit(client.get("/credentials/status/1").get_json(), index) is True
    after = client.get(f"/api/v1/certificates/{certificate.code}/credential")
    assert after.status_code == 200 and after.get_data() == before  # still served, for the wallets to check
    assert verify(after.get_json()).revoked


def test_the_credential_is_signed_once_and_served_with_one_query(client, issued):
    code = issued.valid.code
    first = client.get(f"/api/v1/certificates/{code}/credential").get_data()
    assert client.get(f"/api/v1/certificates/{code}/credential").get_data() == first
    assert count_queries(lambda: client.get(f"/api/v1/certificates/{code}/credential")) == 1
    stored = db.session.scalar(select(BadgeCredential.document).where(
        BadgeCredential.certificate_id == issued.valid.id))
    assert stored.encode() == first and credential_for(issued.valid) == json.loads(first)


def test_every_certificate_gets_its_own_random_status_bit(issued):
    rows = db.session.execute(select(BadgeCredential.status_list, BadgeCredential.status_index)).all()
    assert len(rows) == 3 and len(set(rows)) == 3
    assert all(status_list == 1 and 0 <= index < 131072 for status_list, index in rows)


@pytest.mark.parametrize("code", ["onbekend-maar-lang-genoeg-123", "kort", "<script>"])
def test_unknown_codes_get_404(client, issued, code):
    response = client.get(f"/api/v1/certificates/{code}/credential")
    assert response.status_code == 404 and response.get_json() == {"status": "unknown"}
    for extension in ("json", "svg", "png"):
        assert client.get(f"/certificates/{code}/open-badge.{extension}").status_code == 404, extension


def test_a_certificate_from_before_open_badges_gets_its_credential_from_a_job_the_first_request_asks_for(
        client, issued, runner, schema_validator):
    db.session.execute(delete(BadgeCredential))
    db.session.commit()
    first = client.get(f"/api/v1/certificates/{issued.valid.code}/credential")
    assert first.status_code == 503  # not signed inside the request; a job signs it after this one
    document = get_credential(client, issued.valid)
    assert schema_errors(schema_validator, document) == [] and verify(document).valid
    result = runner.invoke(args=["credentials", "issue-missing"])
    assert result.exit_code == 0 and "Credentials signed: 2; failed: 0." in result.output
    assert verify(get_credential(client, issued.revoked)).revoked
    assert db.session.scalar(select(db.func.count()).select_from(BadgeCredential)) == 3


def test_the_certificate_pages_link_to_the_open_badge(client, client_for, issued, people):
    code = issued.valid.code
    verify_page = client.get(f"/verify/{code}").get_data(as_text=True)
    for extension in ("json", "png", "svg"):
        assert f'href="/certificates/{code}/open-badge.{extension}"' in verify_page
    assert "Download als Open Badge:" in verify_page
    mine = client_for(people.anna).get("/certification").get_data(as_text=True)
    assert f"/certificates/{code}/open-badge.png" in mine and "Een Open Badge is een digitaal bewijs" in mine
    revoked_page = client.get(f"/verify/{issued.revoked.code}").get_data(as_text=True)
    assert "open-badge" not in revoked_page


def test_the_network_guard_itself_catches_a_fetch(no_network):
    import urllib.request

    with pytest.raises(NetworkUsedError):
        urllib.request.urlopen("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", timeout=1)
    no_network.clear()


def test_an_unknown_json_ld_context_is_refused_without_fetching_it(client, issued):
    """The library's document loader serves its bundled contexts only; a credential naming another context fails
    verification instead of being fetched (the autouse guard would fail the test on a fetch)."""
    document = get_credential(client, issued.valid)
    document["@context"].append("https://elders.example/context.json")
    verdict = verify(document)
    assert not verdict.verified and "not in the bundled allowlist" in verdict.problem


def test_keys_are_stored_encrypted_with_the_secret_key(issued):
    key = db.session.scalar(select(SigningKey))
    assert "PRIVATE KEY" not in key.private_key and key.public_key.startswith("z6Mk")


def test_erasing_the_holder_signs_the_credential_again_with_initials(client, issued, people, schema_validator):
    from jimtraining.privacy.services import ERASE_REASONS, erase_user

    certificate = issued.valid
    before = get_credential(client, certificate)
    erase_user(people.anna, people.admin, next(iter(ERASE_REASONS)))
    after = get_credential(client, certificate)
    assert after["credentialSubject"]["identifier"][0]["identityHash"] == "A. d. V."
    assert after["credentialStatus"] == before["credentialStatus"]  # the same bit: a revocation still reaches it
    assert schema_errors(schema_validator, after) == [] and verify(after).valid
    stored = db.session.scalars(select(BadgeCredential.document)).all()
    assert not any("Anna" in document for document in stored)
