"""The status table (台账): one row per milestone with its item, departments and
status as of a date, the shape shared by the CLI export and the pages."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case, select

from queries.aliases import CITY, COUNTY, ITEM, LATEST_UPDATE, SUB_ITEM
from queries.rollup import stored_status
from queries.sqlfuncs import iso_date
from queries.status import DONE, DUE_SOON_DAYS, Filters, apply_filters, due_as_of, due_then, narrowed
from store.models import Department, ItemDepartment, Milestone, Plan

# JSON keys of a status row, in order (the CLI contract of export-status).
STATUS_KEYS = ("plan", "city", "county", "item_no", "item", "sub_item", "item_type", "scope",
               "lead", "coop", "deadline", "seq", "milestone", "due", "due_text", "status",
               "completed_on", "days_overdue")
CHASED = ("overdue", "due_soon")  # the statuses of the milestones a 催办 list chases


def status_rows(session, as_of: date, filters: Filters = Filters(),
                due_soon_days: int = DUE_SOON_DAYS, done_reported_after: date | None = None,
                limit: int | None = None, where=None, due_within: tuple[date, date] | None = None,
                chased=None, milestones: set[int] | None = None) -> list[dict]:
    """The status table; ``done_reported_after`` keeps the milestones whose
    completion was reported after that day (newest first), ``limit`` cuts the
    list, ``where(item)`` (a condition on the work item), ``due_within``
    (first, last: due dates, both included) and ``milestones`` (ids) narrow
    it, all in SQL.
    ``chased(st)`` (a condition on the statuses, queries.overdue) keeps
    milestones to chase (of CHASED), worst first: most days overdue, then due soon by the
    nearest due date, ties in the table's order."""
    item, sub, city, county, latest = ITEM, SUB_ITEM, CITY, COUNTY, LATEST_UPDATE
    among = filters.statuses or (DONE if done_reported_after else CHASED if chased is not None else None)
    st = stored_status(session, as_of, due_soon_days, among)
    then = due_then(as_of)

    def order(rows):  # the list's order, of the status rows ``rows``
        if done_reported_after:
            return (rows.c.last_reported_on.desc(), rows.c.completed_on.desc(), rows.c.milestone_id)
        if chased is not None:
            return (case((rows.c.status == "overdue", 0), else_=1), rows.c.days_overdue.desc(),
                    case((rows.c.status == "due_soon", rows.c.due)), rows.c.position)
        return (rows.c.position,)  # the table's order (queries.rollup.table_position)

    # the rows of the list, chosen (and cut) on the narrow status rows; only
    # those are then joined to what the table shows
    pick = select(st)
    if narrowed(filters) or where is not None:
        pick = pick.join(item, item.id == st.c.work_item_id)
    pick = apply_filters(pick, st, item, filters)
    if where is not None:
        pick = pick.where(where(item))
    if due_within:
        pick = pick.where(st.c.due.between(*due_within))
    if milestones is not None:
        pick = pick.where(st.c.milestone_id.in_(milestones))
    if chased is not None:
        pick = pick.where(chased(st))
    if done_reported_after:  # (an index range on the stored report dates)
        pick = pick.where(st.c.last_reported_on > done_reported_after, st.c.status.in_(DONE))
    chosen = pick.order_by(*order(st)).limit(limit).subquery("chosen")
    stmt = (
        select(
            Plan.doc_no, Plan.title, city.name.label("city"), county.name.label("county"),
            item.id.label("item_id"), item.number, item.name.label("item"),
            sub.name.label("sub_item"), item.item_type, item.scope, iso_date(item.deadline).label("deadline"),
            Milestone.id.label("milestone_id"), Milestone.seq, Milestone.text, iso_date(chosen.c.due).label("due"),
            due_as_of(then, "due_text").label("due_text"), chosen.c.status, iso_date(chosen.c.completed_on).label("completed_on"),
            chosen.c.days_overdue, chosen.c.state, iso_date(chosen.c.last_reported_on).label("last_reported_on"),
            latest.note.label("last_note"), latest.review, latest.completed_on.label("reported_completed_on"),
            Plan.key.label("plan_key"), Milestone.report_version,
            Plan.kind.label("plan_kind"), item.deadline_text,
        )
        .select_from(chosen)
        .join(Milestone, Milestone.id == chosen.c.milestone_id)
        .outerjoin(then, then.c.milestone_id == Milestone.id)  # the due as the plan stood then
        .outerjoin(latest, latest.id == chosen.c.update_id)
        .join(item, item.id == chosen.c.work_item_id)
        .outerjoin(sub, sub.id == Milestone.sub_item_id)
        .join(Plan, Plan.id == chosen.c.plan_id)
        .outerjoin(city, city.id == item.city_id)
        .outerjoin(county, county.id == item.county_id)
        .order_by(*order(chosen))
    )
    rows = session.execute(stmt).mappings().all()
    depts = departments_of(session, {r["item_id"] for r in rows})
    return [
        {
            "plan": r["doc_no"] or r["title"],
            "city": r["city"],
            "county": r["county"],
            "item_no": r["number"],
            "item": r["item"],
            "sub_item": r["sub_item"],
            "item_type": r["item_type"],
            "scope": r["scope"],
            "lead": depts[r["item_id"]]["lead"],
            "coop": depts[r["item_id"]]["coop"],
            "deadline": _iso(r["deadline"]),
            "seq": r["seq"],
            "milestone": r["text"],
            "due": _iso(r["due"]),
            "due_text": r["due_text"],
            "status": r["status"],
            "completed_on": _iso(r["completed_on"]),
            "days_overdue": r["days_overdue"],
            # beyond the export contract: for the pages
            "item_id": r["item_id"], "milestone_id": r["milestone_id"], "plan_key": r["plan_key"],
            "plan_title": r["title"], "plan_kind": r["plan_kind"], "deadline_text": r["deadline_text"],
            "state": r["state"], "last_reported_on": _iso(r["last_reported_on"]),
            "last_note": r["last_note"], "version": r["report_version"], "review": r["review"],
            "reported_completed_on": _iso(r["reported_completed_on"]),  # (a completion awaiting review too)
        }
        for r in rows
    ]


def departments_of(session, item_ids: set[int]) -> dict[int, dict[str, list[str]]]:
    """item id -> {"lead": [...], "coop": [...]}, in the document's order."""
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "coop": []})
    if item_ids:
        stmt = (select(ItemDepartment.work_item_id, ItemDepartment.role, Department.name)
                .join(Department, Department.id == ItemDepartment.department_id)
                .where(ItemDepartment.work_item_id.in_(item_ids))
                .order_by(ItemDepartment.work_item_id, ItemDepartment.position))
        for item_id, role, name in session.execute(stmt):
            out[item_id][role].append(name)
    return out


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value
