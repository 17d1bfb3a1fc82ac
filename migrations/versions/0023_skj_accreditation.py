"""skj accreditation

SKJ accreditation (issue 19 item 3): a track's accreditation read from its file (track.accreditation), the
accreditation a cohort's run has where it differs (cohort_accreditation), and the accreditation that applied when a
certificate was signed (certificate.accreditation), so later edits never change an issued certificate.

Revision ID: 0023_skj_accreditation
Revises: 0022_workspace_indexes
Create Date: 2026-12-07 16:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_skj_accreditation'
down_revision = '0022_workspace_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cohort_accreditation',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=50), nullable=False),
        sa.Column('points', sa.Float(), nullable=False),
        sa.Column('contact_hours', sa.Float(), nullable=False),
        sa.Column('register_section', sa.String(length=100), nullable=False),
        sa.Column('final_test_required', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_accreditation_cohort_id_cohort'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_cohort_accreditation')),
    )
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accreditation', sa.JSON(), nullable=True))
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accreditation', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('accreditation')
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.drop_column('accreditation')
    op.drop_table('cohort_accreditation')
