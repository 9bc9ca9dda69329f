"""one spelling of each email: comments' author emails and email bans in lower case

Emails were stored as the reader typed them and compared exactly, so an author banned as
"eve@x.vn" came back as "EVE@x.vn" and was published, and the author's history counted
two people. Intake now stores them in lower case (service.schemas.normal_email, Python's
lower(), which folds every alphabet; SQL's lower() folds only ASCII on SQLite), and this
brings the rows stored before into line. A data migration: the typed case is not kept,
so there is nothing to put back on the way down.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 00:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# (table, column, the rows of it that hold an email). Both are read and changed by site,
# so each UPDATE walks an index led by site_id (ix_comments_author, ix_bans_lookup).
EMAIL_COLUMNS = (
    ('comments', 'author_email', 'author_email IS NOT NULL'),
    ('bans', 'value', "kind = 'email'"),
)


def upgrade() -> None:
    bind = op.get_bind()
    for table, column, holds_email in EMAIL_COLUMNS:
        spellings = bind.execute(
            sa.text(f'SELECT DISTINCT site_id, {column} FROM {table} WHERE {holds_email}')
        ).all()
        for site_id, typed in spellings:
            if typed != typed.strip().lower():
                bind.execute(
                    sa.text(
                        f'UPDATE {table} SET {column} = :normal'
                        f' WHERE site_id = :site_id AND {column} = :typed AND {holds_email}'
                    ),
                    {'normal': typed.strip().lower(), 'site_id': site_id, 'typed': typed},
                )


def downgrade() -> None:
    pass
