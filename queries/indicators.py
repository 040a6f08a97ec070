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


def _matching(columns, as_of: date, filters: Filters, where=None):
    """A select of ``columns`` over the indicators matching the filters (and
    ``where`` on Indicator), joined to their plan, city, item and the latest
    observation known on ``as_of`` (``LATEST_OBSERVATION``), in the table's order."""
    obs, city, item_city, item = LATEST_OBSERVATION, CITY, ITEM_CITY, ITEM
    stmt = (
        select(*columns)
        .select_from(Indicator)
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
    return stmt


# what attainment and pace are computed from
_JUDGED = (LATEST_OBSERVATION.value, LATEST_OBSERVATION.met, LATEST_OBSERVATION.observed_on, Indicator.target,
           Indicator.baseline, Indicator.baseline_year, Indicator.direction, Indicator.qualitative, Indicator.due,
           Plan.issue_date)


def _judge(r) -> tuple[float | None, date, str]:
    """(raw attainment, where the required path starts, pace) of a row with the _JUDGED columns."""
    raw = attainment(r["value"], r["target"], r["baseline"], r["direction"], r["met"], r["qualitative"])
    start = pace_start(r["baseline_year"], r["issue_date"])
    return raw, start, pace(raw, start, r["due"], r["observed_on"])


def indicator_rows(session, as_of: date, filters: Filters = Filters(), where=None) -> list[dict]:
    """Indicators matching the filters (and the condition ``where`` on Indicator),
    with the latest actual known on ``as_of``, attainment and pace."""
    stmt = _matching((*Indicator.__table__.c, Plan.doc_no, Plan.title, Plan.issue_date, CITY.name.label("city"),
                      ITEM_CITY.name.label("item_city"), ITEM.name.label("item"), *_JUDGED[:3]),
                     as_of, filters, where)
    rows = []
    for r in session.execute(stmt).mappings():  # plain columns: no ORM objects for thousands of rows
        raw, start, judged = _judge(r)
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
            "pace": judged,
        })
    return rows


def indicator_summary(session, as_of: date, filters: Filters = Filters()) -> dict[str | None, dict]:
    """Per city (None: the province's own indicators): how many indicators,
    how many have data (judged), how many are met or on pace, and their capped
    attainments — what the overview and the city comparison count, without
    building every indicator's row."""
    out: dict[str | None, dict] = {}
    stmt = _matching((*_JUDGED, func.coalesce(CITY.name, ITEM_CITY.name).label("city")), as_of, filters)
    for r in session.execute(stmt.order_by(None)).mappings():
        raw, _, judged = _judge(r)
        city = out.setdefault(r["city"], {"indicators": 0, "judged": 0, "on_track": 0, "attainments": []})
        city["indicators"] += 1
        city["judged"] += judged != "no_data"
        city["on_track"] += judged in ("met", "on_pace")
        if raw is not None:
            city["attainments"].append(capped(raw))
    return out
