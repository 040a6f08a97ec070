"""进度计划（甘特图）: a city's, a plan's or a department's work items over time, from the
status table's own rows (one definition of status as of a date); the page draws a bar
per item and a mark per milestone, groups by city or lead department, and exports the
schedule as a table."""
from __future__ import annotations

import io
import unicodedata
from datetime import date

import openpyxl
import pytest

from queries import api
from queries.schedule import schedule
from queries.status import Filters
from store import session_scope
from queries.status_table import status_rows
from tests.callbacks import render_page

AS_OF = date(2020, 9, 30)


def test_a_citys_schedule_holds_each_of_its_milestones_with_its_status(loaded_app):
    with loaded_app.test_request_context():
        filters = Filters(city="杭州", plans=tuple(api.scope(AS_OF, city="杭州")["ids"]))
        data = schedule(AS_OF, filters, "city")
        by_dept = schedule(AS_OF, filters, "department")["items"]
        with session_scope() as s:
            rows = status_rows(s, AS_OF, filters, loaded_app.config["DUE_SOON_DAYS"])
    marks = {m["milestone_id"]: m["status"] for i in data["items"] for m in i["milestones"]}
    assert marks == {r["milestone_id"]: r["status"] for r in rows} and not data["cut"]
    for item in data["items"]:
        assert item["group"] == "杭州" and item["start"] <= item["end"]
    assert [i["group"] for i in by_dept] == sorted(i["group"] for i in by_dept)


def test_the_page_asks_for_a_scope_and_draws_one_bar_per_item(loaded_app):
    client = loaded_app.test_client()
    _, text = render_page(client, "/schedule", "?as_of=2020-09-30")
    assert "schedule-hint" in text
    _, text = render_page(client, "/schedule", "?as_of=2020-09-30&city=杭州&group=nonsense")
    assert "schedule-chart" in text and "按地市" in text


@pytest.mark.browser
def test_in_the_browser_a_schedule_groups_and_exports(loaded_app, tmp_path):
    from playwright.sync_api import expect

    from tests.browser import browser_page, choose, serve

    with loaded_app.test_request_context():
        items = schedule(AS_OF, Filters(city="杭州", plans=tuple(api.scope(AS_OF, city="杭州")["ids"])), "city")["items"]
    with serve(loaded_app) as url, browser_page(1400, 900) as page:
        page.goto(f"{url}/schedule?as_of=2020-09-30&city=杭州")
        expect(page.locator("#schedule-chart .barlayer .point")).to_have_count(len(items))
        expect(page.locator("#schedule-chart .legendtext", has_text="截至日期 2020-09-30")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("button", name="导出 Excel").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
        headers = [c.value for c in sheet[2]]
        assert headers[:4] == ["地市", "工作事项", "开始", "截止"]
        assert sheet.max_row - 2 == sum(len(i["milestones"]) for i in items)
        choose(page, page.locator("""[id='{"name":"group","type":"filter"}']"""), "按牵头部门")
        page.wait_for_function("location.search.includes('group=department')")
        expect(page.locator(".ag-header-cell-text", has_text="牵头部门").first).to_be_visible()
        assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("paper, size, width", [("", (1191, 842), 1500), ("a4", (842, 595), 1040)])
def test_a_schedule_prints_whole_on_a3_or_a4_landscape(loaded_app, paper, size, width):
    """Printed to PDF (Chromium, the page's own paper): every page A3 or A4
    landscape, nothing off the page, the chart narrowed to the paper."""
    import pdfplumber
    from playwright.sync_api import expect

    from tests.browser import browser_page, serve

    with serve(loaded_app) as url, browser_page(1800, 900) as page:
        page.goto(f"{url}/schedule?as_of=2020-09-30&city=杭州" + (f"&paper={paper}" if paper else ""))
        expect(page.locator("#schedule-chart .barlayer .point").first).to_be_attached()
        assert page.locator("#schedule-chart .main-svg").first.bounding_box()["width"] > width
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.wait_for_function(f"document.querySelector('#schedule-chart .main-svg').getBoundingClientRect().width <= {width}")
        data = page.pdf(prefer_css_page_size=True, print_background=True)
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
        page.wait_for_function(f"document.querySelector('#schedule-chart .main-svg').getBoundingClientRect().width > {width}")
        assert page.errors == []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = ""
        for sheet in pdf.pages:
            assert (round(sheet.width), round(sheet.height)) == size
            for char in sheet.chars:
                assert 0 <= char["x0"] and char["x1"] <= sheet.width + 0.5, char["text"]
            text += sheet.extract_text() or ""
    text = unicodedata.normalize("NFKC", text)  # (the CJK fonts map some characters to their radicals' code points)
    assert "截至日期 2020-09-30" in text and "工作节点" in text  # the chart's as-of line, the table's header
