"""Status as of a date (DESIGN §5): the one definition used by every page,
export and score.

For a review date D each milestone takes its latest progress update reported
on or before D (time travel: what was known on D), and its due as the plan
stood on D (a due moved in the app from a later date counts from that date
on: ``due_then``; a milestone added in the app counts from its day: ``in_plan``).
Then:

- done_on_time / done_late: reported done, completed on or before D, and on or
  before / after its due date;
- overdue: not done and due before D (days overdue = D - due);
- due_soon: not done and due within the next ``due_soon_days`` days (today included);
- not_due: not done, due later;
- open: no due date (持续推进, 无 …) or cancelled (取消): never overdue, and
  outside every "due by D" denominator.
- pending: reported done but not yet approved by D (审核, reporting.review): a
  completion counts from the day it was approved, so as of D it is neither
  done nor overdue — 已完成（待审核）, counted apart; a claim returned by D is
  judged as not done.

A work item is done when all its (non-cancelled) milestones are done, overdue
when any is overdue; RAG: red = overdue; amber = a milestone due soon or done
late, or nothing reported yet although a milestone is due within the window;
green otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select

from queries.aliases import CITY, ITEM, LATEST_UPDATE
from queries.sqlfuncs import date_param, days_between
from store.models import (
    Department,
    ItemDepartment,
    Milestone,
    Plan,
    PlanChange,
    ProgressUpdate,
    Region,
)

DUE_SOON_DAYS = 30

STATUSES = ("done_on_time", "done_late", "pending", "overdue", "due_soon", "not_due", "open")
STATUS_LABELS = {
    "done_on_time": "按时完成",
    "done_late": "逾期完成",
    "pending": "已完成（待审核）",
    "overdue": "逾期未完成",
    "due_soon": "临期",
    "not_due": "未到期",
    "open": "长期推进",
}
DONE = ("done_on_time", "done_late")


@dataclass(frozen=True)
class Filters:
    """What a view or an export is restricted to (all optional)."""

    plan: str | None = None  # plan key: document number, else title
    year: int | None = None  # the plans of one plan year (what an annual assessment covers)
    city: str | None = None  # 杭州
    county: str | None = None
    department: str | None = None  # a department taking part (lead or co-operating)
    statuses: tuple[str, ...] = ()
    item_id: int | None = None  # one work item (scene, project, task)
    plans: tuple[int, ...] | None = None  # the plans a view covers (queries.scope); None: all


def plan_condition(plan_id, f: Filters):
    """The filters' restriction of a plan id column (plan, year, plans), or None."""
    where = []
    if f.plan:
        where.append(plan_id == select(Plan.id).where(Plan.key == f.plan).scalar_subquery())
    if f.year:
        where.append(plan_id.in_(select(Plan.id).where(Plan.plan_year == f.year)))
    if f.plans is not None:
        where.append(plan_id.in_(f.plans))
    return and_(*where) if where else None


def latest_update_id(as_of: date):
    """Correlated: the id of the milestone's latest update reported by ``as_of``
    (an index seek per milestone on (milestone_id, reported_on, id))."""
    return (select(ProgressUpdate.id)
            .where(ProgressUpdate.milestone_id == Milestone.id, ProgressUpdate.reported_on <= as_of)
            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
            .limit(1)
            .correlate(Milestone)
            .scalar_subquery())


def due_then(as_of: date):
    """The milestones whose due as of ``as_of`` is not their due today — those
    with a change of due in the app counting from a later date — each with
    its due (and the phrase it was written as) before the first such change
    (a small subquery: milestone_id, due, due_text)."""
    c = PlanChange
    later = (select(c.milestone_id, c.due_before.label("due"), c.before.label("due_text"), func.row_number().over(
        partition_by=c.milestone_id, order_by=(c.effective_on, c.id)).label("n"))
        .where(c.field == "due", c.effective_on > date_param(as_of)).subquery("later_due"))
    return select(later.c.milestone_id, later.c.due, later.c.due_text).where(later.c.n == 1).subquery("due_then")


def in_plan(as_of: date):
    """Whether a milestone was in its plan on ``as_of``: one added in the app
    counts from the day it was added, and is left out of every earlier view."""
    return or_(Milestone.added_on.is_(None), Milestone.added_on <= date_param(as_of))


def due_as_of(then, column: str = "due"):
    """A milestone's due (or its phrase: ``column="due_text"``) as of the date
    ``then`` (due_then's subquery, joined) was made for."""
    return case((then.c.milestone_id.is_not(None), then.c[column]), else_=getattr(Milestone, column))


def judged(update, due, as_of: date, due_soon_days: int) -> dict:
    """The columns DESIGN §5 derives from a milestone's latest report ``update``
    (its state, completed_on, review and reviewed_on columns) and its due
    date, as of ``as_of``: completed_on (when done by then), status,
    days_overdue, active, due_by."""
    d = date_param(as_of)
    claimed = and_(update.state == "done", update.completed_on.is_not(None), update.completed_on <= d)
    approved = or_(update.review.is_(None), and_(update.review == "approved", update.reviewed_on <= d))
    returned = and_(update.review == "returned", update.reviewed_on <= d)
    done, pending = and_(claimed, approved), and_(claimed, ~approved, ~returned)
    cancelled = func.coalesce(update.state, "") == "cancelled"
    status = case(
        (and_(done, or_(due.is_(None), update.completed_on <= due)), "done_on_time"),
        (done, "done_late"),
        (pending, "pending"),
        (or_(due.is_(None), cancelled), "open"),
        (due < d, "overdue"),
        (due <= date_param(as_of + timedelta(days=due_soon_days)), "due_soon"),
        else_="not_due",
    )
    return {
        "completed_on": case((done, update.completed_on), else_=None).label("completed_on"),
        "status": status.label("status"),
        "days_overdue": case((and_(~done, ~pending, ~cancelled, due < d), days_between(d, due)), else_=None)
        .label("days_overdue"),
        "active": case((cancelled, 0), else_=1).label("active"),
        "due_by": case((and_(due.is_not(None), due <= d, ~cancelled), 1), else_=0).label("due_by"),
    }


def milestone_status(as_of: date, due_soon_days: int = DUE_SOON_DAYS, among=None):
    """One row per milestone with its status as of ``as_of`` (a subquery);
    ``among``: only the milestones of these ids (a select of them)."""
    lu, then = LATEST_UPDATE, due_then(as_of)
    due = due_as_of(then)
    j = judged(lu, due, as_of, due_soon_days)
    return (
        select(
            Milestone.id.label("milestone_id"),
            Milestone.work_item_id,
            Milestone.plan_id,
            due.label("due"),
            lu.id.label("update_id"),
            lu.state,
            j["completed_on"],
            lu.reported_on.label("last_reported_on"),
            lu.review, lu.reviewed_on,
            lu.note.label("last_note"),
            j["status"], j["days_overdue"], j["active"], j["due_by"],
        )
        .outerjoin(lu, lu.id == latest_update_id(as_of))
        .outerjoin(then, then.c.milestone_id == Milestone.id)
        .where(in_plan(as_of), *([] if among is None else [Milestone.id.in_(among)]))
        .subquery("ms_status")
    )


def apply_filters(stmt, st, item, f: Filters):
    """Restrict a select joined to work item ``item``; the status filter applies
    where there is a status subquery ``st`` (per-milestone selects)."""
    plans = plan_condition(item.plan_id, f)
    if plans is not None:
        stmt = stmt.where(plans)
    if f.city:
        stmt = stmt.where(item.city_id == select(Region.id).where(Region.name == f.city).scalar_subquery())
    if f.county:
        stmt = stmt.where(item.county_id == select(Region.id).where(Region.name == f.county).scalar_subquery())
    if f.department:
        involved = (select(ItemDepartment.work_item_id)
                    .join(Department, Department.id == ItemDepartment.department_id)
                    .where(Department.name == f.department))
        stmt = stmt.where(item.id.in_(involved))
    if f.statuses and st is not None:
        stmt = stmt.where(st.c.status.in_(f.statuses))
    if f.item_id is not None:
        stmt = stmt.where(item.id == f.item_id)
    return stmt


def count_terms(c) -> dict:
    """Each of a milestone's contributions to the DESIGN §5 counts (COUNTS), from
    its status columns ``c`` (a subquery's .c): 1 or 0, its overdue days."""
    is_done = c.status.in_(DONE)

    def one(cond):
        return case((cond, 1), else_=0)

    return {
        "total": one(c.active == 1),
        "done": one(is_done),
        "due_by": one(c.due_by == 1),
        "done_due": one(and_(c.due_by == 1, is_done)),
        "on_time_due": one(and_(c.due_by == 1, c.status == "done_on_time")),
        "done_late": one(c.status == "done_late"),
        "overdue": one(c.status == "overdue"),
        "overdue_days": func.coalesce(c.days_overdue, 0),
        "due_soon": one(c.status == "due_soon"),
        "reported": one(c.state.is_not(None)),
        "pending": one(c.status == "pending"),
    }


def rate_columns(st):
    """The DESIGN §5 counts, as aggregate columns over the status subquery."""
    return [func.sum(term).label(name) for name, term in count_terms(st.c).items()]


GROUPS = ("province", "city", "plan", "department", "item")
COUNTS = ("total", "done", "due_by", "done_due", "on_time_due", "done_late", "overdue", "overdue_days",
          "due_soon", "reported", "pending")


def item_counts(st, statuses: tuple[str, ...] = ()):
    """Per work item, the DESIGN §5 counts over the milestone statuses ``st``
    (milestone_status, or its stored copy in queries.rollup): a select of
    work_item_id + COUNTS.  Every rate is a sum of these."""
    stmt = select(st.c.work_item_id, *rate_columns(st)).group_by(st.c.work_item_id)
    if statuses:
        stmt = stmt.where(st.c.status.in_(statuses))
    return stmt


def group_keys(by: str) -> dict:
    """The columns the rows of a grouping are named by (GROUPS)."""
    item, city = ITEM, CITY
    return {
        "province": {},
        "city": {"city": city.name},
        "plan": {"plan": Plan.key, "title": Plan.title},
        "department": {"city": city.name, "department": Department.name},
        "item": {"item_id": item.id, "item_key": item.key, "item": item.name, "city": city.name},
    }[by]


def red(overdue):
    """1 for a work item with any overdue milestone (its ``overdue`` count), else 0."""
    return case((overdue > 0, 1), else_=0)


def rates(session, as_of: date, by: str = "province", filters: Filters = Filters(),
          due_soon_days: int = DUE_SOON_DAYS, counts=None, worst: int | None = None) -> list[dict]:
    """Counts and rates per province / city / plan / department / item as of ``as_of``.

    Each row: the group's name, the counts (numerators and denominators) and
    进度完成率 (progress_rate), 按时完成率 (on_time_rate), 总体完成率 (overall_rate),
    None where the denominator is zero.  ``counts`` is a precomputed per-item
    select (queries.rollup); by default they are computed here.  ``worst=n``
    keeps the n groups with the most overdue days.
    """
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}; one of {GROUPS}")
    if counts is None:
        counts = item_counts(milestone_status(as_of, due_soon_days), filters.statuses)
    ic = counts.subquery("item_counts")
    item, city = ITEM, CITY
    keys = group_keys(by)
    per_item = by == "item"  # the counts are per item already: nothing to sum, group or join twice
    if per_item:
        sums = [cast(ic.c[name], Integer).label(name) for name in COUNTS]
        sums += [literal(1).label("items"), red(ic.c.overdue).label("items_red")]
    else:  # (PostgreSQL sums integers as NUMERIC: cast back so every backend returns ints)
        sums = [cast(func.coalesce(func.sum(ic.c[name]), 0), Integer).label(name) for name in COUNTS]
        sums += [func.count().label("items"),  # work items with milestones, and those with any overdue
                 cast(func.coalesce(func.sum(red(ic.c.overdue)), 0), Integer).label("items_red")]
    stmt = select(*[col.label(name) for name, col in keys.items()], *sums).select_from(ic)
    if by != "province" or narrowed(filters):  # (the province's sums need no other table)
        stmt = stmt.join(item, item.id == ic.c.work_item_id)
    if "city" in keys:
        stmt = stmt.outerjoin(city, city.id == item.city_id)
    if by == "plan":
        stmt = stmt.join(Plan, Plan.id == item.plan_id)
    if by == "department":
        stmt = (stmt.join(ItemDepartment, and_(ItemDepartment.work_item_id == item.id,
                                               ItemDepartment.role == "lead"))
                .join(Department, Department.id == ItemDepartment.department_id))
    stmt = apply_filters(stmt, None, item, filters)
    if keys:
        # cities in the province's customary order (杭州, 宁波, 温州 …), not by code point
        order = [city.sort_order] if "city" in keys else []
        group = [*order, *keys.values()] + ([item.sort_order] if per_item else [])
        stmt = stmt.order_by(*group) if per_item else stmt.group_by(*group).order_by(*group)
    if worst:  # the groups with the most overdue days first, only those with any
        overdue, days = (ic.c.overdue, ic.c.overdue_days) if per_item else \
            (func.sum(ic.c.overdue), func.sum(ic.c.overdue_days))
        stmt = (stmt.where(overdue > 0) if per_item else stmt.having(overdue > 0)).order_by(None).order_by(
            days.desc(), *([item.sort_order] if per_item else [])).limit(worst)
    return [with_rates(dict(row), by) for row in session.execute(stmt).mappings()]


def summable(by: str, filters: Filters, worst: int | None = None) -> bool:
    """Whether rates() can be summed from per-plan/city/county group rows
    (group_rates): by province, city or plan, restricted by plan, year, city or
    county only (a department, a status or an item needs the items' own counts)."""
    return (by in ("province", "city", "plan") and not worst and not filters.department
            and not filters.statuses and filters.item_id is None)


def group_rates(session, groups, by: str, filters: Filters = Filters()) -> list[dict]:
    """rates()'s rows summed from the stored group rows ``groups`` (a select of
    plan_id, city_id, county_id, COUNTS, items, items_red: queries.rollup),
    where summable() says they hold what the filters ask for."""
    g, city = groups.subquery("group_counts"), CITY
    keys = group_keys(by)
    sums = [cast(func.coalesce(func.sum(g.c[name]), 0), Integer).label(name) for name in (*COUNTS, "items", "items_red")]
    stmt = select(*[col.label(name) for name, col in keys.items()], *sums).select_from(g)
    if by == "city":
        stmt = stmt.outerjoin(city, city.id == g.c.city_id)
    if by == "plan":
        stmt = stmt.join(Plan, Plan.id == g.c.plan_id)
    plans = plan_condition(g.c.plan_id, filters)
    if plans is not None:
        stmt = stmt.where(plans)
    for column, name in ((g.c.city_id, filters.city), (g.c.county_id, filters.county)):
        if name:
            stmt = stmt.where(column == select(Region.id).where(Region.name == name).scalar_subquery())
    if keys:
        group = [*([city.sort_order] if by == "city" else []), *keys.values()]  # the province's order of cities
        stmt = stmt.group_by(*group).order_by(*group)
    return [with_rates(dict(row), by) for row in session.execute(stmt).mappings()]


def narrowed(filters: Filters) -> bool:
    """Whether the filters restrict the work items (the status filter restricts milestones)."""
    return any((filters.plan, filters.year, filters.city, filters.county, filters.department,
                filters.item_id is not None, filters.plans is not None))


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def with_rates(row: dict, by: str) -> dict:
    row["progress_rate"] = _ratio(row["done_due"], row["due_by"])
    row["on_time_rate"] = _ratio(row["on_time_due"], row["due_by"])
    row["overall_rate"] = _ratio(row["done"], row["total"])
    if by == "item":
        row.update(item_rollup(row))
    return row


def item_rollup(row: dict) -> dict:
    """Work-item status and RAG from its milestone counts (see module docstring)."""
    if row["total"] and row["done"] == row["total"]:
        status = "done"
    elif row["overdue"]:
        status = "overdue"
    elif row["due_soon"] and not row["reported"]:
        status = "not_started"
    else:
        status = "in_progress"
    if row["overdue"]:
        rag = "red"
    elif row["due_soon"] or row["done_late"]:
        rag = "amber"
    else:
        rag = "green"
    return {"item_status": status, "rag": rag}


