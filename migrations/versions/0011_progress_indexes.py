"""progress indexes

Two covering indexes for the progress figures of the learner and cohort dashboards, found with EXPLAIN on the
`make bench` data set: lessons done per learner and module (lesson_progress) and best score and pass per
learner and module (quiz_attempt, whose rows carry the drawn questions and are large). With them the counts read
the index only. Only indexes are added; no table is rebuilt.

Revision ID: 0011_progress_indexes
Revises: 0010_content_version
Create Date: 2026-12-06 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_progress_indexes'
down_revision = '0010_content_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_lesson_progress_user_done', 'lesson_progress',
                    ['user_id', 'module_slug', 'lesson_slug', 'completed_at'], unique=False)
    op.create_index('ix_quiz_attempt_user_results', 'quiz_attempt',
                    ['user_id', 'module_slug', 'passed', 'percent'], unique=False)


def downgrade():
    op.drop_index('ix_quiz_attempt_user_results', table_name='quiz_attempt')
    op.drop_index('ix_lesson_progress_user_done', table_name='lesson_progress')
