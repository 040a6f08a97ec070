"""The imported plans as 计划管理 lists them: what each is, how much it holds,
whose it is, its period and state today, and its latest import (the file
kept with it, who imported it and when)."""
from __future__ import annotations

from sqlalchemy import func, select, union

from importers import KINDS
from queries.aliases import CITY
from store import clock
from store.models import PLAN_STATES, ImportRun, Indicator, Milestone, Plan, Region, WorkItem


def plan_rows(session) -> list[dict]:
    """One row per plan, newest first; its cities are those its items or
    indicators belong to."""
    def count(model):
        return (select(model.plan_id, func.count().label("n")).group_by(model.plan_id)).subquery()

    items, milestones, indicators = count(WorkItem), count(Milestone), count(Indicator)
    placed = union(select(WorkItem.plan_id, WorkItem.city_id), select(Indicator.plan_id, Indicator.city_id)).subquery()
    cities = (select(placed.c.plan_id, func.min(CITY.name).label("first"), func.count(func.distinct(CITY.name))
                     .label("n")).join(CITY, CITY.id == placed.c.city_id).group_by(placed.c.plan_id)).subquery()
    latest = (select(ImportRun.plan_id, func.max(ImportRun.id).label("run_id"))
              .where(ImportRun.outcome != "unchanged").group_by(ImportRun.plan_id)).subquery()
    stmt = (select(Plan, items.c.n.label("items"), milestones.c.n.label("milestones"),
                   indicators.c.n.label("indicators"), cities.c.first, cities.c.n.label("cities"),
                   ImportRun.id.label("run_id"), ImportRun.imported_by, ImportRun.imported_at,
                   ImportRun.content.is_not(None).label("has_file"))
            .outerjoin(items, items.c.plan_id == Plan.id).outerjoin(milestones, milestones.c.plan_id == Plan.id)
            .outerjoin(indicators, indicators.c.plan_id == Plan.id).outerjoin(cities, cities.c.plan_id == Plan.id)
            .outerjoin(latest, latest.c.plan_id == Plan.id).outerjoin(ImportRun, ImportRun.id == latest.c.run_id)
            .order_by(Plan.issue_date.desc(), Plan.id.desc()))
    owners = dict(session.execute(select(Region.id, Region.name).where(Region.level == "city")).all())
    today = clock.today()
    rows = []
    for r in session.execute(stmt):
        plan = r.Plan
        rows.append({
            "plan_id": plan.id, "plan": plan.label, "plan_key": plan.key, "title": plan.title, "issuer": plan.issuer,
            "owner": f"{owners[plan.city_id]}市" if plan.city_id else "省级",
            "period": f"{plan.period_start}至{plan.period_end}", "state": PLAN_STATES[plan.state_on(today)],
            "issue_date": plan.issue_date.isoformat(), "year": plan.plan_year,
            "kind": KINDS.get(plan.kind, plan.kind),
            "city": (r.first if r.cities == 1 else f"{r.cities}个地市") if r.cities else "全省",
            "items": r.items or 0, "milestones": r.milestones or 0, "indicators": r.indicators or 0,
            "source_file": plan.source_file,
            "file_url": f"/plans/file/{r.run_id}" if r.has_file else None,
            "imported_by": r.imported_by or "命令行",
            "imported_at": (r.imported_at or plan.imported_at).strftime("%Y-%m-%d %H:%M"),
        })
    return rows
