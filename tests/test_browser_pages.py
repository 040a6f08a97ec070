"""The pages in headless Chromium: real figures from the
bundled documents and demo progress, no console errors."""
import pytest
from playwright.sync_api import expect

from queries.findings import finding_rows
from queries.status import default_as_of, rates
from store import session_scope
from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser


def test_home_page_shows_headline_figures(loaded_app, tmp_path):
    with loaded_app.app_context(), session_scope() as session:
        as_of = default_as_of(session)
        row = rates(session, as_of)[0]
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/")
        page.wait_for_selector("#kpi-total")
        assert page.inner_text("#kpi-total") == f"{row['total']:,}个"
        assert f"（{row['done_due']}/{row['due_by']}）" in page.inner_text("#kpi-progress")
        assert f"{as_of.year}年{as_of.month}月{as_of.day}日" in page.inner_text("#as-of-title")
        assert "全省总览" in page.title()
        page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
        assert page.errors == []


def test_data_quality_page_lists_the_findings(loaded_app):
    with loaded_app.app_context(), session_scope() as session:
        findings = finding_rows(session)
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/")
        page.click("text=数据质量")  # the navbar comes from the page registry
        page.wait_for_selector("#findings-grid .ag-row")
        assert page.url.endswith("/data-quality")
        rows = page.locator("#findings-grid .ag-center-cols-container .ag-row")
        expect(rows).to_have_count(len(findings))  # retries while the grid renders
        grid = page.inner_text("#findings-grid")
        assert "缺少完成时间" in grid and "信用+风险防控" in grid
        assert "000_d6ec9d57f268dd20.txt:41" in grid
        assert page.errors == []
