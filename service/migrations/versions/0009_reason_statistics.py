"""statistics on the decisions' reason text: PostgreSQL plans the queue's reason filter

The desk filters by reason with `CAST(reasons AS TEXT) LIKE '%"code": "..."%'`. PostgreSQL
has no statistics for that expression and guesses a long LIKE pattern matches almost
nothing (42 rows of a million), so it drove the held queue from the decisions table and
sorted every match: 1.3 s for one page, 4.9 s with the tab counts, when a common reason
held a million comments. With statistics on the expression it knows how common each
reason is and walks the queue's own index instead (1 ms). SQLite plans this from its
indexes alone and needs nothing. Expression statistics came with PostgreSQL 14.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 05:10:00
"""

from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

NAME = 'st_decisions_reasons_text'


def _has_expression_statistics() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return False
    version = bind.dialect.server_version_info
    return version is not None and version >= (14,)


def upgrade() -> None:
    if _has_expression_statistics():
        op.execute(f'CREATE STATISTICS IF NOT EXISTS {NAME} ON ((reasons::text)) FROM decisions')
        op.execute('ANALYZE decisions')  # now, not when autovacuum next comes by


def downgrade() -> None:
    if _has_expression_statistics():
        op.execute(f'DROP STATISTICS IF EXISTS {NAME}')
