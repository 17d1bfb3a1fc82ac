"""check-in attempts

checkin_attempt: the wrong check-in codes a learner typed per session (when, nothing more: no code, no IP
address), so the wrong codes per learner per session can be limited and the trainer sees who had wrong tries
(issue 14, item 9). A new table only; nothing else changes.

Revision ID: 0014_checkin_attempts
Revises: 0013_login_session_limits
Create Date: 2026-12-07 02:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_checkin_attempts'
down_revision = '0013_login_session_limits'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkin_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['cohort_session.id'],
                            name=op.f('fk_checkin_attempt_session_id_cohort_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_checkin_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_attempt'))
    )
    with op.batch_alter_table('checkin_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_attempt_session_user', ['session_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_attempt_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_attempt_attempted_at'), ['attempted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('checkin_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_attempt_attempted_at'))
        batch_op.drop_index(batch_op.f('ix_checkin_attempt_user_id'))
        batch_op.drop_index('ix_checkin_attempt_session_user')

    op.drop_table('checkin_attempt')
