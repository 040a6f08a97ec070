"""Overview and city comparison: figures equal the query layer's, filters live
in the URL, back/forward work, exports open in openpyxl; plus the pure parts
(figures, URL view parsing) without a browser."""
from datetime import date
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from playwright.sync_api import expect

from components.figures import city_rates_figure, milestone_timeline
from components.filters import read_view
from components.status import pct
from queries import api
from queries.status import Filters
from tests.browser import browser_page, pick, serve, set_as_of

AS_OF = date(2020, 9, 30)


def test_city_rates_figure_has_both_rates_per_city(loaded_app):
    with loaded_app.app_context():
        rows = api.rates(AS_OF, "city")
    fig = city_rates_figure(rows)
    assert [t.name for t in fig.data] == ["进度完成率", "按时完成率"]
    assert list(fig.data[0].x) == [r["city"] for r in rows] and len(rows) == 11
    assert list(fig.data[0].y) == pytest.approx([(r["progress_rate"] or 0) * 100 for r in rows])
    assert [c[1] for c in fig.data[1].customdata] == [r["due_by"] for r in rows]


def test_milestone_timeline_marks_due_and_completion(loaded_app):
    with loaded_app.app_context():
        rows = api.status_table(AS_OF, Filters(city="舟山"))
    item = [r for r in rows if r["item_id"] == rows[0]["item_id"]]
    fig = milestone_timeline(item, AS_OF)
    due = next(t for t in fig.data if t.name == "计划时限")
    done = [x for t in fig.data if t.name.startswith("实际完成") for x in t.x]
    assert list(due.x) == [r["due"] for r in item if r["due"]]
    assert sorted(done) == sorted(r["completed_on"] for r in item if r["completed_on"])


def test_read_view_keeps_good_values_and_reports_bad_ones(loaded_app):
    with loaded_app.app_context():
        default = api.default_as_of()
        view = read_view({"as_of": "2020-06-30", "city": "舟山", "status": "overdue"})
        assert (view.as_of, view.filters.city, view.filters.statuses, view.problems) == (
            date(2020, 6, 30), "舟山", ("overdue",), ())
        bad = read_view({"as_of": "2020-13-01", "city": "不存在", "plan": "无此文件", "status": "late"})
        assert bad.as_of == default and len(bad.problems) == 4
        assert bad.filters == Filters(plans=api.scope(default)["ids"])
    assert view.href("/overdue", status=None) == "/overdue?as_of=2020-06-30&city=%E8%88%9F%E5%B1%B1"


@pytest.mark.browser
def test_overview_figures_filters_and_history(loaded_app):
    with loaded_app.app_context():
        as_of = api.default_as_of()
        default, june = (api.summary(day, Filters(plans=api.scope(day)["ids"])) for day in (as_of, date(2020, 6, 30)))
        zhoushan = api.summary(date(2020, 6, 30), Filters(city="舟山", plans=api.scope(date(2020, 6, 30), city="舟山")["ids"]))
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/")
        page.wait_for_selector("#kpi-progress")
        assert page.inner_text("#kpi-progress") == pct(default["done_due"], default["due_by"])
        assert page.inner_text("#kpi-overdue") == f"{default['overdue']:,}个"
        assert f"{as_of.year}年{as_of.month}月{as_of.day}日" in page.inner_text("#as-of-title")
        set_as_of(page, "2020-06-30")
        expect(page.locator("#kpi-progress")).to_have_text(pct(june["done_due"], june["due_by"]))
        assert june["due_by"] != default["due_by"]  # the date really changes the figures
        pick(page, "city", "舟山")
        page.wait_for_function("location.search.includes('city=')")
        assert parse_qs(urlparse(page.url).query)["city"] == ["舟山"]
        expect(page.locator("#kpi-progress")).to_have_text(pct(zhoushan["done_due"], zhoushan["due_by"]))
        page.go_back()
        expect(page.locator("#kpi-progress")).to_have_text(pct(june["done_due"], june["due_by"]))
        assert "city=" not in page.url
        page.wait_for_timeout(1500)  # a person's pause: Dash drops a popstate during a re-render
        page.go_forward()
        expect(page.locator("#kpi-progress")).to_have_text(pct(zhoushan["done_due"], zhoushan["due_by"]))
        page.click("#kpi-overdue")  # a figure links to the rows behind it
        page.wait_for_function("location.pathname == '/overdue'")
        query = parse_qs(urlparse(page.url).query)
        assert query["status"] == ["overdue"] and query["city"] == ["舟山"] and query["as_of"] == ["2020-06-30"]
        assert page.errors == []


@pytest.mark.browser
def test_cities_table_matches_the_status_engine_and_exports(loaded_app, tmp_path):
    with loaded_app.app_context():
        rows = api.rates(AS_OF, "city", Filters(plans=api.scope(AS_OF)["ids"]))
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/cities?as_of=2020-09-30")
        grid_rows = page.locator(".ag-center-cols-container .ag-row")
        expect(grid_rows).to_have_count(11)
        text = page.inner_text(".ag-root")
        for r in rows:
            assert pct(r["done_due"], r["due_by"]) in text
        with page.expect_download() as download:
            page.click("text=导出 Excel")
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert download.value.suggested_filename == "地市对比_2020-09-30.xlsx"
        ws = openpyxl.load_workbook(path).active
        assert "2020-09-30" in ws["A1"].value
        assert [c.value for c in ws[2]][:2] == ["地市", "工作事项"]
        body = list(ws.iter_rows(min_row=3, values_only=True))
        assert [b[0] for b in body] == [r["city"] for r in rows]
        page.locator(".ag-root a", has_text="杭州").click()
        page.wait_for_function("decodeURIComponent(location.pathname) == '/city/杭州'")
        page.go_back()
        expect(grid_rows).to_have_count(11)
        assert page.errors == []


@pytest.mark.browser
def test_unknown_pages_and_bad_urls_are_friendly(loaded_app):
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/no-such-page")
        expect(page.locator("#not-found")).to_be_visible()
        page.goto(url + "/?as_of=2020-99-99&city=火星")
        page.wait_for_selector("#kpi-progress")
        warnings = page.inner_text("#filter-bar")
        assert "2020-99-99" in warnings and "火星" in warnings
        assert page.errors == []
