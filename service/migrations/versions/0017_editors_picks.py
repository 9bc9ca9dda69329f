"""editors' picks: a moderator features a published comment

`comments.featured_at` and `featured_by` say when and by whom a comment was picked (null:
not picked); the thread lists an article's picks by `ix_comments_featured`, partial, so
only the picked comments are in it. Every change that takes a comment out of the published
thread clears both (service/store/picks.py).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

PICKED = sa.text("featured_at IS NOT NULL")


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: on SQLite batch mode copies the table, and the
    # copy's indexes lost their DESC (the riskiest-first queue then sorted every page).
    op.add_column("comments", sa.Column("featured_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("comments", sa.Column("featured_by", sa.String(120), nullable=True))
    op.create_index(
        "ix_comments_featured",
        "comments",
        ["article_id", "featured_at", "id"],
        sqlite_where=PICKED,
        postgresql_where=PICKED,
    )


def downgrade() -> None:
    op.drop_index("ix_comments_featured", table_name="comments")
    # SQLite's own DROP COLUMN (3.35+) for the same reason: no copy of the table.
    op.drop_column("comments", "featured_by")
    op.drop_column("comments", "featured_at")
