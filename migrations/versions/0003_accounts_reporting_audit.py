"""accounts, reporting, audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('target_kind', sa.String(length=20), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_username'), ['username'], unique=False)

    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_app_user_city_id_region')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_app_user_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('report_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reported_by', sa.String(length=80), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('updates', sa.Integer(), nullable=False),
    sa.Column('observations', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['region.id'], name=op.f('fk_report_submission_city_id_region')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_report_submission_department_id_department')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_report_submission_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_submission'))
    )
    with op.batch_alter_table('report_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_submission_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_submission_period'), ['period'], unique=False)

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_version', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('indicator_observation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_indicator_observation_submission_id'), ['submission_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_indicator_observation_submission_id_report_submission'), 'report_submission', ['submission_id'], ['id'])

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_version', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_progress_update_submission_id'), ['submission_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_progress_update_submission_id_report_submission'), 'report_submission', ['submission_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_progress_update_submission_id_report_submission'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_progress_update_submission_id'))
        batch_op.drop_column('submission_id')

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_column('report_version')

    with op.batch_alter_table('indicator_observation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_indicator_observation_submission_id_report_submission'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_indicator_observation_submission_id'))
        batch_op.drop_column('submission_id')

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('report_version')

    with op.batch_alter_table('report_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_submission_period'))
        batch_op.drop_index(batch_op.f('ix_report_submission_city_id'))

    op.drop_table('report_submission')
    op.drop_table('app_user')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_username'))
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))
        batch_op.drop_index(batch_op.f('ix_login_failure_address'))

    op.drop_table('login_failure')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
