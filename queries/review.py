"""The monthly progress review (月度推进会): what a month changed, as it was known
at the month's end.  Every figure is the status engine's as of the review date
E (the month end, or today while the month runs), compared with the previous
month end P; a report made after E never counts (time travel).  Both dates
are read over the same plans (``plans``: those the review covers at E,
queries.scope), so the change is the plans' progress, not a plan ending."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select

from queries import api
from queries.aliases import OBSERVATION_NOW, OBSERVATION_THEN, ROLLUP_NOW, ROLLUP_THEN
from queries.cache import cache
from queries.indicator_status import ensure_indicator_rollup
from queries.indicators import indicator_rows
from queries.rollup import stored_status
from queries.status import COUNTS, DONE, Filters, with_rates
from queries.status_table import status_rows
from store import clock, session_scope
from store.models import Indicator, Plan, Region, WorkItem
from store.periods import add_months, month_end, parse_period, period_label, period_of


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


def asked(month: str | None, plan: str | None = None, year=None) -> tuple[Month, dict]:
    """The month and plans a month-end file asks for (?month=, --month …), as the
    review reads them: (the Month, api.scope of its end); ValueError('field: why')."""
    today = clock.today()
    first = parse_period(month)
    if first is None or not first_month() <= first <= today:
        raise ValueError(f"month: “{str(month)[:20]}”应为已开始的月份（YYYY-MM），且不早于第一份计划")
    options = api.choices()
    if plan and plan not in {p["value"] for p in options["plans"]}:
        raise ValueError("plan: 没有该计划（见 flask --app app plans）")
    if year and str(year) not in {str(y) for y in options["years"]}:
        raise ValueError("year: 没有该年度的计划")
    reviewed = Month.of(first, today)
    return reviewed, api.scope(reviewed.end, plan or None, int(year) if year else None)


LIST_KINDS = ("completed", "overdue", "due_next")


def _ordered_ids(session, st, order, *conditions) -> list[tuple[int, str | None]]:
    """(milestone id, city) of the stored status rows ``st`` (queries.rollup)
    meeting ``conditions``, in ``order`` then the status table's own order
    (their stored position), as plain pairs: what a list is, without building
    its rows.  (The tables themselves rather than aliases: no column proxies
    to build per query.)"""
    stmt = (select(st.c.milestone_id, Region.name)
            .select_from(st)
            .join(WorkItem, WorkItem.id == st.c.work_item_id)
            .outerjoin(Region, Region.id == WorkItem.city_id)
            .where(*conditions)
            .order_by(*order, st.c.position))
    return [tuple(row) for row in session.execute(stmt)]


@cache.memoize()
def month_ids(previous_end: date, end: date, horizon: date,
              plans: tuple[int, ...]) -> dict[str, list[tuple[int, str | None]]]:
    """The month's three lists as (milestone id, city) pairs in list order, all
    as of ``end``: ``completed`` (done, the completion reported after
    ``previous_end`` and not already done then; latest report first),
    ``overdue`` (overdue, due on or after ``previous_end``, so not overdue then;
    most days first) and ``due_next`` (not done, due after ``end`` up to
    ``horizon``; soonest first).  Done as of ``end`` with the latest report
    after ``previous_end`` is a completion reported in the month (the status is
    the latest report's); one already done at ``previous_end`` (a correction
    reported in the month) is no new completion.  Only ids leave SQL: the
    slides fetch the few rows they show (month_digest, city_digest)."""
    days = current_app.config["DUE_SOON_DAYS"]
    with session_scope() as s:
        st = stored_status(s, end, days)
        covered = WorkItem.plan_id.in_(plans)
        before = stored_status(s, previous_end, days).alias("ms_status_before")
        done_before = select(before.c.milestone_id).where(  # one primary-key look-up per candidate
            before.c.milestone_id == st.c.milestone_id, before.c.status.in_(DONE)).exists()
        completed = _ordered_ids(  # candidates: an index range on the latest report's date
            s, st, (st.c.last_reported_on.desc(), st.c.completed_on.desc()),
            st.c.last_reported_on > previous_end, st.c.status.in_(DONE), ~done_before, covered)
        overdue = _ordered_ids(s, st, (st.c.days_overdue.desc(),), st.c.status == "overdue",
                               st.c.due.between(previous_end, end), covered)
        due_next = _ordered_ids(s, st, (st.c.due,), st.c.status.in_(("due_soon", "not_due")),
                                st.c.due.between(end + timedelta(days=1), horizon), covered)
    return {"completed": completed, "overdue": overdue, "due_next": due_next}


def _rows_of(end: date, ids: set[int]) -> dict[int, dict]:
    """The status rows (queries.status_table) of the milestones ``ids`` as of ``end``."""
    if not ids:
        return {}
    with session_scope() as s:
        rows = status_rows(s, end, due_soon_days=current_app.config["DUE_SOON_DAYS"], milestones=ids)
    return {r["milestone_id"]: r for r in rows}


@cache.memoize()
def month_digest(previous_end: date, end: date, horizon: date, plans: tuple[int, ...], shown: int) -> dict[str, dict]:
    """What the province's slides show of each list: its ``count`` and its
    first ``shown`` rows, in list order (status rows are built for those only)."""
    ids = month_ids(previous_end, end, horizon, plans)
    rows = _rows_of(end, {i for pairs in ids.values() for i, _ in pairs[:shown]})
    return {kind: {"count": len(pairs), "rows": [rows[i] for i, _ in pairs[:shown]]} for kind, pairs in ids.items()}


@cache.memoize()
def city_digest(previous_end: date, end: date, horizon: date, plans: tuple[int, ...],
                shown: int) -> dict[str | None, dict[str, dict]]:
    """What a city's slide shows of each list: per city, per list, its share's
    ``count`` and first ``shown`` rows, in list order."""
    picked: dict[str | None, dict[str, dict]] = {}
    for kind, pairs in month_ids(previous_end, end, horizon, plans).items():
        for i, city in pairs:
            share = picked.setdefault(city, {k: {"count": 0, "ids": []} for k in LIST_KINDS})[kind]
            share["count"] += 1
            if len(share["ids"]) < shown:
                share["ids"].append(i)
    rows = _rows_of(end, {i for kinds in picked.values() for share in kinds.values() for i in share["ids"]})
    return {city: {kind: {"count": share["count"], "rows": [rows[i] for i in share["ids"]]}
                   for kind, share in kinds.items()}
            for city, kinds in picked.items()}


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


def province_total(rows: list[dict]) -> dict:
    """The province's counts and rates from every city's (queries.status.rates
    by city, where items without a city are a group of their own): the same
    sums as rates by province, without asking the store again."""
    total = {name: sum(r[name] for r in rows) for name in (*COUNTS, "items", "items_red")}
    return with_rates(total, "province")


def province_at(day: date, plans: tuple[int, ...]) -> dict:
    """The province's counts and rates on the plans ``plans`` as of ``day``: the
    sum of every city's, as the review and the month-end files read it."""
    return province_total(api.rates(day, "city", Filters(plans=plans)))


def city_ranking(month: Month, plans: tuple[int, ...]) -> list[dict]:
    """The cities in rank order on the plans ``plans``, each with its counts
    as of E (``now``) and P (``before``), its rank at both, and ``move``
    (places gained since P)."""
    now = {r["city"]: r for r in api.rates(month.end, "city", Filters(plans=plans))}
    before = {r["city"]: r for r in api.rates(month.previous_end, "city", Filters(plans=plans))}
    ranks, previous = rank_cities(list(now.values())), rank_cities(list(before.values()))
    rows = [{"city": c, "now": now[c], "before": before.get(c), "rank": ranks[c],
             "previous_rank": previous.get(c),
             "move": previous[c] - ranks[c] if c in previous else None} for c in now]
    return sorted(rows, key=lambda r: r["rank"])


@cache.memoize()
def moved_indicator_ids(previous_end: date, end: date, plans: tuple[int, ...]) -> list[int]:
    """The indicators of the plans ``plans`` whose latest actual known at
    ``end`` (value, met, data date) differs from the one known at
    ``previous_end`` — a new actual came in between — in the indicator
    table's order (their stored position)."""
    now, then, judged_now, judged_then = OBSERVATION_NOW, OBSERVATION_THEN, ROLLUP_NOW, ROLLUP_THEN
    with session_scope() as s:
        previous_end, end = (ensure_indicator_rollup(s, day) for day in (previous_end, end))
        stmt = (select(judged_now.indicator_id)
                .join(judged_then, and_(judged_then.indicator_id == judged_now.indicator_id,
                                        judged_then.as_of == previous_end))
                .join(now, now.id == judged_now.observation_id)
                .join(Indicator, and_(Indicator.id == judged_now.indicator_id, Indicator.plan_id.in_(plans)))
                .outerjoin(then, then.id == judged_then.observation_id)
                .where(judged_now.as_of == end,  # the same observation: unmoved, without reading it
                       judged_now.observation_id.is_distinct_from(judged_then.observation_id),
                       or_(then.id.is_(None), now.value.is_distinct_from(then.value),
                           now.met.is_distinct_from(then.met), now.observed_on.is_distinct_from(then.observed_on)))
                .order_by(judged_now.position))
        return list(s.scalars(stmt))


@cache.memoize()
def indicator_moves(month: Month, plans: tuple[int, ...], limit: int | None = None) -> list[dict]:
    """The indicators with a new actual in the month (moved_indicator_ids; the
    first ``limit``): the indicator row at E with ``before``, its row at P."""
    ids = moved_indicator_ids(month.previous_end, month.end, plans)[:limit]
    if not ids:
        return []
    with session_scope() as s:
        now = indicator_rows(s, month.end, where=Indicator.id.in_(ids))
        before = {i["indicator_id"]: i for i in indicator_rows(s, month.previous_end, where=Indicator.id.in_(ids))}
    return [{**i, "before": before.get(i["indicator_id"])} for i in now]
