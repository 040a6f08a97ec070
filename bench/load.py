"""Load test over HTTP: simulated users against a running server, then a count
of what reached the database.

    python -m bench.load --url http://127.0.0.1:8050 --database-url URL --users 20 --seconds 60 \
        [--restart-postgres-at 30] [--redis-url redis://127.0.0.1:6379/0 --cache-prefix P]
    python -m bench.load --serve --users 20 --seconds 60 [--restart-postgres-at 30]

Every user logs in (city editors of different cities, and leaders), then loops
with a short think time: page views (Dash's page-render callback for /,
/cities, /overdue, /city/<城市>, /item/<id>, exactly what the browser posts),
filter changes (the same callback with ?city= / ?as_of=), and — editors —
report submissions through the real save callback of /report, each milestone
row with a unique note.  Every request's latency and outcome is recorded.

Afterwards the progress_update rows carrying this run's notes are counted:
every note of a submission that was answered with success must be there
exactly once, no note of a submission that failed may be there.  With
``--restart-postgres-at T`` PostgreSQL is restarted (``pg_ctlcluster 15 main
restart``) T seconds in: requests overlapping the restart may fail, but only as
HTTP errors (no hang beyond the timeout, no dropped connection), and every
request after it must succeed.  Then the cache is checked: each view is rendered
once more as served, and again after clearing the cache and the status rollups;
any difference is a stale view.

``--serve`` does everything on loopback: a fresh PostgreSQL database, the
bundled documents and demo progress (``flask --app app init-db`` and
``load-demo``), the accounts, ``gunicorn -c gunicorn.conf.py -w 2`` on Redis,
the run, then stops the server and drops the database.  Exit status 1 if any
check fails.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-pass-123"
RESTART_POSTGRES = ["pg_ctlcluster", "15", "main", "restart"]
PAGE_RENDER = {"output": ".._pages_content.children..._pages_store.data..",
               "outputs": [{"id": "_pages_content", "property": "children"},
                           {"id": "_pages_store", "property": "data"}]}


def render_payload(path: str, search: str = "") -> dict:
    """The request Dash's router sends to draw the page at ``path`` + ``search``."""
    return {**PAGE_RENDER, "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"], "state": []}
AS_OF_CHOICES = ("2020-06-30", "2020-09-30", "2020-12-31", "2021-06-30")
CHECKER = {"username": "load-leader-check", "role": "leader", "city": None}  # reads the views afterwards
CHECK_VIEWS = (("/", ""), ("/cities", ""), ("/overdue", ""), ("/city/杭州", ""), ("/", "?city=宁波"))


# --- accounts ---------------------------------------------------------------------

def plan_users(n: int) -> list[dict]:
    """n simulated users: about 60 % city editors (one per city, then second
    editors), the rest leaders.  Editors of one city split its milestones
    (``slot`` of ``slots``), so they do not edit the same rows."""
    from store.regions import CITIES

    editors = max(1, round(n * 0.6)) if n > 1 else 1
    users = []
    for i in range(editors):
        city = CITIES[i % len(CITIES)]
        users.append({"username": f"load-city-{i:02d}", "role": "city", "city": city,
                      "slot": i // len(CITIES)})
    for user in users:
        user["slots"] = sum(1 for u in users if u["city"] == user["city"])
    for j in range(n - editors):
        users.append({"username": f"load-leader-{j:02d}", "role": "leader", "city": None})
    return users


def ensure_accounts(database_url: str, users: list[dict]) -> None:
    """Create the accounts (or reset their password) directly in the store."""
    from accounts.users import AccountError, create_user, set_password
    from app import create_app
    from store import session_scope

    app = create_app({"DATABASE_URL": database_url, "CACHE_TYPE": "SimpleCache", "ANONYMOUS_READ": False})
    try:
        with app.app_context():
            for u in users:
                with session_scope() as s:
                    try:
                        create_user(s, "bench.load", u["username"], PASSWORD, u["role"], city=u["city"],
                                    display_name=u["username"])
                    except AccountError:
                        s.rollback()
                        set_password(s, "bench.load", u["username"], PASSWORD)
    finally:
        app.extensions["store"].engine.dispose()


def sample_targets(database_url: str) -> dict:
    """What the users look at: some work items and the cities."""
    from store.models import WorkItem
    from store.regions import CITIES

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            items = list(conn.scalars(select(WorkItem.id).order_by(WorkItem.id)))
    finally:
        engine.dispose()
    random.Random(7).shuffle(items)
    return {"items": items[:40] or [1], "cities": list(CITIES)}


# --- one simulated user -------------------------------------------------------------

@dataclass
class Record:
    kind: str  # login | page | filter | form | submit
    target: str
    start: float  # seconds since the run began
    end: float
    status: int | None  # HTTP status, None: no response
    ok: bool
    detail: str = ""  # why it failed: http-503, timeout, connection, refused-conflict, problems…
    notes: list[str] = field(default_factory=list)  # submit: the notes it carried


def find(tree, wanted: str):
    """The first Dash component with id ``wanted`` in a JSON layout, else None."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == wanted:
                return node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


class User:
    def __init__(self, base_url: str, spec: dict, targets: dict, run_tag: str, rec, clock, stop: threading.Event,
                 timeout: float, think: float, seed: int):
        self.base, self.spec, self.targets, self.tag = base_url, spec, targets, run_tag
        self.rec, self.clock, self.stop, self.timeout, self.think = rec, clock, stop, timeout, think
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.form: tuple[list, list, dict] | None = None
        self.save_output: str | None = None
        self.seq = 0

    # requests ---------------------------------------------------------------
    def request(self, kind: str, target: str, method: str, path: str, **kwargs):
        start = self.clock()
        try:
            response = self.http.request(method, self.base + path, timeout=self.timeout,
                                         allow_redirects=False, **kwargs)
        except requests.Timeout:
            return self.rec(Record(kind, target, start, self.clock(), None, False, "timeout")), None
        except requests.RequestException as exc:
            return self.rec(Record(kind, target, start, self.clock(), None, False,
                                   f"connection: {type(exc).__name__}")), None
        end = self.clock()
        return Record(kind, target, start, end, response.status_code, response.status_code < 400,
                      "" if response.status_code < 400 else f"http-{response.status_code}"), response

    def login(self) -> bool:
        record, response = self.request("login", "/login", "POST", "/login",
                                        data={"username": self.spec["username"], "password": PASSWORD})
        if response is not None:
            record.ok = response.status_code == 302
            record.detail = "" if record.ok else f"http-{response.status_code}"
            self.rec(record)
        return record.ok

    def render(self, kind: str, path: str, search: str = "", check=None):
        """The page's layout (None if it failed); ``check(layout)`` -> a failure
        detail or None, for a page that answered but says the wrong thing."""
        record, response = self.request(kind, path + search, "POST", "/_dash-update-component",
                                        json=render_payload(path, search))
        body = None
        if response is not None and response.status_code == 200:
            try:
                body = response.json()["response"]["_pages_content"]["children"]
            except (ValueError, KeyError, TypeError):
                record.ok, record.detail = False, "bad-body"
        if check is not None and body is not None:
            wrong = check(body)
            if wrong:
                record.ok, record.detail = False, wrong
        if response is not None:
            self.rec(record)
        return body

    def load_form(self) -> bool:
        page = self.render("form", "/report")
        grid, context = find(page, "report-milestones"), find(page, "report-context")
        if grid is None or context is None:
            self.form = None
            return False
        indicators = find(page, "report-indicators")
        self.form = (grid["props"]["rowData"], indicators["props"]["rowData"] if indicators else [],
                     context["props"]["data"])
        return True

    def submit(self) -> None:
        if self.form is None and not self.load_form():
            return
        if self.save_output is None:
            record, response = self.request("form", "/_dash-dependencies", "GET", "/_dash-dependencies")
            if response is None:
                return
            self.rec(record)
            if response.status_code != 200:
                return
            self.save_output = next(d["output"] for d in response.json()
                                    if any(i["id"] == "report-save" for i in d["inputs"]))
        ms_rows, ind_rows, context = self.form
        mine = [r for r in ms_rows if r["milestone_id"] % self.spec["slots"] == self.spec["slot"]]
        if not mine:
            return
        chosen = {r["milestone_id"] for r in self.random.sample(mine, min(len(mine), self.random.choice((1, 1, 2))))}
        notes, rows = [], []
        for r in ms_rows:
            if r["milestone_id"] in chosen:
                self.seq += 1
                note = f"{self.tag}-{self.spec['username']}-{self.seq}"
                notes.append(note)
                r = {**r, "state": "推进中", "completed_on": None, "note": note}
            rows.append(r)
        outputs = [dict(zip(("id", "property"), o.split("."))) for o in self.save_output.strip(".").split("...")]
        payload = {"output": self.save_output, "outputs": outputs,
                   "inputs": [{"id": "report-save", "property": "n_clicks", "value": self.seq}],
                   "changedPropIds": ["report-save.n_clicks"],
                   "state": [{"id": "report-milestones", "property": "rowData", "value": rows},
                             {"id": "report-indicators", "property": "rowData", "value": ind_rows},
                             {"id": "report-context", "property": "data", "value": context}]}
        record, response = self.request("submit", "/report", "POST", "/_dash-update-component", json=payload)
        record.notes = notes
        if response is not None:
            if response.status_code == 200:
                body = response.json().get("response", {})
                result = body.get("report-result", {}).get("children")
                if find(result, "report-saved") is not None:
                    self.form = (body["report-milestones"]["rowData"], body["report-indicators"]["rowData"],
                                 context)
                    self.rec(record)
                    first = next(r for r in rows if r["milestone_id"] in chosen)
                    self.verify(first["item_id"], first["milestone_id"], first["note"])
                    return
                else:
                    record.ok = False
                    record.detail = ("refused-conflict" if find(result, "report-conflicts") is not None else
                                     "refused-problems" if find(result, "report-problems") is not None else
                                     "refused")
                    self.form = None
            else:
                self.form = None  # start again from the versions in the store
            self.rec(record)
        else:
            self.form = None

    def verify(self, item_id: int, milestone_id: int, note: str) -> None:
        """Read your own write at once, through whichever worker answers: the item
        page's milestone table (a cached query) must show the note just saved."""
        def check(page):
            grid = find(page, {"type": "grid", "name": "item-milestones"})
            row = next((r for r in (grid or {}).get("props", {}).get("rowData", [])
                        if r.get("milestone_id") == milestone_id), None)
            if row is None or row.get("last_note") != note:
                return f"stale: milestone {milestone_id} shows {row and row.get('last_note')!r}"
            return None

        self.render("verify", f"/item/{item_id}", check=check)

    # the loop ---------------------------------------------------------------------
    def pick_view(self) -> str:
        city = self.spec["city"] or self.random.choice(self.targets["cities"])
        path = self.random.choice(("/", "/cities", "/overdue", f"/city/{city}",
                                   f"/item/{self.random.choice(self.targets['items'])}"))
        return path

    def run(self) -> None:
        while not self.stop.is_set() and not self.login():
            self.stop.wait(1.0)
        editor = self.spec["role"] == "city"
        while not self.stop.is_set():
            start = self.clock()
            try:
                self.step(editor)
            except Exception as exc:  # noqa: BLE001 - an unreadable answer is a failure, not the end
                self.rec(Record("client", "", start, self.clock(), None, False, f"client: {exc!r}"[:200]))
                self.form = None
            self.stop.wait(self.random.uniform(0, 2 * self.think))

    def step(self, editor: bool) -> None:
        roll = self.random.random()
        if editor and roll < 0.2:
            self.submit()
        elif roll < 0.55:
            path = self.pick_view()
            city = self.random.choice(self.targets["cities"])
            as_of = self.random.choice(AS_OF_CHOICES)
            search = self.random.choice((f"?city={city}", f"?as_of={as_of}", f"?city={city}&as_of={as_of}"))
            self.render("filter", path if not path.startswith("/city/") else "/", search)
        else:
            self.render("page", self.pick_view())


# --- the run ------------------------------------------------------------------------

@dataclass
class Outage:
    start: float | None = None
    end: float | None = None
    command_ok: bool | None = None
    output: str = ""


def run_load(base_url: str, database_url: str, users: int = 20, seconds: float = 60,
             restart_postgres_at: float | None = None, timeout: float = 30, think: float = 0.3,
             grace: float = 2.0, restart_command=RESTART_POSTGRES, redis_url: str | None = None,
             cache_prefix: str | None = None, create_accounts: bool = True, seed: int = 1) -> dict:
    """Run the load and the checks; the summary (see ``summarise``)."""
    specs = plan_users(users)
    if create_accounts:
        ensure_accounts(database_url, specs + [CHECKER])
    targets = sample_targets(database_url)
    tag = f"load-{uuid.uuid4().hex[:8]}"
    records: list[Record] = []
    lock = threading.Lock()
    began = time.monotonic()

    def rec(record: Record) -> Record:
        with lock:
            records.append(record)
        return record

    def clock() -> float:
        return time.monotonic() - began

    stop = threading.Event()
    outage = Outage()
    threads = [threading.Thread(target=User(base_url, spec, targets, tag, rec, clock, stop, timeout, think,
                                            seed * 1000 + i).run, daemon=True, name=spec["username"])
               for i, spec in enumerate(specs)]
    for t in threads:
        t.start()

    def restart():
        if stop.wait(restart_postgres_at):
            return
        outage.start = clock()
        done = subprocess.run(restart_command, capture_output=True, text=True)
        outage.end = clock()
        outage.command_ok = done.returncode == 0
        outage.output = (done.stdout + done.stderr).strip()[-500:]

    restarter = None
    if restart_postgres_at is not None:
        restarter = threading.Thread(target=restart, daemon=True)
        restarter.start()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join(timeout + 5)
    if restarter:
        restarter.join(120)
    hung = [t.name for t in threads if t.is_alive()]
    rows = note_counts(database_url, tag)
    stale = None
    if redis_url:
        try:
            stale = stale_views(base_url, database_url, redis_url, cache_prefix, timeout)
        except Exception as exc:  # noqa: BLE001 - reported as a failed check, the figures stay
            stale = {"views": len(CHECK_VIEWS), "stale": [], "inconsistent": [], "error": repr(exc)[:300]}
    return summarise(records, rows, outage, grace, seconds, users, hung, stale, tag)


def note_counts(database_url: str, tag: str) -> dict[str, int]:
    from store.models import ProgressUpdate

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(select(ProgressUpdate.note, func.count()).where(
                ProgressUpdate.note.like(f"{tag}-%")).group_by(ProgressUpdate.note)).all())
    finally:
        engine.dispose()


def stale_views(base_url, database_url, redis_url, prefix, timeout) -> dict:
    """Each check view as served now vs. after dropping the cache and the rollups
    (what a write does): a difference is a view served stale after the run."""
    import redis
    from sqlalchemy.orm import Session

    from store import forget_derived

    checker = User(base_url, CHECKER, {}, "", lambda r: r, time.monotonic, threading.Event(), timeout, 0, 0)
    if not checker.login():
        raise RuntimeError("the checking account could not log in")

    def snapshot():
        out = {}
        for path, search in CHECK_VIEWS:
            bodies = {json.dumps(_pruned(checker.render("check", path, search)), sort_keys=True)
                      for _ in range(4)}
            out[path + search] = bodies  # four requests: both workers, most likely
        return out

    served = snapshot()
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        forget_derived(session)  # the rollups, as an import drops them
    engine.dispose()
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    fresh = snapshot()
    return {"views": len(CHECK_VIEWS),
            "stale": sorted(view for view in served if served[view] != fresh[view]),
            "inconsistent": sorted(view for view in served if len(served[view]) > 1 or len(fresh[view]) > 1)}


def _pruned(node):
    """A layout without empty objects (a figure's ``"title": {}`` comes and goes
    between two renders of the same data)."""
    if isinstance(node, dict):
        kept = {k: _pruned(v) for k, v in node.items()}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(node, list):
        return [_pruned(v) for v in node]
    return node


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else 0.0


def summarise(records: list[Record], rows: dict[str, int], outage: Outage, grace: float, seconds: float,
              users: int, hung: list[str], stale: dict | None, tag: str) -> dict:
    def in_outage(r: Record) -> bool:
        return outage.start is not None and outage.end is not None and \
            r.start <= outage.end + grace and r.end >= outage.start

    by_kind = {}
    for kind in ("login", "page", "filter", "form", "submit", "verify", "client"):
        mine = [r for r in records if r.kind == kind]
        if not mine:
            continue
        ms = [1000 * (r.end - r.start) for r in mine]
        by_kind[kind] = {"requests": len(mine), "errors": sum(1 for r in mine if not r.ok),
                         "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                         "max_ms": round(max(ms), 1)}
    # a refused submission (conflict, problems) is an answer, not an error: nothing was written
    refused = [r for r in records if r.kind == "submit" and r.detail.startswith("refused")]
    failed = [r for r in records if not r.ok and not r.detail.startswith("refused")]
    during = [r for r in failed if in_outage(r)]
    errors = [r for r in failed if not in_outage(r)]
    unclean = [r for r in during if r.status is None or r.status < 500]
    submits = [r for r in records if r.kind == "submit"]
    ok_notes = [n for r in submits if r.ok for n in r.notes]
    failed_notes = [n for r in submits if not r.ok for n in r.notes]
    lost = sorted(n for n in ok_notes if rows.get(n, 0) == 0)
    duplicated = sorted(n for n, c in rows.items() if c > 1)
    phantom = sorted(n for n in failed_notes if rows.get(n, 0) > 0)
    unknown = sorted(set(rows) - set(ok_notes) - set(failed_notes))
    after = [r for r in records if outage.end is not None and r.start > outage.end + grace]
    summary = {
        "tag": tag, "users": users, "seconds": seconds,
        "requests": len(records), "errors": len(errors),
        "error_kinds": _tally(errors), "by_kind": by_kind,
        "submissions": {"ok": sum(1 for r in submits if r.ok), "refused": len(refused),
                        "refused_kinds": _tally(refused), "failed": sum(1 for r in submits if not r.ok) - len(refused),
                        "rows_expected": len(ok_notes), "rows_in_db": sum(rows.values()),
                        "lost": lost[:20], "duplicated": duplicated[:20], "failed_but_written": phantom[:20],
                        "unknown": unknown[:20]},
        "throughput_rps": round(len(records) / seconds, 1) if seconds else None,
        "hung_users": hung,
    }
    if outage.start is not None:
        summary["outage"] = {"restart_at": round(outage.start, 2), "restart_done": round(outage.end or 0, 2),
                             "restart_command_ok": outage.command_ok, "grace_s": grace,
                             "failed_during_outage": len(during), "failed_during_outage_kinds": _tally(during),
                             "unclean_failures": len(unclean),
                             "requests_after": len(after), "failed_after": sum(1 for r in after if not r.ok
                                                                               and not r.detail.startswith("refused"))}
        if not outage.command_ok:
            summary["outage"]["restart_output"] = outage.output
    if stale is not None:
        summary["cache_check"] = stale
    summary["passed"] = not problems_of(summary)
    summary["problems"] = problems_of(summary)
    return summary


def _tally(records: list[Record]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        key = f"{r.kind}:{r.detail}"
        out[key] = out.get(key, 0) + 1
    return out


def problems_of(summary: dict) -> list[str]:
    out = []
    sub = summary["submissions"]
    if summary["errors"]:
        out.append(f"{summary['errors']} request(s) failed outside an outage: {summary['error_kinds']}")
    if sub["lost"]:
        out.append(f"{len(sub['lost'])}+ update(s) answered with success are missing: {sub['lost'][:3]}")
    if sub["duplicated"]:
        out.append(f"update(s) written twice: {sub['duplicated'][:3]}")
    if sub["failed_but_written"]:
        out.append(f"update(s) answered with failure were written: {sub['failed_but_written'][:3]}")
    if sub["unknown"]:
        out.append(f"rows with this run's notes that no request sent: {sub['unknown'][:3]}")
    if sub["rows_expected"] != sub["rows_in_db"]:
        out.append(f"expected {sub['rows_expected']} progress rows, found {sub['rows_in_db']}")
    if summary["hung_users"]:
        out.append(f"users still waiting after the run: {summary['hung_users']}")
    if not sub["ok"]:
        out.append("no submission succeeded")
    outage = summary.get("outage")
    if outage:
        if not outage["restart_command_ok"]:
            out.append("the restart command failed")
        if outage["unclean_failures"]:
            out.append(f"{outage['unclean_failures']} failure(s) during the outage were not HTTP 5xx answers")
        if outage["failed_after"] or not outage["requests_after"]:
            out.append(f"after the restart: {outage['requests_after']} requests, {outage['failed_after']} failed")
    check = summary.get("cache_check")
    if check and check.get("error"):
        out.append(f"the stale-view check failed: {check['error']}")
    if check and (check["stale"] or check["inconsistent"]):
        out.append(f"stale views after the run: {check['stale']}, inconsistent between requests: "
                   f"{check['inconsistent']}")
    return out


def print_summary(summary: dict, out=None, with_json: bool = True) -> None:
    out = out or sys.stdout
    if with_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2), file=out)
        print(file=out)
    print(f"{'kind':8} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}", file=out)
    for kind, k in summary["by_kind"].items():
        print(f"{kind:8} {k['requests']:9d} {k['errors']:7d} {k['p50_ms']:8.1f} {k['p95_ms']:8.1f} "
              f"{k['max_ms']:8.1f}", file=out)
    sub = summary["submissions"]
    print(f"\n{summary['users']} users, {summary['seconds']} s: {summary['requests']} requests "
          f"({summary['throughput_rps']}/s), {summary['errors']} errors outside an outage", file=out)
    print(f"submissions: {sub['ok']} ok, {sub['refused']} refused, {sub['failed']} failed; "
          f"progress rows expected {sub['rows_expected']}, in the database {sub['rows_in_db']}", file=out)
    if "outage" in summary:
        o = summary["outage"]
        print(f"PostgreSQL restart at {o['restart_at']} s, back at {o['restart_done']} s: "
              f"{o['failed_during_outage']} failed during the outage ({o['unclean_failures']} not clean), "
              f"{o['failed_after']} of {o['requests_after']} failed after it", file=out)
    if "cache_check" in summary:
        c = summary["cache_check"]
        print(f"cache check: {c['views']} views, stale {c['stale'] or 'none'}, "
              f"inconsistent {c['inconsistent'] or 'none'}", file=out)
    print("PASSED" if summary["passed"] else "FAILED:\n  " + "\n  ".join(summary["problems"]), file=out)


# --- serving it ---------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2, log_path: Path | None = None, app: str | None = None,
             startup: float = 60):
    """``gunicorn -c gunicorn.conf.py -w N`` on a free loopback port; yields its URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--no-control-socket",
               "-w", str(workers), "-b", f"127.0.0.1:{port}"] + ([app] if app else [])
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}" +
                                   (f"; see {log_path}" if log_path else ""))
            try:
                if requests.get(url + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not become healthy")
            time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if log_path:
            log.close()


@contextlib.contextmanager
def postgres_database(server_url: str):
    """A new database on the server of ``server_url``; dropped afterwards."""
    url = make_url(server_url)
    name = f"credit_load_{time.strftime('%Y%m%d_%H%M%S')}_{uuid.uuid4().hex[:4]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_env(database_url: str, redis_url: str, prefix: str, **extra) -> dict:
    return {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url, "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix,
            "LOG_LEVEL": "WARNING", "ANONYMOUS_READ": "false",
            "SESSION_COOKIE_SECURE": "false",  # served over plain HTTP on this machine (production: behind TLS)
            **extra}


def flask(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def serve_and_run(args) -> dict:
    prefix = f"credit-load-{uuid.uuid4().hex[:8]}:"
    log_path = Path(args.log or Path(tempfile.gettempdir()) / f"{prefix.rstrip(':')}-gunicorn.log")
    with postgres_database(args.pg_url) as database_url:
        env = app_env(database_url, args.redis_url, prefix)
        t0 = time.monotonic()
        flask(env, "init-db")
        flask(env, "load-demo")
        print(f"store ready in {time.monotonic() - t0:.0f} s: {make_url(database_url).database}", file=sys.stderr)
        ensure_accounts(database_url, plan_users(args.users) + [CHECKER])
        try:
            with gunicorn(env, args.workers, log_path) as url:
                print(f"gunicorn -w {args.workers} at {url} (log: {log_path})", file=sys.stderr)
                return run_load(url, database_url, args.users, args.seconds, args.restart_postgres_at,
                                args.timeout, args.think, args.grace, redis_url=args.redis_url,
                                cache_prefix=prefix, create_accounts=False)
        finally:
            _drop_keys(args.redis_url, prefix)


def _drop_keys(redis_url: str, prefix: str) -> None:
    import redis

    with contextlib.suppress(Exception):
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="the server, e.g. http://127.0.0.1:8050 (loopback)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the server's store, to create the accounts and count the rows")
    parser.add_argument("--redis-url", default=os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--cache-prefix", help="the server's CACHE_KEY_PREFIX: with it, the stale-view check runs")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--restart-postgres-at", type=float, metavar="T")
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument("--think", type=float, default=0.3, help="mean think time between requests, seconds")
    parser.add_argument("--grace", type=float, default=2.0,
                        help="seconds after the restart still counted as the outage")
    parser.add_argument("--serve", action="store_true", help="fresh PostgreSQL database + gunicorn, then the run")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--log", help="--serve: gunicorn's log file")
    parser.add_argument("--json", help="also write the summary to this file")
    args = parser.parse_args(argv)
    if args.serve:
        summary = serve_and_run(args)
    else:
        if not args.url or not args.database_url:
            parser.error("--url and --database-url (or DATABASE_URL), or --serve")
        host = requests.utils.urlparse(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("the load test runs against loopback only")
        summary = run_load(args.url.rstrip("/"), args.database_url, args.users, args.seconds,
                           args.restart_postgres_at, args.timeout, args.think, args.grace,
                           redis_url=args.redis_url if args.cache_prefix else None, cache_prefix=args.cache_prefix)
    print_summary(summary)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
