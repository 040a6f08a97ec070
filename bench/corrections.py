"""What a correction of a plan costs (issue 17's speed figure: edits write in
≤ 200 ms at tier M): one milestone's due moved by an admin, counting from
today (the kept dates from today on are brought up to date in the write) or
from a past date (the stored dates since then are marked to be built again).

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
from corrections.apply import Edit, correct, current_values
from queries import api
from store import clock
from store.models import Milestone, WorkItem


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
            print(f"tier {args.tier} · {store.engine.dialect.name} · a due moved, {label}: "
                  f"p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms ({len(times)} corrections)")


if __name__ == "__main__":
    main()
