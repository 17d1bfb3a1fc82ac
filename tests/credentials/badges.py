"""Helpers of the Open Badges tests (not fixtures)."""

import base64
import gzip


class NetworkUsedError(AssertionError):
    """Something tried to open a network connection or look up a host name."""


def schema_errors(validator, document: dict) -> list[str]:
    """What 1EdTech's schema finds wrong with a credential, one line each (empty: valid)."""
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
            for error in validator.iter_errors(document)]


def get_credential(client, certificate) -> dict:
    response = client.get(f"/api/v1/certificates/{certificate.code}/credential")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    return response.get_json()


def status_bit(status_list: dict, index: int) -> bool:
    """Read a bit of a served BitstringStatusListCredential with nothing but the standard library: multibase
    'u' + base64url (no padding) of the GZIP-compressed bitstring, the first bit the highest of the first byte."""
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    payload = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    bits = gzip.decompress(base64.urlsafe_b64decode(payload))
    assert len(bits) * 8 == 131072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
