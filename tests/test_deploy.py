"""Running in production: /healthz, the answer while the database or the cache
is unreachable, what gunicorn.conf.py refuses, and the cache-coherence
guarantee — real gunicorn, two workers sharing Redis: a report saved through
one worker is visible through the other on its very next request."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid

from datetime import date

import pytest
import requests
from sqlalchemy import create_engine, text

from app import create_app
from bench.load import ROOT, app_env, find, free_port, gunicorn
from tests.conftest import PASSWORDS, copy_of, fresh_database
from tests.test_reporting import TODAY

REDIS_URL = os.environ.get("CACHE_REDIS_URL") or "redis://127.0.0.1:6379/0"
PAGE_RENDER = {"output": ".._pages_content.children..._pages_store.data..",
               "outputs": [{"id": "_pages_content", "property": "children"},
                           {"id": "_pages_store", "property": "data"}]}


def served_app():
    """``app:create_app()`` as gunicorn serves it, plus the answering worker's pid
    in an ``X-Worker`` header, so that the test knows which worker answered which
    request, and an endpoint that keeps a worker busy (this test's additions)."""
    server = create_app()

    @server.get("/_test/busy")
    def busy():  # holds its worker for a moment (Browser.render)
        time.sleep(0.3)
        return "busy"

    @server.after_request
    def worker_header(response):
        response.headers["X-Worker"] = str(os.getpid())
        return response

    return server


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


# --- /healthz ------------------------------------------------------------------------

def test_healthz_answers_without_a_login(app):
    app.config["ANONYMOUS_READ"] = False  # the login guard lets /healthz through
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert {k: body[k] for k in ("status", "database", "cache")} == {"status": "ok", "database": "ok",
                                                                       "cache": "ok"}
    assert "worker" not in body and response.headers["Cache-Control"] == "no-store"
    assert app.test_client().get("/").status_code == 302  # the rest still needs a login


@pytest.mark.parametrize("url, reason", [
    ("postgresql+psycopg://monitor:s3cret-pw@127.0.0.1:{port}/credit", "connection refused"),
    ("sqlite:////nonexistent-dir-{port}/app.db", "cannot open database file"),
])
def test_healthz_is_503_when_the_database_is_unreachable(url, reason):
    server = create_app({"DATABASE_URL": url.format(port=free_port()), "CACHE_TYPE": "SimpleCache",
                         "ANONYMOUS_READ": True})
    client = server.test_client()
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "error" and body["database"] == "error" and body["cache"] == "ok"
    assert body["reasons"] == {"database": reason}
    text = response.get_data(as_text=True)
    for secret in ("s3cret", "monitor", "127.0.0.1", "nonexistent", "Traceback"):
        assert secret not in text

    # a dashboard request meanwhile: a clean 503 in JSON, no half page
    response = client.post("/_dash-update-component", json={
        **PAGE_RENDER, "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                                  {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": []})
    assert response.status_code == 503 and response.get_json()["database"] == "unavailable"
    assert response.headers["Retry-After"]
    assert "s3cret" not in response.get_data(as_text=True)
    response = client.get("/login", headers={"Accept": "text/html"})
    assert response.status_code == 503 and "数据库暂时无法访问" in response.get_data(as_text=True)


def test_healthz_is_503_when_the_cache_is_unreachable(tmp_path):
    with fresh_database(tmp_path) as url:
        server = create_app({"DATABASE_URL": url, "CACHE_TYPE": "RedisCache",
                             "CACHE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
        response = server.test_client().get("/healthz")
        body = response.get_json()
        assert response.status_code == 503
        assert (body["status"], body["database"], body["cache"]) == ("error", "ok", "error")
        assert body["reasons"] == {"cache": "connection refused"}
        assert "Traceback" not in response.get_data(as_text=True)
        server.extensions["store"].engine.dispose()


# --- what gunicorn.conf.py refuses ---------------------------------------------------
# (create_app refusing the default secret in production: tests/test_accounts.py)

def run_gunicorn(env: dict, seconds: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                           "--no-control-socket", "-b", f"127.0.0.1:{free_port()}"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds)


def test_gunicorn_refuses_production_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(APP_ENV="production", WEB_CONCURRENCY="1", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    done = run_gunicorn(env)
    assert done.returncode != 0 and "SECRET_KEY" in done.stdout + done.stderr


def test_gunicorn_refuses_several_workers_on_the_in_process_cache(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_REDIS_URL", "CACHE_TYPE")}
    env.update(WEB_CONCURRENCY="2", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    done = run_gunicorn(env)
    assert done.returncode != 0 and "CACHE_REDIS_URL" in done.stdout + done.stderr


# --- cache coherence between two workers ---------------------------------------------

class Browser:
    """One person's cookies; every request on a new connection (sync workers
    close it anyway), so either worker may answer."""

    HOLD_START = 0.05  # s: the busy request reaches a worker before the render is sent

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def login(self, username: str) -> None:
        response = self.http.post(self.base + "/login", allow_redirects=False,
                                  data={"username": username, "password": PASSWORDS[username]}, timeout=30)
        assert response.status_code == 302, response.text[:300]

    def render(self, path: str, search: str = "") -> tuple[int, dict]:
        """(the worker that answered, the page's layout) — the page-render callback as the browser posts it.

        Sent while another request holds one worker: left to themselves, quick
        requests in a row tend to land on the worker that wins every race to
        accept; this way the idle worker answers, whichever it is."""
        hold = threading.Thread(target=requests.get, args=(self.base + "/_test/busy",),
                                kwargs={"cookies": self.http.cookies, "timeout": 30})
        hold.start()
        time.sleep(self.HOLD_START)
        try:
            return self._render(path, search)
        finally:
            hold.join()

    def _render(self, path: str, search: str) -> tuple[int, dict]:
        response = self.http.post(self.base + "/_dash-update-component", timeout=30, json={
            **PAGE_RENDER, "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                                      {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []})
        assert response.status_code == 200, response.text[:300]
        return int(response.headers["X-Worker"]), response.json()["response"]["_pages_content"]["children"]


def milestone_row(layout, milestone_id: int) -> dict:
    grid = find(layout, {"type": "grid", "name": "item-milestones"})
    return next(r for r in grid["props"]["rowData"] if r["milestone_id"] == milestone_id)


def views(reader: Browser, item_id: int, milestone_id: int):
    """What the reader's pages say about the milestone and the province, and who answered."""
    def overview():
        pid, layout = reader.render("/", f"?as_of={TODAY}")
        return pid, find(layout, "kpi-overdue")["props"]["children"]

    def default_date():  # the overview's default as-of date: the latest report in the store
        pid, layout = reader.render("/")
        return pid, find(layout, {"type": "filter", "name": "as_of"})["props"]["value"]

    def item():
        pid, layout = reader.render(f"/item/{item_id}", f"?as_of={TODAY}")
        row = milestone_row(layout, milestone_id)
        return pid, (row["status"], row["last_note"])

    return {"overview": overview, "default_date": default_date, "item": item}


def on_both_workers(view, tries: int = 60) -> dict[int, object]:
    """Ask until both workers have answered; what each said."""
    seen: dict[int, object] = {}
    for _ in range(tries):
        pid, value = view()
        seen.setdefault(pid, value)
        assert seen[pid] == value  # one worker, one answer
        if len(seen) == 2:
            return seen
    pytest.fail(f"only worker(s) {sorted(seen)} answered in {tries} requests")


def test_a_report_saved_on_one_worker_shows_on_the_other_at_once(seeded_database, tmp_path):
    redis_or_skip()
    prefix = f"credit-test-deploy-{uuid.uuid4().hex[:8]}:"
    with copy_of(seeded_database, tmp_path) as url:
        engine = create_engine(url)
        with engine.begin() as conn:  # the office has kept the 2020 plan running: in force today, the default view's
            conn.execute(text("UPDATE plan SET period_end = :end"), {"end": date(TODAY.year + 1, 12, 31)})
        engine.dispose()
        env = app_env(url, REDIS_URL, prefix)
        with gunicorn(env, workers=2, log_path=tmp_path / "gunicorn.log", app="tests.test_deploy:served_app()") \
                as base:
            reader, editor = Browser(base), Browser(base)
            reader.login("leader")
            editor.login("hz")

            # the editor's form, as the report page renders it
            _, page = editor.render("/report")
            rows = find(page, "report-milestones")["props"]["rowData"]
            context = find(page, "report-context")["props"]["data"]
            target = next(r for r in rows if r["status"] == "overdue")
            note = f"两个进程缓存一致性测试 {uuid.uuid4().hex[:6]}"

            checks = views(reader, target["item_id"], target["milestone_id"])
            before = {name: on_both_workers(view) for name, view in checks.items()}  # warm on both workers
            for name, seen in before.items():
                assert len(set(map(json.dumps, seen.values()))) == 1, (name, seen)
            overdue_before = int(next(iter(before["overview"].values())).rstrip("个").replace(",", ""))
            assert next(iter(before["item"].values()))[0] == "overdue"
            assert next(iter(before["default_date"].values())) < TODAY.isoformat()

            # the editor saves through one worker, exactly as the browser does
            deps = editor.http.get(base + "/_dash-dependencies", timeout=30).json()
            output = next(d["output"] for d in deps if any(i["id"] == "report-save" for i in d["inputs"]))
            edited = [{**r, "state": "已完成", "completed_on": TODAY.isoformat(), "note": note}
                      if r["milestone_id"] == target["milestone_id"] else r for r in rows]
            response = editor.http.post(base + "/_dash-update-component", timeout=30, json={
                "output": output,
                "outputs": [dict(zip(("id", "property"), o.split("."))) for o in output.strip(".").split("...")],
                "inputs": [{"id": "report-save", "property": "n_clicks", "value": 1}],
                "changedPropIds": ["report-save.n_clicks"],
                "state": [{"id": "report-milestones", "property": "rowData", "value": edited},
                          {"id": "report-indicators", "property": "rowData", "value": []},
                          {"id": "report-context", "property": "data", "value": context}]})
            assert response.status_code == 200
            assert find(response.json()["response"]["report-result"], "report-saved") is not None, \
                response.text[:500]
            writer = int(response.headers["X-Worker"])
            other = next(pid for pid in before["overview"] if pid != writer)

            # every read from now on shows the new state, whichever worker answers,
            # and the other worker's first answer is its very next request
            expected = {"overview": f"{overdue_before - 1:,}个", "default_date": TODAY.isoformat(),
                        "item": ("pending", note)}  # it was overdue: a city's completion now waits for review
            for name, view in checks.items():
                answered = set()
                for _ in range(60):
                    pid, value = view()
                    assert value == expected[name], (name, pid, "writer" if pid == writer else "other", value)
                    answered.add(pid)
                    if other in answered:
                        break
                assert other in answered, f"{name}: the other worker never answered"
