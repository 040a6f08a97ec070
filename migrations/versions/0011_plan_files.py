"""plan files: the file each import read, kept in the store with who imported
it; files uploaded for a preview and not imported yet; each record's place in
a Word, Excel or PDF file

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


SOURCED = ('work_item', 'milestone', 'indicator', 'finding')


def upgrade() -> None:
    for table in SOURCED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('source_where', sa.String(length=80), nullable=True))
    with op.batch_alter_table('import_run') as batch_op:
        batch_op.add_column(sa.Column('imported_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
    op.create_table('pending_upload',
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_pending_upload_user_id_app_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_pending_upload'))
    )
    op.create_index(op.f('ix_pending_upload_user_id'), 'pending_upload', ['user_id'], unique=False)
    op.create_index(op.f('ix_pending_upload_uploaded_at'), 'pending_upload', ['uploaded_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_pending_upload_uploaded_at'), table_name='pending_upload')
    op.drop_index(op.f('ix_pending_upload_user_id'), table_name='pending_upload')
    op.drop_table('pending_upload')
    with op.batch_alter_table('import_run') as batch_op:
        batch_op.drop_column('content')
        batch_op.drop_column('imported_by')
    for table in SOURCED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('source_where')
