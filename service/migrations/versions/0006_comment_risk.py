"""comment risk: the desk's riskiest-first order from an index, not a sort of the tab

The engine's higher score (spam or abuse) was read from each comment's decision and the
whole tab sorted by it: 2.2 s for a million held comments. It is now kept on the comment
when the engine decides, and indexed in the queue's order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 02:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The engine's decision of each comment (the latest, should there be two), its higher score.
SCORE = {
    'sqlite': "coalesce(json_extract(d.scores, '$.{}'), 0)",
    'postgresql': "coalesce((d.scores ->> '{}')::float, 0)",
}
HIGHER = {'sqlite': 'max({}, {})', 'postgresql': 'greatest({}, {})'}


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite adds a column with a constant default in place.
    op.add_column(
        'comments', sa.Column('risk', sa.Float(), server_default=sa.text('0'), nullable=False)
    )
    dialect = op.get_bind().dialect.name
    risk = HIGHER[dialect].format(SCORE[dialect].format('spam'), SCORE[dialect].format('abuse'))
    op.execute(
        f"UPDATE comments SET risk = (SELECT {risk} FROM decisions d"
        " WHERE d.comment_id = comments.id AND d.decided_by = 'system'"
        " ORDER BY d.id DESC LIMIT 1)"
        " WHERE EXISTS (SELECT 1 FROM decisions d"
        " WHERE d.comment_id = comments.id AND d.decided_by = 'system')"
    )
    op.create_index(
        'ix_comments_status_risk',
        'comments',
        ['status', sa.desc('risk'), 'created_at', 'id'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_comments_status_risk', table_name='comments')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('risk')
