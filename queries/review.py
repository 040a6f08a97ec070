"""The monthly progress review (月度推进会): what a month changed, as it was known
at the month's end.  Every figure is the status engine's as of the review date
E (the month end, or today while the month runs), compared with the previous
month end P; a report made after E never counts (time travel)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from queries import api
from queries.cache import cache
from queries.status import DONE, Filters, milestone_status
from queries.status_table import status_rows
from store import clock, session_scope
from store.models import Plan
from store.periods import add_months, month_end, period_label, period_of


@dataclass(frozen=True)
class Month:
    """A review month: its first day and its review date ``end`` (E)."""

    first: date
    end: date

    @classmethod
    def of(cls, first: date, today: date) -> "Month":
        """A running month is reviewed as of today, not as of a day still to come."""
        return cls(first, min(month_end(first), today))

    @property
    def previous_end(self) -> date:  # P
        return self.first - timedelta(days=1)

    @property
    def horizon(self) -> date:
        """The last day of 下月到期: the end of the following month."""
        return month_end(add_months(self.first, 1))

    @property
    def running(self) -> bool:
        return self.end < month_end(self.first)

    @property
    def period(self) -> str:
        return period_of(self.first)

    @property
    def label(self) -> str:
        return period_label(self.period)


def default_month(as_of: date) -> date:
    """The latest complete month at or before ``as_of``: its own month when it
    is a month end, else the month before."""
    return as_of.replace(day=1) if as_of == month_end(as_of) else add_months(as_of, -1)


@cache.memoize()
def first_month() -> date:
    """The month of the earliest plan: nothing to review before it."""
    with session_scope() as s:
        first = s.scalar(select(func.min(Plan.issue_date)))
    return (first or clock.today()).replace(day=1)


@cache.memoize()
def month_lists(previous_end: date, end: date, horizon: date) -> dict[str, list[dict]]:
    """Status rows as of ``end``: ``completed`` (done, the completion reported
    after ``previous_end`` and not already done then), ``overdue`` (overdue,
    due on or after ``previous_end``, so not overdue then; most days first) and
    ``due_next`` (not done, due after ``end`` up to ``horizon``; soonest first)."""
    days = current_app.config["DUE_SOON_DAYS"]
    with session_scope() as s:
        reported = status_rows(s, end, due_soon_days=days, done_reported_after=previous_end)
        already = done_by(s, previous_end, [r["milestone_id"] for r in reported])
        overdue = status_rows(s, end, Filters(statuses=("overdue",)), days, due_within=(previous_end, end))
        due_next = status_rows(s, end, Filters(statuses=("due_soon", "not_due")), days,
                               due_within=(end + timedelta(days=1), horizon))
    return {
        "completed": [r for r in reported if r["milestone_id"] not in already],
        "overdue": sorted(overdue, key=lambda r: -r["days_overdue"]),
        "due_next": sorted(due_next, key=lambda r: r["due"]),
    }


def done_by(session, as_of: date, milestone_ids: list[int]) -> set[int]:
    """Those of ``milestone_ids`` already done as of ``as_of`` (a correction of a
    completion reported in the month is no new completion)."""
    if not milestone_ids:
        return set()
    st = milestone_status(as_of)
    return set(session.scalars(select(st.c.milestone_id).where(
        st.c.milestone_id.in_(milestone_ids), st.c.status.in_(DONE))))


def rank_cities(rows: list[dict]) -> dict[str, int]:
    """City -> rank by 进度完成率 (highest first; nothing due yet ranks last),
    ties broken by fewer overdue days; equal on both, equal rank."""
    def key(r):
        return (r["progress_rate"] is None, -(r["progress_rate"] or 0), r["overdue_days"])

    ranks: dict[str, int] = {}
    ordered = sorted(rows, key=key)
    for n, r in enumerate(ordered):
        tied = n and key(ordered[n - 1]) == key(r)
        ranks[r["city"]] = ranks[ordered[n - 1]["city"]] if tied else n + 1
    return ranks


def city_ranking(month: Month) -> list[dict]:
    """The cities in rank order, each with its counts as of E (``now``) and P
    (``before``), its rank at both, and ``move`` (places gained since P)."""
    now = {r["city"]: r for r in api.rates(month.end, "city")}
    before = {r["city"]: r for r in api.rates(month.previous_end, "city")}
    ranks, previous = rank_cities(list(now.values())), rank_cities(list(before.values()))
    rows = [{"city": c, "now": now[c], "before": before.get(c), "rank": ranks[c],
             "previous_rank": previous.get(c),
             "move": previous[c] - ranks[c] if c in previous else None} for c in now]
    return sorted(rows, key=lambda r: r["rank"])


def indicator_moves(month: Month) -> list[dict]:
    """The indicators whose latest actual known at E differs from the one known
    at P (a new actual came in during the month): the row at E with ``before``,
    the row at P."""
    before = {i["indicator_id"]: i for i in api.indicator_table(month.previous_end)}

    def actual(i):
        return (i["latest_actual"], i["met"], i["latest_on"]) if i else (None, None, None)

    return [{**i, "before": before.get(i["indicator_id"])} for i in api.indicator_table(month.end)
            if i["latest_on"] and actual(i) != actual(before.get(i["indicator_id"]))]
