"""login session limits

login_session.remember: whether the session was started with "stay logged in on this device". Such a session may
go unused longer (SESSION_REMEMBER_IDLE_DAYS) than one without (SESSION_IDLE_MINUTES); every session ends
SESSION_MAX_DAYS after it started (jimtraining/accounts/services.py). Sessions started before this revision count as
without "stay logged in". Only a column with a default is added (no table is rebuilt).

Revision ID: 0013_login_session_limits
Revises: 0012_progress_token
Create Date: 2026-12-08 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_login_session_limits'
down_revision = '0012_progress_token'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('login_session', sa.Column('remember', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('remember')
