"""status rollups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('status_rollup_date',
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('as_of', 'due_soon_days', name=op.f('pk_status_rollup_date'))
    )
    op.create_table('status_rollup',
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('due_by', sa.Integer(), nullable=False),
    sa.Column('done_due', sa.Integer(), nullable=False),
    sa.Column('on_time_due', sa.Integer(), nullable=False),
    sa.Column('done_late', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('overdue_days', sa.Integer(), nullable=False),
    sa.Column('due_soon', sa.Integer(), nullable=False),
    sa.Column('reported', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_status_rollup_work_item_id_work_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('as_of', 'due_soon_days', 'work_item_id', name=op.f('pk_status_rollup'))
    )


def downgrade() -> None:
    op.drop_table('status_rollup')
    op.drop_table('status_rollup_date')
