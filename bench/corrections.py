"""What a correction of a plan costs (issue 17's speed figure: edits write in
≤ 200 ms at tier M): one milestone's due moved by an admin, counting from
today (the kept dates from today on are brought up to date in the write) or
from a past date (the stored dates since then are marked to be built again);
a milestone added (every stored date dropped, as an import does); an
indicator's target set (its stored judgements from then on judged again).

    python -m bench.corrections --tier M [--repeats 10] [--db URL]

Each correction runs in a transaction that is rolled back: the store is unchanged.
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from sqlalchemy import select

from accounts import account_of
from accounts.users import find_user
from app import create_app
from bench.run import HERE, USER, prepare
from corrections.apply import Edit, NewMilestone, correct, current_values
from corrections.indicators import IndicatorEdit, correct_indicator, shown_values
from queries import api
from store import clock
from store.models import Indicator, Milestone, WorkItem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.db or f"sqlite:///{HERE / f'{args.tier}.db'}"})
    store = app.extensions["store"]
    with app.app_context():
        prepare(app, args.tier, 1.0)
        today = clock.today()
        for day in (today, today.replace(day=1) - timedelta(days=1)):
            api.rates(day, "city")  # kept dates stored, as a running office has them
            api.indicator_summary(day)
        with store.Session() as session:
            targets = session.execute(select(Milestone.work_item_id, Milestone.id).where(Milestone.due.is_not(None))
                                      .order_by(Milestone.id).limit(args.repeats)).all()
        for label, effective in (("counting from today", today), ("counting from 40 days ago", today - timedelta(40))):
            times = []
            for item_id, ms_id in targets:
                with store.Session() as session:
                    account = account_of(session, find_user(session, USER))
                    seen = current_values(session, session.get(WorkItem, item_id))[("due", ms_id)]
                    started = time.perf_counter()
                    correct(session, account, item_id, [Edit("due", f"{today.year + 1}年6月底前", seen, ms_id)],
                            "基准测试", effective, today)
                    session.flush()
                    times.append((time.perf_counter() - started) * 1000)
                    session.rollback()
            report(args.tier, store, f"a due moved, {label}", times)

        def add(session, account, item_id, _ms_id):
            seen = current_values(session, session.get(WorkItem, item_id))
            shown = [Edit(f, v, v, ms) for (f, ms), v in seen.items() if f == "text"]
            correct(session, account, item_id, shown, "基准测试", today, today,
                    NewMilestone("基准测试新增节点", f"{today.year + 1}年6月底前"))

        def target(session, account, _item_id, ms_id):
            indicator = session.get(Indicator, quantified[ms_id % len(quantified)])
            correct_indicator(session, account, indicator.id, [IndicatorEdit(
                "target", "12345", shown_values(indicator)["target"])], "基准测试", today, today)

        with store.Session() as session:  # (indicators with a target to set)
            quantified = session.scalars(select(Indicator.id).where(Indicator.qualitative.is_(False),
                                                                    Indicator.target.is_not(None))).all()
        for label, write in (("a milestone added", add), ("an indicator's target set", target)):
            times = []
            for item_id, ms_id in targets:
                with store.Session() as session:
                    account = account_of(session, find_user(session, USER))
                    started = time.perf_counter()
                    write(session, account, item_id, ms_id)
                    session.flush()
                    times.append((time.perf_counter() - started) * 1000)
                    session.rollback()
            report(args.tier, store, label, times)


def report(tier: str, store, label: str, times: list[float]) -> None:
    print(f"tier {tier} · {store.engine.dialect.name} · {label}: "
          f"p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms ({len(times)} corrections)")


if __name__ == "__main__":
    main()
