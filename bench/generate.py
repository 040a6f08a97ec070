"""Deterministic synthetic data at the DESIGN §10 scale tiers.

    python -m bench.generate M sqlite:///bench/M.db

M: 5,000 work items, 25,000 milestones, 300,000 progress updates, 2,000
indicators with 50,000 observations; L is ten times M.  Five years of plans,
every city and county, monthly reports; rows are bulk-inserted with Core.
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from store import Store, forget_derived
from store.models import (
    Department,
    Indicator,
    IndicatorObservation,
    ItemDepartment,
    Milestone,
    Plan,
    ProgressUpdate,
    Region,
    WorkItem,
)

TIERS = {
    "S": dict(items=100, milestones_per_item=5, updates_per_ms=4, indicators=40, obs_per_ind=10),
    "M": dict(items=5_000, milestones_per_item=5, updates_per_ms=12, indicators=2_000, obs_per_ind=25),
    "L": dict(items=50_000, milestones_per_item=5, updates_per_ms=12, indicators=20_000, obs_per_ind=25),
}
YEARS = range(2020, 2025)
BATCH = 20_000


def _chunks(rows, size=BATCH):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def generate(store: Store, tier: str, seed: int = 7) -> dict[str, int]:
    spec = TIERS[tier]
    rng = random.Random(seed)
    store.upgrade()
    with store.session() as session:
        forget_derived(session)
    with store.engine.begin() as conn:
        cities = conn.execute(select(Region.id, Region.name).where(Region.level == "city")).all()
        counties = conn.execute(select(Region.id, Region.parent_id).where(Region.level == "county")).all()
        base = conn.scalar(select(func.coalesce(func.max(WorkItem.id), 0)))
        plan_ids = {}
        for year in YEARS:
            plan_ids[year] = conn.execute(insert(Plan).returning(Plan.id), [dict(
                key=f"合成计划{year}-{tier}", doc_no=f"合成〔{year}〕{tier}号", title=f"{year}年合成推进计划",
                issuer="基准测试", issue_date=date(year, 3, 1), plan_year=year, kind="scene_plan",
                source_file="synthetic", source_sha256="-")]).scalar_one()
        depts = []
        for city_id, _ in cities:
            for n in range(12):
                depts.append(dict(city_id=city_id, name=f"合成部门{n:02d}"))
        conn.execute(insert(Department), depts)
        dept_ids = conn.execute(select(Department.id, Department.city_id).where(
            Department.name.like("合成部门%"))).all()
        by_city = {}
        for dept_id, city_id in dept_ids:
            by_city.setdefault(city_id, []).append(dept_id)

        items, links, milestones = [], [], []
        per_year = spec["items"] // len(YEARS)
        for n in range(spec["items"]):
            year = YEARS[min(n // per_year, len(YEARS) - 1)]
            city_id = cities[n % len(cities)][0]
            county = rng.choice([c for c, parent in counties if parent == city_id] + [None, None])
            item_id = base + n + 1
            items.append(dict(id=item_id, plan_id=plan_ids[year], key=f"i{n}", kind="scene", number=str(n % 9 + 1),
                              name=f"合成场景{n}", city_id=city_id, county_id=county, item_type="新增",
                              scope="全市推进", deadline=date(year, 12, 31), deadline_text=f"{year}.12",
                              deadline_precision="month", sort_order=n))
            for pos, dept_id in enumerate(rng.sample(by_city[city_id], 3)):
                links.append(dict(work_item_id=item_id, department_id=dept_id,
                                  role="lead" if pos == 0 else "coop", position=pos))
            for seq in range(1, spec["milestones_per_item"] + 1):
                month = min(12, 3 + seq * 2)
                due = date(year, month, 28) if rng.random() > 0.03 else None
                milestones.append(dict(plan_id=plan_ids[year], key=f"i{n}#{seq}", work_item_id=item_id, seq=seq,
                                       text=f"合成节点{seq}", due=due, due_text=f"{year}年{month}月底前",
                                       due_precision="month" if due else "open", due_inherited=False))
        for chunk in _chunks(items):
            conn.execute(insert(WorkItem), chunk)
        for chunk in _chunks(links):
            conn.execute(insert(ItemDepartment), chunk)
        for chunk in _chunks(milestones):
            conn.execute(insert(Milestone), chunk)
        ms_rows = conn.execute(select(Milestone.id, Milestone.due, Milestone.plan_id).where(
            Milestone.key.like("i%#%"), Milestone.plan_id.in_(plan_ids.values()))).all()
        year_of = {v: k for k, v in plan_ids.items()}
        updates = []
        for ms_id, due, plan_id in ms_rows:
            year = year_of[plan_id]
            start = date(year, 3, 5)
            done_at = (due or date(year, 12, 1)) + timedelta(days=rng.randint(-40, 60))
            for k in range(spec["updates_per_ms"]):
                reported = start + timedelta(days=30 * k)
                done = reported >= done_at and rng.random() > 0.1
                updates.append(dict(milestone_id=ms_id, reported_on=reported, period=reported.strftime("%Y-%m"),
                                    state="done" if done else "in_progress",
                                    completed_on=done_at if done else None, origin="demo"))
            if len(updates) >= BATCH:
                conn.execute(insert(ProgressUpdate), updates)
                updates = []
        if updates:
            conn.execute(insert(ProgressUpdate), updates)

        inds = []
        for n in range(spec["indicators"]):
            year = YEARS[n % len(YEARS)]
            inds.append(dict(plan_id=plan_ids[year], key=f"k{n}", scope="item", work_item_id=base + 1 + rng.randrange(spec["items"]),
                             name=f"合成指标{n}", unit="个", comparator=">=", target=100.0, baseline=10.0,
                             baseline_year=year - 1, direction="higher", qualitative=False, due=date(year, 12, 31)))
        for chunk in _chunks(inds):
            conn.execute(insert(Indicator), chunk)
        ind_rows = conn.execute(select(Indicator.id, Indicator.due).where(Indicator.key.like("k%"),
                                                                         Indicator.plan_id.in_(plan_ids.values()))).all()
        obs = []
        for ind_id, due in ind_rows:
            for k in range(spec["obs_per_ind"]):
                day = date(due.year, 1, 1) + timedelta(days=14 * k)
                obs.append(dict(indicator_id=ind_id, value=10.0 + 4 * k, observed_on=day, reported_on=day + timedelta(days=5),
                                origin="demo"))
            if len(obs) >= BATCH:
                conn.execute(insert(IndicatorObservation), obs)
                obs = []
        if obs:
            conn.execute(insert(IndicatorObservation), obs)
    with store.engine.connect() as conn:
        return {t: conn.scalar(select(func.count()).select_from(m)) for t, m in (
            ("work_item", WorkItem), ("milestone", Milestone), ("progress_update", ProgressUpdate),
            ("indicator", Indicator), ("indicator_observation", IndicatorObservation))}


if __name__ == "__main__":
    tier, url = sys.argv[1], sys.argv[2]
    print(generate(Store(url), tier))
