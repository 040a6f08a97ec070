"""What every request and response goes through, whoever sends it: size
limits, and the headers that keep the pages out of other sites' frames and
the browser from guessing types.

``init_app(server)`` adds

- a callback's JSON cleaned before any callback reads it: a string with an
  unpaired UTF-16 surrogate ("\ud800", which no database can store) has it
  replaced by U+FFFD, so every check downstream sees storable text;
- request size limits: MAX_CONTENT_LENGTH for every request (default 1 MB),
  CALLBACK_MAX_BYTES for Dash's callback endpoint (default 4 MB: the report
  form's 1,000 rows, or the Excel template's upload, which is a callback and
  at most 2 MB before base64).  A larger request is answered 413 with a
  message before its body is read;
- on every response: X-Frame-Options SAMEORIGIN and CSP frame-ancestors
  'self' (no other site can frame the pages; the review's full screen is
  the page's own), X-Content-Type-Options nosniff, Referrer-Policy
  same-origin, and a Content-Security-Policy that allows this site's own
  scripts only (Dash renders with inline scripts, and ag-grid compiles its
  cell rules, hence 'unsafe-inline' and 'unsafe-eval').
"""
from __future__ import annotations

import re

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

CALLBACK_PATH = "/_dash-update-component"
POLICY = "; ".join((
    "default-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'"))
HEADERS = {"X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "Content-Security-Policy": POLICY}


def init_app(server: Flask) -> None:
    server.config.setdefault("CALLBACK_MAX_BYTES", 4 * 1024 * 1024)
    if server.config.get("MAX_CONTENT_LENGTH") is None:
        server.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    server.before_request(_callback_limit)
    server.after_request(_headers)
    server.register_error_handler(RequestEntityTooLarge, too_large)


def _callback_limit():
    if request.path == CALLBACK_PATH:
        request.max_content_length = int(current_app.config["CALLBACK_MAX_BYTES"])
        body = request.get_json(silent=True)  # (parsed once: Dash reads this same object)
        if body is not None:
            _storable(body)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _storable(value):
    """``value`` (parsed JSON) with unpaired surrogates replaced, in place."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in list(items):
        if isinstance(item, (str, dict, list)):
            value[key] = _storable(item)
    return value


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def too_large(_exc):
    limit = request.max_content_length or 0
    message = f"提交的内容过大（上限 {limit / 1048576:.0f} MB），未作任何处理。"
    if request.path.startswith("/_dash-") or not request.accept_mimetypes.accept_html:
        response = jsonify({"error": message})
    else:
        response = current_app.response_class(
            f"<!doctype html><meta charset='utf-8'><title>内容过大</title><p>{message}</p>", mimetype="text/html")
    response.status_code = 413
    return response
