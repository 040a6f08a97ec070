"""adjustment requests: a city or department editor asks to move a
milestone's time or to cancel it; the admin approves or rejects it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('adjustment_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('due_text', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=80), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.String(length=80), nullable=True),
    sa.Column('decided_at', sa.Date(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_adjustment_request_milestone_id_milestone'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'],
                            name=op.f('fk_adjustment_request_work_item_id_work_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjustment_request'))
    )
    for column in ('work_item_id', 'milestone_id', 'requested_by', 'state'):
        op.create_index(op.f(f'ix_adjustment_request_{column}'), 'adjustment_request', [column], unique=False)


def downgrade() -> None:
    for column in ('work_item_id', 'milestone_id', 'requested_by', 'state'):
        op.drop_index(op.f(f'ix_adjustment_request_{column}'), table_name='adjustment_request')
    op.drop_table('adjustment_request')
