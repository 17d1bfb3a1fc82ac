"""Open Badges 3.0 for every certificate: a signed W3C Verifiable Credential (OpenBadgeCredential) with the
issuer's profile, the Achievement of its track, its validity period and a place in the revocation list.

The modules, from the bottom up:

- engine.py: our small interface to openbadgeslib (the only module that imports it): signing and verifying the
  eddsa-rdfc-2022 Data Integrity proofs, status lists, baking badge images.
- models.py: the signing keys and the stored credentials.
- keys.py: making, rotating and reading the Ed25519 keys (private keys encrypted with SECRET_KEY).
- issuer.py: who issues (did:web on an https BASE_URL, else the profile address) and the public addresses.
- achievements.py: the Achievement of a track (criteria from its requirements) and its badge image.
- status.py: the Bitstring Status List (revocation).
- issuing.py: signing a certificate's credential when the certificate is written.
- services.py: what the rest uses: credential_for, verify, the public documents.
- views.py, cli.py: the routes and `flask credentials ...`.

The certification code does not import this package; issuing.py listens for new certificates, and the pages of
the certificates link here by endpoint name.
"""
