"""Time the status engine's queries on a generated tier (cold cache: no memoization).

    python -m bench.generate M sqlite:///bench/M.db
    python -m bench.run sqlite:///bench/M.db [repeats]

Prints p50/p95 in milliseconds per query; the page callbacks are built on these.
"""
from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from queries.indicators import indicator_rows
from queries.status import Filters, rates
from queries.status_table import status_rows
from store import Store

AS_OF = date(2022, 9, 30)
QUERIES = {
    "rates province": lambda s: rates(s, AS_OF),
    "rates by city": lambda s: rates(s, AS_OF, by="city"),
    "rates by plan": lambda s: rates(s, AS_OF, by="plan"),
    "rates by department": lambda s: rates(s, AS_OF, by="department"),
    "rates by item (one city)": lambda s: rates(s, AS_OF, by="item", filters=Filters(city="杭州")),
    "status table (one city, overdue)": lambda s: status_rows(s, AS_OF, Filters(city="杭州", statuses=("overdue",))),
    "indicators (one city)": lambda s: indicator_rows(s, AS_OF, Filters(city="宁波")),
}


def main(url: str, repeats: int = 7) -> None:
    store = Store(url)
    print(f"{'query':36} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6}")
    for name, run in QUERIES.items():
        times, rows = [], 0
        for _ in range(repeats):
            with store.session() as s:
                t0 = time.perf_counter()
                rows = len(run(s))
                times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name:36} {statistics.median(times):8.1f} {p95:8.1f} {rows:6d}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7)
