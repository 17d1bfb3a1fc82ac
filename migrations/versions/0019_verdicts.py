"""i17 verdicts

Issue 17 items 3 and 5: a proposed verdict and a deviation reason on role-play rounds (role_play_round) and on
practice reviews (practice_version, with the criterion scores of the review), and observed co-trainings signed by
a licensed trainer (observed_co_training).

Revision ID: 0019_verdicts
Revises: 0018_lti
Create Date: 2026-12-07 05:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_verdicts'
down_revision = '0018_lti'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('role_play_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_outcome', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('outcome_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('practice_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scores', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('proposed_decision', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('decision_reason', sa.Text(), nullable=True))
    op.create_table('observed_co_training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('cohort_name', sa.String(length=200), nullable=False),
    sa.Column('session_title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['user_account.id'], name=op.f('fk_observed_co_training_candidate_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['cohort_session.id'], name=op.f('fk_observed_co_training_session_id_cohort_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user_account.id'], name=op.f('fk_observed_co_training_signed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observed_co_training'))
    )
    with op.batch_alter_table('observed_co_training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observed_co_training_candidate_id'), ['candidate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('observed_co_training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observed_co_training_candidate_id'))
    op.drop_table('observed_co_training')
    with op.batch_alter_table('practice_version', schema=None) as batch_op:
        batch_op.drop_column('decision_reason')
        batch_op.drop_column('proposed_decision')
        batch_op.drop_column('scores')
    with op.batch_alter_table('role_play_round', schema=None) as batch_op:
        batch_op.drop_column('outcome_reason')
        batch_op.drop_column('proposed_outcome')
