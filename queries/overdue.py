"""The overdue and due-soon milestones counted in SQL: the totals the 逾期与临期
page heads with and its bars per city or per lead department, from the stored
statuses (queries.rollup), without fetching the rows."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import Integer, and_, case, cast, func, select

from queries.aliases import CITY, ITEM, LEAD
from queries.cache import cache
from queries.rollup import stored_status
from queries.status import Filters, apply_filters
from queries.status_table import CHASED, status_rows
from store import session_scope
from store.models import Department

UNNAMED = "（未注明）"


def chased(st, min_days: int | None):
    """The milestones the page lists: overdue (by ``min_days`` days or more, when
    given) or due soon (only when no ``min_days``)."""
    if min_days:
        return and_(st.c.status == "overdue", st.c.days_overdue >= min_days)
    return st.c.status.in_(CHASED)


def _counted(session, as_of: date, filters: Filters, min_days: int | None):
    st = stored_status(session, as_of, current_app.config["DUE_SOON_DAYS"], CHASED)
    item, city = ITEM, CITY
    overdue = st.c.status == "overdue"

    def n(cond):
        return cast(func.coalesce(func.sum(case((cond, 1), else_=0)), 0), Integer)

    stmt = (select(n(overdue).label("overdue"), n(st.c.status == "due_soon").label("due_soon"),
                   cast(func.coalesce(func.sum(case((overdue, st.c.days_overdue), else_=0)), 0), Integer)
                   .label("days"))
            .select_from(st).join(item, item.id == st.c.work_item_id).outerjoin(city, city.id == item.city_id)
            .where(chased(st, min_days)))
    return apply_filters(stmt, st, item, filters), st, item, city


@cache.memoize()
def overdue_totals(as_of: date, filters: Filters, min_days: int | None) -> dict:
    """overdue, due_soon, days (sum), longest, items and cities with any overdue."""
    with session_scope() as s:
        stmt, st, item, city = _counted(s, as_of, filters, min_days)
        overdue = st.c.status == "overdue"
        stmt = stmt.add_columns(
            func.coalesce(func.max(case((overdue, st.c.days_overdue))), 0).label("longest"),
            func.count(func.distinct(case((overdue, item.id)))).label("items"),
            func.count(func.distinct(case((overdue, city.id)))).label("cities"))
        return dict(s.execute(stmt).mappings().one())


@cache.memoize()
def overdue_groups(as_of: date, filters: Filters, min_days: int | None, by: str = "city") -> list[dict]:
    """Per city (``by="city"``) or per lead department (``"lead"``: a milestone
    counts for each of its item's leads): name, overdue, due_soon, days; the
    group with most overdue first."""
    with session_scope() as s:
        stmt, st, item, city = _counted(s, as_of, filters, min_days)
        if by == "city":
            stmt = stmt.add_columns(city.name.label("name")).group_by(city.name, city.sort_order)
        else:
            lead = LEAD
            stmt = (stmt.outerjoin(lead, and_(lead.work_item_id == item.id, lead.role == "lead"))
                    .outerjoin(Department, Department.id == lead.department_id)
                    .add_columns(Department.name.label("name")).group_by(Department.name))
        rows = [dict(r) for r in s.execute(stmt).mappings()]
    for r in rows:
        r["name"] = r["name"] or UNNAMED
    return sorted(rows, key=lambda g: (-g["overdue"], -g["days"], -g["due_soon"]))


@cache.memoize()
def worst_rows(as_of: date, filters: Filters, min_days: int | None, limit: int) -> list[dict]:
    """The first ``limit`` milestones to chase, worst first (queries.status_table)."""
    with session_scope() as s:
        return status_rows(s, as_of, filters, current_app.config["DUE_SOON_DAYS"], limit=limit,
                           chased=lambda st: chased(st, min_days))
