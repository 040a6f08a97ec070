"""A 催办 may go with a 督办单 (generated from its milestones when asked for)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('urge') as batch:
        batch.add_column(sa.Column('letter', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('urge') as batch:
        batch.drop_column('letter')
