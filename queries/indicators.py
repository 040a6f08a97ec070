"""Indicators with their latest actual as of a date, attainment and pace, read
from that date's indicator rollup (queries.indicator_status), and counted."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import Integer, and_, case, cast, func, select

from metrics.attainment import pace_start, required_value, stale_months
from queries.aliases import CITY, COUNTY, ITEM, LATEST_OBSERVATION
from queries.indicator_changes import as_then, definitions_then
from queries.indicator_status import ensure_indicator_rollup
from queries.status import Filters, plan_condition
from store.models import Department, Indicator, IndicatorRollup, ItemDepartment, Plan, Region

INDICATOR_KEYS = ("plan", "scope", "city", "item", "name", "unit", "baseline", "baseline_year",
                  "target", "target_max", "comparator", "direction", "due", "attribute",
                  "source_text", "latest_actual", "attainment")


def _filtered(session, columns, as_of: date, filters: Filters, where=None):
    """A select of ``columns`` over the stored judgements of ``as_of`` (built
    first if needed) joined to their indicators, restricted by the filters and
    by ``where`` (a condition on Indicator)."""
    stored_as_of = ensure_indicator_rollup(session, as_of)
    r = IndicatorRollup
    stmt = (select(*columns).select_from(r).join(Indicator, Indicator.id == r.indicator_id)
            .where(r.as_of == stored_as_of))
    plans = plan_condition(Indicator.plan_id, filters)
    if plans is not None:
        stmt = stmt.where(plans)
    if filters.city:
        stmt = stmt.where(r.city_id == select(Region.id).where(Region.name == filters.city).scalar_subquery())
    if filters.item_id is not None:
        stmt = stmt.where(Indicator.work_item_id == filters.item_id)
    if filters.department:
        involved = (select(ItemDepartment.work_item_id)
                    .join(Department, Department.id == ItemDepartment.department_id)
                    .where(Department.name == filters.department))
        stmt = stmt.where(Indicator.work_item_id.in_(involved))
    if where is not None:
        stmt = stmt.where(where)
    return stmt


def indicator_rows(session, as_of: date, filters: Filters = Filters(), where=None,
                   limit: int | None = None) -> list[dict]:
    """Indicators matching the filters (and the condition ``where`` on Indicator),
    in the table's order (the first ``limit``), with the latest actual known on
    ``as_of``, attainment and pace."""
    r, obs, city, item = IndicatorRollup, LATEST_OBSERVATION, CITY, ITEM
    stmt = (_filtered(session, (*Indicator.__table__.c, Plan.doc_no, Plan.title, Plan.issue_date,
                                CITY.name.label("city"), ITEM.name.label("item"),
                                COUNTY.name.label("item_county"), obs.value, obs.met,
                                obs.observed_on, r.attainment_raw, r.attainment, r.pace), as_of, filters, where)
            .join(Plan, Plan.id == Indicator.plan_id)
            .outerjoin(city, city.id == r.city_id)  # (the indicator's city, else its work item's)
            .outerjoin(item, item.id == Indicator.work_item_id)
            .outerjoin(COUNTY, COUNTY.id == item.county_id)
            .outerjoin(obs, obs.id == r.observation_id)
            .order_by(r.position).limit(limit))
    rows, then = [], definitions_then(session, as_of)
    for r in session.execute(stmt).mappings():  # plain columns: no ORM objects for thousands of rows
        r = as_then(r, then)  # the definition as it stood on the date
        rows.append({
            "plan": r["doc_no"] or r["title"], "scope": r["scope"],
            "city": r["city"], "item": r["item"], "name": r["name"],
            "unit": r["unit"], "baseline": r["baseline"], "baseline_year": r["baseline_year"],
            "target": r["target"], "target_max": r["target_max"], "comparator": r["comparator"],
            "direction": r["direction"], "due": r["due"].isoformat() if r["due"] else None,
            "attribute": r["attribute"], "source_text": r["source_text"],
            "latest_actual": r["value"], "attainment": r["attainment"],
            # beyond the export contract: for the pages
            "indicator_id": r["id"], "item_id": r["work_item_id"], "item_county": r["item_county"],
            "target_text": r["target_text"],
            "baseline_text": r["baseline_text"], "qualitative": r["qualitative"], "met": r["met"],
            "latest_on": r["observed_on"].isoformat() if r["observed_on"] else None,
            "attainment_raw": r["attainment_raw"], "version": r["report_version"],
            "required": required_value(r["baseline"], pace_start(r["baseline_year"], r["issue_date"]),
                                       r["target"], r["due"], as_of),
            "pace": r["pace"],
            "stale_months": stale_months(r["observed_on"], as_of, current_app.config["INDICATOR_STALE_MONTHS"]),
        })
    return rows


SUMMARY_GROUPS = {
    "city": CITY.name,  # None: the province's own indicators
    "scope": case((Indicator.scope == "province", "province"), else_="items"),
}


def indicator_summary(session, as_of: date, filters: Filters = Filters(),
                      by: str = "city", where=None) -> dict[str | None, dict]:
    """Per city (or per scope: the province's indicators and the others): how
    many indicators, how many have data (judged), are met or on pace, behind,
    binding (约束性); the cities and work items they cover; how many have an
    attainment and the sum of the capped ones — what the pages count, in SQL
    (of the indicators meeting ``where`` too, a condition on Indicator)."""
    r = IndicatorRollup

    def n(cond):
        return cast(func.coalesce(func.sum(case((cond, 1), else_=0)), 0), Integer)

    key = SUMMARY_GROUPS[by]
    stmt = _filtered(session, (
        key.label("key"), func.count().label("indicators"), n(r.pace != "no_data").label("judged"),
        n(r.pace.in_(("met", "on_pace"))).label("on_track"), n(r.pace == "behind").label("behind"),
        n(r.binding.is_(True)).label("binding"), n(and_(r.binding.is_(True), r.pace == "behind")).label("binding_behind"),
        func.count(func.distinct(r.city_id)).label("cities"),
        func.count(func.distinct(Indicator.work_item_id)).label("items"),
        func.count(r.attainment).label("attained"),
        func.coalesce(func.sum(r.attainment), 0.0).label("attainment_sum")), as_of, filters, where)
    if by == "city":
        stmt = stmt.outerjoin(CITY, CITY.id == r.city_id)
    return {row["key"]: {k: v for k, v in row.items() if k != "key"}
            for row in session.execute(stmt.group_by(key)).mappings()}
