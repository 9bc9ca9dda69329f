"""article sections, moderators' scopes, and a webhook secret's predecessor

Three additions, one migration (they landed together):
- `articles.section`: the site's own section of an article ("thoi-su", "the-thao"), so a
  newsroom can split its queue the way it splits its pages.
- `moderators.scope`: the sites and sections a moderator may see and act on; null is all
  of them (admins always have all).
- `sites.webhook_secret_previous` and `..._until`: while a site rolls its webhook secret,
  each event is signed with both, so the receiver can switch at its own pace.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

Moment = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("section", sa.String(100), nullable=True))
        batch_op.create_index("ix_articles_site_section", ["site_id", "section"])
    with op.batch_alter_table("moderators") as batch_op:
        batch_op.add_column(sa.Column("scope", sa.JSON(), nullable=True))
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("webhook_secret_previous", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("webhook_secret_previous_until", Moment, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("webhook_secret_previous_until")
        batch_op.drop_column("webhook_secret_previous")
    with op.batch_alter_table("moderators") as batch_op:
        batch_op.drop_column("scope")
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_index("ix_articles_site_section")
        batch_op.drop_column("section")
