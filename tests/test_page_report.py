"""Reporting as people do it, in headless Chromium: an editor logs in, reports a
month in the grid, the dashboard changes; downloads the template, fills it,
uploads it, confirms the preview; meets a second editor's change; a crafted
replay of the save request is refused; a leader reads, the admin audits."""
import io
import json
from urllib.parse import urlencode

import openpyxl
import pytest
from playwright.sync_api import expect

from queries import api
from reporting.entries import Report
from reporting.submit import submit
from reporting.template import MS_SHEET
from tests.browser import browser_page, page_filters, serve
from tests.conftest import PASSWORDS
from tests.test_reporting import PERIOD, TODAY, account, counts, entry, form
from tests.test_template import column

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("#login-submit")
    page.wait_for_url(url + "/")


def switch_to(page, url, username):
    """Log out and in again as ``username`` (one browser, another account)."""
    page.goto(url + "/logout")
    page.context.clear_cookies()
    log_in(page, url, username)


def cell(page, milestone_id: int, col: str):
    return page.locator(f"#report-milestones .ag-center-cols-container .ag-row[row-id='{milestone_id}'] "
                        f"[col-id='{col}']")


def report_done(page, milestone_id: int, day: str, note: str) -> None:
    """Fill the three cells of one row as a person would."""
    cell(page, milestone_id, "state").click()
    page.locator("#report-milestones .ag-cell-inline-editing .ag-picker-field-wrapper").click()
    page.locator(".ag-select-list .ag-list-item", has_text="已完成").first.click()
    cell(page, milestone_id, "completed_on").click()
    page.locator("#report-milestones input[type=date]").fill(day)
    page.keyboard.press("Enter")
    cell(page, milestone_id, "note").click()
    page.locator(".ag-large-text textarea, .ag-popup-editor textarea").fill(note)
    page.locator("#report-scope").click()  # leaving the cell commits the edit


def test_an_editor_reports_a_month_and_the_dashboard_changes(reporting_app):
    ms, _ = form(reporting_app, "hz")
    target = next(r for r in ms if r["status"] == "overdue")
    overview = "/?" + urlencode({"as_of": TODAY.isoformat(), "plan": "浙信用办〔2020〕5号"})  # (it ended in 2020)
    with reporting_app.app_context():
        before = api.summary(TODAY, page_filters(TODAY, plan="浙信用办〔2020〕5号"))
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "hz")
        expect(page.locator("#user-name")).to_contain_text("杭州市信用办 · 地市填报员（杭州市）")
        page.goto(url + "/report")
        expect(cell(page, target["milestone_id"], "state")).to_be_visible()
        report_done(page, target["milestone_id"], TODAY.isoformat(), "经验做法已在全市推广")
        expect(cell(page, target["milestone_id"], "state")).to_contain_class("cell-edited")
        with page.expect_request("**/_dash-update-component*") as captured:
            page.click("#report-save")
        expect(page.locator("#report-saved")).to_contain_text("1 个节点进度")
        saved_request = captured.value.post_data
        page.goto(url + overview)
        with reporting_app.app_context():
            after = api.summary(TODAY, page_filters(TODAY, plan="浙信用办〔2020〕5号"))
        assert (after["done"], after["pending"]) == (before["done"], before["pending"] + 1)  # (审核: not yet counted)
        expect(page.locator("#kpi-overdue")).to_have_text(f"{after['overdue']:,}个")
        page.goto(url + f"/item/{target['item_id']}")
        history = page.locator("#item-history .ag-row").first
        expect(history).to_contain_text("经验做法已在全市推广")
        expect(history).to_contain_text("杭州市信用办")
        expect(history).to_contain_text("网页填报")

        # the same request, crafted: another city's milestone in place of ours
        payload = json.loads(saved_request)
        nb = form(reporting_app, "nb")[0][0]
        grid = next(s for s in payload["state"] if s["id"] == "report-milestones")
        grid["value"] = [{**nb, "state": "已完成", "completed_on": TODAY.isoformat(), "note": "越权"}]
        history_counts = counts(reporting_app)
        response = page.request.post(url + "/_dash-update-component", data=json.dumps(payload),
                                     headers={"Content-Type": "application/json"})
        assert "不在您的填报范围内" in json.dumps(response.json(), ensure_ascii=False)
        assert counts(reporting_app) == history_counts
        assert page.errors == []


def test_template_download_fill_upload_confirm(reporting_app, tmp_path):
    ms, _ = form(reporting_app, "hz")
    target = next(r for r in ms if r["status"] == "overdue")
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "hz")
        page.goto(url + "/report")
        page.wait_for_load_state("networkidle")
        with page.expect_download() as download:
            page.click("#report-template")
        assert download.value.suggested_filename.startswith("杭州市_") and "进度填报模板" in \
            download.value.suggested_filename
        wb = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        row = next(r for r in range(3, wb[MS_SHEET].max_row + 1)
                   if wb[MS_SHEET].cell(r, 1).value == target["milestone_id"])
        wb[MS_SHEET].cell(row, column("报送状态")).value = "受阻"
        wb[MS_SHEET].cell(row, column("进展说明")).value = "等待省级平台接口开放"
        wb[MS_SHEET].cell(row, column("完成日期")).value = "明天"  # a mistake first
        filled = tmp_path / "杭州_填报.xlsx"
        wb.save(filled)
        history = counts(reporting_app)
        page.set_input_files("#report-upload input[type=file]", str(filled))
        expect(page.locator("#report-problems")).to_contain_text(f"工作节点 第{row}行 “完成日期”")
        assert counts(reporting_app) == history
        wb[MS_SHEET].cell(row, column("完成日期")).value = None
        wb.save(filled)
        page.set_input_files("#report-upload input[type=file]", str(filled))  # the same name again
        expect(page.locator("#report-preview")).to_contain_text("等待省级平台接口开放")
        assert counts(reporting_app) == history  # the preview wrote nothing
        page.click("#report-upload-confirm")
        expect(page.locator("#report-saved")).to_contain_text("1 个节点进度")
        assert counts(reporting_app)[0] == history[0] + 1
        assert page.errors == []


def test_the_second_editor_sees_the_first_ones_change_and_loses_nothing(reporting_app):
    ms, _ = form(reporting_app, "hz")
    target = next(r for r in ms if r["status"] == "overdue")
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "hz2")
        page.goto(url + "/report")
        expect(cell(page, target["milestone_id"], "state")).to_be_visible()
        with reporting_app.test_request_context():  # meanwhile, the first editor saves
            assert submit(Report(PERIOD, (entry(target, state="blocked", note="省平台接口未开放"),)),
                          account(reporting_app, "hz")).ok
        report_done(page, target["milestone_id"], TODAY.isoformat(), "已完成推广")
        page.click("#report-save")
        conflicts = page.locator("#report-conflicts")
        expect(conflicts).to_contain_text("省平台接口未开放")
        expect(conflicts).to_contain_text("已完成推广")
        expect(cell(page, target["milestone_id"], "note")).to_contain_text("已完成推广")  # kept
        page.click("#report-save")  # a deliberate second save wins
        expect(page.locator("#report-saved")).to_contain_text("1 个节点进度")
        assert page.errors == []


def test_a_leader_reads_and_the_admin_audits(reporting_app):
    ms, _ = form(reporting_app, "hz")
    with reporting_app.test_request_context():
        assert submit(Report(PERIOD, (entry(ms[0], note="本月召开推进会"),)), account(reporting_app, "hz")).ok
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "leader")
        expect(page.locator("nav")).not_to_contain_text("进度填报")
        page.goto(url + "/report")
        expect(page.locator("#access-denied")).to_have_text("无权访问")
        page.goto(url + "/audit")
        expect(page.locator("#access-denied")).to_be_visible()
        page.click("#logout")
        log_in(page, url, "admin")
        page.goto(url + "/audit")
        rows = page.locator("[id='{\"name\":\"audit\",\"type\":\"grid\"}'] .ag-row")
        expect(rows.first).to_be_visible()
        expect(page.locator("#_pages_content")).to_contain_text("本月召开推进会")
        page.wait_for_load_state("networkidle")  # the page may render twice: click the final one
        with page.expect_download() as download:
            page.click("[id='{\"name\":\"audit\",\"type\":\"grid-xlsx\"}']")
        sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
        assert sheet["A2"].value == "时间" and any("本月召开推进会" in str(c.value or "") for c in sheet["F"])
        assert page.errors == []
