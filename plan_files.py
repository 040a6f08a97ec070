"""The routes that take and give plan files (计划管理, pages/plans.py).

- POST /plans/upload takes one file (multipart, up to PLAN_MAX_BYTES: not
  through a Dash callback, which would carry it base64 inside JSON), stages it
  for its preview (importers.intake: an admin's, readable, bounded) and sends
  the browser to the preview.  A file that cannot be read is refused there and
  then, with its message on the page, and nothing is kept.  A request from
  another site (its Origin or Referer not this one) is refused.
- GET /plans/file/<id> sends an import's kept file, as an attachment, to a
  logged-in account.
"""
from __future__ import annotations

import io
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, send_file, session

from accounts import current_account
from importers.formats import MAX_BYTES
from importers.intake import IntakeError, imported_file, stage
from importers.parsed import DocumentError
from store import session_scope

UPLOAD_PATH = "/plans/upload"
MESSAGE_KEY = "plans_message"  # the refusal the next /plans page shows (in the signed session cookie)
TYPES = {b"%PDF-": "application/pdf", b"PK\x03\x04": "application/octet-stream"}


def init_app(server: Flask) -> None:
    server.config.setdefault("PLAN_MAX_BYTES", MAX_BYTES)
    server.before_request(_upload_limit)
    server.add_url_rule(UPLOAD_PATH, "plan_upload", upload, methods=["POST"])
    server.add_url_rule("/plans/file/<int:run_id>", "plan_file", download)


def _upload_limit():
    if request.path == UPLOAD_PATH:  # the file and the form around it
        request.max_content_length = int(current_app.config["PLAN_MAX_BYTES"]) + 64 * 1024


def from_this_site() -> bool:
    """The form was posted from one of this site's pages (a cross-site form
    post carries another Origin; browsers send one with every POST)."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return False
    return urlsplit(origin).netloc == urlsplit(request.host_url).netloc


def attachment(content: bytes, kind: str, name: str):
    """A kept file as the browser gets it: always a download (never shown inline,
    whatever it holds), with its type, which the browser is told not to guess."""
    response = send_file(io.BytesIO(content), mimetype=kind, as_attachment=True, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _refused(message: str):
    session[MESSAGE_KEY] = message[:500]
    return redirect("/plans", code=303)


def upload():
    account = current_account()
    if account is None or account.role != "admin" or not from_this_site():
        abort(403)
    file = request.files.get("file")
    if file is None or not file.filename:
        return _refused("请选择要上传的计划文件。")
    raw = file.read(int(current_app.config["PLAN_MAX_BYTES"]) + 1)
    if len(raw) > int(current_app.config["PLAN_MAX_BYTES"]):
        return _refused(f"{file.filename}: 文件超过 {MAX_BYTES // 1024 // 1024} MB，未上传。")
    try:
        with session_scope() as s:
            token = stage(s, account, file.filename, raw)
    except (DocumentError, IntakeError) as exc:
        return _refused(str(exc))
    return redirect(f"/plans?upload={token}", code=303)


def download(run_id: int):
    if current_account() is None:
        abort(403)
    with session_scope() as s:
        run = imported_file(s, run_id)
        if run is None:
            abort(404)
        content, name = run.content, run.source_file
    kind = next((mime for magic, mime in TYPES.items() if content.startswith(magic)), "application/octet-stream")
    return attachment(content, kind, name)
