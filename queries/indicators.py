"""Indicators with their latest actual as of a date, and attainment."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from metrics.attainment import attainment, capped, pace, pace_start, required_value
from queries.aliases import CITY, ITEM, ITEM_CITY, LATEST_OBSERVATION
from queries.status import Filters
from store.models import Department, Indicator, IndicatorObservation, ItemDepartment, Plan

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
    obs, city, item_city, item = LATEST_OBSERVATION, CITY, ITEM_CITY, ITEM
    stmt = (
        select(*Indicator.__table__.c, Plan.doc_no, Plan.title, Plan.issue_date, city.name.label("city"),
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
    for r in session.execute(stmt).mappings():  # plain columns: no ORM objects for thousands of rows
        raw = attainment(r["value"], r["target"], r["baseline"], r["direction"], r["met"], r["qualitative"])
        start = pace_start(r["baseline_year"], r["issue_date"])
        rows.append({
            "plan": r["doc_no"] or r["title"], "scope": r["scope"],
            "city": r["city"] or r["item_city"], "item": r["item"], "name": r["name"],
            "unit": r["unit"], "baseline": r["baseline"], "baseline_year": r["baseline_year"],
            "target": r["target"], "target_max": r["target_max"], "comparator": r["comparator"],
            "direction": r["direction"], "due": r["due"].isoformat() if r["due"] else None,
            "attribute": r["attribute"], "source_text": r["source_text"],
            "latest_actual": r["value"], "attainment": capped(raw),
            # beyond the export contract: for the pages
            "indicator_id": r["id"], "item_id": r["work_item_id"], "target_text": r["target_text"],
            "baseline_text": r["baseline_text"], "qualitative": r["qualitative"], "met": r["met"],
            "latest_on": r["observed_on"].isoformat() if r["observed_on"] else None,
            "attainment_raw": raw, "version": r["report_version"],
            "required": required_value(r["baseline"], start, r["target"], r["due"], as_of),
            "pace": pace(raw, start, r["due"], r["observed_on"]),
        })
    return rows
