"""sso links

sso_link: an account at an OpenID Connect provider (SURFconext, eduID), identified by provider, issuer and
subject, that logs in as one user; with the eduPersonPrincipalName and home organisation it came with.

Revision ID: 0016_sso
Revises: 0015_session_calendar
Create Date: 2027-01-12 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_sso'
down_revision = '0015_session_calendar'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sso_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=20), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('principal_name', sa.String(length=254), nullable=True),
        sa.Column('home_organization', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_sso_link_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_link')),
        sa.UniqueConstraint('provider', 'issuer', 'subject', name='uq_sso_link_identity'),
    )
    with op.batch_alter_table('sso_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_link_principal_name'), ['principal_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_sso_link_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sso_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_link_user_id'))
        batch_op.drop_index(batch_op.f('ix_sso_link_principal_name'))
    op.drop_table('sso_link')
