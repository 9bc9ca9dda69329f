"""comments' revision: an edit counts one, and a worker's decision must be about the text
it read

A site may now send a reader's edit (PATCH /v1/comments/<id>): the comment goes back to
pending with the new text and is checked again. A worker that read the text before the
edit must not publish the edited one unread, so its decision moves the comment only while
the revision is still the one it loaded (service/store/system_decisions.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode copies the table, and the
    # copy's indexes lost their DESC (the riskiest-first queue then sorted every page).
    op.add_column(
        "comments",
        sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_column("revision")
