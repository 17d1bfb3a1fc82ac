"""progress token

enrollment.progress_token: a random value that changes whenever something the cohort dashboard counts about the
learner is written (jimtraining/cohorts/stamps.py), so the dashboard can tell that its figures are still right
without counting them again. Only a nullable column is added (ALTER TABLE ADD COLUMN; no table is rebuilt).

Revision ID: 0012_progress_token
Revises: 0011_progress_indexes
Create Date: 2026-12-06 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_progress_token'
down_revision = '0011_progress_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('enrollment', sa.Column('progress_token', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_column('progress_token')
