"""The annual assessment's inputs, read from the store: the rules in force, each
city's raw figures for a year as of the assessment date (the status engine's
rates over the plans of that year, indicator attainment, monthly reports in on
time, bonus items), what lies behind each figure, and the published results.
A change of plan the admin marked 不影响考核 is counted on the original plan
(queries.kept_deadlines).

A year's assessment covers the province's plans of that plan year (the plans
every city is measured on: queries.scope), archived or not; its default date
is 31 January of the next year (December's reports are due by then), or the
latest report date while the year is still running.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from flask import current_app
from sqlalchemy import Integer, cast, func, or_, select

from metrics.scoring import Figures, Rules, ranked, score
from queries.cache import cache
from queries.indicators import indicator_summary
from queries.kept_deadlines import CORRECTED, corrections, kept_rows
from queries.rollup import rollup_groups
from queries.scope import PROVINCE_PLAN, plan_ids
from queries.scope import latest_report as scope_latest_report
from queries.status import Filters, group_rates
from store import clock, session_scope
from store.clock import local_text
from store.models import (
    AssessmentBonus,
    AssessmentResult,
    AssessmentRules,
    Indicator,
    Milestone,
    Plan,
    Region,
    ReportSubmission,
    WorkItem,
)
from store.periods import report_due


def default_date(year: int, latest: date) -> date:
    """31 January of the next year, or ``latest`` (the newest report) if earlier."""
    return min(date(year + 1, 1, 31), latest)


def rules_in_force(session) -> tuple[Rules, dict | None]:
    """The newest rules and who set them when (None: the defaults, never edited)."""
    row = session.scalars(select(AssessmentRules).order_by(AssessmentRules.id.desc()).limit(1)).first()
    if row is None:
        return Rules(), None
    return Rules.from_dict(json.loads(row.rules)), {"by": row.created_by, "at": local_text(row.created_at)}


def assessed(indicator: dict) -> bool:
    """An indicator counts if it has something to attain: a target, or met / not
    met (ASSESSED says the same of a stored indicator, in SQL)."""
    return indicator["qualitative"] or indicator["target"] is not None


ASSESSED = or_(Indicator.qualitative, Indicator.target.is_not(None))


def year_filters(session, year: int, city: str | None = None) -> Filters:
    """What a year's assessment covers: the province's plans of the year (queries.scope)."""
    return Filters(city=city, plans=plan_ids(session, date(year, 12, 31), year=year))


def kpi_figures(session, year: int, as_of: date) -> dict[str, tuple[float, int]]:
    """city -> (sum of capped attainments, indicators assessed); one without an
    actual reported by the date attains 0."""
    return {city: (g["attainment_sum"], g["indicators"])
            for city, g in indicator_summary(session, as_of, year_filters(session, year), where=ASSESSED).items()
            if city}


def reports_due(session, year: int, as_of: date, due_day: int) -> dict[str, list[str]]:
    """city -> the months of ``year`` it had to report on by ``as_of``: from the
    month its first plan of the year was issued, each whose report fell due by then."""
    stmt = (select(Region.name, func.min(Plan.issue_date))
            .join(WorkItem, WorkItem.city_id == Region.id)
            .join(Plan, Plan.id == WorkItem.plan_id)
            .where(Plan.id.in_(year_filters(session, year).plans))
            .group_by(Region.name))
    out = {}
    for city, first in session.execute(stmt):
        months = [f"{year}-{m:02d}" for m in range(first.month if first.year == year else 1, 13)]
        out[city] = [p for p in months if report_due(p, due_day) <= as_of]
    return out


def report_rows(session, year: int, as_of: date, due_day: int) -> dict[str, list[dict]]:
    """city -> one row per month due: its due day, the first submission and whether it was in on time."""
    due = reports_due(session, year, as_of, due_day)
    stmt = (select(Region.name, ReportSubmission.period, func.min(ReportSubmission.submitted_at),
                   func.max(cast(ReportSubmission.on_time, Integer)))
            .join(Region, Region.id == ReportSubmission.city_id)
            .where(ReportSubmission.period.like(f"{year}-%"))
            .group_by(Region.name, ReportSubmission.period))
    seen = {(city, period): (first, bool(on_time)) for city, period, first, on_time in session.execute(stmt)}

    def row(city: str, period: str) -> dict:
        first, on_time = seen.get((city, period), (None, False))
        return {"period": period, "due_on": report_due(period, due_day).isoformat(),
                "submitted_at": local_text(first), "on_time": on_time}

    return {city: [row(city, p) for p in months] for city, months in due.items()}


def bonus_rows(session, year: int) -> list[dict]:
    """The bonus items recorded for ``year``, withdrawn ones included (they say so)."""
    stmt = (select(AssessmentBonus, Region.name).join(Region, Region.id == AssessmentBonus.city_id)
            .where(AssessmentBonus.year == year).order_by(Region.sort_order, AssessmentBonus.id))
    return [{"bonus_id": b.id, "city": city, "points": b.points, "reason": b.reason, "by": b.created_by,
             "at": local_text(b.created_at), "withdrawn": b.withdrawn_at is not None,
             "withdrawn_text": f"已撤销（{b.withdrawn_by}，{local_text(b.withdrawn_at)}）" if b.withdrawn_at else "有效"}
            for b, city in session.execute(stmt)]


def city_figures(session, year: int, as_of: date, due_soon_days: int, due_day: int,
                 bonus_items: list[dict]) -> list[Figures]:
    """Each assessed city's raw figures, in the province's order of cities
    (``bonus_items``: the year's bonus items in force)."""
    groups = rollup_groups(session, as_of, due_soon_days)
    kpi = kpi_figures(session, year, as_of)
    reports = report_rows(session, year, as_of, due_day)
    bonus = defaultdict(float)
    for b in bonus_items:
        bonus[b["city"]] += b["points"]
    filters = year_filters(session, year)
    kept = corrections(session, as_of, due_soon_days, filters.plans)  # changes marked 不影响考核
    out = []
    for r in group_rates(session, groups, "city", filters):
        if not r["city"]:
            continue
        r = {**r, **{name: r[name] + kept.get(r["city"], {}).get(name, 0) for name in CORRECTED}}
        months = reports.get(r["city"], [])
        out.append(Figures(
            city=r["city"], on_time=(r["on_time_due"], r["due_by"]), progress=(r["done_due"], r["due_by"]),
            kpi=kpi.get(r["city"], (0.0, 0)), timeliness=(sum(m["on_time"] for m in months), len(months)),
            overdue=r["overdue"], overdue_days=r["overdue_days"], bonus=bonus[r["city"]]))
    return out


def assessment_years(session) -> list[int]:
    """The years of the province's plans with milestones, newest first."""
    with_milestones = select(Milestone.id).where(Milestone.plan_id == Plan.id).exists()
    return list(session.scalars(select(Plan.plan_year).where(with_milestones, PROVINCE_PLAN).distinct()
                                .order_by(Plan.plan_year.desc())))


@cache.memoize()
def latest_report(year: int) -> date:
    """The latest progress report on the year's plans, else today: what the default date is capped by."""
    with session_scope() as s:
        return scope_latest_report(s, year_filters(s, year).plans) or clock.today()


def result_rows(session) -> list[dict]:
    """Every published result, newest year first; ``current`` marks the one in force for its year."""
    rows = session.scalars(select(AssessmentResult).order_by(AssessmentResult.year.desc(),
                                                             AssessmentResult.id.desc())).all()
    seen = set()
    out = []
    for r in rows:
        scores = json.loads(r.scores)
        out.append({"result_id": r.id, "year": r.year, "as_of": r.as_of.isoformat(), "note": r.note or "",
                    "published_by": r.published_by, "published_at": local_text(r.published_at),
                    "current": r.year not in seen, "first": scores[0]["city"] if scores else "",
                    "rules": json.loads(r.rules), "scores": scores})
        seen.add(r.year)
    return out


# --- memoized, for the pages -------------------------------------------------

def _settings() -> tuple[int, int]:
    return current_app.config["DUE_SOON_DAYS"], current_app.config["REPORT_DUE_DAY"]


@cache.memoize()
def the_plan(year: int) -> str | None:
    """The key of the year's one province plan, if it has one only: a city's
    links then name it, so they open the rows the city is scored on (a city's
    own plans, which a city's pages add, are not in the assessment)."""
    with session_scope() as s:
        keys = s.scalars(select(Plan.key).where(Plan.id.in_(year_filters(s, year).plans))).all()
    return keys[0] if len(keys) == 1 else None


def kept_milestones(session, year: int, as_of: date, city: str) -> dict[int, dict]:
    """The city's milestones the score judges on their original plan (不影响考核), for its breakdown."""
    return kept_rows(session, as_of, _settings()[0], year_filters(session, year).plans, city)


@cache.memoize()
def scorecard(year: int, as_of: date) -> dict:
    """The live scorecard: the rules in force and each city's ranked breakdown
    with the bonus items behind its bonus (what a published result freezes)."""
    with session_scope() as s:
        rules, set_by = rules_in_force(s)
        items = [b for b in bonus_rows(s, year) if not b["withdrawn"]]
        figures = city_figures(s, year, as_of, *_settings(), items)
    cities = [{**b, "bonus_items": [i for i in items if i["city"] == b["city"]]}
              for b in ranked([score(f, rules) for f in figures])]
    return {"rules": rules.as_dict(), "rules_set": set_by, "cities": cities}


def shown(year: int, as_of: date, result_id: int | None = None) -> dict:
    """What a page or an export shows: a published result's frozen scorecard
    (``result``: its record), else the live one computed now."""
    if result_id is not None:
        result = next((r for r in published() if r["result_id"] == result_id and r["year"] == year), None)
        if result is None:
            raise LookupError(f"{year}年度没有编号为 {result_id} 的已发布结果")
        return {"rules": result["rules"], "rules_set": None, "cities": result["scores"], "result": result}
    return {**scorecard(year, as_of), "result": None}


@cache.memoize()
def years() -> list[int]:
    with session_scope() as s:
        return assessment_years(s)


@cache.memoize()
def reports(year: int, as_of: date) -> dict[str, list[dict]]:
    with session_scope() as s:
        return report_rows(s, year, as_of, current_app.config["REPORT_DUE_DAY"])


@cache.memoize()
def bonuses(year: int) -> list[dict]:
    with session_scope() as s:
        return bonus_rows(s, year)


@cache.memoize()
def published() -> list[dict]:
    with session_scope() as s:
        return result_rows(s)
