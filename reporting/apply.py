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

from sqlalchemy import select, update

from accounts.scope import Scope
from queries.indicator_status import latest_observation_id, refresh_indicator_rollup
from queries.status import latest_update_id
from queries.rollup import refresh_rollups
from reporting.check import Checked
from reporting.entries import IndicatorEntry, MilestoneEntry, Report
from reporting.review import review_of
from store.audit import record
from store.clock import local_text
from store.models import (
    CHANNELS,
    PROGRESS_STATES,
    Indicator,
    IndicatorObservation,
    Milestone,
    ProgressUpdate,
    ReportSubmission,
    WorkItem,
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
    """A milestone's reported state as the audit log, a preview and a conflict show it."""
    out = {"状态": PROGRESS_STATES.get(state, "未报送") if state else "未报送",
           "完成日期": completed_on.isoformat() if completed_on else None, "进展说明": note or None}
    if by:
        out.update({"报送人": by, "报送时间": local_text(at)})
    return out


def obs_dict(value, met, observed_on, note, by=None, at=None) -> dict:
    """An indicator's actual, likewise."""
    out = {"实际值": ("已达成" if met else "未达成") if value is None and met is not None else value,
           "数据截至": observed_on.isoformat() if observed_on else None, "说明": note or None}
    if by:
        out.update({"报送人": by, "报送时间": local_text(at)})
    return out


@dataclass(frozen=True)
class Change:
    """One record a report changes: its entry, and its values before and after."""

    kind: str  # milestone | indicator
    entry: MilestoneEntry | IndicatorEntry
    label: str
    before: dict | None  # the latest report on record (with who and when), None if none
    after: dict

    @property
    def record_id(self) -> int:
        return self.entry.milestone_id if self.kind == "milestone" else self.entry.indicator_id


def changes(session, report: Report, checked: Checked, as_of: date) -> list[Change]:
    """What the report changes, each with the latest report known on ``as_of``
    (the status engine's own definition of 'latest')."""
    edited = [e for e in report.milestones if e.milestone_id in checked.edited]
    updates = latest_updates(session, {e.milestone_id for e in edited}, as_of)
    observations = dict(session.execute(
        select(Indicator.id, IndicatorObservation)
        .join(IndicatorObservation, IndicatorObservation.id == latest_observation_id(as_of))
        .where(Indicator.id.in_({e.indicator_id for e in report.indicators}))).all()) if report.indicators else {}
    out = []
    for e in edited:
        u = updates.get(e.milestone_id)
        out.append(Change("milestone", e, checked.milestones[e.milestone_id].label,
                          state_dict(u.state, u.completed_on, u.note, u.reported_by, u.created_at) if u else None,
                          state_dict(e.state, e.completed_on, e.note)))
    for e in report.indicators:
        o = observations.get(e.indicator_id)
        out.append(Change("indicator", e, checked.indicators[e.indicator_id].label,
                          obs_dict(o.value, o.met, o.observed_on, o.note, o.reported_by, o.created_at) if o else None,
                          obs_dict(e.value, e.met, e.observed_on, e.note)))
    return out


def latest_updates(session, milestone_ids: set[int], as_of: date) -> dict[int, ProgressUpdate]:
    """Each milestone's latest report known on ``as_of`` (the status engine's 'latest')."""
    if not milestone_ids:
        return {}
    return dict(session.execute(
        select(Milestone.id, ProgressUpdate).join(ProgressUpdate, ProgressUpdate.id == latest_update_id(as_of))
        .where(Milestone.id.in_(milestone_ids))).all())


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
          due_day: int, review_levels: int = 0) -> Outcome:
    """Write ``report`` (already checked: no problems) for ``account``; raises
    ConflictError, with nothing written, if any record moved on meanwhile.
    A completion waits for review (reporting.review, ``review_levels``)."""
    if checked.problems:
        raise ValueError("a report with problems cannot be applied")
    edited: list[MilestoneEntry] = [e for e in report.milestones if e.milestone_id in checked.edited]
    actuals: list[IndicatorEntry] = list(report.indicators)
    lost = {"milestone": _swap_versions(session, Milestone, edited, "milestone_id"),
            "indicator": _swap_versions(session, Indicator, actuals, "indicator_id")}
    found = changes(session, report, checked, today)  # read after the swap: what the others saved
    if lost["milestone"] or lost["indicator"]:
        raise ConflictError([Conflict(c.label, c.before or {}, c.after, c.entry.row)
                             for c in found if c.record_id in lost[c.kind]])
    due = report_due(report.period, due_day)
    who = account.display_name
    submission = ReportSubmission(
        period=report.period, city_id=scope.city_id, department_id=scope.department_id,
        user_id=account.user_id, reported_by=who, due_on=due, on_time=today <= due,
        channel=report.channel, file_name=report.file_name, updates=len(edited), observations=len(actuals))
    session.add(submission)
    session.flush()
    outcome = Outcome(submission.id, report.period, len(edited), len(actuals), due, today <= due)
    latest = latest_updates(session, {e.milestone_id for e in edited}, today)
    cities = dict(session.execute(select(Milestone.id, WorkItem.city_id).join(
        WorkItem, WorkItem.id == Milestone.work_item_id).where(Milestone.id.in_({e.milestone_id for e in edited}))).all())
    for c in found:
        e = c.entry
        if c.kind == "milestone":
            review = review_of(account.role, cities.get(e.milestone_id), review_levels, e.state, e.completed_on,
                               latest.get(e.milestone_id))
            session.add(ProgressUpdate(
                milestone_id=e.milestone_id, reported_on=today, period=report.period, state=e.state,
                completed_on=e.completed_on, note=e.note or None, reported_by=who, origin="report",
                submission_id=submission.id, version=e.version + 1, **review))
            if review.get("review") == "pending":
                c.after["审核"] = "待审核"
        else:
            session.add(IndicatorObservation(
                indicator_id=e.indicator_id, value=e.value, met=e.met, observed_on=e.observed_on,
                reported_on=today, note=e.note or None, reported_by=who, origin="report",
                submission_id=submission.id))
        record(session, account.username, AUDIT_ACTIONS[c.kind], c.label, c.kind, c.record_id, c.before, c.after)
        outcome.changed.append(c.label)
    record(session, account.username, "report.submit", f"{period_label(report.period)}报送（{scope_text(account)}）",
           "submission", submission.id, None,
           {"月份": report.period, "渠道": CHANNELS[report.channel], "文件": report.file_name,
            "节点": len(edited), "指标": len(actuals), "按时": "是" if today <= due else "否"})
    session.flush()  # statuses as of today and later change; earlier dates' rollups stay true
    refresh_rollups(session, today, {c.entry.milestone_id for c in found if c.kind == "milestone"})
    refresh_indicator_rollup(session, today, {c.entry.indicator_id for c in found if c.kind == "indicator"})
    return outcome


AUDIT_ACTIONS = {"milestone": "progress.report", "indicator": "indicator.report"}


def scope_text(account) -> str:
    return account.scope_label if account.role != "admin" else "管理员"
