"""finish the erasures made before erasure was complete

Until now an author's erasure (DELETE /v1/comments/<id>) blanked the body, email, IP and
user agent but kept the author's name and id, the moderators' training label with the
whole text (a retrain would learn it again), and the engine's reasons, which quote what
matched (phone numbers, links). Comments erased since are erased whole
(service.store.records.erase_comment); this does the same to those erased before. A
data migration only: there is nothing to put back on the way down.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 21:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

ERASED = "SELECT id FROM comments WHERE status = 'deleted'"
comments = sa.table('comments', sa.column('id'), sa.column('status'))
# Kept in step with service.store.records: what of a reason survives (the desk's statistics).
KEPT_OF_REASON = ('code', 'verdict')
KEPT_OF_DETAIL = ('word',)
decisions = sa.table(
    'decisions', sa.column('id'), sa.column('comment_id'), sa.column('reasons', sa.JSON)
)


def upgrade() -> None:
    op.execute(
        "UPDATE comments SET body = '', author_name = '', author_email = NULL,"
        " author_id = NULL, ip = NULL, user_agent = NULL WHERE status = 'deleted'"
    )
    op.execute(f'DELETE FROM training_examples WHERE comment_id IN ({ERASED})')
    bind = op.get_bind()
    erased_ids = sa.select(comments.c.id).where(comments.c.status == 'deleted')
    found = sa.select(decisions.c.id, decisions.c.reasons).where(
        decisions.c.comment_id.in_(erased_ids)
    )
    for decision_id, reasons in bind.execute(found).all():
        erased = [_erased(r) for r in reasons or []]
        bind.execute(decisions.update().where(decisions.c.id == decision_id).values(reasons=erased))


def _erased(reason: object) -> dict:
    if not isinstance(reason, dict):
        return {}
    kept = {key: reason[key] for key in KEPT_OF_REASON if key in reason}
    detail = reason.get('detail')
    if not isinstance(detail, dict):
        detail = {}
    words = {key: detail[key] for key in KEPT_OF_DETAIL if key in detail}
    return {**kept, 'message': '', 'spans': [], 'detail': words}


def downgrade() -> None:
    pass
