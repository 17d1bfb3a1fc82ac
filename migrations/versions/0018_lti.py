"""lti

The LTI 1.3 tool (issue 18, item 1): registered platforms (lti_platform), the tool's RSA keys with the private key
encrypted (lti_tool_key), accounts of platform users (lti_user_link), courses and their class cohorts (lti_context),
links in courses with their gradebook columns (lti_resource_link), the grade outbox (lti_grade), nonces of accepted
launches (lti_nonce) and Dynamic Registration addresses (lti_registration_invite). New tables only.

Revision ID: 0018_lti
Revises: 0017_credentials
Create Date: 2026-12-07 03:16:34

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_lti'
down_revision = '0017_credentials'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lti_nonce',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=255), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_nonce')),
    sa.UniqueConstraint('nonce', name=op.f('uq_lti_nonce_nonce'))
    )
    with op.batch_alter_table('lti_nonce', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_nonce_expires_at'), ['expires_at'], unique=False)

    op.create_table('lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('deployment_ids', sa.JSON(), nullable=False),
    sa.Column('auth_login_url', sa.String(length=500), nullable=False),
    sa.Column('auth_token_url', sa.String(length=500), nullable=False),
    sa.Column('auth_audience', sa.String(length=500), nullable=True),
    sa.Column('keyset_url', sa.String(length=500), nullable=False),
    sa.Column('frame_origins', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platform')),
    sa.UniqueConstraint('issuer', 'client_id', name='uq_lti_platform_issuer_client')
    )
    op.create_table('lti_tool_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('private_pem_encrypted', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_tool_key')),
    sa.UniqueConstraint('kid', name=op.f('uq_lti_tool_key_kid'))
    )
    op.create_table('lti_registration_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_registration_invite_platform_id_lti_platform'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_registration_invite')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lti_registration_invite_token_hash'))
    )
    op.create_table('lti_context',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('memberships_url', sa.String(length=500), nullable=True),
    sa.Column('lineitems_url', sa.String(length=500), nullable=True),
    sa.Column('ags_scopes', sa.JSON(), nullable=False),
    sa.Column('roster_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lineitems_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_lti_context_cohort_id_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_context_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_context')),
    sa.UniqueConstraint('platform_id', 'context_id', name='uq_lti_context_platform_context')
    )
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_context_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('lti_user_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_launch_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_user_link_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_user_link_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_user_link')),
    sa.UniqueConstraint('platform_id', 'sub', name='uq_lti_user_link_platform_sub')
    )
    with op.batch_alter_table('lti_user_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_user_link_user_id'), ['user_id'], unique=False)

    op.create_table('lti_resource_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.String(length=255), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('lineitem_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['context_id'], ['lti_context.id'], name=op.f('fk_lti_resource_link_context_id_lti_context'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_resource_link')),
    sa.UniqueConstraint('context_id', 'resource_link_id', name='uq_lti_resource_link_context_link')
    )
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.create_index('ix_lti_resource_link_target', ['target'], unique=False)

    op.create_table('lti_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('score_given', sa.Float(), nullable=False),
    sa.Column('score_maximum', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('achieved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['resource_link_id'], ['lti_resource_link.id'], name=op.f('fk_lti_grade_resource_link_id_lti_resource_link'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_grade_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_grade')),
    sa.UniqueConstraint('user_id', 'resource_link_id', 'source', name='uq_lti_grade_user_link_source')
    )
    with op.batch_alter_table('lti_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_grade_resource_link_id'), ['resource_link_id'], unique=False)
        batch_op.create_index('ix_lti_grade_state_due', ['state', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lti_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_grade_user_id'))
        batch_op.drop_index('ix_lti_grade_state_due')
        batch_op.drop_index(batch_op.f('ix_lti_grade_resource_link_id'))

    op.drop_table('lti_grade')
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.drop_index('ix_lti_resource_link_target')

    op.drop_table('lti_resource_link')
    with op.batch_alter_table('lti_user_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_user_link_user_id'))

    op.drop_table('lti_user_link')
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_context_cohort_id'))

    op.drop_table('lti_context')
    op.drop_table('lti_registration_invite')
    op.drop_table('lti_tool_key')
    op.drop_table('lti_platform')
    with op.batch_alter_table('lti_nonce', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_nonce_expires_at'))

    op.drop_table('lti_nonce')
