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


def test_every_page_prints_on_a4_landscape_without_the_navbar(loaded_app, tmp_path):
    """"Print to PDF" of each dashboard gives a report: A4 landscape pages with
    the page's title and figures, and none of the navbar or the controls."""
    import subprocess

    pages = {"/": "全省总览", "/cities": "地市对比", "/city/舟山": "舟山市", "/milestones": "节点台账",
             "/overdue": "逾期与临期", "/departments": "部门视图", "/indicators": "指标监测",
             "/data-quality": "数据质量", "/assessment": "年度考核"}
    with serve(loaded_app) as url, browser_page() as page:
        for path, title in pages.items():
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            expect(page.locator(".page-title")).to_contain_text(title)
            page.emulate_media(media="print")
            pdf = tmp_path / "page.pdf"
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
            page.emulate_media(media="screen")
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            assert "841.9" in info and "594.9" in info, (path, info)  # A4 landscape, in points
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert title in text, path
            assert "推进监测平台" not in text and "计划年度" not in text, path  # no navbar, no filter bar
        assert page.errors == []
