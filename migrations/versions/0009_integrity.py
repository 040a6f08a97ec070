"""integrity: the report version each progress update made (the base a later
report is compared with comes from the store, never from the browser); login
sessions kept in the store (logging out ends one on the server); rollup dates
with when they were built and whether a report made them stale (the store
keeps a bounded number of the dates readers ask for)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('progress_update') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
    op.create_table('login_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_login_session_user_id_app_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session'))
    )
    op.create_index(op.f('ix_login_session_user_id'), 'login_session', ['user_id'], unique=False)
    op.create_index(op.f('ix_login_session_created_at'), 'login_session', ['created_at'], unique=False)
    for table in ('status_rollup_date', 'indicator_rollup_date'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('built_at', sa.DateTime(), nullable=False,
                                          server_default=sa.func.current_timestamp()))
            batch_op.add_column(sa.Column('stale', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('status_rollup_date') as batch_op:
        batch_op.add_column(sa.Column('whole', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('status_rollup_date') as batch_op:
        batch_op.drop_column('whole')
    for table in ('status_rollup_date', 'indicator_rollup_date'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('stale')
            batch_op.drop_column('built_at')
    op.drop_table('login_session')
    with op.batch_alter_table('progress_update') as batch_op:
        batch_op.drop_column('version')
