"""The benchmark: every page's real callbacks at a scale tier, cold and warm.

    python -m bench.run --tier M                 # SQLite file bench/M.db (generated once)
    python -m bench.run --tier M --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_m
    python -m bench.run --tier S --json out.json # S: the bundled documents with demo progress

1. Headless Chromium opens every page (and a filtered variant) with the caches
   empty, records the callback requests it sends and how long the page took to
   be fully drawn.
2. Each recorded request is replayed through the Flask test client: cold (query
   cache and status rollups emptied first) and warm, ``--repeats`` times, with
   the time spent in SQL, the statements run and the response size.
3. The table (and ``--json``) gives p50/p95/max per callback, the page loads,
   and the process's RSS.  No targets are asserted here: DESIGN §10 has them,
   docs/benchmark.md quotes a run.
"""
from __future__ import annotations

import argparse
import json
import platform
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from accounts.users import create_user
from app import create_app
from bench.capture import capture
from bench.replay import GcPauses, SqlTimer, replay, rollup_build_ms
from queries.cache import invalidate
from store.models import Milestone, ProgressUpdate, User, WorkItem
from store.synthetic import GeneratorError, generate

HERE = Path(__file__).resolve().parent
AS_OF = {"S": "2020-09-30", "M": "2025-09-30", "L": "2025-09-30"}
USER, PASSWORD = "bench", "bench-pass-123"
LOADS = ("/", "/city/杭州", "/overdue")  # the pages whose load time DESIGN §10 sets a target for


def prepare(app, tier: str, fraction: float) -> None:
    """The tier's data in the app's store: generated (M, L) or the bundled documents (S)."""
    store = app.extensions["store"]
    store.upgrade()
    with store.session() as s:
        empty = not s.scalar(select(func.count()).select_from(Milestone))
    if empty and tier == "S":
        runner = app.test_cli_runner()
        for command in ("init-db", "load-demo"):
            result = runner.invoke(args=[command])
            if result.exit_code:
                raise SystemExit(result.output)
    elif empty:
        generate(store, tier, fraction=fraction, progress=print)
    with store.session() as s:
        if not s.scalar(select(User.id).where(User.username == USER)):
            create_user(s, "bench", USER, PASSWORD, "admin", display_name="基准测试")


def urls(app, as_of: str) -> list[str]:
    """Every page with the review date, plus the filter changes a user makes."""
    with app.extensions["store"].session() as s:
        item = s.scalar(select(WorkItem.id).where(WorkItem.kind == "scene").order_by(WorkItem.id))
    q = f"as_of={as_of}"
    return [f"/?{q}", f"/?{q}&city=杭州", f"/cities?{q}", f"/cities?{q}&year={as_of[:4]}",
            f"/milestones?{q}", f"/milestones?{q}&city=宁波&status=overdue", f"/overdue?{q}",
            f"/overdue?{q}&city=杭州", f"/departments?{q}", f"/indicators?{q}", f"/city/杭州?{q}",
            *[f"/city/杭州?{q}&tab={tab}" for tab in ("overdue", "milestones", "indicators")],
            f"/item/{item}?{q}", f"/review?month={as_of[:7]}", f"/assessment?year={int(as_of[:4]) - 1}",
            "/report", "/audit", "/data-quality", "/users"]


def rss_mb() -> dict:
    """Resident memory of this process now and at its peak (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {"rss_mb": int(fields["VmRSS"].split()[0]) // 1024, "peak_rss_mb": int(fields["VmHWM"].split()[0]) // 1024}


def run(tier: str, db: str | None, repeats: int, only: list[str] | None, fraction: float = 1.0) -> dict:
    name = tier if fraction == 1 else f"{tier}-{fraction:g}"
    url = db or f"sqlite:///{HERE / f'{name}.db'}"
    app = create_app({"DATABASE_URL": url, "LOGIN_MAX_FAILURES": 1000})
    store = app.extensions["store"]
    with app.app_context():
        prepare(app, tier, fraction)
        pages = [u for u in urls(app, AS_OF[tier]) if not only or u.split("?")[0] in only]
        captured = capture(app, pages, USER, PASSWORD, before_each=invalidate)
        warm_loads = {c.url: c.load_ms for c in capture(app, [c.url for c in captured
                                                               if c.url.split("?")[0] in LOADS], USER, PASSWORD)}
        with store.session() as s:
            counts = {"work_items": s.scalar(select(func.count()).select_from(WorkItem)),
                      "milestones": s.scalar(select(func.count()).select_from(Milestone)),
                      "progress_updates": s.scalar(select(func.count()).select_from(ProgressUpdate))}
    rollup_ms = rollup_build_ms(app, date.fromisoformat(AS_OF[tier]))
    timer = SqlTimer(store.engine)
    client = app.test_client()
    client.post("/login", data={"username": USER, "password": PASSWORD})
    with GcPauses() as gc_pauses:
        timings = [replay(client, timer, c.url, body, repeats).summary()
                   for c in captured for body in c.callbacks]
    loads = [{"page": c.url, "cold_ms": round(c.load_ms), "warm_ms": round(warm_loads[c.url])}
             for c in captured if c.url in warm_loads]
    return {"tier": name, "database": store.engine.dialect.name, "cache": app.config["CACHE_TYPE"],
            "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
            "counts": counts, "repeats": repeats, "rollup_build_ms": rollup_ms, "callbacks": timings, "page_loads": loads,
            "garbage_collector": gc_pauses.summary(), **rss_mb()}


def print_table(result: dict) -> None:
    print(f"\ntier {result['tier']} · {result['database']} · {result['cache']} · {result['counts']} · "
          f"{result['repeats']} runs each (ms)")
    head = f"{'page':44} {'callback':20} {'cold p50':>8} {'p95':>7} {'max':>7} {'sql':>7} {'warm p50':>8} " \
           f"{'p95':>6} {'KB':>6}"
    print(head + "\n" + "-" * len(head))
    for t in result["callbacks"]:
        print(f"{t['page'][:44]:44} {t['callback'][:20]:20} {t['cold_p50']:8.1f} {t['cold_p95']:7.1f} "
              f"{t['cold_max']:7.1f} {t['sql_p50']:7.1f} {t['warm_p50']:8.1f} {t['warm_p95']:6.1f} "
              f"{t['response_kb']:6.1f}")
    print("\npage fully drawn in Chromium (ms):", ", ".join(
        f"{p['page']} cold {p['cold_ms']} / warm {p['warm_ms']}" for p in result["page_loads"]))
    print(f"status rollup for a new review date built in {result['rollup_build_ms']} ms")
    gc_pauses = result["garbage_collector"]
    print(f"garbage collector during the replay: {gc_pauses['collections']} collections, {gc_pauses['full']} full "
          f"({', '.join(f'{ms:g}' for ms in gc_pauses['full_ms']) or '—'} ms)")
    print(f"RSS {result['rss_mb']} MB (peak {result['peak_rss_mb']} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="S")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    parser.add_argument("--fraction", type=float, default=1.0, help="a slice of tier M or L, e.g. 0.1")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", nargs="*", help="only these paths (e.g. / /overdue)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    try:
        result = run(args.tier, args.db, args.repeats, args.pages, args.fraction)
    except GeneratorError as exc:
        raise SystemExit(str(exc)) from None
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
