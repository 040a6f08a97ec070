"""status rollup groups: a date's item counts summed per plan, city and county

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('status_rollup_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in (
        'total', 'done', 'due_by', 'done_due', 'on_time_due', 'done_late', 'overdue', 'overdue_days', 'due_soon',
        'reported', 'items', 'items_red')],
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_rollup_group'))
    )
    op.create_index('ix_status_rollup_group_date', 'status_rollup_group', ['as_of', 'due_soon_days', 'plan_id'],
                    unique=False)
    # the dates stored so far have no groups: build them again
    for table in ('status_rollup_date', 'status_rollup', 'milestone_status_rollup'):
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    op.drop_index('ix_status_rollup_group_date', table_name='status_rollup_group')
    op.drop_table('status_rollup_group')
