"""A small store for the assessment, with its scores computed by hand.

One 2021 plan, issued 2021-10-15, assessed as of 2022-01-31 (the default date):
reports are due for October, November and December (by the 5th of the next month).

杭州, item H1:
  m1 due 2021-10-31, done 2021-10-20            -> done on time
  m2 due 2021-11-30, done 2021-12-10            -> done late
  m3 due 2021-12-31, in progress                -> overdue (31 days on 2022-01-31)
  m4 持续推进 (no due date)                      -> open: in no denominator
  按时完成率 1/3, 进度完成率 2/3
  indicators: 100 target, 50 reported -> 0.5; 10 target, nothing reported -> 0:  (0.5 + 0) / 2 = 0.25
  reports: October on time, November late, December missing: 1/3
  40 × 1/3 + 30 × 2/3 + 20 × 0.25 + 10 × 1/3 = 13.333 + 20 + 5 + 3.333 = 41.667
  − 0.5 (one overdue milestone) + 2 (a bonus item) = 43.17
宁波, item N1: two milestones due 2021-11-30, both done on time; no indicator;
  every report on time.  No indicator: its 20 points go to the others in
  proportion (× 100/80): 50 × 1 + 37.5 × 1 + 12.5 × 1 = 100.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

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

YEAR = 2021
AS_OF = date(2022, 1, 31)
EXPECTED = {"杭州": 43.17, "宁波": 100.0}
HANGZHOU_POINTS = {"on_time": 13.33, "progress": 20.0, "kpi": 5.0, "timeliness": 3.33}


def build(session) -> None:
    city = dict(session.execute(select(Region.name, Region.id).where(Region.level == "city")).all())
    plan = Plan(key="测试〔2021〕1号", doc_no="测试〔2021〕1号", title="2021年考核测试计划", issuer="测试",
                issue_date=date(2021, 10, 15), plan_year=YEAR, kind="scene_plan", source_file="fixture",
                source_sha256="0" * 64)
    session.add(plan)
    session.flush()
    h1 = _item(session, plan, "H1", city["杭州"])
    n1 = _item(session, plan, "N1", city["宁波"])
    m1, m2, m3, _m4 = (_milestone(session, plan, h1, i, due) for i, due in enumerate(
        (date(2021, 10, 31), date(2021, 11, 30), date(2021, 12, 31), None), start=1))
    n_ms = [_milestone(session, plan, n1, i, date(2021, 11, 30)) for i in (1, 2)]
    _report(session, m1, date(2021, 11, 3), "done", date(2021, 10, 20))
    _report(session, m2, date(2021, 12, 12), "done", date(2021, 12, 10))
    _report(session, m3, date(2022, 1, 4), "in_progress", None)
    for m in n_ms:
        _report(session, m, date(2021, 12, 3), "done", date(2021, 11, 25))
    reported = Indicator(plan_id=plan.id, key="H1-kpi-1", scope="item", work_item_id=h1.id, name="上线产品", unit="个",
                         target=100.0, comparator=">=")
    silent = Indicator(plan_id=plan.id, key="H1-kpi-2", scope="item", work_item_id=h1.id, name="签约银行", unit="家",
                       target=10.0, comparator=">=")
    session.add_all([reported, silent])
    session.flush()
    session.add(IndicatorObservation(indicator_id=reported.id, value=50.0, observed_on=date(2021, 12, 31),
                                     reported_on=date(2022, 1, 5)))
    for period, on_time in (("2021-10", True), ("2021-11", False)):
        _submission(session, city["杭州"], period, on_time)
    for period in ("2021-10", "2021-11", "2021-12"):
        _submission(session, city["宁波"], period, True)
    session.flush()


def _item(session, plan, key, city_id) -> WorkItem:
    item = WorkItem(plan_id=plan.id, key=key, kind="scene", number=key[-1], name=f"测试场景{key}", city_id=city_id)
    session.add(item)
    session.flush()
    return item


def _milestone(session, plan, item, seq, due) -> Milestone:
    m = Milestone(plan_id=plan.id, key=f"{item.key}-{seq}", work_item_id=item.id, seq=seq, text=f"{item.key}节点{seq}",
                  due=due, due_text=due.isoformat() if due else "持续推进", due_precision="month" if due else "open")
    session.add(m)
    session.flush()
    return m


def _report(session, m, reported_on, state, completed_on) -> None:
    session.add(ProgressUpdate(milestone_id=m.id, reported_on=reported_on, period=f"{reported_on:%Y-%m}",
                               state=state, completed_on=completed_on, reported_by="测试"))


def _submission(session, city_id, period, on_time) -> None:
    y, m = (int(x) for x in period.split("-"))
    due = date(y + m // 12, m % 12 + 1, 5)
    session.add(ReportSubmission(period=period, city_id=city_id, reported_by="测试", due_on=due, on_time=on_time,
                                 submitted_at=datetime(due.year, due.month, 3 if on_time else 9), channel="web"))
