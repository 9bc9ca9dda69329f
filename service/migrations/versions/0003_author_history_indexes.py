"""author indexes cover the worker's history count; partial, so an anonymous site never scans

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:40:00

The worker counts an author's approved and rejected comments of the last 90 days for every
comment it decides. With (site_id, author_email) alone that count read every row of the
author (about 20 at 1,000,000 stored); with status, created_at and the other author column
in the index it reads the index only. Rows without the column are left out: where a site
sends no emails (or no author ids) the planner would otherwise count the NULLs as one huge
author and walk the whole site instead.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (name, columns, rows kept): the author column leads, the other one rides along.
INDEXES = (
    ('ix_comments_author', ['site_id', 'author_email', 'status', 'created_at', 'author_id'],
     'author_email IS NOT NULL'),
    ('ix_comments_site_author_id', ['site_id', 'author_id', 'status', 'created_at', 'author_email'],
     'author_id IS NOT NULL'),
)
BEFORE = {'ix_comments_author': ['site_id', 'author_email'],
          'ix_comments_site_author_id': ['site_id', 'author_id']}


def upgrade() -> None:
    for name, columns, kept in INDEXES:
        op.drop_index(name, table_name='comments')
        where = sa.text(kept)
        op.create_index(
            name, 'comments', columns, unique=False, sqlite_where=where, postgresql_where=where
        )


def downgrade() -> None:
    for name, columns in BEFORE.items():
        op.drop_index(name, table_name='comments')
        op.create_index(name, 'comments', columns, unique=False)
