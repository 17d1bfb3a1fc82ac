"""Issue 19 item 3 in the Open Badge: a certificate with an SKJ accreditation carries its points (creditsAvailable
on the Achievement, creditsEarned on the holder) and an alignment to the accreditation; the credential still
validates against 1EdTech's OB 3.0 schema and its proof still verifies. Without accreditation, none of it."""

import copy

from jimtraining.certification.services import create_certificate
from jimtraining.credentials.services import verify
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.credentials.badges import get_credential, schema_errors

ACCREDITATION = {"body": "SKJ", "number": "VOORBEELD-0042", "points": 4, "contact_hours": 7.5,
                 "register_section": "Jeugd- en gezinsprofessionals", "final_test_required": True}


def accredited_certificate(track, people):
    track.accreditation = dict(ACCREDITATION)
    db.session.commit()
    certificate = create_certificate(people.anna, people.trainer, track, None, utcnow())
    db.session.commit()
    return certificate


def test_the_credential_carries_the_skj_points_and_an_alignment_and_stays_valid(client, track, people,
                                                                                 schema_validator):
    document = get_credential(client, accredited_certificate(track, people))
    assert schema_errors(schema_validator, document) == []
    assert verify(document).verified
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["creditsAvailable"] == 4
    assert document["credentialSubject"]["creditsEarned"] == 4
    [alignment] = achievement["alignment"]
    assert alignment["type"] == ["Alignment"]
    assert alignment["targetCode"] == "VOORBEELD-0042"
    assert alignment["targetType"] == "ext:SKJAccreditation"
    assert alignment["targetName"] == "SKJ-accreditatie VOORBEELD-0042"
    assert alignment["targetUrl"] == "https://skjeugd.nl/"
    assert "Jeugd- en gezinsprofessionals" in alignment["targetDescription"]


def test_changing_the_points_in_the_credential_breaks_the_proof(client, track, people):
    document = get_credential(client, accredited_certificate(track, people))
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["creditsEarned"] = 40
    assert not verify(tampered).verified


def test_a_later_edit_of_the_track_does_not_change_the_credential(client, track, people):
    certificate = accredited_certificate(track, people)
    track.accreditation = {**ACCREDITATION, "points": 9, "number": "VOORBEELD-9999"}
    db.session.commit()
    achievement = get_credential(client, certificate)["credentialSubject"]["achievement"]
    assert achievement["creditsAvailable"] == 4 and achievement["alignment"][0]["targetCode"] == "VOORBEELD-0042"


def test_a_track_without_accreditation_gives_no_credits_and_no_alignment(client, issued, schema_validator):
    document = get_credential(client, issued.valid)
    assert schema_errors(schema_validator, document) == []
    assert "creditsEarned" not in document["credentialSubject"]
    assert "creditsAvailable" not in document["credentialSubject"]["achievement"]
    assert "alignment" not in document["credentialSubject"]["achievement"]
