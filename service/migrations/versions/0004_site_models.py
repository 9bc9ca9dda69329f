"""site models: each site's own classifier, retrained from its moderators' labels

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 20:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('site_models',
    sa.Column('id', ID, nullable=False),
    sa.Column('site_id', ID, nullable=False),
    sa.Column('version', sa.String(length=80), nullable=False),
    sa.Column('last_example_id', sa.BigInteger(), nullable=False),
    sa.Column('examples', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_site_models_site_id', 'site_models', ['site_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_site_models_site_id', table_name='site_models')
    op.drop_table('site_models')
