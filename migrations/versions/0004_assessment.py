"""annual assessment: rules, bonus items, published results

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_rules'))
    )
    op.create_table('assessment_bonus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_by', sa.String(length=80), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_assessment_bonus_city_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_bonus'))
    )
    with op.batch_alter_table('assessment_bonus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_bonus_year'), ['year'], unique=False)
    op.create_table('assessment_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('published_by', sa.String(length=80), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_result'))
    )
    with op.batch_alter_table('assessment_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_result_year'), ['year'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assessment_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_result_year'))
    op.drop_table('assessment_result')
    with op.batch_alter_table('assessment_bonus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_bonus_year'))
    op.drop_table('assessment_bonus')
    op.drop_table('assessment_rules')
