"""审核: a completion an editor reports counts once it is reviewed.

A department's 已完成 goes to its city office (the city editors of the item's
city), a city's to the province office (the admin); with REVIEW_LEVELS = 2 a
department's goes on to the province once its city passed it; with 0 nothing
is reviewed.  The reviewer approves (通过: the completion counts from that
day, queries.status) or returns it with a reason (退回: judged as not done;
the editor reports it again).  The admin's own reports, imports and the demo
data count when reported.

Every decision is checked here, on the server, against the store: the
update must be the milestone's latest report and still pending, at a stage
the account reviews, for an item in its scope, and not its own report; and
every decision is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import select, update

from notices.reminders import notify
from queries.approvals import still_latest
from queries.rollup import refresh_rollups
from store.audit import record
from reporting.entries import normalised
from store.models import (
    REVIEW_COLUMNS,
    REVIEW_STAGES,
    REVIEW_STATES,
    Milestone,
    ProgressUpdate,
    ReportSubmission,
    User,
    WorkItem,
)

MAX_COMMENT = 500
MAX_BATCH = 500  # completions decided in one go


class ReviewError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def first_stage(role: str, item_city_id: int | None, levels: int) -> str | None:
    """Who reviews a completion reported by an account of ``role`` first: the
    city office (a department's, on an item of a city), the province (a
    city's, or a department's on a province-wide item), or nobody (None)."""
    if levels < 1 or role not in ("city", "department"):
        return None
    return "city" if role == "department" and item_city_id is not None else "province"


def review_of(role: str, item_city_id: int | None, levels: int, state: str, completed_on,
              latest: ProgressUpdate | None) -> dict:
    """The review columns of a new report: a completion waits for review,
    unless it repeats one already counted (the same completion date,
    approved or never reviewed: a note edited does not undo the approval)."""
    if state != "done":
        return {}
    if latest is not None and latest.state == "done" and latest.completed_on == completed_on \
            and latest.review in (None, "approved"):
        return {c: getattr(latest, c) for c in ("review", "reviewed_on", "reviewed_by", "review_comment")}
    stage = first_stage(role, item_city_id, levels)
    return {"review": "pending", "review_stage": stage} if stage else {}


def may_review(user: User, stage: str | None, item_city_id: int | None) -> bool:
    """Whether ``user`` decides at ``stage``: the admin at either, a city
    editor at the city stage of its own city's items."""
    if user.role == "admin":
        return stage in ("city", "province")
    return user.role == "city" and stage == "city" and item_city_id is not None and item_city_id == user.city_id


@dataclass(frozen=True)
class Decided:
    approved: int  # counted from today
    passed_on: int  # passed by the city, waiting for the province
    returned: int


def decide(session, account, update_ids, approve: bool, comment, today: date, levels: int) -> Decided:
    """Approve (通过) or return (退回, a reason required) the pending completions
    ``update_ids`` as ``account``; all of them or none (ReviewError)."""
    user = session.get(User, account.user_id) if account is not None else None
    if user is None or not user.active or user.role not in ("admin", "city"):
        raise ReviewError(["只有管理员和地市填报员可以审核，未作任何修改。"])
    ids = _ids(update_ids)
    comment = " ".join(normalised(comment).split()) if isinstance(comment, str) else ""
    if not ids:
        raise ReviewError(["请勾选要审核的完成情况。"])
    if len(comment) > MAX_COMMENT:
        raise ReviewError([f"审核意见不超过 {MAX_COMMENT} 字。"])
    if not approve and not comment:
        raise ReviewError(["退回时请填写理由，填报单位将看到它。"])
    rows = session.execute(
        select(ProgressUpdate, WorkItem.city_id, ReportSubmission.user_id, Milestone.seq, WorkItem.name)
        .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
        .join(WorkItem, WorkItem.id == Milestone.work_item_id)
        .outerjoin(ReportSubmission, ReportSubmission.id == ProgressUpdate.submission_id)
        .where(ProgressUpdate.id.in_(ids))).all()
    latest = set(session.scalars(select(ProgressUpdate.id).where(ProgressUpdate.id.in_(ids), still_latest())))
    problems = [f"编号 {i} 不存在" for i in sorted(ids - {u.id for u, *_ in rows})]
    for u, city_id, reporter, seq, item in rows:
        label = f"{item[:20]} 节点{seq}"
        if u.review != "pending":
            problems.append(f"{label}：已审核，不能再次审核")
        elif u.id not in latest:
            problems.append(f"{label}：已有新的报送，请审核最新的一次")
        elif reporter == user.id:
            problems.append(f"{label}：不能审核本人报送的完成情况")
        elif not may_review(user, u.review_stage, city_id):
            problems.append(f"{label}：不在您的审核范围内")
    if problems:
        raise ReviewError(problems)
    counts = {"approved": 0, "passed_on": 0, "returned": 0}
    for u, _city, reporter, seq, item in rows:
        outcome, new = _decision(u, user, approve, levels, comment, today)
        counts[outcome] += 1
        # compare-and-swap: a reviewer deciding the same row at the same moment leaves this one nothing to do
        swapped = session.execute(update(ProgressUpdate).where(
            ProgressUpdate.id == u.id, ProgressUpdate.review == "pending", ProgressUpdate.review_stage == u.review_stage)
            .values(**new).execution_options(synchronize_session=False))
        if swapped.rowcount != 1:
            raise ReviewError([f"{item[:20]} 节点{seq}：刚被他人审核，请刷新后再试"])
        after = SimpleNamespace(**{c: getattr(u, c) for c in REVIEW_COLUMNS + ("completed_on",)} | new)
        record(session, user.username, "review.approve" if approve else "review.return",
               f"{item[:30]} 节点{seq}", "milestone", u.milestone_id, _review_text(u), _review_text(after))
        told = session.get(User, reporter) if not approve and reporter is not None else None
        if told is not None and told.active:  # the unit hears why, in 通知 and by mail
            notify(session, told, kind="returned", key=f"returned:{u.id}", milestone_id=u.milestone_id,
                   title=f"审核退回：{item[:30]} 节点{seq}", link="/report",
                   body=f"{user.display_name}退回了该节点的完成情况：{comment}\n请修改后在“进度填报”中重新报送。")
    session.flush()
    refresh_rollups(session, today, {u.milestone_id for u, *_ in rows})  # counted (or not) from today
    return Decided(**counts)


def _decision(u: ProgressUpdate, user: User, approve: bool, levels: int, comment: str, today: date) -> tuple[str, dict]:
    """What a decision does to a pending completion: returned; passed on to the
    province (a city office's 通过 with two levels); or approved (the admin's
    通过 is final at either stage)."""
    decided = {"reviewed_on": today, "reviewed_by": user.username, "review_comment": comment or None}
    if not approve:
        return "returned", {"review": "returned", "review_stage": None, **decided}
    if u.review_stage == "city" and levels >= 2 and user.role != "admin":
        return "passed_on", {"review_stage": "province", "review_comment": comment or None}
    return "approved", {"review": "approved", "review_stage": None, **decided}


def _ids(update_ids) -> set[int]:
    if not isinstance(update_ids, list) or len(update_ids) > MAX_BATCH:
        return set()
    return {i for i in update_ids if isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31}


def _review_text(u: ProgressUpdate) -> dict:
    return {"审核": REVIEW_STAGES.get(u.review_stage) or REVIEW_STATES.get(u.review, "—"),
            "完成日期": u.completed_on.isoformat() if u.completed_on else None,
            "审核人": u.reviewed_by, "审核日期": u.reviewed_on.isoformat() if u.reviewed_on else None,
            "意见": u.review_comment}
