"""Running in production: ``/healthz``, logging to stdout, and a clean answer
while the database is unreachable.

``init_app(server)`` adds

- ``GET /healthz`` (no login): ``SELECT 1`` through the store's engine and a
  set/get of a short-lived cache key; 200 ``{"status": "ok", "database": "ok",
  "cache": "ok", "ms": …}`` (no process id: nothing about the host), or 503 with ``"error"`` for the part that
  failed and a short reason in ``"reasons"`` (never a traceback, a URL or a
  host name: the full error goes to the log);
- a handler that turns a lost or refused database connection in any request
  into 503 JSON (``{"error": …}``; an HTML page for a browser's page load)
  instead of a half-rendered page, logging one line;

``configure_logging()`` sends the app's, werkzeug's and SQLAlchemy's logs and
Python warnings to stdout, timestamped, at ``LOG_LEVEL`` (default INFO).  The
servers call it (gunicorn.conf.py, ``python app.py``), not ``create_app``: the
CLI's stdout carries exports and must stay clean.
"""
from __future__ import annotations

import logging
import os
import sys
import time
import uuid

from flask import Flask, current_app, jsonify, request
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError,
                sa_exc.TimeoutError)  # (the last: every pooled connection busy for 30 s)
log = logging.getLogger("health")


class _Stdout(logging.StreamHandler):
    """A handler writing to whatever ``sys.stdout`` is at the time (a test's
    captured output, gunicorn's redirected stdout…), never a closed stream."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging(level: str | None = None) -> None:
    """Root logging to stdout at ``level`` (default: LOG_LEVEL, else INFO); idempotent."""
    number = logging.getLevelName((level or os.environ.get("LOG_LEVEL") or "INFO").upper())
    root = logging.getLogger()
    root.setLevel(number if isinstance(number, int) else logging.INFO)
    if not any(isinstance(h, _Stdout) for h in root.handlers):
        handler = _Stdout()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    logging.captureWarnings(True)  # SQLAlchemy's SAWarning and the like, timestamped too


def init_app(server: Flask) -> None:
    server.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
    for error in _UNAVAILABLE:
        server.register_error_handler(error, database_unavailable)


def healthz():
    started = time.perf_counter()
    checks, reasons = {}, {}
    try:
        with current_app.extensions["store"].engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        checks["database"], reasons["database"] = "error", reason(exc)
        log.warning("healthz: database check failed: %s", one_line(exc))
    try:
        from queries.cache import cache

        key, token = f"healthz:{os.getpid()}:{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        cache.set(key, token, timeout=10)
        got = cache.get(key)
        cache.delete(key)
        if got != token:
            raise RuntimeError("the value read back differs from the value written")
        checks["cache"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["cache"], reasons["cache"] = "error", reason(exc)
        log.warning("healthz: cache check failed: %s", one_line(exc))
    ok = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if ok else "error", **checks,
            "ms": round((time.perf_counter() - started) * 1000, 1)}
    if reasons:
        body["reasons"] = reasons
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def database_unavailable(exc):
    """A request that lost its database: 503, logged on one line."""
    log.error("database unavailable during %s %s: %s", request.method, request.path, one_line(exc))
    message = "数据库暂时无法访问，请稍后重试。"
    if request.method == "GET" and not request.path.startswith("/_dash-") and \
            request.accept_mimetypes.accept_html:
        response = current_app.response_class(
            f"<!doctype html><meta charset='utf-8'><title>暂时无法访问</title><p>{message}</p>",
            status=503, mimetype="text/html")
    else:
        response = jsonify({"error": message, "database": "unavailable"})
        response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response


# What a failure may say to anyone who asks: a category, never the server's
# message (it names hosts, ports, databases).
_REASONS = (("refused", "connection refused"), ("timeout", "timed out"), ("timed out", "timed out"),
            ("does not exist", "database does not exist"), ("unable to open", "cannot open database file"),
            ("authentication", "authentication failed"), ("password", "authentication failed"),
            ("starting up", "server starting up"), ("shutting down", "server shutting down"),
            ("terminating connection", "connection terminated"), ("closed", "connection closed"),
            ("name or service not known", "unknown host"), ("resolve", "unknown host"),
            ("locked", "database locked"))


def reason(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).lower()
    for needle, label in _REASONS:
        if needle in message:
            return label
    return type(getattr(exc, "orig", None) or exc).__name__


def one_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {message[0] if message else ''}"[:300]
