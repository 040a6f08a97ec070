"""催办: the office chases a unit about some milestones, with a message and a
reply-by date; the unit answers.  A 计划调整申请 may ask to correct a report
on a locked month (更正)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('urge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=False),
    sa.Column('sent_by', sa.String(length=80), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=80), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_urge_city_id_region')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_urge_department_id_department'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urge'))
    )
    op.create_index(op.f('ix_urge_sent_at'), 'urge', ['sent_at'], unique=False)
    op.create_table('urge_milestone',
    sa.Column('urge_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_urge_milestone_milestone_id_milestone'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['urge_id'], ['urge.id'], name=op.f('fk_urge_milestone_urge_id_urge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('urge_id', 'milestone_id', name=op.f('pk_urge_milestone'))
    )
    op.create_index(op.f('ix_urge_milestone_milestone_id'), 'urge_milestone', ['milestone_id'], unique=False)
    with op.batch_alter_table('adjustment_request') as batch:
        batch.add_column(sa.Column('period', sa.String(length=7), nullable=True))
        batch.add_column(sa.Column('report_state', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('report_completed_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('report_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('adjustment_request') as batch:
        for column in ('report_note', 'report_completed_on', 'report_state', 'period'):
            batch.drop_column(column)
    op.drop_table('urge_milestone')
    op.drop_table('urge')
