"""The file a city or department may attach to its 计划调整申请 (a letter of
consent, a meeting's minutes): optional, one per request, while it waits.

- POST /requests/file takes it (multipart, up to REQUEST_FILE_MAX_BYTES: not
  through a Dash callback, which would carry it base64 inside JSON) from the
  editor who made the request, checks its kind from its bytes (store.files),
  keeps it in the store and goes back to /requests with what happened.
- GET /requests/file/<id> sends it, as an attachment with its type, to the
  requester and to the admin only.
A request from another site is refused, as for plan files.
"""
from __future__ import annotations

from flask import Flask, abort, current_app, redirect, request, session
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts import current_account
from plan_files import attachment, from_this_site
from store import session_scope
from store.audit import record
from store.files import FileRefused, keep
from store.models import AdjustmentRequest, StoredFile

UPLOAD_PATH = "/requests/file"
MESSAGE_KEY = "requests_message"  # what the next /requests page says (in the signed session cookie)


def init_app(server: Flask) -> None:
    server.config.setdefault("REQUEST_FILE_MAX_BYTES", 10 * 1024 * 1024)
    server.before_request(_upload_limit)
    server.add_url_rule(UPLOAD_PATH, "request_file_upload", upload, methods=["POST"])
    server.add_url_rule(f"{UPLOAD_PATH}/<int:request_id>", "request_file", download)


def _upload_limit():
    if request.path == UPLOAD_PATH:  # the file and the form around it
        request.max_content_length = int(current_app.config["REQUEST_FILE_MAX_BYTES"]) + 64 * 1024


def _back(message: str, ok: bool = False):
    session[MESSAGE_KEY] = {"text": message[:300], "ok": ok}
    return redirect("/requests", code=303)


def upload():
    account = current_account()
    if account is None or account.role not in ("city", "department") or not from_this_site():
        abort(403)
    raw_id, file = request.form.get("request_id", ""), request.files.get("file")
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10):
        return _back("请选择要附文件的申请。")
    if file is None or not file.filename:
        return _back("请选择要上传的文件。")
    limit = int(current_app.config["REQUEST_FILE_MAX_BYTES"])
    content = file.read(limit + 1)
    try:
        with session_scope() as s:
            asked = s.get(AdjustmentRequest, int(raw_id))
            if asked is None or asked.requested_by != account.username:
                return _back("只能为本人提交的申请附文件。")
            if asked.state != "pending":
                return _back(f"申请 #{asked.id} 已审批，不能再附文件。")
            if attached(s, asked.id) is not None:
                return _back(_ALREADY.format(asked.id))
            stored = keep(s, content, file.filename, account.username, limit, request_id=asked.id)
            record(s, account.username, "request.file", f"申请 #{asked.id}", "request", asked.id, None,
                   {"附件": stored.name, "大小": stored.size, "SHA-256": stored.sha256})
            text = f"已为申请 #{asked.id} 附上文件「{stored.name}」。"
    except FileRefused as exc:
        return _back(f"{exc}未上传。")
    except IntegrityError:  # another upload for the same request got there first
        return _back(_ALREADY.format(raw_id))
    return _back(text, ok=True)


_ALREADY = "申请 #{} 已有附件，不能再附文件（附件不可替换）。"


def attached(session, request_id: int) -> StoredFile | None:
    return session.scalar(select(StoredFile).where(StoredFile.request_id == request_id))


def download(request_id: int):
    account = current_account()
    if account is None:
        abort(403)
    with session_scope() as s:
        asked = s.get(AdjustmentRequest, request_id)
        stored = attached(s, request_id) if asked is not None else None
        if stored is None:
            abort(404)
        if account.role != "admin" and asked.requested_by != account.username:
            abort(403)
        content, kind, name = stored.content, stored.content_type, stored.name
    return attachment(content, kind, name)
