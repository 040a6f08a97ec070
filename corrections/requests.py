"""计划调整申请: a city or department editor asks to move a milestone's time or
to cancel it, for a milestone of its own items, with a reason; the admin
approves (the change is made by corrections.apply, counting from the
approval) or rejects it, with a comment; the requester sees the outcome.

Who may ask for what is the reporting scope (accounts.scope): the same
milestones an editor reports on.  Every step is checked here, on the server,
against the store; the browser's values are only what the user asks for.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from accounts.scope import Scope, writable_ids
from corrections.apply import MAX_REASON, CorrectionError, Edit, admin_of, cancel_milestone, correct, current_values
from importers.dates import UNPARSED, parse_due
from queries.rollup import refresh_rollups
from reporting.entries import MAX_NOTE, normalised
from reporting.locks import is_locked
from store import clock
from store.audit import record
from store.models import (
    PROGRESS_STATES,
    REQUEST_KINDS,
    REQUEST_STATES,
    AdjustmentRequest,
    Milestone,
    Plan,
    ProgressUpdate,
    User,
    WorkItem,
)
from queries.requests import wanted_text
from store.periods import period_label

KINDS, STATES = REQUEST_KINDS, REQUEST_STATES
MAX_PENDING = 3  # open requests per milestone, so no account can grow the store without bound


@dataclass(frozen=True)
class Correction:
    """更正: how the report on a locked month should read (as the form sent it)."""

    period: str | None = None
    state: str | None = None
    completed_on: str | None = None  # YYYY-MM-DD
    note: str | None = None


def submit_request(session, account, milestone_id, kind, due_text, reason,
                   correction: Correction = Correction(), today: date | None = None) -> AdjustmentRequest:
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
        problems.append("请选择申请类型：调整完成时间、取消节点或更正已锁定月份的报送。")
    reason = normalised(reason) if isinstance(reason, str) else ""
    if not reason:
        problems.append("请填写申请理由。")
    elif len(reason) > MAX_REASON:
        problems.append(f"理由不超过 {MAX_REASON} 字。")
    phrase = " ".join(normalised(due_text).split()) if isinstance(due_text, str) else ""
    if kind == "move":
        plan_year = session.scalar(select(Plan.plan_year).where(Plan.id == milestone.plan_id))
        if not phrase:
            problems.append("请填写调整后的完成时间，如“2021年9月底前”。")
        elif len(phrase) > 200 or parse_due(phrase, plan_year).precision == UNPARSED:
            problems.append(f"无法识别的时间「{phrase[:40]}」：请写明日期，如“2021年9月底前”“2021-09-30”“三季度”。")
        elif phrase == (milestone.due_text or ""):
            problems.append("调整后的完成时间与现在相同。")
    fix = _correction_problems(session, milestone, correction, today or clock.today(), problems) \
        if kind == "correct" else {}
    pending = session.scalar(select(func.count()).select_from(AdjustmentRequest).where(
        AdjustmentRequest.milestone_id == milestone.id, AdjustmentRequest.state == "pending"))
    if pending >= MAX_PENDING:
        problems.append("该节点已有待审批的申请，请等待审批结果。")
    if problems:
        raise CorrectionError(problems)
    request = AdjustmentRequest(work_item_id=milestone.work_item_id, milestone_id=milestone.id, kind=kind,
                                due_text=phrase if kind == "move" else None, reason=reason,
                                requested_by=user.username, state="pending", **fix)
    session.add(request)
    session.flush()
    record(session, user.username, "request.submit", _label(session, request), "request", request.id, None,
           {"申请": KINDS[kind], "调整为": request.due_text or wanted_text(request), "理由": reason})
    return request


def _correction_problems(session, milestone: Milestone, c: Correction, today: date, problems: list[str]) -> dict:
    """The columns of a 更正 request, its problems added to ``problems``: a locked
    month, a state, a completion date for 已完成 only (not in the future, not
    before the plan), a note within MAX_NOTE."""
    fix = {"period": c.period if isinstance(c.period, str) else None,
           "report_state": c.state if c.state in PROGRESS_STATES else None,
           "report_completed_on": _day(c.completed_on),
           "report_note": normalised(c.note)[:MAX_NOTE + 1] or None}
    if fix["period"] is None or not is_locked(session, fix["period"], today):
        problems.append("更正只适用于已锁定的月份，请选择要更正的月份；未锁定的月份直接在“进度填报”中修改。")
    if fix["report_state"] is None:
        problems.append("请选择更正后的报送状态。")
    elif fix["report_state"] == "done":
        issued = session.scalar(select(Plan.issue_date).where(Plan.id == milestone.plan_id))
        if fix["report_completed_on"] is None:
            problems.append("状态为“已完成”时请填写完成日期。")
        elif not issued <= fix["report_completed_on"] <= today:
            problems.append(f"完成日期应在计划印发日期 {issued} 和今天之间。")
    elif fix["report_completed_on"] is not None:
        problems.append("只有“已完成”才填写完成日期。")
    if fix["report_note"] and len(fix["report_note"]) > MAX_NOTE:
        problems.append(f"进展说明不超过 {MAX_NOTE} 字。")
    return fix


def _day(text) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None


def _write_correction(session, request: AdjustmentRequest, admin: User, today: date) -> None:
    """The approved 更正, written as a report of the requester on the locked
    month (counted as reviewed: the admin approved it), dated today."""
    milestone = session.get(Milestone, request.milestone_id)
    requester = session.scalar(select(User).where(User.username == request.requested_by))
    milestone.report_version += 1
    done = request.report_state == "done"
    update = ProgressUpdate(
        milestone_id=milestone.id, reported_on=today, period=request.period, state=request.report_state,
        completed_on=request.report_completed_on, note=request.report_note,
        reported_by=requester.display_name if requester else request.requested_by, origin="report",
        version=milestone.report_version, **({"review": "approved", "reviewed_on": today,
                                               "reviewed_by": admin.username} if done else {}))
    session.add(update)
    record(session, admin.username, "progress.report", _label(session, request), "milestone", milestone.id, None,
           {"更正": period_label(request.period or ""), "状态": PROGRESS_STATES[request.report_state],
            "完成日期": request.report_completed_on, "进展说明": request.report_note, "申请": f"#{request.id}"})
    session.flush()
    refresh_rollups(session, today, {milestone.id})


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
    comment = normalised(comment) if isinstance(comment, str) else ""
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
        elif request.kind == "cancel":
            cancel_milestone(session, account, request.milestone_id, why, today, today, keeps_score, request.id)
        else:
            _write_correction(session, request, user, today)
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
