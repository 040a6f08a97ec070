"""department merges: another name of a city's department (read by imports),
and the admin's merges of one department into another, kept for undo

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('department_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_department_alias_city_id_region')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_department_alias_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_alias')),
    sa.UniqueConstraint('city_id', 'name', name=op.f('uq_department_alias_city_id'))
    )
    op.create_index(op.f('ix_department_alias_department_id'), 'department_alias', ['department_id'], unique=False)
    op.create_table('department_merge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('from_name', sa.String(length=200), nullable=False),
    sa.Column('into_id', sa.Integer(), nullable=False),
    sa.Column('moved', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('merged_by', sa.String(length=80), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_department_merge_city_id_region')),
    sa.ForeignKeyConstraint(['county_id'], ['region.id'], name=op.f('fk_department_merge_county_id_region')),
    sa.ForeignKeyConstraint(['into_id'], ['department.id'], name=op.f('fk_department_merge_into_id_department'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_merge'))
    )


def downgrade() -> None:
    op.drop_table('department_merge')
    op.drop_index(op.f('ix_department_alias_department_id'), table_name='department_alias')
    op.drop_table('department_alias')
