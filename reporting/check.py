"""A report checked as a whole against the store and the reporter's scope,
before anything is written: every problem is listed, with its row and column.

Rules (DESIGN §3, §5): a milestone or indicator outside the reporter's scope
is refused; 已完成 needs a completion date, not in the future and not before
the plan was issued, and only 已完成 takes one; an indicator's actual is a
number in the indicator's unit (or met / not met for a qualitative one), not
negative where that is meaningless, a percentage within 0–100, with an as-of
date that is not in the future nor before the indicator's path starts.

Which milestone rows are edits is decided here, against the store: a row is
an edit when it differs from what the milestone's report held at the version
the editor loaded (``loaded``).  Only edits are judged, and a completion date
already on record is not judged again; what the browser or a template says
the row held before is never read.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from accounts.scope import Scope, writable_ids
from metrics.attainment import pace_start
from queries.status import latest_update_id
from reporting.locks import is_locked, locked_message
from reporting.entries import MAX_NOTE, IndicatorEntry, MilestoneEntry, Problem, Report, normalised
from store.models import Indicator, Milestone, Plan, ProgressUpdate, Region, WorkItem
from store.periods import parse_period, period_label

MILESTONES, INDICATORS = "工作节点", "指标"


@dataclass(frozen=True)
class Facts:
    """What the checks and the audit need to know about a record."""

    label: str  # as a person reads it in a message or the audit log
    starts: date  # no date before it: the plan's issue date (milestone) or the path start (indicator)
    unit: str | None = None
    qualitative: bool = False
    may_be_negative: bool = False


@dataclass
class Checked:
    problems: list[Problem]
    milestones: dict[int, Facts]
    indicators: dict[int, Facts]
    edited: set[int]  # the milestones whose rows are edits


def loaded(session, entries: tuple[MilestoneEntry, ...], today: date) -> dict[int, tuple]:
    """Each milestone's (state, completed_on, note) at the version its entry was
    loaded at: the latest report's when that version is the current one, else
    the report that made that version (or, for a version no report records,
    the latest: a stale edit is then a conflict when it is written)."""
    if not entries:
        return {}
    ids = {e.milestone_id for e in entries}
    current = {r.id: (r.report_version, _values(r)) for r in session.execute(
        select(Milestone.id, Milestone.report_version, ProgressUpdate.state, ProgressUpdate.completed_on,
               ProgressUpdate.note, ProgressUpdate.review)
        .outerjoin(ProgressUpdate, ProgressUpdate.id == latest_update_id(today)).where(Milestone.id.in_(ids)))}
    older = {(e.milestone_id, e.version) for e in entries
             if e.milestone_id in current and e.version != current[e.milestone_id][0]}
    made = {}
    if older:
        made = {(r.milestone_id, r.version): _values(r) for r in session.execute(
            select(ProgressUpdate.milestone_id, ProgressUpdate.version, ProgressUpdate.state,
                   ProgressUpdate.completed_on, ProgressUpdate.note, ProgressUpdate.review)
            .where(ProgressUpdate.milestone_id.in_({m for m, _ in older}),
                   ProgressUpdate.version.in_({v for _, v in older})))}
    return {e.milestone_id: made.get((e.milestone_id, e.version), current[e.milestone_id][1])
            for e in entries if e.milestone_id in current}


def cancelled_by_plan(session, ids: set[int], today: date) -> set[int]:
    """Of ``ids``, the milestones the plan cancelled (corrections.apply: the
    admin's cancellation is their latest report): no report takes them back."""
    if not ids:
        return set()
    return set(session.scalars(select(Milestone.id).join(ProgressUpdate, ProgressUpdate.id == latest_update_id(today))
                               .where(Milestone.id.in_(ids), ProgressUpdate.state == "cancelled",
                                      ProgressUpdate.origin == "plan")))


def _values(row) -> tuple:
    """What a row is compared with; a returned completion (审核退回) is no
    completion: the form shows no state for it, so a row left as it was is no
    edit, and 已完成 entered again is one (reviewed again)."""
    if row.review == "returned":
        return None, None, normalised(row.note)
    return row.state, row.completed_on if row.state == "done" else None, normalised(row.note)


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n] + "…"


def milestone_facts(session, ids: set[int]) -> dict[int, Facts]:
    city = aliased(Region)
    stmt = (select(Milestone.id, Milestone.seq, Milestone.text, WorkItem.number, WorkItem.name,
                   city.name.label("city"), Plan.issue_date)
            .join(WorkItem, WorkItem.id == Milestone.work_item_id)
            .join(Plan, Plan.id == Milestone.plan_id)
            .outerjoin(city, city.id == WorkItem.city_id)
            .where(Milestone.id.in_(ids)))
    return {r.id: Facts(f"{r.city or '全省'} · {(r.number + '. ') if r.number else ''}{_short(r.name, 16)}"
                        f" · 节点{r.seq}：{_short(r.text)}", r.issue_date)
            for r in session.execute(stmt)}


def indicator_facts(session, ids: set[int]) -> dict[int, Facts]:
    stmt = (select(Indicator, Plan.issue_date).join(Plan, Plan.id == Indicator.plan_id)
            .where(Indicator.id.in_(ids)))
    out = {}
    for ind, issued in session.execute(stmt):
        negative = any(v is not None and v < 0 for v in (ind.baseline, ind.target))
        out[ind.id] = Facts(f"指标：{_short(ind.name, 30)}", pace_start(ind.baseline_year, issued),
                            ind.unit, ind.qualitative, negative)
    return out


def check(session, report: Report, scope: Scope, today: date) -> Checked:
    problems: list[Problem] = list(report.problems)
    start = parse_period(report.period)
    if start is None:
        problems.append(Problem("报送月份", None, None, f"“{report.period}”不是月份（格式：2020-09）"))
    elif start > today.replace(day=1):
        problems.append(Problem("报送月份", None, None, f"{period_label(report.period)}尚未开始，不能报送"))
    elif scope.role != "admin" and is_locked(session, report.period, today):
        problems.append(Problem("报送月份", None, None, locked_message(report.period)))
    if not scope.may_write:
        problems.append(Problem("权限", None, None, "当前账号没有填报权限"))
    ms_facts = _visible(session, scope, Milestone, {e.milestone_id for e in report.milestones},
                        milestone_facts, MILESTONES, report.milestones, "milestone_id", problems)
    ind_facts = _visible(session, scope, Indicator, {e.indicator_id for e in report.indicators},
                         indicator_facts, INDICATORS, report.indicators, "indicator_id", problems)
    before = loaded(session, tuple(e for e in report.milestones if e.milestone_id in ms_facts), today)
    edited = set()
    for entry in report.milestones:
        if entry.milestone_id in before and (entry.problems or entry.values != before[entry.milestone_id]):
            edited.add(entry.milestone_id)
            problems += milestone_problems(
                entry, ms_facts[entry.milestone_id], before[entry.milestone_id][1], today)
    problems += [Problem(MILESTONES, e.row, "报送状态", "该节点已按计划调整取消，不再报送；如有异议，请提交计划调整申请")
                 for e in report.milestones if e.milestone_id in cancelled_by_plan(session, edited, today)]
    if scope.role != "admin":  # a cancellation changes the plan: the admin approves it (计划调整申请)
        problems += [Problem(MILESTONES, e.row, "报送状态", "取消节点须提交计划调整申请（取消节点），由管理员审批后生效")
                     for e in report.milestones if e.milestone_id in edited and e.state == "cancelled"]
    for entry in report.indicators:
        if entry.indicator_id in ind_facts:
            problems += indicator_problems(entry, ind_facts[entry.indicator_id], today)
    problems.sort(key=lambda p: (p.row is not None, p.sheet != MILESTONES, p.row or 0))  # (stable)
    return Checked(problems, ms_facts, ind_facts, edited)


def _visible(session, scope, model, ids, facts_of, sheet, entries, key, problems) -> dict[int, Facts]:
    """Facts of the records the scope may report on; a problem for every other
    row (unknown, someone else's, or listed twice)."""
    allowed = writable_ids(session, scope, model, ids)
    facts = facts_of(session, ids) if ids else {}
    twice = {i for i, n in Counter(getattr(e, key) for e in entries).items() if n > 1}
    column = "节点编号" if sheet == MILESTONES else "指标编号"
    for e in entries:
        record_id = getattr(e, key)
        if record_id not in facts:
            problems.append(Problem(sheet, e.row, column, f"编号 {record_id} 不存在"))
        elif record_id not in allowed:
            problems.append(Problem(sheet, e.row, column,
                                    f"编号 {record_id}（{facts[record_id].label}）不在您的填报范围内"))
        elif record_id in twice:
            problems.append(Problem(sheet, e.row, column, f"编号 {record_id} 重复出现，每个只能填写一行"))
    return {i: f for i, f in facts.items() if i in allowed and i not in twice}


def milestone_problems(e: MilestoneEntry, facts: Facts, on_record: date | None, today: date) -> list[Problem]:
    def p(column, message):
        return Problem(MILESTONES, e.row, column, message)

    out = list(e.problems)
    if len(e.note) > MAX_NOTE:
        out.append(p("进展说明", f"不超过 {MAX_NOTE} 字（现为 {len(e.note)} 字）"))
    if e.problems:  # an unreadable state or date: what follows from it would only repeat that
        return out
    if e.state is None:
        out.append(p("报送状态", "请选择报送状态"))
    if e.state == "done" and e.completed_on is None:
        out.append(p("完成日期", "状态为“已完成”时必须填写完成日期"))
    if e.state != "done" and e.completed_on is not None:
        out.append(p("完成日期", "只有“已完成”的节点才填写完成日期"))
    if e.completed_on == on_record:  # a date already on record (in the store) is not judged again
        return out
    if e.completed_on and e.completed_on > today:
        out.append(p("完成日期", f"{e.completed_on} 晚于今天，不能预报完成"))
    if e.completed_on and e.completed_on < facts.starts:
        out.append(p("完成日期", f"{e.completed_on} 早于计划印发日期 {facts.starts}"))
    return out


def indicator_problems(e: IndicatorEntry, facts: Facts, today: date) -> list[Problem]:
    def p(column, message):
        return Problem(INDICATORS, e.row, column, message)

    out = []
    if facts.qualitative and e.met is None:
        out.append(p("本期实际值", "定性指标请填写“已达成”或“未达成”"))
    if not facts.qualitative and e.value is None:
        out.append(p("本期实际值", f"请填写数值{f'（单位：{facts.unit}）' if facts.unit else ''}"))
    if e.unit_written and e.unit_written != (facts.unit or ""):
        out.append(p("本期实际值", f"单位应为“{facts.unit or '无'}”，填写的是“{e.unit_written}”"))
    if e.value is not None and e.value < 0 and not facts.may_be_negative:
        out.append(p("本期实际值", "不能为负数"))
    if e.value is not None and facts.unit == "%" and not 0 <= e.value <= 100:
        out.append(p("本期实际值", "百分比应在 0–100 之间"))
    if e.observed_on is None:
        out.append(p("数据截至日期", "填写实际值时必须填写数据截至日期"))
    elif e.observed_on > today:
        out.append(p("数据截至日期", f"{e.observed_on} 晚于今天"))
    elif e.observed_on < facts.starts:
        out.append(p("数据截至日期", f"{e.observed_on} 早于指标的起算日期 {facts.starts}"))
    return out
