"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('doc_no', sa.String(length=60), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('plan_year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('source_file', sa.String(length=200), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('key', name=op.f('uq_plan_key'))
    )
    op.create_table('region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['region.id'], name=op.f('fk_region_parent_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('name', name=op.f('uq_region_name'))
    )
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_department_city_id_region')),
    sa.ForeignKeyConstraint(['county_id'], ['region.id'], name=op.f('fk_department_county_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('city_id', 'county_id', 'name', name=op.f('uq_department_city_id'))
    )
    op.create_table('import_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('source_file', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_import_run_plan_id_plan'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_run'))
    )
    op.create_table('work_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('item_type', sa.String(length=10), nullable=True),
    sa.Column('scope', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_text', sa.String(length=200), nullable=True),
    sa.Column('deadline_precision', sa.String(length=12), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('source_file', sa.String(length=200), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_work_item_city_id_region')),
    sa.ForeignKeyConstraint(['county_id'], ['region.id'], name=op.f('fk_work_item_county_id_region')),
    sa.ForeignKeyConstraint(['parent_id'], ['work_item.id'], name=op.f('fk_work_item_parent_id_work_item')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_work_item_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_item')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_work_item_plan_id'))
    )
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_item_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_item_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_item_plan_id'), ['plan_id'], unique=False)

    op.create_table('item_department',
    sa.Column('work_item_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_item_department_department_id_department')),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_item_department_work_item_id_work_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_item_id', 'department_id', 'role', name=op.f('pk_item_department'))
    )
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=140), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=False),
    sa.Column('sub_item_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('due_text', sa.String(length=200), nullable=True),
    sa.Column('due_precision', sa.String(length=12), nullable=False),
    sa.Column('due_start', sa.Date(), nullable=True),
    sa.Column('due_inherited', sa.Boolean(), nullable=False),
    sa.Column('source_file', sa.String(length=200), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_milestone_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sub_item_id'], ['work_item.id'], name=op.f('fk_milestone_sub_item_id_work_item')),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_milestone_work_item_id_work_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_milestone_plan_id'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_work_item_id'), ['work_item_id'], unique=False)

    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=True),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('source_file', sa.String(length=200), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_finding_milestone_id_milestone'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_finding_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_finding_work_item_id_work_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_plan_id'), ['plan_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=140), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('work_item_id', sa.Integer(), nullable=True),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('comparator', sa.String(length=2), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('target_max', sa.Float(), nullable=True),
    sa.Column('target_text', sa.String(length=200), nullable=True),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('baseline_text', sa.String(length=200), nullable=True),
    sa.Column('direction', sa.String(length=6), nullable=False),
    sa.Column('qualitative', sa.Boolean(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('due_text', sa.String(length=200), nullable=True),
    sa.Column('attribute', sa.String(length=10), nullable=True),
    sa.Column('source_file', sa.String(length=200), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_indicator_city_id_region')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_indicator_milestone_id_milestone'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_indicator_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_indicator_work_item_id_work_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_indicator_plan_id'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_plan_id'), ['plan_id'], unique=False)

    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('reported_by', sa.String(length=80), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_progress_update_milestone_id_milestone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update'))
    )
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_update_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_index('ix_progress_update_ms_reported', ['milestone_id', 'reported_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_update_reported_on'), ['reported_on'], unique=False)

    op.create_table('indicator_observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reported_by', sa.String(length=80), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_observation_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_observation'))
    )
    with op.batch_alter_table('indicator_observation', schema=None) as batch_op:
        batch_op.create_index('ix_observation_ind_observed', ['indicator_id', 'observed_on', 'reported_on', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('indicator_observation', schema=None) as batch_op:
        batch_op.drop_index('ix_observation_ind_observed')

    op.drop_table('indicator_observation')
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_update_reported_on'))
        batch_op.drop_index('ix_progress_update_ms_reported')
        batch_op.drop_index(batch_op.f('ix_progress_update_milestone_id'))

    op.drop_table('progress_update')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_plan_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_plan_id'))

    op.drop_table('finding')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_work_item_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_plan_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_due'))

    op.drop_table('milestone')
    op.drop_table('item_department')
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_item_plan_id'))
        batch_op.drop_index(batch_op.f('ix_work_item_parent_id'))
        batch_op.drop_index(batch_op.f('ix_work_item_city_id'))

    op.drop_table('work_item')
    op.drop_table('import_run')
    op.drop_table('department')
    op.drop_table('region')
    op.drop_table('plan')
