"""Work items in detail, for the city and item pages: an item's header (plan,
region, departments, parent, sub-scenes, children), where its milestones were
read from, its progress-update history and data-quality findings, and the
work-item list of a city.  Statuses are not computed here: they come from
queries/status.py through queries/api.py.

The raw functions take a session; the memoized wrappers at the bottom take
plain hashable arguments and are what the pages call.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from queries.aliases import CITY, COUNTY, RELATED_ITEM, SUB_ITEM
from queries.cache import cache
from queries.findings import FINDING_LABELS
from queries.status import Filters, plan_condition
from queries.status_table import departments_of
from store import session_scope
from store.clock import local_text
from store.models import (
    CHANGE_FIELDS,
    CHANNELS,
    MAIL_STATES,
    NOTICE_KINDS,
    PROGRESS_STATES,
    Department,
    Finding,
    ItemDepartment,
    Milestone,
    Notification,
    Plan,
    PlanChange,
    ProgressUpdate,
    ReportSubmission,
    User,
    WorkItem,
    source_label,
)

# The items that carry milestones and are assessed; groups and sub-scenes only structure them.
ASSESSED_KINDS = ("scene", "project", "task")
ORIGIN_LABELS = {"demo": "演示数据", "import": "导入时已完成", "report": "报送", "plan": "计划调整"}
KIND_LABELS = {"scene": "场景", "sub_scene": "子场景", "project": "项目", "task": "任务", "group": "任务组"}


def display_name(name: str, county: str | None) -> str:
    """钱江分应用（萧山区）: a county variant is its own item and says so."""
    return f"{name}（{county}）" if county else name


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def header_row(session, item_id: int) -> dict | None:
    """Everything the item page shows above its tables; None for an unknown id."""
    city, county = CITY, COUNTY
    found = session.execute(
        select(WorkItem, Plan, city.name, county.name)
        .join(Plan, Plan.id == WorkItem.plan_id)
        .outerjoin(city, city.id == WorkItem.city_id)
        .outerjoin(county, county.id == WorkItem.county_id)
        .where(WorkItem.id == item_id)
    ).one_or_none()
    if found is None:
        return None
    item, plan, city_name, county_name = found
    depts = departments_of(session, {item.id})[item.id]
    related, related_county = RELATED_ITEM, COUNTY
    rows = session.execute(
        select(related.id, related.kind, related.number, related.name, related.description,
               related.parent_id, related.source_file, related.source_line, related.source_text, related.source_where,
               related_county.name.label("county"))
        .outerjoin(related_county, related_county.id == related.county_id)
        .where(or_(related.parent_id == item.id, related.id == item.parent_id))
        .order_by(related.sort_order, related.id)
    ).mappings().all()

    def brief(r) -> dict:
        return {"id": r["id"], "kind": r["kind"], "number": r["number"], "name": r["name"],
                "county": r["county"]}

    parent = next((brief(r) for r in rows if r["id"] == item.parent_id), None)
    children = [r for r in rows if r["parent_id"] == item.id]
    return {
        "id": item.id, "kind": item.kind, "kind_label": KIND_LABELS.get(item.kind, item.kind),
        "number": item.number, "name": item.name, "item_type": item.item_type, "scope": item.scope,
        "description": item.description, "deadline": _iso(item.deadline),
        "deadline_text": item.deadline_text, "deadline_precision": item.deadline_precision,
        "source": source_label(item.source_file, item.source_line, item.source_where), "source_text": item.source_text,
        "plan_key": plan.key, "plan": plan.label, "plan_doc_no": plan.doc_no, "plan_title": plan.title,
        "plan_issuer": plan.issuer, "plan_issue_date": _iso(plan.issue_date),
        "city": city_name, "city_id": item.city_id, "county": county_name, "lead": depts["lead"], "coop": depts["coop"],
        "parent": parent,
        "sub_scenes": [{**brief(r), "description": r["description"],
                        "source": source_label(r["source_file"], r["source_line"], r["source_where"]),
                        "source_text": r["source_text"]}
                       for r in children if r["kind"] == "sub_scene"],
        "children": [brief(r) for r in children if r["kind"] != "sub_scene"],
    }


def milestone_source_rows(session, item_id: int) -> list[dict]:
    """The item's milestones with the sentence each was read from, in document order."""
    sub = SUB_ITEM
    stmt = (select(Milestone.id, Milestone.seq, Milestone.text, Milestone.due_text,
                   Milestone.due_precision, Milestone.due_inherited, Milestone.source_file,
                   Milestone.source_line, Milestone.source_text, Milestone.source_where, Milestone.added_on,
                   sub.name.label("sub_item"))
            .outerjoin(sub, sub.id == Milestone.sub_item_id)
            .where(Milestone.work_item_id == item_id)
            .order_by(sub.sort_order, Milestone.seq, Milestone.id))
    return [{"milestone_id": r["id"], "seq": r["seq"], "milestone": r["text"], "sub_item": r["sub_item"],
             "due_text": r["due_text"], "due_precision": r["due_precision"],
             "due_inherited": r["due_inherited"],
             "source": source_label(r["source_file"], r["source_line"], r["source_where"])
             or (f"管理员新增（{r['added_on'].isoformat()}起计）" if r["added_on"] else None),
             "source_text": r["source_text"]}
            for r in session.execute(stmt).mappings()]


def history_rows(session, item_id: int, as_of: date) -> list[dict]:
    """Every progress update of the item's milestones, newest report first.
    Updates reported after ``as_of`` are kept but flagged ``after_as_of``: they
    were not known on that day and do not count in its statuses."""
    sub = SUB_ITEM
    stmt = (select(ProgressUpdate, Milestone.seq, Milestone.text, sub.name.label("sub_item"),
                   ReportSubmission.channel)
            .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
            .outerjoin(sub, sub.id == Milestone.sub_item_id)
            .outerjoin(ReportSubmission, ReportSubmission.id == ProgressUpdate.submission_id)
            .where(Milestone.work_item_id == item_id)
            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()))
    out = []
    for r in session.execute(stmt).mappings():
        u: ProgressUpdate = r["ProgressUpdate"]
        out.append({
            "update_id": u.id, "milestone_id": u.milestone_id, "reported_on": u.reported_on.isoformat(),
            "period": u.period, "seq": r["seq"], "sub_item": r["sub_item"], "milestone": r["text"],
            "state": u.state, "state_text": PROGRESS_STATES.get(u.state, u.state),
            "completed_on": _iso(u.completed_on), "note": u.note, "evidence": u.evidence,
            "reported_by": u.reported_by, "origin": u.origin, "reported_at": local_text(u.created_at),
            "channel": CHANNELS.get(r["channel"]) or ORIGIN_LABELS.get(u.origin, u.origin),
            "after_as_of": u.reported_on > as_of,
        })
    return out


def item_finding_rows(session, item_id: int) -> list[dict]:
    """The import's data-quality findings about the item or one of its milestones."""
    stmt = (select(Finding, Milestone.seq)
            .outerjoin(Milestone, Milestone.id == Finding.milestone_id)
            .where(or_(Finding.work_item_id == item_id, Milestone.work_item_id == item_id))
            .order_by(Finding.id))
    return [{"kind": f.kind, "kind_label": FINDING_LABELS.get(f.kind, f.kind), "seq": seq,
             "message": f.message, "source": source_label(f.source_file, f.source_line, f.source_where)}
            for f, seq in session.execute(stmt)]


def change_rows(session, item_id: int) -> list[dict]:
    """The plan's changes made in the app to the item and its milestones, newest first."""
    stmt = (select(PlanChange, Milestone.seq).outerjoin(Milestone, Milestone.id == PlanChange.milestone_id)
            .where(PlanChange.work_item_id == item_id).order_by(PlanChange.id.desc()))
    return [{"changed_at": local_text(c.changed_at), "effective_on": c.effective_on.isoformat(),
             "what": (f"节点{seq} " if seq is not None else "") + CHANGE_FIELDS.get(c.field, c.field),
             "before": c.before or "（空）", "after": c.after or "（空）", "reason": c.reason,
             "changed_by": c.changed_by} for c, seq in session.execute(stmt)]


def reminder_rows(session, item_id: int, limit: int = 300) -> list[dict]:
    """The reminders sent about the item's milestones (notices.reminders), newest
    first: to whom, when, about which milestone, read or not, mailed or not."""
    n = Notification
    stmt = (select(n, Milestone.seq, User.display_name).join(Milestone, Milestone.id == n.milestone_id)
            .join(User, User.id == n.user_id).where(Milestone.work_item_id == item_id)
            .order_by(n.id.desc()).limit(limit))
    return [{"created_at": local_text(x.created_at), "kind": NOTICE_KINDS.get(x.kind, x.kind), "seq": seq,
             "to": name, "read": "已读" if x.read_at else "未读",
             "mail": MAIL_STATES.get(x.mail, x.mail)}
            for x, seq, name in session.execute(stmt)]


def _assessed_items(columns, filters: Filters):
    """A select of ``columns`` over the assessed work items matching the plan /
    city / county / department filters (statuses are ignored: an item has no
    single status), joined to their plan, city and county."""
    city, county = CITY, COUNTY
    stmt = (select(*columns)
            .select_from(WorkItem)
            .join(Plan, Plan.id == WorkItem.plan_id)
            .outerjoin(city, city.id == WorkItem.city_id)
            .outerjoin(county, county.id == WorkItem.county_id)
            .where(WorkItem.kind.in_(ASSESSED_KINDS)))
    plans = plan_condition(WorkItem.plan_id, filters)
    if plans is not None:
        stmt = stmt.where(plans)
    if filters.city:
        stmt = stmt.where(city.name == filters.city)
    if filters.county:
        stmt = stmt.where(county.name == filters.county)
    if filters.department:
        stmt = stmt.where(WorkItem.id.in_(
            select(ItemDepartment.work_item_id)
            .join(Department, Department.id == ItemDepartment.department_id)
            .where(Department.name == filters.department)))
    if filters.item_id is not None:
        stmt = stmt.where(WorkItem.id == filters.item_id)
    return stmt


def item_rows(session, filters: Filters = Filters(), limit: int | None = None) -> list[dict]:
    """The assessed work items matching the filters, in document order (the
    first ``limit``), with their plan, region, type, scope, deadline and departments."""
    stmt = (_assessed_items((WorkItem.id, WorkItem.kind, WorkItem.number, WorkItem.name, WorkItem.item_type,
                             WorkItem.scope, WorkItem.deadline, WorkItem.deadline_text, Plan.key.label("plan_key"),
                             Plan.doc_no, Plan.title, CITY.name.label("city"), COUNTY.name.label("county")), filters)
            .order_by(Plan.issue_date.desc(), Plan.id, CITY.sort_order, WorkItem.sort_order, WorkItem.id)
            .limit(limit))
    rows = session.execute(stmt).mappings().all()
    depts = departments_of(session, {r["id"] for r in rows})
    return [{"item_id": r["id"], "kind": r["kind"], "plan_key": r["plan_key"],
             "plan": r["doc_no"] or r["title"], "item_no": r["number"], "item": r["name"],
             "city": r["city"], "county": r["county"], "item_type": r["item_type"], "scope": r["scope"],
             "deadline": _iso(r["deadline"]), "deadline_text": r["deadline_text"],
             "lead": depts[r["id"]]["lead"], "coop": depts[r["id"]]["coop"]}
            for r in rows]


# --- memoized, for the pages -------------------------------------------------

@cache.memoize()
def item_header(item_id: int) -> dict | None:
    with session_scope() as s:
        return header_row(s, item_id)


@cache.memoize()
def milestone_sources(item_id: int) -> list[dict]:
    with session_scope() as s:
        return milestone_source_rows(s, item_id)


@cache.memoize()
def update_history(item_id: int, as_of: date) -> list[dict]:
    with session_scope() as s:
        return history_rows(s, item_id, as_of)


@cache.memoize()
def plan_changes(item_id: int) -> list[dict]:
    with session_scope() as s:
        return change_rows(s, item_id)


@cache.memoize()
def reminders(item_id: int) -> list[dict]:
    with session_scope() as s:
        return reminder_rows(s, item_id)


@cache.memoize()
def item_findings(item_id: int) -> list[dict]:
    with session_scope() as s:
        return item_finding_rows(s, item_id)


@cache.memoize()
def item_list(filters: Filters = Filters(), limit: int | None = None) -> list[dict]:
    with session_scope() as s:
        return item_rows(s, filters, limit)


@cache.memoize()
def item_count(filters: Filters = Filters()) -> int:
    with session_scope() as s:
        return s.scalar(_assessed_items((func.count(),), filters))
