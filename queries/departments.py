"""Departments and the work items they take part in, for the department view.

``rates(by="department")`` counts the milestones of the items a department
leads; these queries add what it does not carry: how many items a department
leads and co-operates on, and its role on each item.  A department is a name
within a city (the item's city), as in ``rates``.
"""
from __future__ import annotations

from sqlalchemy import case, distinct, func, select

from queries.aliases import CITY, COUNTY
from queries.cache import cache
from queries.status import Filters, plan_condition
from store import session_scope
from store.models import Department, ItemDepartment, WorkItem

ROLE_LABELS = {"lead": "牵头", "coop": "配合"}


def _involvement(filters: Filters):
    """ItemDepartment joined to its department, item, item's city and plan,
    restricted by the plan / city / county / department filters."""
    city, county = CITY, COUNTY
    stmt = (select()
            .select_from(ItemDepartment)
            .join(Department, Department.id == ItemDepartment.department_id)
            .join(WorkItem, WorkItem.id == ItemDepartment.work_item_id)
            .outerjoin(city, city.id == WorkItem.city_id))
    plans = plan_condition(WorkItem.plan_id, filters)
    if plans is not None:
        stmt = stmt.where(plans)
    if filters.city:
        stmt = stmt.where(city.name == filters.city)
    if filters.county:
        stmt = stmt.outerjoin(county, county.id == WorkItem.county_id).where(county.name == filters.county)
    if filters.department:
        stmt = stmt.where(Department.name == filters.department)
    if filters.item_id is not None:
        stmt = stmt.where(WorkItem.id == filters.item_id)
    return stmt, city


def item_counts(session, filters: Filters = Filters()) -> list[dict]:
    """Per (city, department): the number of work items it leads and co-operates on."""
    stmt, city = _involvement(filters)

    def items_as(role: str):
        return func.count(distinct(case((ItemDepartment.role == role, WorkItem.id)))).label(f"{role}_items")

    stmt = (stmt.add_columns(city.name.label("city"), Department.name.label("department"),
                             items_as("lead"), items_as("coop"))
            .group_by(city.sort_order, city.name, Department.name)
            .order_by(city.sort_order, city.name, Department.name))
    return [dict(r) for r in session.execute(stmt).mappings()]


def roles(session, filters: Filters) -> dict[int, list[str]]:
    """Work item id -> the roles ("lead" first, "coop") of ``filters.department``
    (the office of that name in ``filters.city``, else in every city)."""
    stmt, _ = _involvement(filters)
    stmt = (stmt.add_columns(WorkItem.id, ItemDepartment.role)
            .order_by(WorkItem.id, ItemDepartment.role.desc()))
    out: dict[int, list[str]] = {}
    for item_id, role in session.execute(stmt):
        out.setdefault(item_id, []).append(role)
    return out


@cache.memoize()
def department_items(filters: Filters = Filters()) -> list[dict]:
    with session_scope() as s:
        return item_counts(s, filters)


@cache.memoize()
def department_roles(filters: Filters) -> dict[int, list[str]]:
    with session_scope() as s:
        return roles(s, filters)
