"""计划调整申请: a city or department editor asks to move a milestone's time or
to cancel it, for a milestone of its own items, with a reason; the admin
approves (the change is made by corrections.apply, counting from the
approval) or rejects it, with a comment; the requester sees the outcome.

Who may ask for what is the reporting scope (accounts.scope): the same
milestones an editor reports on.  Every step is checked here, on the server,
against the store; the browser's values are only what the user asks for.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from accounts.scope import Scope, writable_ids
from corrections.apply import MAX_REASON, CorrectionError, Edit, admin_of, cancel_milestone, correct, current_values
from importers.dates import UNPARSED, parse_due
from store.audit import record
from store.models import REQUEST_KINDS, REQUEST_STATES, AdjustmentRequest, Milestone, Plan, User, WorkItem

KINDS, STATES = REQUEST_KINDS, REQUEST_STATES
MAX_PENDING = 3  # open requests per milestone, so no account can grow the store without bound


def submit_request(session, account, milestone_id, kind, due_text, reason) -> AdjustmentRequest:
    """A request of ``account`` (a city or department editor) about one of its
    milestones.  CorrectionError: nothing written."""
    user = session.get(User, account.user_id) if account is not None else None
    user = user if user is not None and user.active else None
    if user is None or user.role not in ("city", "department"):
        raise CorrectionError(["管理员请直接更正计划；只有地市、部门填报员提交调整申请。"
                               if user is not None and user.role == "admin" else "只有地市、部门填报员可以提交调整申请。"])
    ms_id = milestone_id if isinstance(milestone_id, int) and not isinstance(milestone_id, bool) \
        and 0 < milestone_id < 2**31 else None
    milestone = session.get(Milestone, ms_id) if ms_id else None
    if milestone is None or not writable_ids(session, Scope.of(account), Milestone, {milestone.id}):
        raise CorrectionError(["只能为本地市或本部门牵头的工作节点提交申请，请从列表中选择节点。"])
    problems = []
    if kind not in KINDS:
        problems.append("请选择申请类型：调整完成时间或取消节点。")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        problems.append("请填写申请理由。")
    elif len(reason) > MAX_REASON:
        problems.append(f"理由不超过 {MAX_REASON} 字。")
    phrase = " ".join(due_text.split()) if isinstance(due_text, str) else ""
    if kind == "move":
        plan_year = session.scalar(select(Plan.plan_year).where(Plan.id == milestone.plan_id))
        if not phrase:
            problems.append("请填写调整后的完成时间，如“2021年9月底前”。")
        elif len(phrase) > 200 or parse_due(phrase, plan_year).precision == UNPARSED:
            problems.append(f"无法识别的时间「{phrase[:40]}」：请写明日期，如“2021年9月底前”“2021-09-30”“三季度”。")
        elif phrase == (milestone.due_text or ""):
            problems.append("调整后的完成时间与现在相同。")
    pending = session.scalar(select(func.count()).select_from(AdjustmentRequest).where(
        AdjustmentRequest.milestone_id == milestone.id, AdjustmentRequest.state == "pending"))
    if pending >= MAX_PENDING:
        problems.append("该节点已有待审批的申请，请等待审批结果。")
    if problems:
        raise CorrectionError(problems)
    request = AdjustmentRequest(work_item_id=milestone.work_item_id, milestone_id=milestone.id, kind=kind,
                                due_text=phrase if kind == "move" else None, reason=reason,
                                requested_by=user.username, state="pending")
    session.add(request)
    session.flush()
    record(session, user.username, "request.submit", _label(session, request), "request", request.id, None,
           {"申请": KINDS[kind], "调整为": request.due_text, "理由": reason})
    return request


def decide(session, account, request_id, approve: bool, comment, today: date,
           keeps_score: bool = False) -> AdjustmentRequest:
    """The admin approves (the change is made, counting from ``today``; marked
    不影响考核 with ``keeps_score``: the assessment keeps the original plan) or
    rejects a pending request.  CorrectionError: nothing written."""
    user = admin_of(session, account, "只有管理员可以审批调整申请，未作任何修改。")
    request = session.get(AdjustmentRequest, request_id) if isinstance(request_id, int) \
        and not isinstance(request_id, bool) and 0 < request_id < 2**31 else None
    if request is None or request.state != "pending":
        raise CorrectionError(["该申请不存在或已处理，请刷新页面。"])
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > MAX_REASON:
        raise CorrectionError([f"审批意见不超过 {MAX_REASON} 字。"])
    if not approve and not comment:
        raise CorrectionError(["驳回时请填写审批意见，说明原因。"])
    if approve:
        why = f"调整申请 #{request.id}（{request.requested_by}）：{request.reason}"
        if request.kind == "move":
            item = session.get(WorkItem, request.work_item_id)
            seen = current_values(session, item)[("due", request.milestone_id)]
            correct(session, account, item.id, [Edit("due", request.due_text, seen, request.milestone_id)],
                    why, today, today, keeps_score=keeps_score, request_id=request.id)
        else:
            cancel_milestone(session, account, request.milestone_id, why, today, today, keeps_score, request.id)
    request.state = "approved" if approve else "rejected"
    request.decided_by, request.decided_at, request.comment = user.username, today, comment or None
    record(session, user.username, "request.approve" if approve else "request.reject", _label(session, request),
           "request", request.id, {"状态": STATES["pending"]},
           {"状态": STATES[request.state], "意见": comment, **({"不影响考核": "是"} if approve and keeps_score else {})})
    session.flush()
    return request


def pending_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AdjustmentRequest)
                          .where(AdjustmentRequest.state == "pending")) or 0


def _label(session, request: AdjustmentRequest) -> str:
    item = session.scalar(select(WorkItem.name).where(WorkItem.id == request.work_item_id)) or ""
    seq = session.scalar(select(Milestone.seq).where(Milestone.id == request.milestone_id))
    return f"{item[:40]} 节点{seq}：{KINDS[request.kind]}"
