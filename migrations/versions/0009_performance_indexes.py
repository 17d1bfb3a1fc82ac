"""performance indexes

An index on role_play_round.professional_id: the certification checklist of a cohort looks up the rounds its
learners played, which scanned every round in the country without it (found with `make bench`). Only an index
is added; no table is rebuilt.

Revision ID: 0009_performance_indexes
Revises: 0008_login_sessions
Create Date: 2026-12-01 23:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_performance_indexes'
down_revision = '0008_login_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_role_play_round_professional_id', 'role_play_round', ['professional_id'], unique=False)


def downgrade():
    op.drop_index('ix_role_play_round_professional_id', table_name='role_play_round')
