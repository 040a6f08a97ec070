"""Write a checked report in one transaction, or nothing.

Each edited milestone and each indicator with a new actual carries the report
version the reporter started from; the write swaps it for the next version
(UPDATE … WHERE report_version = the one seen) in the same transaction as the
new rows.  If another report got there first, nothing is written and the
conflicts say what the other report changed, beside what this one entered.
History is appended, never overwritten; every row written is audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select, update

from accounts.scope import Scope
from reporting.check import Checked
from reporting.entries import IndicatorEntry, MilestoneEntry, Report
from store.audit import record
from store.models import (
    CHANNELS,
    PROGRESS_STATES,
    Indicator,
    IndicatorObservation,
    Milestone,
    ProgressUpdate,
    ReportSubmission,
    StatusRollup,
    StatusRollupDate,
)
from store.periods import period_label, report_due


@dataclass(frozen=True)
class Conflict:
    """A record someone else reported on after this reporter loaded it."""

    label: str
    theirs: dict
    yours: dict
    row: int | None


class ConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} 条记录已被他人更新")
        self.conflicts = conflicts


@dataclass
class Outcome:
    submission_id: int
    period: str
    updates: int
    observations: int
    due_on: date
    on_time: bool
    changed: list[str] = field(default_factory=list)  # labels of what was written

    def summary(self) -> str:
        timely = "按时" if self.on_time else f"逾期（截止日 {self.due_on}）"
        if not self.updates and not self.observations:
            return f"{period_label(self.period)}报送已记录（{timely}）：没有变化的节点或指标。"
        return (f"{period_label(self.period)}报送已保存（{timely}）：{self.updates} 个节点进度、"
                f"{self.observations} 个指标实际值。")


def state_dict(state, completed_on, note, by=None, at=None) -> dict:
    """A milestone's reported state as the audit log and a conflict show it."""
    out = {"状态": PROGRESS_STATES.get(state, "未报送") if state else "未报送",
           "完成日期": completed_on.isoformat() if completed_on else None, "进展说明": note or None}
    if by:
        out.update({"报送人": by, "报送时间": at.strftime("%Y-%m-%d %H:%M") if at else None})
    return out


def latest_updates(session, ids: set[int]) -> dict[int, ProgressUpdate]:
    """Each milestone's latest progress update (by report day, then id)."""
    rank = func.row_number().over(partition_by=ProgressUpdate.milestone_id,
                                  order_by=(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()))
    ranked = select(ProgressUpdate.id, rank.label("rank")).where(
        ProgressUpdate.milestone_id.in_(ids)).subquery()
    rows = session.scalars(select(ProgressUpdate).join(ranked, ranked.c.id == ProgressUpdate.id)
                           .where(ranked.c.rank == 1))
    return {u.milestone_id: u for u in rows}


def latest_observations(session, ids: set[int]) -> dict[int, IndicatorObservation]:
    rank = func.row_number().over(partition_by=IndicatorObservation.indicator_id,
                                  order_by=(IndicatorObservation.observed_on.desc(),
                                            IndicatorObservation.reported_on.desc(), IndicatorObservation.id.desc()))
    ranked = select(IndicatorObservation.id, rank.label("rank")).where(
        IndicatorObservation.indicator_id.in_(ids)).subquery()
    rows = session.scalars(select(IndicatorObservation).join(ranked, ranked.c.id == IndicatorObservation.id)
                           .where(ranked.c.rank == 1))
    return {o.indicator_id: o for o in rows}


def obs_dict(value, met, observed_on, note, by=None, at=None) -> dict:
    out = {"实际值": ("已达成" if met else "未达成") if value is None and met is not None else value,
           "数据截至": observed_on.isoformat() if observed_on else None, "说明": note or None}
    if by:
        out.update({"报送人": by, "报送时间": at.strftime("%Y-%m-%d %H:%M") if at else None})
    return out


def _swap_versions(session, model, entries: list, key: str) -> set[int]:
    """Compare-and-swap each record's report version; the ids whose version had moved on."""
    lost = set()
    for e in entries:
        record_id = getattr(e, key)
        done = session.execute(
            update(model).where(model.id == record_id, model.report_version == e.version)
            .values(report_version=e.version + 1).execution_options(synchronize_session=False))
        if done.rowcount != 1:
            lost.add(record_id)
    return lost


def apply(session, report: Report, checked: Checked, account, scope: Scope, today: date,
          due_day: int) -> Outcome:
    """Write ``report`` (already checked: no problems) for ``account``; raises
    ConflictError, with nothing written, if any record moved on meanwhile."""
    if checked.problems:
        raise ValueError("a report with problems cannot be applied")
    edited: list[MilestoneEntry] = [e for e in report.milestones if e.edited]
    actuals: list[IndicatorEntry] = list(report.indicators)
    lost_ms = _swap_versions(session, Milestone, edited, "milestone_id")
    lost_ind = _swap_versions(session, Indicator, actuals, "indicator_id")
    before = latest_updates(session, {e.milestone_id for e in edited})
    before_obs = latest_observations(session, {e.indicator_id for e in actuals})
    if lost_ms or lost_ind:
        raise ConflictError(_conflicts(checked, edited, actuals, lost_ms, lost_ind, before, before_obs))
    due = report_due(report.period, due_day)
    who = account.display_name
    submission = ReportSubmission(
        period=report.period, city_id=scope.city_id, department_id=scope.department_id,
        user_id=account.user_id, reported_by=who, due_on=due, on_time=today <= due,
        channel=report.channel, file_name=report.file_name, updates=len(edited), observations=len(actuals))
    session.add(submission)
    session.flush()
    outcome = Outcome(submission.id, report.period, len(edited), len(actuals), due, today <= due)
    for e in edited:
        old = before.get(e.milestone_id)
        session.add(ProgressUpdate(
            milestone_id=e.milestone_id, reported_on=today, period=report.period, state=e.state,
            completed_on=e.completed_on, note=e.note or None, reported_by=who, origin="report",
            submission_id=submission.id))
        label = checked.milestones[e.milestone_id].label
        record(session, account.username, "progress.report", label, "milestone", e.milestone_id,
               state_dict(old.state, old.completed_on, old.note) if old else None,
               state_dict(e.state, e.completed_on, e.note))
        outcome.changed.append(label)
    for e in actuals:
        old = before_obs.get(e.indicator_id)
        session.add(IndicatorObservation(
            indicator_id=e.indicator_id, value=e.value, met=e.met, observed_on=e.observed_on,
            reported_on=today, note=e.note or None, reported_by=who, origin="report",
            submission_id=submission.id))
        label = checked.indicators[e.indicator_id].label
        record(session, account.username, "indicator.report", label, "indicator", e.indicator_id,
               obs_dict(old.value, old.met, old.observed_on, old.note) if old else None,
               obs_dict(e.value, e.met, e.observed_on, e.note))
        outcome.changed.append(label)
    record(session, account.username, "report.submit", f"{period_label(report.period)}报送（{scope_text(account)}）",
           "submission", submission.id, None,
           {"月份": report.period, "渠道": CHANNELS[report.channel], "文件": report.file_name,
            "节点": len(edited), "指标": len(actuals), "按时": "是" if today <= due else "否"})
    # statuses as of today and later change; earlier dates' rollups stay true
    session.execute(delete(StatusRollup).where(StatusRollup.as_of >= today))
    session.execute(delete(StatusRollupDate).where(StatusRollupDate.as_of >= today))
    return outcome


def scope_text(account) -> str:
    return account.scope_label if account.role != "admin" else "管理员"


def _conflicts(checked, edited, actuals, lost_ms, lost_ind, before, before_obs) -> list[Conflict]:
    out = []
    for e in edited:
        if e.milestone_id in lost_ms:
            u = before.get(e.milestone_id)
            theirs = (state_dict(u.state, u.completed_on, u.note, u.reported_by, u.created_at) if u
                      else state_dict(None, None, None))
            out.append(Conflict(checked.milestones[e.milestone_id].label, theirs,
                                state_dict(e.state, e.completed_on, e.note), e.row))
    for e in actuals:
        if e.indicator_id in lost_ind:
            o = before_obs.get(e.indicator_id)
            theirs = (obs_dict(o.value, o.met, o.observed_on, o.note, o.reported_by, o.created_at) if o
                      else obs_dict(None, None, None, None))
            out.append(Conflict(checked.indicators[e.indicator_id].label, theirs,
                                obs_dict(e.value, e.met, e.observed_on, e.note), e.row))
    return out
