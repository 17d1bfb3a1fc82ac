"""quiz blueprint

Issue 17 item 2: each quiz question keeps the module goal it tests (question.goal), so an attempt can draw every
goal at least once; each module keeps, per goal, its competence and the lessons that teach it (module.goal_links),
for the goals to revisit after a failed attempt and the coverage page. Old rows get NULL / an empty list; the next
`flask content sync` fills them. show_answers gets the value 'always' for what was 'after_attempt'.

Revision ID: 0020_quiz_blueprint
Revises: 0019_verdicts
Create Date: 2026-12-07 05:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_quiz_blueprint'
down_revision = '0019_verdicts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goal', sa.Integer(), nullable=True))
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goal_links', sa.JSON(), nullable=True))
    op.execute("UPDATE quiz SET show_answers = 'always' WHERE show_answers = 'after_attempt'")


def downgrade():
    op.execute("UPDATE quiz SET show_answers = 'after_attempt' WHERE show_answers = 'always'")
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.drop_column('goal_links')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('goal')
