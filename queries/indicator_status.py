"""Each indicator as known on a date (DESIGN §6): its latest observation
reported by then, raw and capped attainment and pace, judged by
metrics.attainment once per date and stored (IndicatorRollup), as the
milestone statuses are (queries.rollup).  Pages, counts and scores read the
stored rows: at tier L judging 20,000 indicators took half a second a page.

An indicator is judged as it stood on the date (queries.indicator_changes).
Writes keep them true: a report of actuals (dated today), or a change of an
indicator's definition (from its date), judges its indicators again for the kept dates from today on and marks the passing ones stale
(refresh_indicator_rollup; queries.rollup_dates); imports, restores and the
demo loader drop them all (store.forget_derived)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, delete, func, select, update

from metrics.attainment import attainment, capped, pace, pace_start
from queries import rollup_dates
from queries.aliases import ITEM, ITEM_CITY, LATEST_OBSERVATION
from queries.indicator_changes import as_then, definitions_then
from queries.rollup import claim_date, reclaim_date
from store import gather_statistics_after_insert, rollup_lock
from store.models import Indicator, IndicatorObservation, IndicatorRollup, IndicatorRollupDate, Plan

JUDGED = ("observation_id", "attainment_raw", "attainment", "pace", "binding")


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


def table_order():
    """The indicator table's order: newest plan first, then by the city of the
    work item, the document's order of items, the indicators' own order."""
    return (Plan.issue_date.desc(), Plan.id, ITEM_CITY.id, ITEM.sort_order, Indicator.id)


def judge(r, as_of: date) -> tuple[float | None, date, str]:
    """(raw attainment, where the required path starts, pace on ``as_of``) of a
    row holding the latest observation's value, met and the indicator's
    target, baseline, baseline_year, direction, qualitative, due, and the
    plan's issue_date."""
    raw = attainment(r["value"], r["target"], r["baseline"], r["direction"], r["met"], r["qualitative"])
    start = pace_start(r["baseline_year"], r["issue_date"])
    return raw, start, pace(raw, start, r["due"], as_of)


def judged_rows(session, as_of: date, ids: set[int] | None = None) -> list[dict]:
    """Every indicator (or those of ``ids``) judged on ``as_of``: the rollup's rows."""
    obs, item, item_city = LATEST_OBSERVATION, ITEM, ITEM_CITY
    stmt = (select(Indicator.id, func.coalesce(Indicator.city_id, item.city_id).label("city_id"),
                   obs.id.label("observation_id"), obs.value, obs.met, obs.observed_on,
                   Indicator.target, Indicator.baseline, Indicator.baseline_year, Indicator.direction,
                   Indicator.qualitative, Indicator.due, Indicator.attribute, Plan.issue_date,
                   func.row_number().over(order_by=table_order()).label("position"))
            .join(Plan, Plan.id == Indicator.plan_id)
            .outerjoin(item, item.id == Indicator.work_item_id)
            .outerjoin(item_city, item_city.id == item.city_id)
            .outerjoin(obs, obs.id == latest_observation_id(as_of)))
    if ids is not None:
        stmt = stmt.where(Indicator.id.in_(ids))
    rows, then = [], definitions_then(session, as_of, ids)
    for r in session.execute(stmt).mappings():
        r = as_then(r, then)  # the indicator as it stood on the date
        raw, _, judged = judge(r, as_of)
        rows.append({"as_of": as_of, "indicator_id": r["id"], "city_id": r["city_id"],
                     "observation_id": r["observation_id"], "attainment_raw": raw, "attainment": capped(raw),
                     "pace": judged, "binding": r["attribute"] == "约束性", "position": r["position"]})
    return rows


def drop_date(session, as_of: date) -> None:
    for table in (IndicatorRollup, IndicatorRollupDate):
        session.execute(delete(table).where(table.as_of == as_of))


def ensure_indicator_rollup(session, as_of: date) -> date:
    """``as_of``, its judgements stored first unless there and current (one
    transaction: a date is complete or absent; claimed first and bounded, as
    the status rollup's dates are).  Every date is judged on itself: pace is
    the view's date's (metrics.attainment.pace)."""
    marker = session.get(IndicatorRollupDate, as_of)
    if marker is not None and not marker.stale:
        return as_of
    rollup_lock(session, exclusive=False)
    if marker is not None and not reclaim_date(session, marker, lambda: drop_date(session, as_of)):
        return as_of
    if not claim_date(session, IndicatorRollupDate, as_of=as_of):
        return as_of
    rows = judged_rows(session, as_of)
    if rows:
        session.execute(IndicatorRollup.__table__.insert(), rows)
    for old in rollup_dates.passing_beyond_limit(session, IndicatorRollupDate):
        drop_date(session, old.as_of)
    session.commit()
    gather_statistics_after_insert(session.connection(), IndicatorRollup.__tablename__)
    session.commit()
    return as_of


def refresh_indicator_rollup(session, since: date, indicator_ids: set[int]) -> None:
    """After actuals of ``indicator_ids`` reported on ``since``: judge them again
    for the kept dates from ``since`` on and mark the passing ones stale (in the
    writer's transaction; their place in the table stays)."""
    if not indicator_ids:
        return
    rollup_lock(session, exclusive=True)
    dates = [row.as_of for row in rollup_dates.after_report(session, IndicatorRollupDate, since)]
    if not dates:
        return
    t = IndicatorRollup.__table__.c  # (a Core update: executemany, no ORM bookkeeping)
    stmt = (update(IndicatorRollup.__table__)
            .where(t.as_of == bindparam("b_as_of"), t.indicator_id == bindparam("b_indicator_id"))
            .values({c: bindparam(f"b_{c}") for c in JUDGED}))
    for as_of in dates:
        rows = judged_rows(session, as_of, indicator_ids)
        session.execute(stmt, [{f"b_{k}": r[k] for k in ("as_of", "indicator_id", *JUDGED)} for r in rows])
