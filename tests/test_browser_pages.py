"""The pages in headless Chromium: real figures from the
bundled documents and demo progress, no console errors."""
import pytest
from playwright.sync_api import expect

from queries.findings import finding_rows
from store import session_scope
from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser


def test_data_quality_page_lists_the_findings(loaded_app):
    from urllib.parse import urlparse

    with loaded_app.app_context(), session_scope() as session:
        findings = finding_rows(session)
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/")
        page.click("text=数据质量")  # the navbar comes from the page registry
        page.wait_for_selector("#findings-grid .ag-row")
        assert urlparse(page.url).path == "/data-quality"  # the filter bar may add an (empty) query
        rows = page.locator("#findings-grid .ag-center-cols-container .ag-row")
        expect(rows).to_have_count(len(findings))  # retries while the grid renders
        grid = page.inner_text("#findings-grid")
        assert "缺少完成时间" in grid and "信用+风险防控" in grid
        assert "000_d6ec9d57f268dd20.txt:41" in grid
        assert page.errors == []
