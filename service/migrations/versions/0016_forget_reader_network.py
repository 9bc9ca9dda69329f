"""comments by site and time while they hold a reader's IP or user agent: the retention sweep

A site now forgets its readers' IP addresses and user agents after some days
(forget_reader_network_after_days, 90 by default): the workers' sweep clears both on the
site's comments older than that, in batches. Without this index each batch walked every
row of the site in ix_comments_site_ip, old or new. Partial, so a cleared row leaves it:
it holds about the site's last N days.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

NETWORK_KEPT = sa.text("ip IS NOT NULL OR user_agent IS NOT NULL")


def upgrade() -> None:
    # In place, not batch mode: on SQLite batch mode copies the table, and the copy's
    # indexes lost their DESC once (0015's first draft).
    op.create_index(
        "ix_comments_site_network",
        "comments",
        ["site_id", "created_at"],
        unique=False,
        sqlite_where=NETWORK_KEPT,
        postgresql_where=NETWORK_KEPT,
    )


def downgrade() -> None:
    op.drop_index("ix_comments_site_network", table_name="comments")
