"""The tool's RSA keys: made on first need, rotated by `flask lti rotate-keys`, published at /lti/jwks.json.

Where they live: in the database (lti_tool_key), the private key encrypted. Every app server and worker of the
national installation reads the same keys without copying files between them, a restore from a backup brings them
back with the platforms that trust them, and a copy of the database alone does not give the private key away: it is
encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived (HKDF-SHA256) from SECRET_KEY, which is never
in the database. Changing SECRET_KEY therefore makes the private keys unreadable: run `flask lti rotate-keys` after
it (the tool then signs with a new key; the public keys stay published, so nothing else breaks).

Rotation keeps two keys: the new one signs, the previous one stays published until the next rotation, so a platform
that cached the old key set still verifies what it receives while it fetches the new one.
"""

from __future__ import annotations

import base64
import json
import logging

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from jwcrypto.jwk import JWK
from sqlalchemy import delete, select, update

from jimtraining.extensions import db
from jimtraining.lti.models import LtiToolKey
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

KEY_BITS = 2048
_HKDF_INFO = b"jimtraining lti tool key"


class KeyUnreadableError(Exception):
    """The private key cannot be decrypted with this SECRET_KEY: run `flask lti rotate-keys`."""


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode("utf-8") if isinstance(secret, str) else secret
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def _new_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private_pem, public_pem


def public_jwk(public_pem: str) -> dict:
    """The public key as a JSON Web Key with kid (its thumbprint), alg RS256 and use sig."""
    jwk = JWK.from_pem(public_pem.encode())
    data = json.loads(jwk.export_public())
    data.update(kid=jwk.thumbprint(), alg="RS256", use="sig")
    return data


def _make_key() -> LtiToolKey:
    private_pem, public_pem = _new_pair()
    row = LtiToolKey(kid=public_jwk(public_pem)["kid"], public_pem=public_pem,
                     private_pem_encrypted=_fernet().encrypt(private_pem.encode()).decode())
    db.session.add(row)
    return row


def current_key() -> LtiToolKey | None:
    """The key that signs now (None before the first platform was registered)."""
    return db.session.scalar(select(LtiToolKey).where(LtiToolKey.retired_at.is_(None))
                             .order_by(LtiToolKey.id.desc()).limit(1))


def ensure_key() -> LtiToolKey:
    """The key that signs, made when there is none yet (commits)."""
    key = current_key()
    if key is None:
        key = _make_key()
        db.session.commit()
        log.info("LTI tool key made: kid=%s", key.kid)
    return key


def rotate_keys() -> LtiToolKey:
    """A new signing key; the current one stays published as the previous one, older ones go (commits)."""
    now = utcnow()
    db.session.execute(delete(LtiToolKey).where(LtiToolKey.retired_at.is_not(None)))
    db.session.execute(update(LtiToolKey).where(LtiToolKey.retired_at.is_(None)).values(retired_at=now))
    key = _make_key()
    db.session.commit()
    log.info("LTI tool keys rotated: new kid=%s", key.kid)
    return key


def private_pem(key: LtiToolKey) -> str:
    try:
        return _fernet().decrypt(key.private_pem_encrypted.encode()).decode()
    except InvalidToken as error:
        raise KeyUnreadableError("the LTI private key cannot be read with this SECRET_KEY: run "
                                 "`flask lti rotate-keys`") from error


def published_keys() -> list[LtiToolKey]:
    """The current key and the previous one (during a change), newest first."""
    return list(db.session.scalars(select(LtiToolKey).order_by(LtiToolKey.id.desc()).limit(2)))


def jwks() -> dict:
    """The JSON Web Key Set the platforms fetch."""
    return {"keys": [public_jwk(key.public_pem) for key in published_keys()]}
