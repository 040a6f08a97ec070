"""An indicator's observation history as known on a date (time travel: values
reported later are not known yet; a revised value replaces the earlier report
of the same period only once it has been reported), and where its required
path starts — what a chart of actual against the linear path needs."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from metrics.attainment import pace_start
from queries.cache import cache
from store import session_scope
from store.models import Indicator, IndicatorObservation, Plan


def observation_rows(session, as_of: date, indicator_ids: tuple[int, ...]) -> list[dict]:
    """Per indicator and observed period, the latest value reported on or before
    ``as_of``, ordered by indicator and period."""
    if not indicator_ids:
        return []
    rank = func.row_number().over(
        partition_by=(IndicatorObservation.indicator_id, IndicatorObservation.observed_on),
        order_by=(IndicatorObservation.reported_on.desc(), IndicatorObservation.id.desc()),
    ).label("rank")
    known = (select(IndicatorObservation.indicator_id, IndicatorObservation.observed_on,
                    IndicatorObservation.reported_on, IndicatorObservation.value,
                    IndicatorObservation.met, IndicatorObservation.note, rank)
             .where(IndicatorObservation.indicator_id.in_(indicator_ids),
                    IndicatorObservation.reported_on <= as_of)
             .subquery())
    stmt = (select(known.c.indicator_id, known.c.observed_on, known.c.reported_on, known.c.value,
                   known.c.met, known.c.note)
            .where(known.c.rank == 1)
            .order_by(known.c.indicator_id, known.c.observed_on))
    return [{"indicator_id": r.indicator_id, "observed_on": r.observed_on.isoformat(),
             "reported_on": r.reported_on.isoformat(), "value": r.value, "met": r.met, "note": r.note}
            for r in session.execute(stmt)]


def path_starts(session, indicator_ids: tuple[int, ...]) -> dict[int, str]:
    """Where each indicator's required path starts (metrics.attainment.pace_start:
    the end of the baseline year, else the plan's issue date)."""
    if not indicator_ids:
        return {}
    stmt = (select(Indicator.id, Indicator.baseline_year, Plan.issue_date)
            .join(Plan, Plan.id == Indicator.plan_id)
            .where(Indicator.id.in_(indicator_ids)))
    return {r.id: pace_start(r.baseline_year, r.issue_date).isoformat() for r in session.execute(stmt)}


@cache.memoize()
def history(as_of: date, indicator_ids: tuple[int, ...]) -> dict[int, dict]:
    """{indicator_id: {"start": ISO date, "observations": [...]}} for the given
    indicators, in one round trip per table."""
    ids = tuple(sorted(set(indicator_ids)))
    with session_scope() as s:
        starts = path_starts(s, ids)
        rows = observation_rows(s, as_of, ids)
    out = {i: {"start": starts.get(i), "observations": []} for i in ids}
    for r in rows:
        out[r["indicator_id"]]["observations"].append(r)
    return out
