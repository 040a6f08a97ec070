"""plan intake: a work item's scope holds the generic scopes a prose plan names
("各县（市、区）政府、市级各有关部门"), longer than a table's 推进范围

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_item') as batch_op:
        batch_op.alter_column('scope', existing_type=sa.String(length=20), type_=sa.String(length=100),
                              existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('work_item') as batch_op:
        batch_op.alter_column('scope', existing_type=sa.String(length=100), type_=sa.String(length=20),
                              existing_nullable=True)
