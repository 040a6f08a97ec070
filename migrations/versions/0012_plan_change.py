"""plan changes: corrections and adjustments of a plan made in the app, with
their reason, author and the date from which each counts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('due_before', sa.Date(), nullable=True),
    sa.Column('due_after', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.String(length=80), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_plan_change_milestone_id_milestone'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_change_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_plan_change_work_item_id_work_item'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_change'))
    )
    op.create_index(op.f('ix_plan_change_plan_id'), 'plan_change', ['plan_id'], unique=False)
    op.create_index(op.f('ix_plan_change_work_item_id'), 'plan_change', ['work_item_id'], unique=False)
    op.create_index('ix_plan_change_milestone_due', 'plan_change', ['milestone_id', 'field', 'effective_on', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_plan_change_milestone_due', table_name='plan_change')
    op.drop_index(op.f('ix_plan_change_work_item_id'), table_name='plan_change')
    op.drop_index(op.f('ix_plan_change_plan_id'), table_name='plan_change')
    op.drop_table('plan_change')
