"""decisions by time: the desk's overview counts a period's decisions without a full scan

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 23:50:00
"""

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_decisions_created', 'decisions', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_decisions_created', table_name='decisions')
