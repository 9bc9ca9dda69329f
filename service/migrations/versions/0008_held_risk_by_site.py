"""held comments by site in risk order: a small site's riskiest first from its own index

With a million held comments on one site, a small site's moderator waited 637 ms for the
riskiest-first page: SQLite, with no statistics to tell the sites apart, walked every
site's risk order (ix_comments_status_risk) and skipped the other site's rows. An index
led by the site gives each site its own order.

Partial, on held comments only: the intake's insert (pending) never writes it, approvals
take their entries out, and the reported tab (approved or held) cannot take it in place of
ix_comments_site_reported, which a full site-led index won without statistics (2.5 s).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 04:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

HELD = sa.text("status = 'held'")


def upgrade() -> None:
    op.create_index(
        'ix_comments_held_risk',
        'comments',
        ['site_id', sa.desc('risk'), 'created_at', 'id'],
        unique=False,
        sqlite_where=HELD,
        postgresql_where=HELD,
    )


def downgrade() -> None:
    op.drop_index('ix_comments_held_risk', table_name='comments')
