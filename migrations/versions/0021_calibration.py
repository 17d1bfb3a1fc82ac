"""calibration

Rater calibration (issue 17 item 4): calibration_attempt holds one person's scores of a scenario's reference round,
the expert's levels at that moment and the agreement (exact, adjacent, quadratic weighted kappa). New table only.

Revision ID: 0021_calibration
Revises: 0020_quiz_blueprint
Create Date: 2026-12-07 05:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_calibration'
down_revision = '0020_quiz_blueprint'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calibration_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_slug', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('expert', sa.JSON(), nullable=False),
    sa.Column('exact', sa.Float(), nullable=False),
    sa.Column('adjacent', sa.Float(), nullable=False),
    sa.Column('kappa', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calibration_attempt_user_id_user_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_attempt'))
    )
    with op.batch_alter_table('calibration_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_calibration_attempt_user_created', ['user_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('calibration_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_calibration_attempt_user_created')
    op.drop_table('calibration_attempt')
