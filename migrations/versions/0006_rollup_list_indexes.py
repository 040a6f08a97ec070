"""milestone status rollup: indexes for the lists pages read from it

A status's rows in the table's order (逾期 lists: no sort of every overdue
milestone), the rows by their latest report date (近30天报送完成的节点) and the
rows of given work items (one city's, one department's).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLE = 'milestone_status_rollup'


def upgrade() -> None:
    op.drop_index('ix_milestone_status_rollup_status', table_name=TABLE)
    op.create_index('ix_milestone_status_rollup_status', TABLE,
                    ['as_of', 'due_soon_days', 'status', 'position'], unique=False)
    op.create_index('ix_milestone_status_rollup_reported', TABLE,
                    ['as_of', 'due_soon_days', 'last_reported_on'], unique=False)
    op.create_index('ix_milestone_status_rollup_item', TABLE,
                    ['as_of', 'due_soon_days', 'work_item_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_milestone_status_rollup_item', table_name=TABLE)
    op.drop_index('ix_milestone_status_rollup_reported', table_name=TABLE)
    op.drop_index('ix_milestone_status_rollup_status', table_name=TABLE)
    op.create_index('ix_milestone_status_rollup_status', TABLE, ['as_of', 'due_soon_days', 'status'], unique=False)
