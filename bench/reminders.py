"""What reminders cost (issue 18: `send-reminders` over a tier's milestones in
≤ 30 s at M; the navbar's unread count ≤ 10 ms, it is on every page).

    python -m bench.reminders --tier M [--db URL]

One city editor per city (made if missing), reminded as of the tier's review
date plus six days (the month's report just due): the first run writes the
notices, the second finds nothing new (each reminder once).  Then each
editor's unread count, as the navbar asks for it.  The notices are deleted
again at the end: the store is unchanged.
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from accounts.users import create_user
from app import create_app, unread_notices
from bench.run import AS_OF, HERE, prepare
from notices.reminders import remind
from store.models import Milestone, Notification, User
from store.regions import CITIES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.db or f"sqlite:///{HERE / f'{args.tier}.db'}"})
    store = app.extensions["store"]
    today = date.fromisoformat(AS_OF[args.tier]) + timedelta(days=6)
    with app.app_context():
        prepare(app, args.tier, 1.0)
        with store.session() as s:
            for city in CITIES:
                if not s.scalar(select(User.id).where(User.username == f"bench-{city}")):
                    create_user(s, "bench", f"bench-{city}", "bench-pass-123", "city", city=city)
            milestones = s.scalar(select(func.count()).select_from(Milestone))
        for run in ("first run", "second run"):
            with store.session() as s:
                started = time.perf_counter()
                tally = remind(s, today)
                s.commit()
                took = time.perf_counter() - started
            print(f"tier {args.tier} · {store.engine.dialect.name} · {milestones:,} milestones · {run}: "
                  f"{took:.1f} s, {tally.total:,} notices ({tally.added})")
        with store.session() as s:
            users = s.scalars(select(User.id).where(User.username.like("bench-%"))).all()
        times = []
        for user_id in users * 5:
            started = time.perf_counter()
            unread_notices(user_id)
            times.append((time.perf_counter() - started) * 1000)
        print(f"navbar unread count: p50 {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
              f"({len(times)} counts)")
        with store.session() as s:
            s.execute(delete(Notification).where(Notification.user_id.in_(users)))
            s.commit()


if __name__ == "__main__":
    main()
