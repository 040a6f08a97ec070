"""indicator rollup: each indicator's latest observation, attainment and pace per date

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator_rollup_date',
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('as_of', name=op.f('pk_indicator_rollup_date'))
    )
    op.create_table('indicator_rollup',
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('attainment_raw', sa.Float(), nullable=True),
    sa.Column('attainment', sa.Float(), nullable=True),
    sa.Column('pace', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'],
                            name=op.f('fk_indicator_rollup_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('as_of', 'indicator_id', name=op.f('pk_indicator_rollup'))
    )
    op.create_index('ix_indicator_rollup_city', 'indicator_rollup', ['as_of', 'city_id', 'position'], unique=False)
    op.create_index('ix_indicator_rollup_position', 'indicator_rollup', ['as_of', 'position'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_indicator_rollup_position', table_name='indicator_rollup')
    op.drop_index('ix_indicator_rollup_city', table_name='indicator_rollup')
    op.drop_table('indicator_rollup')
    op.drop_table('indicator_rollup_date')
