"""Synthetic plans at the DESIGN §10 scale tiers, for the benchmark.

    flask --app app generate --tier M --seed 7

A province over five plan years (2021–2025): every year each of the 11 cities
issues a scene plan whose items are spread over its counties and led by its
departments; each item has five milestones whose due phrases are written as the
documents write them (月底前, 季度, 上半年, 年底前, 持续推进 …) and read by the
real date grammar; every milestone is reported monthly (a city's reports come in
on the 5th or some days later), and most finish on time, some late, some never;
indicators move from their baseline toward (or past, or short of) the target.

The same tier and seed always give the same rows.  Rows are bulk-inserted with
Core in chunks with explicit ids, so tier L (3 million progress updates) takes
minutes, not hours.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, update

from importers.dates import parse_due
from store import Store, analyze, forget_derived
from store.models import (
    Department,
    Indicator,
    IndicatorObservation,
    ItemDepartment,
    Milestone,
    Plan,
    ProgressUpdate,
    Region,
    ReportSubmission,
    WorkItem,
)
from store.periods import add_months, month_end, report_due
from store.plan_period import planned_end

TIERS = {  # work items, progress reports per milestone, indicators, observations per indicator
    "M": dict(items=5_000, reports=12, indicators=2_000, observations=25),
    "L": dict(items=50_000, reports=12, indicators=20_000, observations=25),
}
MILESTONES_PER_ITEM = 5
YEARS = range(2021, 2026)
ORIGIN = "synthetic"
CHUNK = 10_000

DEPARTMENTS = ("市发展改革委", "市公安局", "市人力社保局", "市卫生健康委", "市市场监管局", "市交通运输局",
               "市文化广电旅游局", "市地方金融监管局", "市大数据发展管理局", "市民政局", "市住房城乡建设局",
               "市教育局", "市医疗保障局", "市商务局")
DOMAINS = ("医疗", "交通出行", "文化旅游", "养老服务", "住房租赁", "智慧停车", "图书借阅", "家政服务",
           "政务服务", "普惠金融", "人才服务", "市场监管", "社会救助", "志愿服务", "教育培训", "便民缴费")
STEPS = ("制定{d}信用应用实施方案", "完成{d}信用数据归集与共享", "上线{d}信用应用系统试运行",
         "在全市范围推广{d}信用应用", "开展{d}信用应用成效评估")
INDICATORS = (("{d}信用应用惠及人次", "万人次"), ("{d}场景接入单位", "家"), ("{d}信用授信金额", "亿元"))
NOTES = ("按计划推进中", "已召开专题会议部署", "正在开展系统对接", "数据归集工作推进中", "方案已起草，征求意见中")
BLOCKED = ("数据共享接口尚未开放，暂停推进", "合作单位调整方案，待重新洽谈")


class GeneratorError(Exception):
    """The store cannot take a synthetic tier (e.g. it already holds plans)."""


def _due_phrase(rng: random.Random, year: int, seq: int) -> str:
    """A due phrase for a plan year's ``seq``-th milestone, with the spread of the documents."""
    month = min(12, 2 + seq * 2 + rng.randint(-1, 1))
    roll = rng.random()
    if roll < 0.62:
        return f"{year}年{month}月底前"
    if roll < 0.77:
        return f"{year}年第{'一二三四'[(month - 1) // 3]}季度"
    if roll < 0.87:
        return f"{year}年底前"
    if roll < 0.91:
        return f"{year}年{'上' if month <= 6 else '下'}半年"
    if roll < 0.96:
        return f"{year}年{month}月{rng.choice((10, 15, 20))}日前"
    return "持续推进"


def _fate(rng: random.Random, due: date | None) -> tuple[date | None, str]:
    """When a milestone is really done (None: never) and what it is while not done."""
    roll = rng.random()
    if due is None:  # 持续推进: never done, never overdue
        return None, "in_progress"
    if roll < 0.62:
        return due - timedelta(days=rng.randint(0, 45)), "in_progress"
    if roll < 0.84:
        return due + timedelta(days=rng.randint(3, 120)), "in_progress"
    if roll < 0.96:
        return None, "in_progress"
    return None, "blocked"


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Tier:
    """The rows of one tier, produced in order (plans, items, milestones …) with explicit ids."""

    def __init__(self, conn, tier: str, seed: int, fraction: float):
        self.spec = {**TIERS[tier], "items": max(1, round(TIERS[tier]["items"] * fraction)),
                     "indicators": round(TIERS[tier]["indicators"] * fraction)}
        self.rng = random.Random(f"{tier}-{seed}")
        self.cities = conn.execute(select(Region.id, Region.name).where(Region.level == "city")
                                   .order_by(Region.sort_order)).all()
        counties = conn.execute(select(Region.id, Region.parent_id).where(Region.level == "county")).all()
        self.counties = {city_id: [c for c, parent in counties if parent == city_id] for city_id, _ in self.cities}
        self.lateness = {city_id: self.rng.choice((0, 0, 0, 1, 2, 4, 7)) for city_id, _ in self.cities}
        self.due_cache: dict[tuple[str, int], tuple] = {}
        self.items: list[tuple[int, int, int]] = []  # (item id, plan year, city id)
        self.milestones: list[tuple[int, int, date | None, int]] = []  # (id, year, due, city id)

    def plans(self) -> list[dict]:
        rows, self.plan_of = [], {}
        for year in YEARS:
            for n, (city_id, city) in enumerate(self.cities, start=1):
                self.plan_of[year, city_id] = len(rows) + 1
                rows.append(dict(id=len(rows) + 1, key=f"合成〔{year}〕{n}号", doc_no=f"{city[0]}信用办〔{year}〕{n}号",
                                 title=f"{city}市{year}年信用应用场景推进计划", issuer=f"{city}市信用办",
                                 issue_date=date(year, 2, 20), plan_year=year, kind="scene_plan",
                                 source_file=ORIGIN, source_sha256="-"))
        return rows

    def departments(self) -> list[dict]:
        rows = [dict(id=n + 1, city_id=city_id, name=name) for n, (city_id, name) in
                enumerate((c, d) for c, _ in self.cities for d in DEPARTMENTS)]
        self.depts = {city_id: [r["id"] for r in rows if r["city_id"] == city_id] for city_id, _ in self.cities}
        return rows

    def work_items(self) -> Iterator[dict]:
        per_plan = self.spec["items"] / len(self.plan_of)
        for n in range(self.spec["items"]):
            year, city_id = list(self.plan_of)[min(int(n / per_plan), len(self.plan_of) - 1)]
            domain = DOMAINS[n % len(DOMAINS)]
            county = self.rng.choice(self.counties[city_id] + [None])
            self.items.append((n + 1, year, city_id))
            yield dict(id=n + 1, plan_id=self.plan_of[year, city_id], key=f"s{n}", kind="scene",
                       number=str(n % 40 + 1), name=f"“信用+{domain}”应用场景（{n}）", city_id=city_id,
                       county_id=county, item_type=self.rng.choice(("新增", "深化")),
                       scope="试点推进" if county else "全市推进", deadline=date(year, 12, 31),
                       deadline_text=f"{year}.12", deadline_precision="month", sort_order=n,
                       source_file=ORIGIN)

    def item_departments(self) -> Iterator[dict]:
        for item_id, _, city_id in self.items:
            for pos, dept_id in enumerate(self.rng.sample(self.depts[city_id], 3)):
                yield dict(work_item_id=item_id, department_id=dept_id, role="lead" if pos == 0 else "coop",
                           position=pos)

    def _due(self, text: str, year: int) -> tuple:
        if (text, year) not in self.due_cache:
            due = parse_due(text, year)
            self.due_cache[text, year] = (due.due, due.precision)
        return self.due_cache[text, year]

    def milestone_rows(self) -> Iterator[dict]:
        for item_id, year, city_id in self.items:
            domain = DOMAINS[(item_id - 1) % len(DOMAINS)]
            for seq, step in enumerate(STEPS, start=1):
                text = _due_phrase(self.rng, year, seq)
                due, precision = self._due(text, year)
                ms_id = len(self.milestones) + 1
                self.milestones.append((ms_id, year, due, city_id))
                yield dict(id=ms_id, plan_id=self.plan_of[year, city_id], key=f"s{item_id - 1}#{seq}",
                           work_item_id=item_id, seq=seq, text=f"{step.format(d=domain)}（{text}）", due=due,
                           due_text=text, due_precision=precision, due_inherited=False, source_file=ORIGIN)

    def reported_on(self, year: int, k: int, city_id: int) -> date:
        """The day the k-th monthly report (on March + k) of a plan year came in."""
        return date(year, 3, 1) if k < 0 else add_months(date(year, 4, 5), k) + timedelta(days=self.lateness[city_id])

    def updates(self) -> Iterator[dict]:
        for ms_id, year, due, city_id in self.milestones:
            done_on, waiting = _fate(self.rng, due)
            for k in range(self.spec["reports"]):
                reported = self.reported_on(year, k, city_id)
                done = done_on is not None and done_on <= reported
                state = "done" if done else ("not_started" if k == 0 else waiting)
                yield dict(milestone_id=ms_id, reported_on=reported, period=add_months(date(year, 3, 1), k)
                           .strftime("%Y-%m"), state=state, completed_on=done_on if done else None,
                           note=(self.rng.choice(BLOCKED) if state == "blocked" else
                                 "已按计划完成" if done else self.rng.choice(NOTES)),
                           reported_by="填报员", origin=ORIGIN)

    def submissions(self) -> Iterator[dict]:
        for year in YEARS:
            for k in range(self.spec["reports"]):
                period = add_months(date(year, 3, 1), k).strftime("%Y-%m")
                for city_id, _ in self.cities:
                    reported = self.reported_on(year, k, city_id)
                    due_on = report_due(period, 5)
                    yield dict(period=period, city_id=city_id, reported_by="填报员",
                               submitted_at=datetime.combine(reported, time(2)), due_on=due_on,
                               on_time=reported <= due_on, channel="online", updates=0, origin=ORIGIN)

    def indicators(self) -> Iterator[dict]:
        self.indicator_fates = []
        for n in range(self.spec["indicators"]):
            item_id, year, city_id = self.items[self.rng.randrange(len(self.items))]
            name, unit = INDICATORS[n % len(INDICATORS)]
            target = float(self.rng.choice((50, 100, 200, 500, 1000)))
            baseline = round(target * self.rng.uniform(0.1, 0.5), 1)
            self.indicator_fates.append((n + 1, year, baseline, target * self.rng.uniform(0.6, 1.25)))
            yield dict(id=n + 1, plan_id=self.plan_of[year, city_id], key=f"k{n}", scope="item", work_item_id=item_id,
                       city_id=city_id, name=name.format(d=DOMAINS[(item_id - 1) % len(DOMAINS)]), unit=unit,
                       comparator=">=", target=target, target_text=f"{target:g}{unit}", baseline=baseline,
                       baseline_year=year - 1, direction="higher", qualitative=False, due=date(year, 12, 31),
                       due_text=f"{year}年底前", source_file=ORIGIN)

    def observations(self) -> Iterator[dict]:
        count = self.spec["observations"]
        for ind_id, year, baseline, final in self.indicator_fates:
            for k in range(count):
                observed = date(year, 1, 1) + timedelta(days=14 * (k + 1))
                value = baseline + (final - baseline) * (k + 1) / count
                yield dict(indicator_id=ind_id, value=round(value, 1), observed_on=observed,
                           reported_on=month_end(observed) + timedelta(days=5), origin=ORIGIN)


def generate(store: Store, tier: str, seed: int = 7, fraction: float = 1.0,
             progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Fill an empty store (schema upgraded, no plans) with tier ``tier`` (or a
    ``fraction`` of its work items and indicators, for a quick run); returns row counts."""
    if tier not in TIERS:
        raise GeneratorError(f"未知的规模档位 {tier}（可选：{'、'.join(TIERS)}）")
    if not 0 < fraction <= 1:
        raise GeneratorError(f"比例须在 0 到 1 之间：{fraction}")
    store.upgrade()
    with store.engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Plan)):
            raise GeneratorError("数据库中已有计划：请指向一个新的空数据库（DATABASE_URL）再生成")
    with store.session() as session:
        forget_derived(session)
    with store.engine.begin() as conn:
        rows = _Tier(conn, tier, seed, fraction)
        for label, model, produce in (("plans", Plan, rows.plans), ("departments", Department, rows.departments),
                                      ("work items", WorkItem, rows.work_items),
                                      ("item departments", ItemDepartment, rows.item_departments),
                                      ("milestones", Milestone, rows.milestone_rows),
                                      ("progress updates", ProgressUpdate, rows.updates),
                                      ("report submissions", ReportSubmission, rows.submissions),
                                      ("indicators", Indicator, rows.indicators),
                                      ("observations", IndicatorObservation, rows.observations)):
            written = 0
            for chunk in _chunks(iter(produce())):
                conn.execute(insert(model), chunk)
                written += len(chunk)
            progress(f"{label}: {written:,}")
        for plan in rows.plans():  # each in force to its last due, as an import reads it
            conn.execute(update(Plan).where(Plan.id == plan["id"]).values(period_end=planned_end(
                conn, plan["id"], plan["plan_year"], plan["issue_date"])))
    _reset_sequences(store)
    with store.engine.connect() as conn:
        return {m.__tablename__: conn.scalar(select(func.count()).select_from(m)) for m in (
            WorkItem, Milestone, ProgressUpdate, Indicator, IndicatorObservation)}


def _reset_sequences(store: Store) -> None:
    """Gather the planner's statistics for the freshly bulk-loaded tables, and on
    PostgreSQL move the id sequences past the explicit ids."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        analyze(conn)
    if store.engine.dialect.name != "postgresql":
        return
    with store.engine.begin() as conn:
        for model in (Plan, Department, WorkItem, Milestone, Indicator):
            table = model.__tablename__
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
