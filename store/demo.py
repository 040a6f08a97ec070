"""Demo progress: a deterministic, realistic reporting history for the bundled
plans, marked origin='demo' so that it can be removed again.

Each milestone draws its fate from a generator seeded by its own key (so the
history does not change when other plans are added): most are done on time,
some late, some still overdue, a few blocked or never reported.  Reports come
in monthly (by the 5th of the following month, a few cities later), from the
plan's issue month until two months after its last due date.  Indicators move
from their baseline toward their target, some beyond it, some short of it.
"""
from __future__ import annotations

import random
import zlib
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from store import forget_derived
from store.models import (
    Indicator,
    IndicatorObservation,
    Milestone,
    Plan,
    ProgressUpdate,
    Region,
    ReportSubmission,
    WorkItem,
)
from store.periods import add_months, month_end, report_due

ORIGIN = "demo"
REPORTER = "演示数据"
NOTES_IN_PROGRESS = ["按计划推进中", "已召开专题会议部署", "正在开展系统对接", "方案已起草，征求意见中",
                     "数据归集工作推进中", "已完成初步调研"]
NOTES_LATE = ["受疫情影响，进度有所滞后", "部门协调尚未到位，进度滞后", "系统对接遇到技术问题，正在解决"]
NOTES_BLOCKED = ["数据共享接口尚未开放，暂停推进", "合作银行调整方案，待重新洽谈"]
NOTES_DONE = ["已按计划完成", "已完成并上线运行", "已印发实施", "已完成，相关材料已报送"]


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode("utf-8")))


def report_day(period_end: date, lateness: int) -> date:
    """The day the report on a month comes in: the 5th of the next month, plus lateness."""
    return add_months(period_end, 1) + timedelta(days=4 + lateness)


def clear_demo(session: Session) -> tuple[int, int]:
    """Remove all demo rows; returns (updates, observations) removed.  Every
    milestone's and indicator's report version moves on: a form loaded before
    cannot overwrite the changed history unseen."""
    forget_derived(session)
    updates = session.execute(delete(ProgressUpdate).where(ProgressUpdate.origin == ORIGIN)).rowcount
    obs = session.execute(delete(IndicatorObservation).where(IndicatorObservation.origin == ORIGIN)).rowcount
    session.execute(delete(ReportSubmission).where(ReportSubmission.origin == ORIGIN))
    session.execute(update(Milestone).values(report_version=Milestone.report_version + 1))
    session.execute(update(Indicator).values(report_version=Indicator.report_version + 1))
    return updates, obs


def load_demo(session: Session, due_day: int = 5) -> tuple[int, int]:
    """Replace the demo history with a fresh deterministic one; returns counts written."""
    clear_demo(session)
    updates = observations = 0
    for plan in session.scalars(select(Plan).order_by(Plan.id)):
        updates += _milestone_history(session, plan)
        observations += _indicator_history(session, plan)
    session.flush()
    _submissions(session, due_day)
    return updates, observations


def _submissions(session: Session, due_day: int) -> None:
    """One monthly report per city and month, on the day its demo updates came in."""
    stmt = (select(WorkItem.city_id, ProgressUpdate.period, func.min(ProgressUpdate.reported_on))
            .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
            .join(WorkItem, WorkItem.id == Milestone.work_item_id)
            .where(ProgressUpdate.origin == ORIGIN, WorkItem.city_id.is_not(None))
            .group_by(WorkItem.city_id, ProgressUpdate.period))
    for city_id, period, reported_on in session.execute(stmt).all():
        due = report_due(period, due_day)
        session.add(ReportSubmission(
            period=period, city_id=city_id, reported_by=REPORTER, due_on=due, on_time=reported_on <= due,
            submitted_at=datetime.combine(reported_on, time(2)),  # 10:00 in China
            channel=ORIGIN, origin=ORIGIN))


def _city_lateness(session: Session) -> dict[int | None, int]:
    """Days after the 5th a city's reports usually arrive (a few cities are slow)."""
    cities = session.execute(select(Region.id, Region.name).where(Region.level == "city")).all()
    return {cid: _rng("late", name).choice([0, 0, 0, 0, 1, 2, 5, 9]) for cid, name in cities}


def _milestone_history(session: Session, plan: Plan) -> int:
    lateness = _city_lateness(session)
    rows = session.execute(
        select(Milestone, WorkItem.city_id).join(WorkItem, WorkItem.id == Milestone.work_item_id)
        .where(Milestone.plan_id == plan.id, Milestone.due_precision != "done")
        .order_by(Milestone.id)).all()
    last_due = max((m.due for m, _ in rows if m.due), default=date(plan.plan_year, 12, 31))
    window_end = month_end(add_months(max(last_due, date(plan.plan_year, 12, 31)), 2))
    first_period = month_end(plan.issue_date)
    count = 0
    for ms, city_id in rows:
        rng = _rng(plan.key, ms.key)
        for period_end, state, completed, note in _fate(rng, ms.due, first_period, window_end):
            session.add(ProgressUpdate(
                milestone_id=ms.id, reported_on=report_day(period_end, lateness.get(city_id, 0)),
                period=period_end.strftime("%Y-%m"), state=state, completed_on=completed,
                note=note, reported_by=REPORTER, origin=ORIGIN))
            count += 1
    return count


def _fate(rng: random.Random, due: date | None, first_period: date, window_end: date):
    """Yield (period end, state, completion date, note) month by month."""
    roll = rng.random()
    target = due or month_end(add_months(first_period, rng.randint(3, 10)))
    start = max(first_period, month_end(add_months(target, -rng.randint(1, 3))))
    if roll < 0.66:
        completed = target - timedelta(days=rng.randint(0, 20))
    elif roll < 0.82:
        completed = target + timedelta(days=rng.randint(5, 80))
    else:
        completed = None  # overdue, blocked or never reported
    if roll > 0.97:
        return
    period = start
    while period <= window_end:
        if completed and completed <= period:
            yield period, "done", completed, rng.choice(NOTES_DONE)
            return
        if roll > 0.93 and period > target:
            yield period, "blocked", None, rng.choice(NOTES_BLOCKED)
        elif due and period > due:
            yield period, "in_progress", None, rng.choice(NOTES_LATE)
        else:
            yield period, "in_progress", None, rng.choice(NOTES_IN_PROGRESS)
        period = month_end(add_months(period, 1))


def _indicator_history(session: Session, plan: Plan) -> int:
    count = 0
    for ind in session.scalars(select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.id)):
        rng = _rng(plan.key, ind.key)
        due = ind.due or date(plan.plan_year, 12, 31)
        yearly = due.year - plan.issue_date.year >= 2
        start = date(ind.baseline_year, 12, 31) if yearly and ind.baseline_year else month_end(plan.issue_date)
        periods = ([date(y, 12, 31) for y in range(start.year + 1, due.year + 1)] if yearly else
                   [month_end(add_months(start, i)) for i in range(_months(start, due) + 1)])
        finish = rng.choice([1.0, 1.0, 1.05, 1.15, 0.85, 0.6])
        base = ind.baseline if ind.baseline is not None else 0.0
        for i, period in enumerate(periods, start=1):
            share = i / len(periods) * finish
            reported = add_months(period, 2) if yearly else report_day(period, 0)
            if ind.qualitative:
                value, met = None, share >= 1.0
            elif ind.target is None:
                continue
            else:
                value, met = _rounded(base + (ind.target - base) * share, ind.unit), None
            session.add(IndicatorObservation(
                indicator_id=ind.id, value=value, met=met, observed_on=period,
                reported_on=reported, note="演示数据", reported_by=REPORTER, origin=ORIGIN))
            count += 1
    return count


COUNTED_UNITS = ("个", "家", "场", "款", "项", "次")


def _rounded(value: float, unit: str | None) -> float:
    """Things counted in whole units (2 场, 1,783 家) are whole numbers."""
    return float(round(value)) if unit in COUNTED_UNITS else round(value, 2)


def _months(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)
