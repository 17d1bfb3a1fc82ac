"""Our small interface to the Open Badges library: the one module of the platform that imports openbadgeslib.

openbadgeslib (pinned, with its ``ldp`` extra: pyld) builds OB 3.0 credentials, signs and verifies W3C Data
Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite, writes Bitstring Status Lists and bakes credentials
into SVG and PNG images. Its JSON-LD contexts ship inside the package and its document loader refuses every
other address, so canonicalising never touches the network. Everything else in jimtraining.credentials talks
to these functions only, so the library can be replaced here without the rest noticing.

Every failure comes out as CredentialError, with the library's reason as its message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# openbadgeslib (with pyld and its JSON-LD contexts, some 6 MiB) is imported in the functions below, when a
# credential is signed, checked or baked: a web worker that never does that does not load it (jimtraining/serving.py).

#: Bits in a status list: the minimum of the Bitstring Status List spec, so a list does not give away how many
#: credentials were issued.
STATUS_LIST_BITS = 131072
#: The schema every credential names (credentialSchema): 1EdTech's published OB 3.0 AchievementCredential schema.
CREDENTIAL_SCHEMA = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                     "ob_v3p0_achievementcredential_schema.json")


class CredentialError(Exception):
    """A credential, key or status list that cannot be made or does not verify; the message says why."""


@dataclass(frozen=True)
class AchievementData:
    """What a credential says about the track it certifies (OB 3.0 Achievement)."""

    id: str
    name: str
    description: str
    criteria: str
    image: str
    #: OB 3.0 AchievementType: a certification is time-limited, revocable and renewable.
    kind: str = "Certification"
    tags: tuple[str, ...] = ("JIM-aanpak", "jeugdzorg")
    #: OB 3.0 creditsAvailable: the SKJ points of the accreditation, when there is one.
    credits: float | None = None
    #: OB 3.0 Alignment objects as dicts (targetName, targetUrl, targetType, targetCode, targetFramework,
    #: targetDescription): the SKJ accreditation.
    alignments: tuple[dict, ...] = ()


@dataclass(frozen=True)
class CredentialData:
    """Everything an OpenBadgeCredential of a certificate says, before it is signed."""

    id: str
    issuer_id: str
    issuer_name: str
    issuer_url: str
    holder_name: str
    achievement: AchievementData
    valid_from: datetime
    valid_until: datetime
    status_list_url: str
    status_index: int
    #: OB 3.0 creditsEarned of the holder (AchievementSubject): the SKJ points awarded, or None.
    credits_earned: float | None = None


# Keys ----------------------------------------------------------------------------------------------------------

def new_key_pair() -> tuple[bytes, str]:
    """A new Ed25519 key: (the private key as PKCS#8 PEM, the public key as a Multikey "z6Mk...")."""
    from openbadgeslib.ob3 import multikey_from_pem

    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem, multikey_from_pem(public)


def public_pem(multikey: str) -> bytes:
    """The PEM of a public Multikey (a did:key resolves offline to its own key)."""
    from openbadgeslib.errors import LibOpenBadgesException
    from openbadgeslib.ob3 import resolve_did

    try:
        return resolve_did(f"did:key:{multikey}")
    except LibOpenBadgesException as error:
        raise CredentialError(f"unusable public key: {error}") from error


def did_web(base_url: str) -> str | None:
    """The did:web identifier of an https:// address (host and path), or None for any other address."""
    from openbadgeslib.ob3 import did_web_from_url

    try:
        return did_web_from_url(base_url)
    except ValueError:
        return None


# Credentials ---------------------------------------------------------------------------------------------------

def sign_credential(data: CredentialData, private_key_pem: bytes, verification_method: str,
                    created: datetime) -> str:
    """The signed credential as the JSON text that is stored and served.

    The document is the library's OpenBadgeCredential, signed with its Data Integrity primitive (about a third of
    the time of its OB3LdpSigner, which also checks that every member is a term of the bundled contexts: our
    documents always have the same shape, and `verify_credential`, run by the tests on every shape we make, does
    that check). The proof is written as a one-item array: the 1EdTech schema wants an array there, and for the
    proof it makes no difference."""
    from openbadgeslib.errors import LibOpenBadgesException
    from openbadgeslib.ob3 import (
        IdentityObject,
        Issuer,
        OpenBadgeCredential,
        add_data_integrity_proof,
        status_entry,
    )

    achievement = data.achievement
    credential = OpenBadgeCredential(
        id=data.id,
        issuer=Issuer(id=data.issuer_id, name=data.issuer_name, url=data.issuer_url),
        recipient_id=None,
        identifiers=[IdentityObject(identity_hash=data.holder_name, identity_type="name", hashed=False)],
        achievement=_achievement(achievement),
        name=achievement.name,
        issuance_date=data.valid_from,
        expiration_date=data.valid_until,
        credential_status=[status_entry(data.status_list_url, "revocation", data.status_index)],
        credits_earned=data.credits_earned,
    )
    document = credential.to_vc()
    _alignment_types(document["credentialSubject"]["achievement"], achievement)
    try:
        signed = add_data_integrity_proof(document, private_key_pem, verification_method, created=created)
    except LibOpenBadgesException as error:
        raise CredentialError(f"the credential could not be signed: {error}") from error
    signed["proof"] = [signed["proof"]]
    return json.dumps(signed, ensure_ascii=False, indent=2)


def achievement_document(achievement: AchievementData, issuer_id: str) -> dict:
    """The Achievement on its own (served at its id), with the contexts that define its terms."""
    document = _achievement(achievement).to_dict()
    _alignment_types(document, achievement)
    document["creator"] = {"id": issuer_id, "type": ["Profile"]}
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], **document}


def _achievement(achievement: AchievementData):
    """The library's Achievement (openbadgeslib.ob3) for our achievement data."""
    from openbadgeslib.ob3 import Achievement, Alignment

    return Achievement(id=achievement.id, name=achievement.name, description=achievement.description,
                       criteria_narrative=achievement.criteria, image_url=achievement.image,
                       achievement_type=achievement.kind, tags=list(achievement.tags),
                       credits_available=achievement.credits,
                       alignments=[Alignment(target_name=item["targetName"], target_url=item["targetUrl"],
                                             target_framework=item.get("targetFramework"),
                                             target_code=item.get("targetCode"),
                                             target_description=item.get("targetDescription"))
                                   for item in achievement.alignments])


def _alignment_types(document: dict, achievement: AchievementData) -> None:
    """The library's Alignment has no targetType: add it to the achievement's alignments, in order."""
    for written, item in zip(document.get("alignment", []), achievement.alignments, strict=True):
        if item.get("targetType"):
            written["targetType"] = item["targetType"]


def parse(document) -> dict:
    """A credential given as a dict, JSON text or bytes, as a dict."""
    if isinstance(document, dict):
        return document
    try:
        parsed = json.loads(document)
    except (TypeError, ValueError) as error:
        raise CredentialError(f"not a JSON document: {error}") from error
    if not isinstance(parsed, dict):
        raise CredentialError("not a JSON object")
    return parsed


def verify_credential(document: dict, public_key_pem: bytes) -> None:
    """Check everything of an OpenBadgeCredential with the key that must have signed it: the JSON is exactly what
    its eddsa-rdfc-2022 proof signs, the proof verifies, it is an OpenBadgeCredential, and it is valid now."""
    from openbadgeslib.errors import LibOpenBadgesException
    from openbadgeslib.ob3 import OB3LdpVerifier

    try:
        OB3LdpVerifier(pubkey_pem=public_key_pem).verify(document)
    except LibOpenBadgesException as error:
        raise CredentialError(str(error)) from error


def verify_proof(document: dict, public_key_pem: bytes) -> None:
    """Check only the proof (canonical form, hash, signature); for a credential outside its validity period."""
    from openbadgeslib.errors import LibOpenBadgesException
    from openbadgeslib.ob3 import verify_data_integrity_proof

    try:
        verify_data_integrity_proof(document, public_key_pem)
    except LibOpenBadgesException as error:
        raise CredentialError(str(error)) from error


# Status lists --------------------------------------------------------------------------------------------------

def sign_status_list(issuer_id: str, url: str, revoked: list[int], private_key_pem: bytes,
                     verification_method: str, now: datetime, valid_until: datetime, ttl_ms: int) -> str:
    """A BitstringStatusListCredential (purpose: revocation) with the bits of `revoked` set, signed with a Data
    Integrity proof like the credentials, as JSON text."""
    from openbadgeslib.errors import LibOpenBadgesException
    from openbadgeslib.ob3 import add_data_integrity_proof, build_status_list_credential

    document = build_status_list_credential(issuer_id, url, "revocation", revoked, STATUS_LIST_BITS, issued=now,
                                            valid_until=valid_until, ttl=ttl_ms)
    try:
        signed = add_data_integrity_proof(document, private_key_pem, verification_method, created=now)
    except LibOpenBadgesException as error:
        raise CredentialError(f"the status list could not be signed: {error}") from error
    return json.dumps(signed, ensure_ascii=False, indent=2)


def status_bits(encoded_list: str) -> bytes:
    """The bitstring of a status list's encodedList."""
    from openbadgeslib.errors import LibOpenBadgesException
    from openbadgeslib.ob3 import decode_encoded_list

    try:
        return decode_encoded_list(encoded_list)
    except (ValueError, LibOpenBadgesException) as error:
        raise CredentialError(f"unreadable status list: {error}") from error


def bit_is_set(bits: bytes, index: int) -> bool:
    """Bit `index` of a status list, the first bit being the highest of the first byte (as the spec says)."""
    if not 0 <= index < len(bits) * 8:
        raise CredentialError(f"status list index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


# Baked images (OB 3.0, "Badge baking") ----------------------------------------------------------------------

def bake_svg(svg: bytes, credential_text: str) -> bytes:
    """The SVG with the credential in an <openbadges:credential> element."""
    from openbadgeslib import baking

    try:
        return baking.bake_svg(svg, credential_text, element=baking.SVG_ELEMENT_OB3, namespace=baking.SVG_NS_OB3,
                               as_text=True)
    except Exception as error:  # noqa: BLE001 - the XML parser's own errors
        raise CredentialError(f"the image could not be baked: {error}") from error


def bake_png(png: bytes, credential_text: str) -> bytes:
    """The PNG with the credential in an iTXt chunk with keyword "openbadgecredential"."""
    from openbadgeslib import baking

    try:
        return baking.bake_png(png, credential_text, keyword=baking.ITXT_KEYWORD_OB3)
    except Exception as error:  # noqa: BLE001 - the PNG reader's own errors
        raise CredentialError(f"the image could not be baked: {error}") from error


def unbake_svg(svg: bytes) -> str | None:
    """The credential baked into an SVG, or None."""
    from openbadgeslib import baking

    return baking.extract_svg(svg, element=baking.SVG_ELEMENT_OB3, text_fallback=True)


def unbake_png(png: bytes) -> str | None:
    """The credential baked into a PNG, or None."""
    from openbadgeslib import baking

    return baking.extract_png(png, keyword=baking.ITXT_KEYWORD_OB3)
