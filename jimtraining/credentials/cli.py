"""`flask --app app credentials ...`: the signing keys of the Open Badges, and credentials for older certificates.

Run these with the same environment as the app (DATABASE_URL, SECRET_KEY, BASE_URL): the private keys are
encrypted with SECRET_KEY, and BASE_URL decides the issuer (did:web on an https:// address).
"""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from jimtraining.certification.models import Certificate
from jimtraining.credentials import issuing, keys
from jimtraining.credentials.issuer import verification_method
from jimtraining.credentials.models import BadgeCredential
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

credentials_cli = AppGroup("credentials", help="Open Badges 3.0: signing keys and credentials.")


@credentials_cli.command("generate-key")
def generate_key():
    """Make the first Ed25519 signing key (once; the first certificate makes it when this was not run)."""
    connection = db.session.connection()
    if keys.published_keys(connection):
        click.echo("A signing key exists already: nothing made. Use `flask credentials rotate-key` for a new one.")
        return
    number = keys.generate_key(connection, utcnow())
    db.session.commit()
    click.echo(f"Signing key made: {verification_method(number)}")


@credentials_cli.command("rotate-key")
def rotate_key():
    """Make a new signing key for new credentials. The old keys stay published, so what they signed keeps
    verifying; nothing already issued changes."""
    number, retired = keys.rotate_key(db.session.connection(), utcnow())
    db.session.commit()
    click.echo(f"New signing key: {verification_method(number)}")
    for old in retired:
        click.echo(f"Retired (still published, signs nothing new): {verification_method(old)}")


@credentials_cli.command("keys")
def list_keys():
    """List the signing keys as the issuer publishes them."""
    published = keys.published_keys(db.session.connection())
    if not published:
        click.echo("No signing key yet: `flask credentials generate-key` makes one.")
    for key in published:
        state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "signs new credentials"
        click.echo(f"{verification_method(key.number)}  {key.public_key}  made {key.created_at:%Y-%m-%d}, {state}")


@credentials_cli.command("issue-missing")
def issue_missing():
    """Sign the credentials of certificates that have none (written before Open Badges existed)."""
    missing = db.session.scalars(
        select(Certificate).outerjoin(BadgeCredential, BadgeCredential.certificate_id == Certificate.id)
        .where((BadgeCredential.id.is_(None)) | (BadgeCredential.document == "")).order_by(Certificate.id)).all()
    failed = sum(1 for certificate in missing if issuing.issue_missing(certificate) is None)
    click.echo(f"Credentials signed: {len(missing) - failed}; failed: {failed}.")
    if failed:
        raise SystemExit(1)
