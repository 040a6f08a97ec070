"""What the pages ask for: memoized queries with plain, hashable arguments.

Every function opens its own session and returns plain rows (lists of dicts),
so flask-caching can key them on their arguments and any worker can reuse
them; writes call ``queries.cache.invalidate()``.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from queries import findings as _findings
from queries import indicators as _indicators
from queries import scope as _scope
from queries import status as _status
from queries import status_table as _table
from queries.cache import cache
from queries.rollup import rollup_counts, rollup_groups
from queries.status import Filters
from store import clock, session_scope
from store.models import Department, Plan, Region, StatusRollup


def _due_soon_days() -> int:
    return current_app.config["DUE_SOON_DAYS"]


@cache.memoize()
def default_as_of(plan: str | None = None, year: int | None = None, city: str | None = None,
                  within_period: bool = True) -> date:
    """The date of a view whose URL names none (queries.scope.default_date), within as_of_window()."""
    first, last = as_of_window()
    with session_scope() as s:
        return min(max(_scope.default_date(s, clock.today(), plan, year, city, within_period), first), last)


@cache.memoize()
def scope(as_of: date, plan: str | None = None, year: int | None = None, city: str | None = None) -> dict:
    """The plans a view of ``as_of`` covers (queries.scope): ``ids``, and the ``label`` and plan names it shows."""
    with session_scope() as s:
        ids = _scope.plan_ids(s, as_of, plan, year, city)
        return {"ids": ids, **_scope.describe(s, ids, as_of, plan, year, city)}


YEARS_AHEAD = 5  # how far past this year a view may look (what would be overdue by then)


@cache.memoize()
def as_of_window() -> tuple[date, date]:
    """The dates a view may be as of: from 1 January of the earliest plan's year
    to 31 December five years from now.  Another date in a URL is ignored with
    the page's usual warning (each date is a computation; no plan speaks of
    0001 or 9999, whose arithmetic would overflow besides)."""
    today = clock.today()
    with session_scope() as s:
        first = s.scalar(select(func.min(Plan.plan_year))) or today.year
    return date(min(first, today.year), 1, 1), date(today.year + YEARS_AHEAD, 12, 31)


def in_window(day: date) -> bool:
    first, last = as_of_window()
    return first <= day <= last


@cache.memoize()
def rates(as_of: date, by: str = "province", filters: Filters = Filters(),
          worst: int | None = None) -> list[dict]:
    """Rates as of a date, summed from that date's group sums or per-item rollup."""
    with session_scope() as s:
        if _status.summable(by, filters, worst):
            return _status.group_rates(s, rollup_groups(s, as_of, _due_soon_days()), by, filters)
        counts = rollup_counts(s, as_of, _due_soon_days(), filters.statuses)
        return _status.rates(s, as_of, by, filters, _due_soon_days(), counts=counts, worst=worst)


@cache.memoize()
def item_rates(as_of: date, item_ids: tuple[int, ...]) -> dict[int, dict]:
    """item id -> its rates and RAG (rates by item), for the items a grid shows."""
    with session_scope() as s:
        counts = rollup_counts(s, as_of, _due_soon_days()).where(StatusRollup.work_item_id.in_(item_ids))
        return {r["item_id"]: r for r in _status.rates(s, as_of, "item", Filters(), _due_soon_days(), counts=counts)}


def summary(as_of: date, filters: Filters = Filters()) -> dict:
    return rates(as_of, "province", filters)[0]


@cache.memoize()
def status_table(as_of: date, filters: Filters = Filters()) -> list[dict]:
    with session_scope() as s:
        return _table.status_rows(s, as_of, filters, _due_soon_days())


@cache.memoize()
def recent_completions(as_of: date, filters: Filters = Filters(), days: int = 30,
                       limit: int = 10) -> list[dict]:
    with session_scope() as s:
        return _table.status_rows(s, as_of, filters, _due_soon_days(),
                                  done_reported_after=as_of - timedelta(days=days), limit=limit)


@cache.memoize()
def indicator_table(as_of: date, filters: Filters = Filters(), scope: str | None = None,
                    limit: int | None = None) -> list[dict]:
    """The indicators (of ``scope``: "province", or "items" for all others), the first ``limit``."""
    where = None if scope is None else _indicators.SUMMARY_GROUPS["scope"] == scope
    with session_scope() as s:
        return _indicators.indicator_rows(s, as_of, filters, where, limit)


@cache.memoize()
def indicator_summary(as_of: date, filters: Filters = Filters(), by: str = "city") -> dict[str | None, dict]:
    with session_scope() as s:
        return _indicators.indicator_summary(s, as_of, filters, by)


def indicator_totals(as_of: date, filters: Filters = Filters()) -> dict:
    """indicator_summary's counts for all the indicators matching the filters."""
    groups = indicator_summary(as_of, filters).values()
    return {k: sum(g[k] for g in groups) for k in ("indicators", "judged", "on_track", "binding_behind")}


@cache.memoize()
def findings(plan: str | None = None) -> list[dict]:
    with session_scope() as s:
        return _findings.finding_rows(s, plan)


@cache.memoize()
def choices() -> dict:
    """The values the filter controls offer: plans, cities, departments."""
    with session_scope() as s:
        plans = [{"value": key, "label": doc_no or title} for key, doc_no, title in s.execute(
            select(Plan.key, Plan.doc_no, Plan.title).order_by(Plan.issue_date.desc()))]
        cities = list(s.scalars(select(Region.name).where(Region.level == "city").order_by(Region.sort_order)))
        departments = sorted(set(s.scalars(select(Department.name))))
        years = sorted(set(s.scalars(select(Plan.plan_year))), reverse=True)
        return {"plans": plans, "cities": cities, "departments": departments, "years": years}
