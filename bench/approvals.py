"""What review costs at a tier (issue 18: the 审核 queue within DESIGN §10, the
navbar's waiting count ≤ 10 ms — it is on every page of a reviewer).

    python -m bench.approvals --tier M [--db URL] [--pending 2000]

``--pending`` of the tier's latest completions (each its milestone's latest report) are put back to 待审核 (half at
the city stage, half at the province's), as if a month's reports were waiting;
then, each timed ``--repeats`` times: the navbar count of the admin and of a
city office, the /approvals page as each draws it (the page callback, through
the test client), and the overview's figures as of today (the status rollup
built again with the pending ones).  The completions are put
back as they were at the end, and the rollups dropped: the store is unchanged.
"""
from __future__ import annotations

import argparse
import json
import time

from sqlalchemy import select, update

from accounts.users import create_user
from app import create_app, waiting_approvals
from accounts import account_of
from bench.load import percentile, render_payload
from bench.run import HERE, PASSWORD, USER, prepare
from queries import api
from queries.approvals import still_latest, waiting_condition, waiting_rows
from queries.cache import invalidate
from queries.rollup import drop_all
from queries.status import Filters
from store import clock
from store.models import Milestone, ProgressUpdate, User, WorkItem


def timed(fn, repeats: int) -> tuple[float, float]:
    """(p50, p95) ms of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    parser.add_argument("--pending", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.db or f"sqlite:///{HERE / f'{args.tier}.db'}"})
    store = app.extensions["store"]
    as_of = clock.today()
    with app.app_context():
        prepare(app, args.tier, 1.0)
        with store.session() as s:
            if not s.scalar(select(User.id).where(User.username == "bench-hz")):
                create_user(s, "bench", "bench-hz", PASSWORD, "city", city="杭州")
            s.commit()
            chosen = s.scalars(select(ProgressUpdate.id).join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
                               .join(WorkItem, WorkItem.id == Milestone.work_item_id)
                               .where(ProgressUpdate.state == "done", ProgressUpdate.review.is_(None),
                                      still_latest(), WorkItem.city_id.is_not(None))
                               .order_by(ProgressUpdate.reported_on.desc()).limit(args.pending)).all()
            half = len(chosen) // 2
            for ids, stage in ((chosen[:half], "city"), (chosen[half:], "province")):
                s.execute(update(ProgressUpdate).where(ProgressUpdate.id.in_(ids))
                          .values(review="pending", review_stage=stage))
            drop_all(s)
            s.commit()
            admin = account_of(s, s.scalar(select(User).where(User.username == USER)))
            city = account_of(s, s.scalar(select(User).where(User.username == "bench-hz")))
        try:
            results = {}
            for who, account in (("admin", admin), ("杭州", city)):
                results[f"navbar count ({who})"] = timed(lambda: waiting_approvals(account), args.repeats)
                client = app.test_client()
                client.post("/login", data={"username": account.username, "password": PASSWORD})
                results[f"/approvals page ({who})"] = timed(lambda: draw(client, "/approvals"), max(3, args.repeats // 4))
            invalidate()
            started = time.perf_counter()
            row = api.summary(as_of, Filters())
            results["overview as of today (rollup built)"] = ((time.perf_counter() - started) * 1000,) * 2
            with store.session() as s:
                queued = len(waiting_rows(s, waiting_condition("admin", None, mine_only=False)))
            print(f"tier {args.tier} · {store.engine.dialect.name} · {len(chosen):,} completions put back to 待审核: "
                  f"{queued:,} in the queue (each its milestone's latest report), {row['pending']:,} pending "
                  f"as of {as_of}; navbar counts {waiting_approvals(admin)} (province) / {waiting_approvals(city)} (杭州)")
            for name, (p50, p95) in results.items():
                print(f"  {name:48s} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
        finally:
            with store.session() as s:
                s.execute(update(ProgressUpdate).where(ProgressUpdate.id.in_(chosen))
                          .values(review=None, review_stage=None))
                drop_all(s)
                s.commit()
            invalidate()


def draw(client, path: str) -> None:
    """The page's layout as Dash's router callback draws it."""
    response = client.post("/_dash-update-component", data=json.dumps(render_payload(path)),
                           content_type="application/json")
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")


if __name__ == "__main__":
    main()
