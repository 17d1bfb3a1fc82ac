"""The platform's signing keys and the Open Badges 3.0 credential of every certificate.

A certificate's credential is built and signed once, when the certificate is written (issuing.py), and kept here
byte for byte: every request serves the same document. Its place in the revocation list (a bit of the Bitstring
Status List, status.py) is drawn at random at the same moment and never changes.
"""

from __future__ import annotations

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


class SigningKey(db.Model):
    """An Ed25519 key pair of the platform. The newest key that is not retired signs new credentials; every key,
    retired or not, stays published (issuer profile, DID document), so what it signed keeps verifying.

    The private key is kept encrypted with a key derived from SECRET_KEY (keys.py): a copy of the database alone
    cannot sign anything."""

    id = db.Column(db.Integer, primary_key=True)
    #: 1, 2, 3, ...: the verification method is "<issuer>#key-<number>". Unique, so two processes that make the
    #: first key (or rotate) at the same moment cannot both succeed.
    number = db.Column(db.Integer, nullable=False, unique=True)
    #: The public key as a Multikey (multibase base58btc of the multicodec-prefixed key: "z6Mk...").
    public_key = db.Column(db.String(100), nullable=False)
    #: The private key (PKCS#8 PEM), encrypted (Fernet) with a key derived from SECRET_KEY.
    private_key = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: Set by a rotation: the key signs nothing new, but stays published.
    retired_at = db.Column(db.DateTime(timezone=True), nullable=True)

    @property
    def fragment(self) -> str:
        return f"key-{self.number}"


class BadgeCredential(db.Model):
    """The signed OpenBadgeCredential of one certificate, and its bit in the revocation list."""

    __table_args__ = (
        db.UniqueConstraint("status_list", "status_index", name="uq_badge_credential_status_bit"),
    )

    id = db.Column(db.Integer, primary_key=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificate.id", ondelete="CASCADE"), nullable=False,
                               unique=True)
    #: Which status list holds its bit (status.py: one list of 131,072 bits for now).
    status_list = db.Column(db.Integer, nullable=False, default=1)
    #: Its bit in that list, drawn at random when the certificate was written.
    status_index = db.Column(db.Integer, nullable=False)
    #: The signed credential, exactly as it is served (JSON text).
    document = db.Column(db.Text, nullable=False)
    #: SigningKey.number of the key that signed it.
    key_number = db.Column(db.Integer, nullable=False)
    signed_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
