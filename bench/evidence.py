"""What a 佐证材料 upload costs the worker (issue 18: a 20 MB file adds ≤ 60 MB
to the worker's memory).

    python -m bench.evidence [--mb 20] [--db URL]

A store with the bundled plans and one city editor (a temporary SQLite file,
or the empty database ``--db`` names), served by the app in a process of its
own; after a warm-up (the login, a small upload), one upload of ``--mb`` MB
through POST /evidence.  The figure is how far the server process's peak
resident memory (VmHWM) rose for it, read from /proc; and the file is read
back to check it was kept whole.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-pass-123"


def flask(env: dict, *args: str, text: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, input=text,
                   text=True, check=True, capture_output=True)


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--db", help="an empty database's SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/evidence.db"
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "PORT": str(port),
               "EVIDENCE_MAX_BYTES": str((args.mb + 1) * 1024 * 1024), "LOG_LEVEL": "WARNING"}
        flask(env, "init-db")
        flask(env, "load-demo")
        flask(env, "create-user", "bench-hz", "--role", "city", "--city", "杭州", text=PASSWORD + "\n")
        server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    requests.get(base + "/healthz", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            web = requests.Session()
            web.headers["Origin"] = base
            web.post(base + "/login", data={"username": "bench-hz", "password": PASSWORD}, allow_redirects=False)
            milestone = milestone_of(env)
            upload(web, base, milestone, b"%PDF-1.4\n%%EOF\n", "warm-up.pdf")  # (the route's code paths loaded)
            before = peak_mb(server.pid)
            content = b"%PDF-1.4\n" + os.urandom(args.mb * 1024 * 1024 - 9)
            started = time.perf_counter()
            upload(web, base, milestone, content, "验收报告.pdf")
            took = time.perf_counter() - started
            after = peak_mb(server.pid)
            kept = kept_digest(env)
            whole = kept == hashlib.sha256(content).hexdigest()
            print(f"{url.split(':')[0]} · {args.mb} MB upload: {took:.2f} s; worker peak memory "
                  f"{before:.0f} → {after:.0f} MB (+{after - before:.0f} MB; target ≤ 60); kept whole: {whole}")
        finally:
            server.terminate()
            server.wait()


def upload(web, base: str, milestone: int, content: bytes, name: str) -> None:
    answer = web.post(base + "/evidence", data={"milestone_id": str(milestone), "next": "/report"},
                      files={"file": (name, content)}, allow_redirects=False)
    if answer.status_code != 303:
        raise SystemExit(f"upload failed: {answer.status_code}")


def _query(env: dict, code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, text=True, check=True,
                          capture_output=True).stdout.strip()


def milestone_of(env: dict) -> int:
    return int(_query(env, "from bench.evidence import _milestone; _milestone()"))


def kept_digest(env: dict) -> str:
    return _query(env, "from bench.evidence import _digest; _digest()")


def _milestone() -> None:
    from sqlalchemy import select

    from app import create_app
    from store.models import Milestone, Region, WorkItem
    with create_app().app_context() as ctx:
        with ctx.app.extensions["store"].session() as s:
            print(s.scalar(select(Milestone.id).join(WorkItem, WorkItem.id == Milestone.work_item_id)
                           .join(Region, Region.id == WorkItem.city_id).where(Region.name == "杭州").limit(1)))


def _digest() -> None:
    from sqlalchemy import select

    from app import create_app
    from store.models import StoredFile
    with create_app().app_context() as ctx:
        with ctx.app.extensions["store"].session() as s:
            content = s.scalar(select(StoredFile.content).order_by(StoredFile.id.desc()).limit(1))
            print(hashlib.sha256(content).hexdigest())


if __name__ == "__main__":
    main()
