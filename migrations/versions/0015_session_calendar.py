"""session calendar

cohort_session.calendar_uid, calendar_sequence and calendar_modified_at: what calendar files need so that a
calendar app recognises a session as the same event on every installation-wide unique UID, and takes a moved
session's new time (RFC 5545 UID, SEQUENCE, LAST-MODIFIED). Existing sessions get a random UID each, sequence 0
and the moment of the upgrade.

Revision ID: 0015_session_calendar
Revises: 0014_checkin_attempts
Create Date: 2026-12-10 09:00:00

"""
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_session_calendar'
down_revision = '0014_checkin_attempts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_uid', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('calendar_modified_at', sa.DateTime(timezone=True), nullable=True))

    sessions = sa.table('cohort_session', sa.column('id', sa.Integer()), sa.column('calendar_uid', sa.String()),
                        sa.column('calendar_modified_at', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    now = datetime.now(UTC)
    for (session_id,) in connection.execute(sa.select(sessions.c.id)).all():
        connection.execute(sessions.update().where(sessions.c.id == session_id).values(
            calendar_uid=str(uuid.uuid4()), calendar_modified_at=now))

    with op.batch_alter_table('cohort_session', schema=None) as batch_op:
        batch_op.alter_column('calendar_uid', existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column('calendar_modified_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('calendar_sequence', existing_type=sa.Integer(), server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_cohort_session_calendar_uid'), ['calendar_uid'])


def downgrade():
    with op.batch_alter_table('cohort_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_cohort_session_calendar_uid'), type_='unique')
        batch_op.drop_column('calendar_modified_at')
        batch_op.drop_column('calendar_sequence')
        batch_op.drop_column('calendar_uid')
