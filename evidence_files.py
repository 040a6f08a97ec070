"""佐证材料: the files an editor attaches to a milestone with its report (an
acceptance report, a notice, photos), kept in the store with who uploaded
them, when, and their SHA-256 (store.files: the kind read from the bytes).

- POST /evidence takes them from a plain HTML form (multipart, several files,
  each up to EVIDENCE_MAX_BYTES, at most EVIDENCE_MAX_FILES per milestone):
  Werkzeug spools a large file to disk as it arrives, so a 20 MB file is
  held in memory once, when it is stored (bench/evidence.py measures it) —
  never base64 inside a Dash callback.  Who may attach: whoever may report on
  the milestone (accounts.scope).  All the files of one post or none.
- GET /evidence/<id> sends one, always as an attachment with its type, to the
  accounts that may read its item (accounts.scope.reads_item); never inline.
A post from another site is refused, as for plan files.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, session
from sqlalchemy import func, select

from accounts import current_account
from accounts.scope import Scope, reads_item, writable_ids
from plan_files import attachment, from_this_site
from queries.cache import invalidate
from reporting.entries import whole_number
from store import session_scope
from store.audit import record
from store.files import FileRefused, keep
from store.models import Milestone, StoredFile

UPLOAD_PATH = "/evidence"
MESSAGE_KEY = "evidence_message"  # what the next page says (in the signed session cookie)
MAX_FILES_PER_POST = 10


def init_app(server: Flask) -> None:
    server.config.setdefault("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
    server.config.setdefault("EVIDENCE_MAX_FILES", 10)
    server.before_request(_upload_limit)
    server.add_url_rule(UPLOAD_PATH, "evidence_upload", upload, methods=["POST"])
    server.add_url_rule(f"{UPLOAD_PATH}/<int:file_id>", "evidence_file", download)


def _upload_limit():
    if request.path == UPLOAD_PATH:  # the files and the form around them
        per_file = int(current_app.config["EVIDENCE_MAX_BYTES"])
        request.max_content_length = MAX_FILES_PER_POST * per_file + 64 * 1024


def _back(target: str, message: str, ok: bool = False):
    session[MESSAGE_KEY] = {"text": message[:500], "ok": ok}
    return redirect(target, code=303)


def _return_path(raw: str) -> str:
    """Where the form came from (a path of this site only), else the report page."""
    parts = urlsplit(raw or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/report"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def upload():
    account = current_account()
    if account is None or account.role not in ("admin", "city", "department") or not from_this_site():
        abort(403)
    target = _return_path(request.form.get("next", ""))
    milestone_id = whole_number(request.form.get("milestone_id", ""), 2**31)
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if milestone_id is None:
        return _back(target, "请选择要附佐证材料的工作节点。")
    if not files:
        return _back(target, "请选择要上传的文件。")
    if len(files) > MAX_FILES_PER_POST:
        return _back(target, f"一次最多上传 {MAX_FILES_PER_POST} 个文件，未上传。")
    limit, most = int(current_app.config["EVIDENCE_MAX_BYTES"]), int(current_app.config["EVIDENCE_MAX_FILES"])
    try:
        with session_scope() as s:
            if not writable_ids(s, Scope.of(account), Milestone, {milestone_id}):
                return _back(target, "只能为本地市或本部门牵头的工作节点上传佐证材料，未上传。")
            s.get(Milestone, milestone_id, with_for_update=True)  # (PostgreSQL: concurrent posts count in turn)
            held = s.scalar(select(func.count()).select_from(StoredFile).where(StoredFile.milestone_id == milestone_id))
            if held + len(files) > most:
                return _back(target, f"每个节点最多 {most} 份佐证材料（已有 {held} 份），未上传。")
            names = []
            for f in files:
                stored = keep(s, f.stream.read(limit + 1), f.filename, account.username, limit,
                              milestone_id=milestone_id)
                record(s, account.username, "evidence.upload", f"节点 #{milestone_id} 佐证材料", "milestone",
                       milestone_id, None, {"文件": stored.name, "大小": stored.size, "SHA-256": stored.sha256})
                names.append(stored.name)
                s.expunge(stored)  # written: its bytes need not stay in memory while the next file is read
    except FileRefused as exc:  # raised inside the transaction: none of the post's files is kept
        return _back(target, f"{exc}本次选择的文件均未上传。")
    invalidate()
    return _back(target, f"已上传佐证材料 {len(names)} 份：{'、'.join(names)}。", ok=True)


def download(file_id: int):
    account = current_account()
    if account is None:
        abort(403)
    with session_scope() as s:
        stored = s.get(StoredFile, file_id)
        if stored is None or stored.milestone_id is None:
            abort(404)
        item_id = s.scalar(select(Milestone.work_item_id).where(Milestone.id == stored.milestone_id))
        if not reads_item(s, account, item_id):
            abort(403)
        content, kind, name = stored.content, stored.content_type, stored.name
    return attachment(content, kind, name)
