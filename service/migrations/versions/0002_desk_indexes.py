"""indexes for the moderator's desk: authors by id and IP, reported comments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

REPORTED = sa.text('report_count > 0')


def upgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_site_author_id', ['site_id', 'author_id'], unique=False)
        batch_op.create_index('ix_comments_site_ip', ['site_id', 'ip'], unique=False)
    # Partial: only the few reported comments, so the "reported" tab never scans the table.
    op.create_index(
        'ix_comments_reported',
        'comments',
        ['status', 'created_at'],
        unique=False,
        sqlite_where=REPORTED,
        postgresql_where=REPORTED,
    )


def downgrade() -> None:
    op.drop_index('ix_comments_reported', table_name='comments')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_site_ip')
        batch_op.drop_index('ix_comments_site_author_id')
