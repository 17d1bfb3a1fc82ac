"""The platform's Ed25519 signing keys: made, rotated and read.

Where the private keys live: in the database (signing_key.private_key), encrypted with Fernet under a key derived
from SECRET_KEY (HKDF-SHA256). Not in instance/: every app server and worker reads the same database, so they
all sign with the same key and publish the same list; the keys are in the database backups together with the
credentials they signed; and a copy of the database alone (a backup, a dump for a bug report) cannot sign
anything without SECRET_KEY, which lives in the environment. Never in the repository.

When SECRET_KEY changes, the old private keys can no longer be read: `flask credentials rotate-key` then makes a
new one. Public keys are stored in the clear, so every credential ever signed keeps verifying.

Every function takes a SQLAlchemy connection, so the same code runs from the command line, a request, or while a
certificate is being written (issuing.py).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import func, insert, select, update

from jimtraining.credentials.engine import CredentialError, new_key_pair
from jimtraining.credentials.models import SigningKey

KEYS = SigningKey.__table__
#: Labels the key derived from SECRET_KEY, so it is used for nothing else.
_KDF_INFO = b"jimtraining.credentials signing keys v1"


@dataclass(frozen=True)
class PublishedKey:
    """A public key as the issuer profile and the DID document publish it."""

    number: int
    public_key: str
    created_at: datetime
    retired_at: datetime | None

    @property
    def fragment(self) -> str:
        return f"key-{self.number}"


@dataclass(frozen=True)
class SigningMaterial:
    number: int
    private_key_pem: bytes

    @property
    def fragment(self) -> str:
        return f"key-{self.number}"


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode("utf-8") if isinstance(secret, str) else secret
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def published_keys(connection) -> list[PublishedKey]:
    """Every key ever made, oldest first (retired keys too: what they signed must keep verifying)."""
    rows = connection.execute(select(KEYS.c.number, KEYS.c.public_key, KEYS.c.created_at, KEYS.c.retired_at)
                              .order_by(KEYS.c.number)).all()
    return [PublishedKey(*row) for row in rows]


def public_key(connection, number: int) -> str | None:
    """The public Multikey of key `number`, or None when there is no such key."""
    return connection.execute(select(KEYS.c.public_key).where(KEYS.c.number == number)).scalar()


def generate_key(connection, now: datetime) -> int:
    """Add a new key (numbered after the newest) and return its number. Not committed."""
    private_pem, public = new_key_pair()
    number = (connection.execute(select(func.max(KEYS.c.number))).scalar() or 0) + 1
    connection.execute(insert(KEYS).values(number=number, public_key=public, created_at=now,
                                           private_key=_fernet().encrypt(private_pem).decode("ascii")))
    return number


def rotate_key(connection, now: datetime) -> tuple[int, list[int]]:
    """Retire the keys in use and make a new one: (the new number, the numbers retired). Old keys stay published.
    Not committed."""
    retired = list(connection.execute(select(KEYS.c.number).where(KEYS.c.retired_at.is_(None))).scalars())
    connection.execute(update(KEYS).where(KEYS.c.retired_at.is_(None)).values(retired_at=now))
    return generate_key(connection, now), retired


def current_key(connection):
    """The key that signs now (number, public_key, private_key as stored): the newest that is not retired; None
    when no key was made yet."""
    return connection.execute(select(KEYS.c.number, KEYS.c.public_key, KEYS.c.private_key)
                              .where(KEYS.c.retired_at.is_(None)).order_by(KEYS.c.number.desc()).limit(1)).first()


def unlock(row) -> SigningMaterial:
    """The private key of a key row, decrypted."""
    try:
        private_pem = _fernet().decrypt(row.private_key.encode("ascii"))
    except InvalidToken:
        raise CredentialError(f"signing key key-{row.number} cannot be decrypted with this SECRET_KEY (was it "
                              "changed?): make a new key with `flask credentials rotate-key`") from None
    return SigningMaterial(row.number, private_pem)


def signing_material(connection, now: datetime) -> SigningMaterial:
    """The key that signs now. When there is none yet, the first key is made here (`flask credentials
    generate-key` makes it ahead of time), so signing off never waits for it."""
    row = current_key(connection)
    if row is None:
        generate_key(connection, now)
        row = current_key(connection)
    return unlock(row)
