"""content version

A one-row table whose token changes with every write to the curriculum (modules, lessons, quizzes, questions).
Each process keeps the curriculum in memory and compares this token once per request instead of loading every
module and lesson again (jimtraining/curriculum/catalogue.py). Only a table is added.

Revision ID: 0010_content_version
Revises: 0009_performance_indexes
Create Date: 2026-12-06 06:00:00

"""
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_content_version'
down_revision = '0009_performance_indexes'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': uuid.uuid4().hex, 'changed_at': datetime.now(UTC)}])


def downgrade():
    op.drop_table('content_version')
