"""moderators' session epoch: signing out ends the account's sessions on the server

A desk session is a signed cookie; signing out only cleared the browser's copy, so a copy
taken before (a shared computer, a stolen cookie) still worked for 12 hours, renewed with
every use. Each session now carries the account's epoch from its sign-in, and signing out
adds one to it (service/ui/blueprint.py). Sessions signed in before this migration carry
no epoch and end once.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 00:55:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('moderators') as batch_op:
        batch_op.add_column(
            sa.Column('session_epoch', sa.Integer(), server_default=sa.text('0'), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('moderators') as batch_op:
        batch_op.drop_column('session_epoch')
