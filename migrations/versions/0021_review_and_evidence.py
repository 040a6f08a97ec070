"""审核: a completion's review (pending, approved, returned) and who acts next;
the status rollups keep the review and count 待审核; a milestone's 佐证材料
kept as stored files; locked reporting months

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

ROLLUPS = ('status_rollup_date', 'status_rollup', 'status_rollup_group', 'milestone_status_rollup')


def upgrade() -> None:
    with op.batch_alter_table('progress_update') as batch:
        batch.add_column(sa.Column('review', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('review_stage', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('reviewed_by', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('review_comment', sa.Text(), nullable=True))
        batch.create_index('ix_progress_update_review', ['review', 'review_stage', 'reported_on', 'id'], unique=False)
    for table in ROLLUPS:  # (derived: built again with the review when next read)
        op.execute(f"DELETE FROM {table}")
    with op.batch_alter_table('milestone_status_rollup') as batch:
        batch.add_column(sa.Column('review', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
    for table in ('status_rollup', 'status_rollup_group'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('pending', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('stored_file') as batch:
        batch.add_column(sa.Column('milestone_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_stored_file_milestone_id_milestone'), 'milestone',
                                 ['milestone_id'], ['id'], ondelete='CASCADE')
        batch.create_index(batch.f('ix_stored_file_milestone_id'), ['milestone_id'], unique=False)
    op.create_table('period_lock',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('locked_by', sa.String(length=80), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_period_lock'))
    )


def downgrade() -> None:
    op.drop_table('period_lock')
    with op.batch_alter_table('stored_file') as batch:
        batch.drop_index(batch.f('ix_stored_file_milestone_id'))
        batch.drop_constraint(batch.f('fk_stored_file_milestone_id_milestone'), type_='foreignkey')
        batch.drop_column('milestone_id')
    for table in ROLLUPS:
        op.execute(f"DELETE FROM {table}")
    for table in ('status_rollup', 'status_rollup_group'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('pending')
    with op.batch_alter_table('milestone_status_rollup') as batch:
        batch.drop_column('reviewed_on')
        batch.drop_column('review')
    with op.batch_alter_table('progress_update') as batch:
        batch.drop_index('ix_progress_update_review')
        for column in ('review_comment', 'reviewed_by', 'reviewed_on', 'review_stage', 'review'):
            batch.drop_column(column)
