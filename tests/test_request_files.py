"""A file with a 计划调整申请: the requester attaches one (its kind read from
its bytes, within the size limit, while the request waits), the requester
and the admin download it as an attachment; nobody else, however asked."""
from __future__ import annotations

import io

from playwright.sync_api import expect
from sqlalchemy import delete, func, select

from corrections.requests import submit_request
from store import session_scope
from store.models import AdjustmentRequest, AuditEntry, StoredFile
from tests.browser import browser_page, serve
from tests.documents import as_docx
from tests.test_page_report import log_in
from tests.test_requests import account, milestone_of
from tests.test_security import login

ORIGIN = {"Origin": "http://localhost"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def a_request(app, username: str = "hz", city_key: str = "杭州-1") -> int:
    with app.app_context(), session_scope() as s:
        ms = milestone_of(s, city_key)
        return submit_request(s, account(s, username), ms.id, "move", "2021年6月底前", "平台验收推迟").id


def attach(client, request_id, content: bytes, name: str = "市政府同意函.pdf", headers=ORIGIN):
    return client.post("/requests/file", data={"request_id": str(request_id), "file": (io.BytesIO(content), name)},
                       headers=headers, content_type="multipart/form-data")


def stored(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(StoredFile))


def message(client) -> dict:
    with client.session_transaction() as cookie:
        return cookie.get("requests_message") or {}


def test_the_requester_attaches_a_file_and_only_it_and_the_admin_download_it(reporting_app):
    request_id = a_request(reporting_app)
    hz = reporting_app.test_client()
    login(hz, "hz")
    answer = attach(hz, request_id, PDF)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/requests")
    assert message(hz) == {"text": f"已为申请 #{request_id} 附上文件「市政府同意函.pdf」。", "ok": True}
    with reporting_app.app_context(), session_scope() as s:
        kept = s.scalar(select(StoredFile))
        assert (kept.size, kept.content_type, kept.uploaded_by, len(kept.sha256)) == (len(PDF), "application/pdf",
                                                                                        "hz", 64)
        assert kept.request_id == request_id
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "request.file")) == "request.file"
    for username in ("hz", "admin"):
        client = reporting_app.test_client()
        login(client, username)
        got = client.get(f"/requests/file/{request_id}")
        assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
        assert got.headers["Content-Disposition"].startswith("attachment")
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    for username in ("nb", "leader", "wzfg"):
        client = reporting_app.test_client()
        login(client, username)
        assert client.get(f"/requests/file/{request_id}").status_code == 403
    visitor = reporting_app.test_client().get(f"/requests/file/{request_id}")
    assert visitor.status_code in (302, 401, 403) and PDF not in visitor.data
    again = attach(hz, request_id, PDF, "另一份.pdf")  # one file per request: never replaced
    assert again.status_code == 303 and "已有附件" in message(hz)["text"] and stored(reporting_app) == 1


def test_a_word_file_keeps_its_kind_whatever_its_name(reporting_app):
    request_id = a_request(reporting_app)
    hz = reporting_app.test_client()
    login(hz, "hz")
    attach(hz, request_id, as_docx("市政府同意延期的函"), "函.bin")
    with reporting_app.app_context(), session_scope() as s:
        kept = s.scalar(select(StoredFile))
        assert (kept.name, kept.content_type) == ("函.docx", "application/vnd.openxmlformats-officedocument."
                                                            "wordprocessingml.document")


def test_a_refused_file_keeps_nothing(reporting_app):
    request_id = a_request(reporting_app)
    theirs = a_request(reporting_app, "nb", "宁波-1")
    reporting_app.config["REQUEST_FILE_MAX_BYTES"] = 1024
    hz = reporting_app.test_client()
    login(hz, "hz")
    for content, name, said in (
            (b"<html><script>alert(1)</script></html>", "同意函.pdf", "无法识别的文件类型"),
            (b"PK\x03\x04 not a zip", "同意函.docx", "无法识别的文件类型"),
            (b"", "空.pdf", "文件为空"),
            (PDF + b"0" * 2048, "大.pdf", "文件超过")):
        assert attach(hz, request_id, content, name).status_code == 303
        assert said in message(hz)["text"] and not message(hz)["ok"], name
    attach(hz, theirs, PDF)
    assert "只能为本人提交的申请" in message(hz)["text"]
    attach(hz, "1 or 1=1", PDF)
    assert "请选择要附文件的申请" in message(hz)["text"]
    assert attach(hz, request_id, PDF, headers={}).status_code == 403  # not from a page of this site
    assert attach(hz, request_id, PDF, headers={"Origin": "http://evil.example"}).status_code == 403
    admin = reporting_app.test_client()
    login(admin, "admin")
    assert attach(admin, request_id, PDF).status_code == 403  # the admin decides; the requester attaches
    reporting_app.config["REQUEST_FILE_MAX_BYTES"] = 10 * 1024 * 1024
    too_big = attach(hz, request_id, b"%PDF-" + b"0" * (11 * 1024 * 1024))
    assert too_big.status_code == 413
    assert stored(reporting_app) == 0


def test_an_editor_attaches_a_file_in_the_browser_and_the_admin_sees_it(reporting_app, tmp_path):
    request_id = a_request(reporting_app)
    letter = tmp_path / "市政府同意函.pdf"
    letter.write_bytes(PDF)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "hz")
        page.goto(f"{url}/requests")
        page.locator("#request-file-which").select_option(str(request_id))
        page.locator("#request-file input[type=file]").set_input_files(str(letter))
        expect(page.locator("#request-file-message")).to_contain_text("已为申请", timeout=20000)
        assert page.errors == []
        page.context.clear_cookies()
        log_in(page, url, "admin")
        page.goto(f"{url}/requests")
        link = page.locator(f"a[href='/requests/file/{request_id}']").first
        expect(link).to_have_text("市政府同意函.pdf", timeout=20000)
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "市政府同意函.pdf"
    assert stored(reporting_app) == 1


def test_a_request_that_goes_takes_its_file_with_it(reporting_app):
    """A re-import that drops a milestone drops its requests (CASCADE): their files go too."""
    request_id = a_request(reporting_app)
    hz = reporting_app.test_client()
    login(hz, "hz")
    attach(hz, request_id, PDF)
    assert stored(reporting_app) == 1
    with reporting_app.app_context(), session_scope() as s:
        s.execute(delete(AdjustmentRequest).where(AdjustmentRequest.id == request_id))
    assert stored(reporting_app) == 0
