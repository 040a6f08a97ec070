"""What readers' dates cost the writers (issue 15, §2): a report's save before
and after readers have viewed many distinct as-of dates, and how much the
store grew.

    python -m bench.readers --tier M [--dates 300] [--saves 20] [--db URL]

1. The tier's store (bench/<tier>.db, as bench.run makes it) with its derived
   rollups dropped; the overview viewed as of today (a kept date, as in use).
2. ``--saves`` reports, each changing one milestone's note as the admin, timed
   through reporting.submit (checks, write, rollup refresh).
3. The overview viewed as of ``--dates`` distinct dates that are not stored
   (today + 1 … : none is a date the store keeps), each timed cold; then as of
   ``--past`` dates before the tier's review date (month ends skipped: computed
   from the previous month end, which the first of a month stores).
4. The same saves again; the store's size before and after.
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from sqlalchemy import func, select, text

from accounts import account_of
from accounts.users import find_user
from app import create_app
from bench.run import AS_OF, HERE, PASSWORD, USER, prepare
from queries.cache import invalidate
from reporting.entries import MilestoneEntry, Report
from reporting.submit import submit
from store import clock, forget_derived
from store.models import Milestone, StatusRollupDate
from store.periods import period_of
from tests.callbacks import render_page


def store_bytes(engine) -> int:
    """The store's size in use (SQLite: pages in use; PostgreSQL: the database)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() - \
                conn.exec_driver_sql("PRAGMA freelist_count").scalar()
            return pages * conn.exec_driver_sql("PRAGMA page_size").scalar()
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f} ms (n={len(ordered)})"


def saves(app, count: int, tag: str) -> list[float]:
    """``count`` reports by the admin, each a new note on one milestone (its version read first)."""
    today = clock.today()
    times = []
    with app.test_request_context("/"):
        store = app.extensions["store"]
        with store.session() as s:
            account = account_of(s, find_user(s, USER))
            milestones = s.execute(select(Milestone.id).order_by(Milestone.id).limit(count)).scalars().all()
        for n, milestone_id in enumerate(milestones):
            with store.session() as s:
                version = s.get(Milestone, milestone_id).report_version
            entry = MilestoneEntry(milestone_id, version, "in_progress", None, f"基准测试 {tag} {n}")
            report = Report(period_of(today - timedelta(days=31)), (entry,))
            started = time.perf_counter()
            result = submit(report, account)
            times.append((time.perf_counter() - started) * 1000)
            if not result.ok:
                raise SystemExit(f"the save was refused: {result.problems[:3] or result.conflicts[:3]}")
    return times


def logged_in(app):
    client = app.test_client()
    client.post("/login", data={"username": USER, "password": PASSWORD})
    return client


def views(app, days: list) -> list[float]:
    """The overview as of each of ``days`` (not stored), each cold (the page render callback)."""
    client = logged_in(app)
    times = []
    for day in days:
        started = time.perf_counter()
        status, body = render_page(client, "/", f"?as_of={day}")
        times.append((time.perf_counter() - started) * 1000)
        if status != 200 or "超出可查看的范围" in body:
            raise SystemExit(f"the overview as of {day} answered {status}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    parser.add_argument("--dates", type=int, default=300)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--past", type=int, default=30)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.db or f"sqlite:///{HERE / f'{args.tier}.db'}",
                      "LOGIN_MAX_FAILURES": 1000})
    store = app.extensions["store"]
    with app.app_context():
        prepare(app, args.tier, 1.0)
        with store.session() as s:
            forget_derived(s)
        invalidate()
        status, _ = render_page(logged_in(app), "/", f"?as_of={clock.today()}")  # today's rollup, as in daily use
        assert status == 200
        size0 = store_bytes(store.engine)
        before = saves(app, args.saves, "before")
        size1 = store_bytes(store.engine)
        viewed = views(app, [clock.today() + timedelta(days=n) for n in range(1, args.dates + 1)])
        with store.session() as s:
            stored = s.scalar(select(func.count()).select_from(StatusRollupDate).where(StatusRollupDate.whole.is_(False)))
        size2 = store_bytes(store.engine)
        after = saves(app, args.saves, "after")
        review = date.fromisoformat(AS_OF[args.tier])
        past = views(app, [d for d in (review - timedelta(days=n) for n in range(1, args.past + 1))
                           if (d + timedelta(days=1)).day != 1])
    print(f"tier {args.tier} · {store.engine.dialect.name} · passing dates kept: "
          f"{app.config['ROLLUP_PASSING_DATES']}")
    print(f"save, no dates viewed:        {percentiles(before)}")
    print(f"overview, a date not stored:  {percentiles(viewed)}")
    print(f"save, {args.dates} dates viewed:      {percentiles(after)}")
    print(f"overview, an earlier date:    {percentiles(past)}")
    print(f"save p95 ratio after/before: {sorted(after)[round(0.95 * (len(after) - 1))] / sorted(before)[round(0.95 * (len(before) - 1))]:.2f}")
    print(f"store: {size0 / 1e6:.2f} MB → {size1 / 1e6:.2f} MB after the saves → {size2 / 1e6:.2f} MB after "
          f"{args.dates} dates (+{(size2 - size1) / 1e6:.2f} MB); passing dates stored: {stored}")


if __name__ == "__main__":
    main()
