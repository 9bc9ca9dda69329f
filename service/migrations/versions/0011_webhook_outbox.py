"""webhook events: an outbox written with each decision, so no event is lost with its job

Until now a decision's webhook was only an RQ job, queued after the decision's commit: a
worker killed between the two, or Redis down or restarted empty, lost the event, and RQ's
scheduled retries lived in Redis alone. Now the event is a row written in the decision's
transaction; the job sends it and the sweep re-queues what is due (workers/sweep.py).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 00:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# As the models' types were on the day (a migration never imports today's models).
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = sa.DateTime(timezone=True)
WAITING = sa.text("state = 'waiting'")


def upgrade() -> None:
    op.create_table(
        "webhook_events",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("site_id", BigId, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "comment_id", BigId, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Moment, nullable=False),
        sa.Column("last_status", sa.String(200), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
        sqlite_autoincrement=True,  # ids never reused after pruning (receivers dedupe on them)
    )
    op.create_index("ix_webhook_events_comment_id", "webhook_events", ["comment_id"])
    op.create_index("ix_webhook_events_updated", "webhook_events", ["updated_at"])
    op.create_index(
        "ix_webhook_events_due",
        "webhook_events",
        ["next_attempt_at"],
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )


def downgrade() -> None:
    op.drop_table("webhook_events")
