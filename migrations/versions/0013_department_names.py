"""department names: what an older store holds, under one name per department
(importers/units.py): variants of a city's department merged into one (its
items, accounts and reports with it), and the units naming no department
(各有关部门, 各县（市、区）政府) moved to their items' scope

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from importers.units import canonical, is_scope, with_scopes

    bind = op.get_bind()
    departments = bind.execute(sa.text("SELECT id, city_id, county_id, name FROM department ORDER BY id")).all()
    groups = defaultdict(list)
    for dept in departments:
        if is_scope(dept.name):
            _to_scope(bind, dept, with_scopes)
        else:
            groups[(dept.city_id, dept.county_id, canonical(dept.name))].append(dept)
    for (_, _, name), same in groups.items():
        keeper = next((d for d in same if d.name == name), same[0])
        for other in same:
            if other.id != keeper.id:
                _merge(bind, other.id, keeper.id)
        if keeper.name != name:
            bind.execute(sa.text("UPDATE department SET name = :name WHERE id = :id"), {"name": name, "id": keeper.id})


def _to_scope(bind, dept, with_scopes) -> None:
    """The unit's items take it as scope text; it stays a department only if an account or report names it."""
    items = bind.execute(sa.text("SELECT w.id, w.scope FROM work_item w JOIN item_department i "
                                 "ON i.work_item_id = w.id WHERE i.department_id = :id"), {"id": dept.id}).all()
    for item in items:
        bind.execute(sa.text("UPDATE work_item SET scope = :scope WHERE id = :id"),
                     {"scope": with_scopes(item.scope, [dept.name]), "id": item.id})
    bind.execute(sa.text("DELETE FROM item_department WHERE department_id = :id"), {"id": dept.id})
    _drop_if_unused(bind, dept.id)


def _merge(bind, old: int, new: int) -> None:
    """Department ``old``'s item roles, accounts and reports are ``new``'s (once
    per item: a unit both leading and co-operating leads); ``old`` goes."""
    roles = bind.execute(sa.text("SELECT work_item_id, role FROM item_department WHERE department_id = :id"),
                         {"id": old}).all()
    for role in roles:
        keys = {"w": role.work_item_id, "r": role.role, "old": old, "new": new}
        has = set(bind.execute(sa.text("SELECT role FROM item_department WHERE work_item_id = :w "
                                       "AND department_id = :new"), keys).scalars())
        if not has:
            bind.execute(sa.text("UPDATE item_department SET department_id = :new WHERE work_item_id = :w "
                                 "AND role = :r AND department_id = :old"), keys)
            continue
        bind.execute(sa.text("DELETE FROM item_department WHERE work_item_id = :w AND role = :r "
                             "AND department_id = :old"), keys)
        if role.role == "lead" and "lead" not in has:  # a unit both leading and co-operating leads
            bind.execute(sa.text("UPDATE item_department SET role = 'lead' WHERE work_item_id = :w "
                                 "AND department_id = :new"), keys)
    for table in ("app_user", "report_submission"):
        bind.execute(sa.text(f"UPDATE {table} SET department_id = :new WHERE department_id = :old"), {"new": new, "old": old})
    bind.execute(sa.text("DELETE FROM department WHERE id = :id"), {"id": old})


def _drop_if_unused(bind, dept_id: int) -> None:
    used = any(bind.execute(sa.text(f"SELECT 1 FROM {table} WHERE department_id = :id"), {"id": dept_id}).first()
               for table in ("app_user", "report_submission", "item_department"))
    if not used:
        bind.execute(sa.text("DELETE FROM department WHERE id = :id"), {"id": dept_id})


def downgrade() -> None:
    """The merged names cannot be told apart again: the store keeps one name per department."""
