"""Data-quality findings of the imports, with the record each one concerns."""
from __future__ import annotations

from sqlalchemy import and_, func, select

from queries.aliases import CITY
from store.models import Finding, FindingReview, Milestone, Plan, PlanChange, WorkItem, source_label

FINDING_LABELS = {
    "missing_deadline": "缺少完成时间",
    "open_deadline": "完成时间不确定",
    "due_after_deadline": "节点晚于完成时间",
    "unparsed_date": "时间无法识别",
    "unknown_city": "无法确定地市",
    "no_schedule": "未列进度安排",
    "milestone_due_inherited": "节点沿用完成时间",
    "no_milestones": "没有工作节点",
    "unnumbered_step": "未编号的工作计划",
    "assumed_issue_date": "推定成文日期",
    "assumed_issuer": "推定发文机关",
    "no_lead": "未写牵头单位",
    "due_before_issue": "节点早于计划印发",
}


# The fields whose change in the app fixes a finding of a kind (corrections.apply).
FIXED_BY = {"missing_deadline": ("deadline", "due"), "open_deadline": ("deadline", "due"),
            "unparsed_date": ("deadline", "due"), "due_after_deadline": ("due", "deadline"),
            "due_before_issue": ("due",), "milestone_due_inherited": ("due",), "no_lead": ("lead",),
            "unnumbered_step": ("text",)}
STATE_LABELS = {"open": "待处理", "fixed": "已更正", "confirmed": "已确认无误"}


def finding_rows(session, plan: str | None = None) -> list[dict]:
    """One row per finding; ``item_id`` is the work item it concerns (directly or
    through its milestone), None for a finding about the plan as a whole.
    Its state: fixed once its record was changed in the app in a field that
    answers it (FIXED_BY), confirmed once the admin said it is right, else open."""
    city = CITY
    item_id = func.coalesce(Finding.work_item_id, Milestone.work_item_id)
    stmt = (select(Plan.doc_no, Plan.title, Finding, city.name.label("city"), WorkItem.id.label("item_id"),
                   WorkItem.name.label("item"), Milestone.seq, FindingReview.reason, FindingReview.reviewed_by)
            .join(Plan, Plan.id == Finding.plan_id)
            .outerjoin(Milestone, Milestone.id == Finding.milestone_id)
            .outerjoin(WorkItem, WorkItem.id == item_id)
            .outerjoin(city, city.id == WorkItem.city_id)
            .outerjoin(FindingReview, and_(FindingReview.plan_id == Finding.plan_id,
                                           FindingReview.fingerprint == Finding.fingerprint))
            .order_by(Plan.issue_date.desc(), Finding.id))
    if plan:
        stmt = stmt.where(Plan.key == plan)
    rows = session.execute(stmt).mappings().all()
    changed = _changed_fields(session, {r["item_id"] for r in rows if r["item_id"]})
    return [_row(r, changed) for r in rows]


def _changed_fields(session, item_ids: set[int]) -> dict[tuple[int, int | None], set[str]]:
    """(work item, milestone or None) -> the fields changed in the app."""
    changed: dict[tuple[int, int | None], set[str]] = {}
    if item_ids:
        for item, milestone, field in session.execute(
                select(PlanChange.work_item_id, PlanChange.milestone_id, PlanChange.field)
                .where(PlanChange.work_item_id.in_(item_ids))):
            changed.setdefault((item, milestone), set()).add(field)
    return changed


def _row(r, changed) -> dict:
    f = r["Finding"]
    fields = changed.get((r["item_id"], f.milestone_id), set())
    if f.milestone_id is not None:  # a deadline moved answers its milestones' findings too
        fields |= changed.get((r["item_id"], None), set())
    state = "confirmed" if r["reason"] else "fixed" if fields & set(FIXED_BY.get(f.kind, ())) else "open"
    return {
        "finding_id": f.id,
        "plan": r["doc_no"] or r["title"],
        "kind": f.kind,
        "kind_label": FINDING_LABELS.get(f.kind, f.kind),
        "city": r["city"],
        "item_id": r["item_id"],
        "item": r["item"],
        "seq": r["seq"],
        "message": f.message,
        "source": source_label(f.source_file, f.source_line, f.source_where),
        "source_text": f.source_text,
        "state": state,
        "state_label": STATE_LABELS[state],
        "resolution": f"{r['reason']}（{r['reviewed_by']}）" if r["reason"] else "见计划变更记录" if state == "fixed" else "",
    }
