"""Indicators with their latest actual as of a date, and attainment."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from metrics.attainment import attainment, capped, pace, pace_start, required_value
from queries.status import Filters
from store.models import Department, Indicator, IndicatorObservation, ItemDepartment, Plan, Region, WorkItem

INDICATOR_KEYS = ("plan", "scope", "city", "item", "name", "unit", "baseline", "baseline_year",
                  "target", "target_max", "comparator", "direction", "due", "attribute",
                  "source_text", "latest_actual", "attainment")


def latest_observation_id(as_of: date):
    """Correlated: the indicator's latest observation known by ``as_of``."""
    return (select(IndicatorObservation.id)
            .where(IndicatorObservation.indicator_id == Indicator.id,
                   IndicatorObservation.reported_on <= as_of)
            .order_by(IndicatorObservation.observed_on.desc(), IndicatorObservation.reported_on.desc(),
                      IndicatorObservation.id.desc())
            .limit(1)
            .correlate(Indicator)
            .scalar_subquery())


def indicator_rows(session, as_of: date, filters: Filters = Filters(), where=None) -> list[dict]:
    """Indicators matching the filters (and the condition ``where`` on Indicator),
    with the latest actual known on ``as_of``, attainment and pace."""
    obs = aliased(IndicatorObservation, name="latest_obs")
    city, item_city, item = aliased(Region), aliased(Region), aliased(WorkItem)
    stmt = (
        select(Indicator, Plan.doc_no, Plan.title, Plan.issue_date, city.name.label("city"),
               item_city.name.label("item_city"), item.name.label("item"),
               obs.value, obs.met, obs.observed_on)
        .join(Plan, Plan.id == Indicator.plan_id)
        .outerjoin(city, city.id == Indicator.city_id)
        .outerjoin(item, item.id == Indicator.work_item_id)
        .outerjoin(item_city, item_city.id == item.city_id)
        .outerjoin(obs, obs.id == latest_observation_id(as_of))
        .order_by(Plan.issue_date.desc(), Plan.id, item_city.id, item.sort_order, Indicator.id)
    )
    if filters.plan:
        stmt = stmt.where(Plan.key == filters.plan)
    if filters.year:
        stmt = stmt.where(Plan.plan_year == filters.year)
    if filters.city:
        stmt = stmt.where(func.coalesce(city.name, item_city.name) == filters.city)
    if filters.item_id is not None:
        stmt = stmt.where(Indicator.work_item_id == filters.item_id)
    if filters.department:
        involved = (select(ItemDepartment.work_item_id)
                    .join(Department, Department.id == ItemDepartment.department_id)
                    .where(Department.name == filters.department))
        stmt = stmt.where(Indicator.work_item_id.in_(involved))
    if where is not None:
        stmt = stmt.where(where)
    rows = []
    for r in session.execute(stmt).mappings():
        ind: Indicator = r["Indicator"]
        raw = attainment(r["value"], ind.target, ind.baseline, ind.direction, r["met"],
                         ind.qualitative)
        start = pace_start(ind.baseline_year, r["issue_date"])
        rows.append({
            "plan": r["doc_no"] or r["title"], "scope": ind.scope,
            "city": r["city"] or r["item_city"], "item": r["item"], "name": ind.name,
            "unit": ind.unit, "baseline": ind.baseline, "baseline_year": ind.baseline_year,
            "target": ind.target, "target_max": ind.target_max, "comparator": ind.comparator,
            "direction": ind.direction, "due": ind.due.isoformat() if ind.due else None,
            "attribute": ind.attribute, "source_text": ind.source_text,
            "latest_actual": r["value"], "attainment": capped(raw),
            # beyond the export contract: for the pages
            "indicator_id": ind.id, "item_id": ind.work_item_id, "target_text": ind.target_text,
            "baseline_text": ind.baseline_text, "qualitative": ind.qualitative, "met": r["met"],
            "latest_on": r["observed_on"].isoformat() if r["observed_on"] else None,
            "attainment_raw": raw, "version": ind.report_version,
            "required": required_value(ind.baseline, start, ind.target, ind.due, as_of),
            "pace": pace(raw, start, ind.due, r["observed_on"]),
        })
    return rows
