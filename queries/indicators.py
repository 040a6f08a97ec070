"""Indicators with their latest actual as of a date, and attainment."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from metrics.attainment import attainment, capped
from queries.status import Filters
from store.models import Department, Indicator, IndicatorObservation, ItemDepartment, Plan, Region, WorkItem

INDICATOR_KEYS = ("plan", "scope", "city", "item", "name", "unit", "baseline", "baseline_year",
                  "target", "target_max", "comparator", "direction", "due", "attribute",
                  "source_text", "latest_actual", "attainment")


def latest_observations(as_of: date):
    ranked = select(
        IndicatorObservation.indicator_id, IndicatorObservation.value, IndicatorObservation.met,
        IndicatorObservation.observed_on,
        func.row_number().over(
            partition_by=IndicatorObservation.indicator_id,
            order_by=(IndicatorObservation.observed_on.desc(), IndicatorObservation.reported_on.desc(),
                      IndicatorObservation.id.desc()),
        ).label("rn"),
    ).where(IndicatorObservation.reported_on <= as_of).subquery("ranked_obs")
    return select(ranked).where(ranked.c.rn == 1).subquery("latest_obs")


def indicator_rows(session, as_of: date, filters: Filters = Filters()) -> list[dict]:
    obs = latest_observations(as_of)
    city, item_city, item = aliased(Region), aliased(Region), aliased(WorkItem)
    stmt = (
        select(Indicator, Plan.doc_no, Plan.title, city.name.label("city"),
               item_city.name.label("item_city"), item.name.label("item"),
               obs.c.value, obs.c.met, obs.c.observed_on)
        .join(Plan, Plan.id == Indicator.plan_id)
        .outerjoin(city, city.id == Indicator.city_id)
        .outerjoin(item, item.id == Indicator.work_item_id)
        .outerjoin(item_city, item_city.id == item.city_id)
        .outerjoin(obs, obs.c.indicator_id == Indicator.id)
        .order_by(Plan.issue_date.desc(), Plan.id, item_city.id, item.sort_order, Indicator.id)
    )
    if filters.plan:
        stmt = stmt.where(Plan.key == filters.plan)
    if filters.city:
        stmt = stmt.where(func.coalesce(city.name, item_city.name) == filters.city)
    if filters.department:
        involved = (select(ItemDepartment.work_item_id)
                    .join(Department, Department.id == ItemDepartment.department_id)
                    .where(Department.name == filters.department))
        stmt = stmt.where(Indicator.work_item_id.in_(involved))
    rows = []
    for r in session.execute(stmt).mappings():
        ind: Indicator = r["Indicator"]
        raw = attainment(r["value"], ind.target, ind.baseline, ind.direction, r["met"],
                         ind.qualitative)
        rows.append({
            "plan": r["doc_no"] or r["title"], "scope": ind.scope,
            "city": r["city"] or r["item_city"], "item": r["item"], "name": ind.name,
            "unit": ind.unit, "baseline": ind.baseline, "baseline_year": ind.baseline_year,
            "target": ind.target, "target_max": ind.target_max, "comparator": ind.comparator,
            "direction": ind.direction, "due": ind.due.isoformat() if ind.due else None,
            "attribute": ind.attribute, "source_text": ind.source_text,
            "latest_actual": r["value"], "attainment": capped(raw),
        })
    return rows
