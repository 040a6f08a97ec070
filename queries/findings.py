"""Data-quality findings of the imports, with the record each one concerns."""
from __future__ import annotations

from sqlalchemy import func, select

from queries.aliases import CITY
from store.models import Finding, Milestone, Plan, WorkItem, source_label

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


def finding_rows(session, plan: str | None = None) -> list[dict]:
    """One row per finding; ``item_id`` is the work item it concerns (directly or
    through its milestone), None for a finding about the plan as a whole."""
    city = CITY
    item_id = func.coalesce(Finding.work_item_id, Milestone.work_item_id)
    stmt = (select(Plan.doc_no, Plan.title, Finding, city.name.label("city"), WorkItem.id.label("item_id"),
                   WorkItem.name.label("item"), Milestone.seq)
            .join(Plan, Plan.id == Finding.plan_id)
            .outerjoin(Milestone, Milestone.id == Finding.milestone_id)
            .outerjoin(WorkItem, WorkItem.id == item_id)
            .outerjoin(city, city.id == WorkItem.city_id)
            .order_by(Plan.issue_date.desc(), Finding.id))
    if plan:
        stmt = stmt.where(Plan.key == plan)
    return [{
        "plan": r["doc_no"] or r["title"],
        "kind": r["Finding"].kind,
        "kind_label": FINDING_LABELS.get(r["Finding"].kind, r["Finding"].kind),
        "city": r["city"],
        "item_id": r["item_id"],
        "item": r["item"],
        "seq": r["seq"],
        "message": r["Finding"].message,
        "source": source_label(r["Finding"].source_file, r["Finding"].source_line, r["Finding"].source_where),
        "source_text": r["Finding"].source_text,
    } for r in session.execute(stmt).mappings()]
