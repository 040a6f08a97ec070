"""Replay recorded callback requests through the Flask test client, cold (the
query cache emptied before each call) and warm (the same request again), timing
the whole request and the SQL it ran.

The per-date status rollups are not emptied for a cold call: they are part of
the store, kept up to date by every write (queries.rollup), and built once per
review date; ``rollup_build_ms`` times that first build on its own."""
from __future__ import annotations

import gc
import json
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import event

from queries.cache import invalidate
from queries.indicator_status import ensure_indicator_rollup
from queries.rollup import rollup_counts
from store import forget_derived


class SqlTimer:
    """The bare SQL time of a request: its statements are recorded, then run
    again on a raw driver connection with every row fetched (SQLite computes
    rows as they are fetched, so timing the execute call alone would miss most
    of it).  Writes (the rollup of a new date) are counted, not re-run."""

    def __init__(self, engine):
        self.engine = engine
        self.recorded: list[tuple[str, object]] = []
        event.listen(engine, "after_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, executemany):
        if not executemany:
            self.recorded.append((statement, parameters))

    @property
    def statements(self) -> int:
        return len(self.recorded)

    @contextmanager
    def measure(self):
        self.recorded = []
        yield self

    def bare_ms(self) -> float:
        reads = [(s, p) for s, p in self.recorded if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        conn = self.engine.raw_connection()
        try:
            cursor = conn.cursor()
            t0 = time.perf_counter()
            for statement, parameters in reads:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            return (time.perf_counter() - t0) * 1000
        finally:
            conn.close()


class GcPauses:
    """The garbage collector's pauses while callbacks are replayed.  A full
    collection (generation 2) scans every object the process made since
    ``gc.freeze()``, tens of milliseconds here: the call it lands in is an
    outlier, and with few runs it is that callback's p95."""

    def __init__(self):
        self.pauses: list[tuple[int, float]] = []
        self._started = 0.0

    def __enter__(self):
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._started) * 1000))

    def summary(self) -> dict:
        full = sorted(ms for generation, ms in self.pauses if generation == 2)
        return {"collections": len(self.pauses), "full": len(full), "full_ms": [round(ms, 1) for ms in full]}


@dataclass
class Timing:
    page: str
    callback: str
    cold_ms: list[float] = field(default_factory=list)
    cold_sql_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    statements: int = 0
    response_kb: float = 0.0

    def summary(self) -> dict:
        return {"page": self.page, "callback": self.callback,
                "cold_p50": median(self.cold_ms), "cold_p95": p95(self.cold_ms), "cold_max": max(self.cold_ms),
                "sql_p50": median(self.cold_sql_ms), "warm_p50": median(self.warm_ms),
                "warm_p95": p95(self.warm_ms), "warm_max": max(self.warm_ms),
                "statements": self.statements, "response_kb": round(self.response_kb, 1)}


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1)


def rollup_build_ms(app, as_of: date) -> float:
    """The one-off cost of a review date no page has asked about yet (statuses and indicators)."""
    store = app.extensions["store"]
    with store.session() as s:
        forget_derived(s)
    with app.app_context(), store.session() as s:
        t0 = time.perf_counter()
        rollup_counts(s, as_of, app.config["DUE_SOON_DAYS"])
        ensure_indicator_rollup(s, as_of)
        return round((time.perf_counter() - t0) * 1000, 1)


def callback_name(body: dict) -> str:
    """A short name for a callback: its first output, e.g. ``_pages_content.children +1``."""
    outputs = body["output"].strip(".").split("...")
    first = outputs[0].split("@")[0]
    if first.startswith("{"):  # a pattern-matching id: its type
        pattern, _, prop = first.rpartition(".")
        first = f"{json.loads(pattern)['type']}.{prop}"
    return {"_pages_content.children": "page layout", "_pages_location.search": "filters → URL",
            "_pages_location.pathname": "chart click → page"}.get(first, first) + (
        f" +{len(outputs) - 1}" if len(outputs) > 1 else "")


def replay(client, timer: SqlTimer, page: str, body: dict, repeats: int) -> Timing:
    """``repeats`` cold calls, then as many warm ones, after one untimed cold call:
    it stores any rollup date the page needs (``rollup_build_ms`` times that on
    its own), as the first visit of that date does in a running app.  (Cold: a
    page cached while the browser recorded it would build nothing, and the
    first timed call would build the dates instead.)"""
    timing = Timing(page, callback_name(body))
    invalidate()
    client.post("/_dash-update-component", json=body)
    for _ in range(repeats):
        invalidate()
        with timer.measure():
            t0 = time.perf_counter()
            response = client.post("/_dash-update-component", json=body)
            timing.cold_ms.append((time.perf_counter() - t0) * 1000)
        timing.cold_sql_ms.append(timer.bare_ms())
        timing.statements = timer.statements
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{page} {timing.callback}: HTTP {response.status_code} {response.data[:300]!r}")
        timing.response_kb = len(response.data) / 1024
    for _ in range(repeats):
        t0 = time.perf_counter()
        client.post("/_dash-update-component", json=body)
        timing.warm_ms.append((time.perf_counter() - t0) * 1000)
    return timing
