"""佐证材料: an editor attaches files to its milestones (the kind read from the
bytes, each within the size limit, a few per milestone, all of a post or
none), kept in the store with who, when and the hash; those who may read the
item download them, always as attachments; nobody else, however asked."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from store import session_scope
from store.models import AuditEntry, Milestone, StoredFile
from tests.documents import as_docx
from tests.test_request_files import ORIGIN, PDF
from tests.test_requests import milestone_of
from tests.test_security import login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def hangzhou_milestone(app) -> tuple[int, int]:
    """(milestone id, item id) of a milestone 杭州's office reports on."""
    with app.app_context(), session_scope() as s:
        ms = milestone_of(s, "杭州-1")
        return ms.id, ms.work_item_id


def post(client, milestone_id, *files, headers=ORIGIN, next_path="/report"):
    data = {"milestone_id": str(milestone_id), "next": next_path,
            "file": [(io.BytesIO(content), name) for content, name in files]}
    return client.post("/evidence", data=data, headers=headers, content_type="multipart/form-data")


def said(client) -> dict:
    with client.session_transaction() as cookie:
        return cookie.get("evidence_message") or {}


def kept(app) -> list[StoredFile]:
    with app.app_context(), session_scope() as s:
        rows = s.scalars(select(StoredFile).where(StoredFile.milestone_id.is_not(None)).order_by(StoredFile.id)).all()
        for r in rows:
            s.expunge(r)
        return rows


def client_of(app, username: str | None):
    client = app.test_client()
    if username:
        login(client, username)
    return client


def test_an_editor_attaches_files_and_those_who_may_read_the_item_download_them(reporting_app):
    milestone_id, item_id = hangzhou_milestone(reporting_app)
    hz = client_of(reporting_app, "hz")
    answer = post(hz, milestone_id, (PDF, "验收报告.pdf"), (as_docx("会议纪要"), "纪要.docx"),
                  next_path=f"/item/{item_id}")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/item/{item_id}")
    assert said(hz) == {"text": "已上传佐证材料 2 份：验收报告.pdf、纪要.docx。", "ok": True}
    first, second = kept(reporting_app)
    assert (first.name, first.content_type, first.size, first.uploaded_by, len(first.sha256)) == (
        "验收报告.pdf", "application/pdf", len(PDF), "hz", 64)
    assert second.content_type.endswith("wordprocessingml.document")
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "evidence.upload")) == 2
    for username in ("hz", "hz2", "admin", "leader"):
        got = client_of(reporting_app, username).get(f"/evidence/{first.id}")
        assert got.status_code == 200 and got.data == PDF, username
        assert got.headers["Content-Disposition"].startswith("attachment")
        assert got.mimetype == "application/pdf" and got.headers["X-Content-Type-Options"] == "nosniff"
    for username in ("nb", "wzfg", None):  # another city, a department of another city, a visitor
        assert client_of(reporting_app, username).get(f"/evidence/{first.id}").status_code == 403, username
    assert client_of(reporting_app, "admin").get("/evidence/999999").status_code == 404


def test_a_file_too_big_or_not_what_its_name_says_is_refused_and_nothing_is_kept(reporting_app):
    reporting_app.config["EVIDENCE_MAX_BYTES"] = 4096
    milestone_id, _ = hangzhou_milestone(reporting_app)
    hz = client_of(reporting_app, "hz")
    post(hz, milestone_id, (PDF + b"0" * 5000, "大文件.pdf"))
    assert said(hz) == {"text": "大文件.pdf：文件超过 4 KB。本次选择的文件均未上传。", "ok": False}
    disguised = b"<html><script>alert(1)</script></html>"
    post(hz, milestone_id, (PDF, "好的.pdf"), (disguised, "报告.pdf"))  # one bad file: none of the post is kept
    assert "报告.pdf：无法识别的文件类型" in said(hz)["text"] and not said(hz)["ok"]
    post(hz, milestone_id, (b"", "空.pdf"))
    assert "文件为空" in said(hz)["text"]
    assert kept(reporting_app) == []


def test_only_who_reports_on_the_milestone_attaches_and_only_a_few(reporting_app):
    reporting_app.config["EVIDENCE_MAX_FILES"] = 2
    milestone_id, _ = hangzhou_milestone(reporting_app)
    for username in ("nb", "wzfg"):
        post(client_of(reporting_app, username), milestone_id, (PDF, "越权.pdf"))
    assert kept(reporting_app) == []
    assert post(client_of(reporting_app, "leader"), milestone_id, (PDF, "a.pdf")).status_code == 403
    assert post(client_of(reporting_app, None), milestone_id, (PDF, "a.pdf")).status_code == 403
    hz = client_of(reporting_app, "hz")
    assert post(hz, milestone_id, (PDF, "a.pdf"), headers={}).status_code == 403  # not from this site
    assert post(hz, milestone_id, (PDF, "a.pdf"), headers={"Origin": "https://evil.example"}).status_code == 403
    post(hz, milestone_id, (PDF, "一.pdf"), (PNG, "二.png"))
    post(hz, milestone_id, (PDF, "三.pdf"))
    assert "每个节点最多 2 份佐证材料（已有 2 份）" in said(hz)["text"]
    assert [f.name for f in kept(reporting_app)] == ["一.pdf", "二.png"]
    for weird in ("", "abc", "²", "-1", "99999999999", "0"):
        post(hz, weird, (PDF, "a.pdf"))
        assert said(hz)["text"] == "请选择要附佐证材料的工作节点。", weird
    answer = post(hz, milestone_id, (PDF, "a.pdf"), next_path="https://evil.example/x")
    assert answer.headers["Location"].endswith("/report")  # back to this site only
    with reporting_app.app_context(), session_scope() as s:
        assert s.get(Milestone, milestone_id) is not None and len(kept(reporting_app)) == 2
