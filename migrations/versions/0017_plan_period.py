"""plan periods: whose plan it is (a city's own, else the province's), its
period (issue date to its last named date) and its archiving

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from importers.front import whose
    from store.plan_period import planned_end

    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('city_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch.add_column(sa.Column('period_end', sa.Date(), nullable=True))
        batch.add_column(sa.Column('period_set_by', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('archived_by', sa.String(length=80), nullable=True))
        batch.create_foreign_key(batch.f('fk_plan_city_id_region'), 'region', ['city_id'], ['id'])
    bind = op.get_bind()
    cities = dict(bind.execute(sa.text("SELECT name, id FROM region WHERE level = 'city'")).all())
    for plan in bind.execute(sa.text("SELECT id, issuer, doc_no, title, plan_year, issue_date FROM plan")).all():
        issued = plan.issue_date if not isinstance(plan.issue_date, str) else date.fromisoformat(
            plan.issue_date[:10])
        city, _ = whose(plan.issuer, plan.doc_no, plan.title)
        bind.execute(sa.text("UPDATE plan SET city_id = :city, period_start = :start, period_end = :end "
                             "WHERE id = :id"),
                     {"city": cities.get(city), "start": issued,
                      "end": planned_end(bind, plan.id, plan.plan_year, issued), "id": plan.id})
    with op.batch_alter_table('plan') as batch:
        batch.alter_column('period_start', existing_type=sa.Date(), nullable=False)
        batch.alter_column('period_end', existing_type=sa.Date(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('plan') as batch:
        batch.drop_constraint(batch.f('fk_plan_city_id_region'), type_='foreignkey')
        for column in ('archived_by', 'archived_at', 'period_set_by', 'period_end', 'period_start', 'city_id'):
            batch.drop_column(column)
