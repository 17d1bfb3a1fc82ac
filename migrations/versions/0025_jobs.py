"""jobs

The job table: work asked for by a change (a mail, a certificate's documents), written in the same transaction and
run by a background worker after the commit (jimtraining/jobs/, issue 20); and the certificate PDFs those jobs
draw (certification/documents.py).

Revision ID: 0025_jobs
Revises: 0024_api_tokens
Create Date: 2026-12-07 16:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_jobs'
down_revision = '0024_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('request_id', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
        sa.UniqueConstraint('key', name=op.f('uq_job_key')),
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_state_created', ['state', 'created_at'], unique=False)
    op.create_table(
        'certificate_pdf',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'],
                                name=op.f('fk_certificate_pdf_certificate_id_certificate'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_pdf')),
        sa.UniqueConstraint('certificate_id', name=op.f('uq_certificate_pdf_certificate_id')),
    )


def downgrade():
    op.drop_table('certificate_pdf')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_state_created')
    op.drop_table('job')
