"""plan changes the assessment does not count (不影响考核) and the request
they answer; milestones added to a plan in the app, from their date;
indicator definitions changed in the app, from their date; files kept in
the store (a request's 附件); observations by the day they were reported

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan_change') as batch:
        batch.add_column(sa.Column('keeps_score', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_plan_change_request_id_adjustment_request'), 'adjustment_request',
                                 ['request_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('milestone') as batch:
        batch.add_column(sa.Column('added_on', sa.Date(), nullable=True))
        batch.create_index(batch.f('ix_milestone_added_on'), ['added_on'], unique=False)


    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=80), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['adjustment_request.id'],
                            name=op.f('fk_stored_file_request_id_adjustment_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('request_id', name=op.f('uq_stored_file_request_id'))
    )
    op.create_index(op.f('ix_stored_file_sha256'), 'stored_file', ['sha256'], unique=False)
    op.create_index('ix_observation_reported', 'indicator_observation', ['reported_on'], unique=False)
    op.execute("DELETE FROM indicator_rollup")  # (derived: judged again with 约束性 as it stood)
    op.execute("DELETE FROM indicator_rollup_date")
    with op.batch_alter_table('indicator_rollup') as batch:
        batch.add_column(sa.Column('binding', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('indicator_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.String(length=80), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_change_indicator_id_indicator'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_indicator_change_plan_id_plan'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_change'))
    )
    op.create_index('ix_indicator_change_effective', 'indicator_change', ['effective_on', 'indicator_id'], unique=False)
    op.create_index(op.f('ix_indicator_change_indicator_id'), 'indicator_change', ['indicator_id'], unique=False)
    op.create_index(op.f('ix_indicator_change_plan_id'), 'indicator_change', ['plan_id'], unique=False)


def downgrade() -> None:
    op.drop_table('indicator_change')
    with op.batch_alter_table('indicator_rollup') as batch:
        batch.drop_column('binding')
    op.drop_index('ix_observation_reported', table_name='indicator_observation')
    op.drop_table('stored_file')
    with op.batch_alter_table('milestone') as batch:
        batch.drop_index(batch.f('ix_milestone_added_on'))
        batch.drop_column('added_on')
    with op.batch_alter_table('plan_change') as batch:
        batch.drop_constraint(batch.f('fk_plan_change_request_id_adjustment_request'), type_='foreignkey')
        batch.drop_column('request_id')
        batch.drop_column('keeps_score')
