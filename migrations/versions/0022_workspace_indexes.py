"""workspace indexes

The trainer's start page counts open answers and lists the groups a trainer trains (issue 16 acceptance 6): an
index on quiz_attempt (status, user_id) finds the few attempts waiting for review without reading every attempt of
every learner, and one on cohort_trainer (user_id) finds a trainer's groups without reading the whole table.
Indexes only.

Revision ID: 0022_workspace_indexes
Revises: 0021_calibration
Create Date: 2026-12-07 14:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_workspace_indexes'
down_revision = '0021_calibration'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempt_status_user', ['status', 'user_id'], unique=False)
    with op.batch_alter_table('cohort_trainer', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_trainer_user_id', ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohort_trainer', schema=None) as batch_op:
        batch_op.drop_index('ix_cohort_trainer_user_id')
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempt_status_user')
