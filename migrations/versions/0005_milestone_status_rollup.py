"""milestone status rollup: each milestone's status per review date

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('milestone_status_rollup',
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('update_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('last_reported_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('days_overdue', sa.Integer(), nullable=True),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.Column('due_by', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_milestone_status_rollup_milestone_id_milestone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('as_of', 'due_soon_days', 'milestone_id', name=op.f('pk_milestone_status_rollup'))
    )
    op.create_index('ix_milestone_status_rollup_status', 'milestone_status_rollup', ['as_of', 'due_soon_days', 'status'], unique=False)
    op.create_index('ix_milestone_status_rollup_position', 'milestone_status_rollup', ['as_of', 'due_soon_days', 'position'], unique=False)
    # the item rollups are now built from the milestone rollup: start again
    op.execute("DELETE FROM status_rollup")
    op.execute("DELETE FROM status_rollup_date")


def downgrade() -> None:
    op.drop_index('ix_milestone_status_rollup_position', table_name='milestone_status_rollup')
    op.drop_index('ix_milestone_status_rollup_status', table_name='milestone_status_rollup')
    op.drop_table('milestone_status_rollup')
