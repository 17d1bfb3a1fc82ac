"""credentials

signing_key: the platform's Ed25519 keys for Open Badges 3.0 credentials (public key in the clear, private key
encrypted with a key derived from SECRET_KEY; retired keys stay, so what they signed keeps verifying).
badge_credential: the signed OpenBadgeCredential of a certificate, stored as served, and its bit in the
revocation status list. New tables only; certificates from before get their credential on first request or from
`flask credentials issue-missing`.

Revision ID: 0017_credentials
Revises: 0016_sso
Create Date: 2026-12-14 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_credentials'
down_revision = '0016_sso'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signing_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_key')),
    sa.UniqueConstraint('number', name=op.f('uq_signing_key_number'))
    )
    op.create_table('badge_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('status_list', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('key_number', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'],
                            name=op.f('fk_badge_credential_certificate_id_certificate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_credential')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_badge_credential_certificate_id')),
    sa.UniqueConstraint('status_list', 'status_index', name='uq_badge_credential_status_bit')
    )


def downgrade():
    op.drop_table('badge_credential')
    op.drop_table('signing_key')
