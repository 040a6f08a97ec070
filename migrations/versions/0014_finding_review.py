"""finding reviews: a data-quality finding confirmed as right by the admin,
with the reason, kept across imports by the finding's fingerprint

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from store.models import finding_fingerprint

    with op.batch_alter_table('finding') as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))
    op.create_table('finding_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=80), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_finding_review_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_review')),
    sa.UniqueConstraint('plan_id', 'fingerprint', name=op.f('uq_finding_review_plan_id'))
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT f.id, f.kind, f.message, m.key AS milestone_key, w.key AS item_key FROM finding f "
        "LEFT JOIN milestone m ON m.id = f.milestone_id LEFT JOIN work_item w ON w.id = f.work_item_id")).all()
    for row in rows:
        item_key, _, seq = (row.milestone_key or "").rpartition("#")
        bind.execute(sa.text("UPDATE finding SET fingerprint = :fp WHERE id = :id"), {
            "id": row.id, "fp": finding_fingerprint(row.kind, item_key or row.item_key, int(seq) if seq else None,
                                                    row.message)})


def downgrade() -> None:
    op.drop_table('finding_review')
    with op.batch_alter_table('finding') as batch_op:
        batch_op.drop_column('fingerprint')
