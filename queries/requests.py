"""计划调整申请 as the pages list them, and the milestones an editor may ask about."""
from __future__ import annotations

from sqlalchemy import select

from queries.aliases import CITY
from store.clock import local_text
from store.models import (
    PROGRESS_STATES,
    REQUEST_KINDS,
    REQUEST_STATES,
    AdjustmentRequest,
    Milestone,
    PlanChange,
    StoredFile,
    WorkItem,
)
from store.periods import period_label

KINDS, STATES = REQUEST_KINDS, REQUEST_STATES


def request_rows(session, requested_by: str | None = None, state: str | None = None, limit: int = 500) -> list[dict]:
    """Requests, newest first: one account's (``requested_by``) or everyone's, of one ``state`` or all."""
    r, city = AdjustmentRequest, CITY
    keeps_score = select(PlanChange.id).where(PlanChange.request_id == r.id, PlanChange.keeps_score.is_(True)).exists()
    stmt = (select(r, WorkItem.name.label("item"), city.name.label("city"), Milestone.seq, Milestone.due_text,
                   keeps_score.label("keeps_score"), StoredFile.name.label("file_name"))
            .join(WorkItem, WorkItem.id == r.work_item_id).join(Milestone, Milestone.id == r.milestone_id)
            .outerjoin(city, city.id == WorkItem.city_id).outerjoin(StoredFile, StoredFile.request_id == r.id)
            .order_by(r.id.desc()).limit(limit))
    if requested_by is not None:
        stmt = stmt.where(r.requested_by == requested_by)
    if state is not None:
        stmt = stmt.where(r.state == state)
    return [{
        "request_id": row.AdjustmentRequest.id, "requested_at": local_text(row.AdjustmentRequest.requested_at),
        "requested_by": row.AdjustmentRequest.requested_by, "city": row.city or "全省",
        "item_id": row.AdjustmentRequest.work_item_id, "item": row.item, "seq": row.seq,
        "kind_label": KINDS[row.AdjustmentRequest.kind], "due_text": row.due_text or "（无）",
        "wanted": wanted_text(row.AdjustmentRequest), "reason": row.AdjustmentRequest.reason,
        "state": row.AdjustmentRequest.state, "state_label": STATES[row.AdjustmentRequest.state],
        "comment": row.AdjustmentRequest.comment or "", "score_text": "不影响考核" if row.keeps_score else "",
        "file_name": row.file_name or "", "decided_by": row.AdjustmentRequest.decided_by or "",
        "decided_at": row.AdjustmentRequest.decided_at.isoformat() if row.AdjustmentRequest.decided_at else "",
    } for row in session.execute(stmt)]


def wanted_text(request: AdjustmentRequest) -> str:
    """What a request asks for, as the lists say it."""
    if request.kind == "move":
        return request.due_text or ""
    if request.kind == "cancel":
        return "取消该节点"
    done = f"（{request.report_completed_on}）" if request.report_completed_on else ""
    return (f"{period_label(request.period or '')}报送更正为：{PROGRESS_STATES.get(request.report_state, '')}{done}"
            + (f"，{request.report_note}" if request.report_note else ""))


def milestone_options(session, condition, item_id: int | None = None, limit: int = 3000) -> list[dict]:
    """The milestones ``condition`` (accounts.scope) allows, as dropdown options:
    城市 · 事项 · 节点N（现：时间）."""
    city = CITY
    stmt = (select(Milestone.id, Milestone.seq, Milestone.due_text, WorkItem.name, city.name.label("city"))
            .join(WorkItem, WorkItem.id == Milestone.work_item_id).outerjoin(city, city.id == WorkItem.city_id)
            .where(condition).order_by(WorkItem.plan_id, WorkItem.sort_order, Milestone.seq).limit(limit))
    if item_id is not None:
        stmt = stmt.where(WorkItem.id == item_id)
    return [{"value": r.id, "label": f"{r.city or '全省'} · {r.name[:30]} · 节点{r.seq}（现：{r.due_text or '无时限'}）"}
            for r in session.execute(stmt)]
