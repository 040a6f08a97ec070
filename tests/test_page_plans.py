"""计划管理: an admin uploads a plan, previews it, corrects a column's role and
imports it from the browser; the file goes through its own route and is kept
with the import.  Nobody else can stage, preview, import or cancel, however
the request is crafted, and a bad file is refused with nothing kept."""
from __future__ import annotations

import io

from playwright.sync_api import expect
from sqlalchemy import func, select

from accounts.users import create_user
from importers import intake
from store import session_scope
from store.models import AuditEntry, ImportRun, Milestone, PendingUpload, Plan
from tests.browser import browser_page, choose, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.conftest import PASSWORDS
from tests.documents import as_docx
from tests.test_formats import BAD_FILES, SEEDS
from tests.test_page_report import log_in
from tests.test_security import login

TASKS = next(s for s in SEEDS if s.name.startswith("004")).read_text(encoding="utf-8")
# 宁波's task table, its 时间进度 column headed in words the importer does not know
NINGBO = (TASKS.replace("温政办〔", "甬政办〔").replace("温州", "宁波")
          .replace("重点工作\t工作任务\t\t责任单位\t时间进度", "重点工作\t工作任务\t\t责任单位\t进度要求"))
ORIGIN = {"Origin": "http://localhost"}


def upload(client, raw: bytes, name: str = "宁波工作要点.docx", headers=ORIGIN):
    return client.post("/plans/upload", data={"file": (io.BytesIO(raw), name)},
                       content_type="multipart/form-data", headers=headers)


def count(app, model) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def staged(app, username: str = "admin") -> str:
    client = app.test_client()
    login(client, username)
    response = upload(client, as_docx(NINGBO))
    assert response.status_code == 303 and "/plans?upload=" in response.location, response.location
    return response.location.split("upload=", 1)[1]


def act_payload(client, token: str, clicked: str | None = "plan-confirm", roles=None) -> dict:
    values = {"plan-token": token, "plan-city": None, "plan-year": None, "plan-kind": None}
    body = payload(dependency(client, "plan-confirm"), values, clicked=clicked)
    for state in body["state"]:  # the roles: a pattern-matched State (ALL)
        if isinstance(state["id"], str) and state["id"].startswith("{"):
            state["value"] = roles or []
    return body


def test_only_an_admin_from_this_site_can_upload(reporting_app):
    raw = as_docx(NINGBO)
    visitor = reporting_app.test_client()
    assert upload(visitor, raw).status_code in (401, 403)
    for username in ("hz", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        assert upload(client, raw).status_code == 403
    admin = reporting_app.test_client()
    login(admin, "admin")
    assert upload(admin, raw, headers={}).status_code == 403  # no Origin: not from a page of this site
    assert upload(admin, raw, headers={"Origin": "http://evil.example"}).status_code == 403
    assert count(reporting_app, PendingUpload) == 0
    assert upload(admin, raw).status_code == 303 and count(reporting_app, PendingUpload) == 1


def test_a_bad_file_is_refused_with_its_message_and_nothing_kept(reporting_app):
    admin = reporting_app.test_client()
    login(admin, "admin")
    for kind in ("damaged docx", "scanned pdf", "zip bomb"):
        raw, message = BAD_FILES[kind]
        response = upload(admin, raw, name=f"{kind}.docx")
        assert response.status_code == 303 and response.location.endswith("/plans")
        status, body = render_page(admin, "/plans")
        assert status == 200 and message in body
    too_big = upload(admin, b"x" * (21 * 1024 * 1024))
    assert too_big.status_code == 413
    assert count(reporting_app, PendingUpload) == 0


def test_uploads_waiting_for_a_preview_are_bounded(reporting_app):
    tokens = [staged(reporting_app) for _ in range(intake.MAX_PENDING + 2)]
    with reporting_app.app_context(), session_scope() as s:
        kept = set(s.scalars(select(PendingUpload.token)))
    assert kept == set(tokens[-intake.MAX_PENDING:])


def test_a_crafted_import_by_anyone_else_writes_nothing(reporting_app):
    token = staged(reporting_app)
    plans = count(reporting_app, Plan)
    with reporting_app.app_context(), session_scope() as s:
        create_user(s, "test", "admin2", "admin2-pass-1", "admin", display_name="另一管理员")
    for username, refusal in (("hz", "只有管理员"), ("leader", "只有管理员"), ("admin2", "找不到这份上传的文件")):
        client = reporting_app.test_client()
        password = "admin2-pass-1" if username == "admin2" else PASSWORDS[username]
        assert client.post("/login", data={"username": username, "password": password}).status_code == 302
        for clicked in ("plan-confirm", "plan-cancel"):
            status, body = post(client, act_payload(client, token, clicked))
            assert refusal in body, (username, clicked, body[:300])
    admin = reporting_app.test_client()
    login(admin, "admin")
    status, body = post(admin, act_payload(admin, token, clicked=None))  # no click: a redraw
    assert status == 204
    assert count(reporting_app, Plan) == plans and count(reporting_app, PendingUpload) == 1
    status, body = post(admin, act_payload(admin, token, roles=[None, None, None, None, "junk"]))
    assert "未导入" in body and count(reporting_app, Plan) == plans  # a role no column has is read as none


def test_the_admin_corrects_a_column_imports_and_the_plan_is_on_the_dashboards(reporting_app):
    """宁波's table with its deadline column headed 进度要求: not recognised until
    the admin says what that column is; imported once however often 确认导入
    is clicked; its tasks are on the 节点台账; its file can be downloaded."""
    plans = count(reporting_app, Plan)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(url + "/plans")
        page.set_input_files("#plan-file input[type=file]", {
            "name": "宁波工作要点.docx", "mimeType": "application/octet-stream", "buffer": as_docx(NINGBO)})
        expect(page.locator("#plan-preview-error")).to_contain_text("无法识别", timeout=20000)
        column = page.locator("""[id='{"col":4,"type":"plan-role"}']""")
        choose(page, column, "完成时间")
        expect(page.locator("#plan-recognised")).to_contain_text("甬政办〔2018〕50号", timeout=20000)
        expect(page.locator("#plan-recognised")).to_contain_text("宁波")
        expect(page.locator("#plan-difference")).to_contain_text("工作事项 35 个")
        expect(page.locator("#plan-units")).to_contain_text("市发展改革委")  # (市发改委, under its one name)
        page.click("#plan-confirm")
        expect(page.locator("#plans-result")).to_contain_text("已导入：甬政办〔2018〕50号", timeout=20000)
        page.evaluate("document.getElementById('plan-preview-card').style.display = ''")  # shown again:
        page.click("#plan-confirm")  # a second click
        expect(page.locator("#plans-result")).to_contain_text("找不到这份上传的文件", timeout=20000)
        assert page.errors == []
        page.goto(url + "/milestones?plan=甬政办〔2018〕50号")
        expect(page.locator("#milestones-grid, .ag-root").first).to_contain_text("宁波", timeout=20000)
    assert count(reporting_app, Plan) == plans + 1
    with reporting_app.app_context(), session_scope() as s:
        run = s.scalar(select(ImportRun).where(ImportRun.source_file == "宁波工作要点.docx"))
        assert run.imported_by == "admin" and run.content[:2] == b"PK"
        audits = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "plan.import",
                                                                             AuditEntry.target == "甬政办〔2018〕50号"))
        assert audits == 1
        where = s.scalar(select(Milestone.source_where).join(Plan, Plan.id == Milestone.plan_id)
                         .where(Plan.doc_no == "甬政办〔2018〕50号").order_by(Milestone.id).limit(1))
        assert where.startswith("表1第")  # each record's place in the Word file
    admin = reporting_app.test_client()
    login(admin, "admin")
    file = admin.get(f"/plans/file/{run.id}")
    assert file.status_code == 200 and file.data == run.content
    assert "attachment" in file.headers["Content-Disposition"]
    assert reporting_app.test_client().get(f"/plans/file/{run.id}").status_code in (302, 401, 403)
    assert admin.get("/plans/file/999999").status_code == 404


def test_a_reimport_shows_its_difference_first(reporting_app):
    """The Wenzhou table again with a task's time changed: the preview says
    what changes, and that reported progress stays."""
    changed = TASKS.replace("4. 编制发布信用信息综合服务平台年度运行分析报告。\t市发改委\t12月底前",
                            "4. 编制发布信用信息综合服务平台年度运行分析报告。\t市发改委\t10月底前")
    assert changed != TASKS
    admin = reporting_app.test_client()
    login(admin, "admin")
    token = upload(admin, as_docx(changed), name="温州工作要点（修订）.docx").location.split("upload=", 1)[1]
    status, body = render_page(admin, "/plans", f"?upload={token}")
    assert "该计划已导入（温政办〔2018〕50号），本次为更新" in body
    assert "工作节点 新增 0、修改 1、删除 0" in body and "10月底前" in body


def test_the_preview_of_a_prose_plan_lists_its_units_indicators_and_what_is_left_out(reporting_app):
    from tests.plans import WORK_POINTS

    admin = reporting_app.test_client()
    login(admin, "admin")
    token = upload(admin, as_docx(WORK_POINTS), name="丽水工作要点.docx").location.split("upload=", 1)[1]
    status, body = render_page(admin, "/plans", f"?upload={token}")
    assert status == 200 and "丽政办发〔2021〕12号" in body and "工作要点（文字）" in body
    assert "市人行" in body  # 人行丽水市中心支行, under its one name
    assert '"name": "信用信息归集率", "city": "丽水"' in body and '"target": "95%以上"' in body
    assert '"name": "授信企业"' in body and '"target": "不少于500家"' in body
    assert "一、总体要求" in body and "三、保障措施" in body  # left out: no units named
    assert "第18段：一、总体要求" in body  # where it stands in the Word file


def test_an_indicator_table_in_excel_is_previewed_by_its_columns_and_lands_on_the_indicators_page(reporting_app):
    """湖州's annual indicators as an Excel annex: the preview reads the year
    columns as baseline and target; once imported they are 湖州's on 指标达成."""
    from tests.documents import as_xlsx
    from tests.plans import CITY_INDICATORS

    admin = reporting_app.test_client()
    login(admin, "admin")
    token = upload(admin, as_xlsx(CITY_INDICATORS), name="湖州主要指标.xlsx").location.split("upload=", 1)[1]
    status, body = render_page(admin, "/plans", f"?upload={token}")
    assert status == 200 and "湖信用办〔2021〕3号" in body and "指标表" in body
    assert "基期值" in body and "目标值" in body and "指标属性" in body  # the columns' roles
    assert '"name": "企业严重失信率", "city": "湖州", "baseline": "1.2%", "target": "控制在1.0以内"' in body
    assert '"baseline": "5个工作日", "target": "3个工作日"' in body  # bare figures in the 单位 column's unit
    assert "工作事项 0 个" in body and "将导入的工作事项" not in body  # no empty grid of items
    status, body = post(admin, act_payload(admin, token))
    assert status == 200 and "已导入" in body, body
    with reporting_app.app_context(), session_scope() as s:
        from store.models import Indicator, Region
        rows = s.execute(select(Indicator.name, Region.name, Indicator.target, Indicator.unit)
                         .join(Region, Region.id == Indicator.city_id)
                         .join(Plan, Plan.id == Indicator.plan_id).where(Plan.doc_no == "湖信用办〔2021〕3号")).all()
    assert len(rows) == 7 and {city for _, city, _, _ in rows} == {"湖州"}
    assert ("信用修复办理时限", "湖州", 3, "个工作日") in rows
    status, body = render_page(admin, "/indicators", "?city=湖州&year=2021")  # 湖州's own plan of 2021
    assert status == 200 and "信用修复办理时限" in body
    from queries.plans import plan_rows
    with reporting_app.app_context(), session_scope() as s:
        listed = next(row for row in plan_rows(s) if row["plan"] == "湖信用办〔2021〕3号")
    assert (listed["city"], listed["kind"], listed["items"], listed["indicators"]) == ("湖州", "指标表", 0, 7)
