"""City detail (/city/<city>) and work-item detail (/item/<id>): the queries of
queries/items.py and the timeline figure without a browser, then the pages in
headless Chromium — figures equal the query layer's, links, back, the as-of
date in the URL, 404s, the xlsx export."""
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from components.figures import milestone_timeline
from components.official import official_headers
from components.status import pct, status_text
from queries import api, items
from queries.status import Filters
from store import session_scope
from store.models import Milestone, ProgressUpdate
from tests.browser import browser_page, serve, set_as_of

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
MID = date(2020, 9, 30)  # a review date inside the 2020 plan year: some reports known, some not


def find_item(city: str, number: str, county: str | None = None) -> dict:
    return next(i for i in items.item_list(Filters(city=city))
                if i["item_no"] == number and i["county"] == county and i["plan"] == "浙信用办〔2020〕5号")


def source_line(pointer: str) -> str:
    """The document's line a '<file>:<line>' pointer names."""
    file, line = pointer.rsplit(":", 1)
    return (SOURCES / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]


# --- queries/items.py --------------------------------------------------------

def test_item_header_has_plan_departments_deadline_and_source(loaded_app):
    with loaded_app.app_context():
        header = items.item_header(find_item("舟山", "3")["item_id"])
    assert (header["name"], header["city"], header["kind"]) == ("信用+金融服务", "舟山", "scene")
    assert header["plan"] == "浙信用办〔2020〕5号" and "重点场景" in header["plan_title"]
    assert header["lead"] == ["市发展改革委"]
    assert len(header["coop"]) == 5 and "各功能区管委会" in header["scope"]  # a scope, not a department
    line = source_line(header["source"])
    assert "人行舟山市中支" in line and "市人行" in header["coop"]  # under its one name
    assert all(d in line for d in header["lead"] + header["coop"] if d != "市人行")  # as written in the document
    assert header["source_text"] in line and "信用+金融服务" in header["source_text"]
    assert (header["deadline"], header["deadline_text"]) == ("2020-12-31", "2020.12")
    assert header["parent"] is None and header["sub_scenes"] == [] and header["children"] == []


def test_county_variant_is_its_own_item_under_the_city_scene(loaded_app):
    with loaded_app.app_context():
        city_wide, xiaoshan = find_item("杭州", "1"), find_item("杭州", "1", "萧山区")
        header = items.item_header(xiaoshan["item_id"])
        parent = items.item_header(city_wide["item_id"])
    assert xiaoshan["item_id"] != city_wide["item_id"]
    assert header["county"] == "萧山区" and header["lead"] != parent["lead"]
    assert header["parent"]["id"] == city_wide["item_id"]
    assert [c["id"] for c in parent["children"]] == [xiaoshan["item_id"]]
    assert items.display_name(header["name"], header["county"]) == "钱江分应用（萧山区）"


def test_sub_scenes_are_listed_and_milestones_grouped_by_them(loaded_app):
    with loaded_app.app_context():
        scene = find_item("温州", "1")
        header = items.item_header(scene["item_id"])
        sources = items.milestone_sources(scene["item_id"])
        sub_header = items.item_header(header["sub_scenes"][0]["id"])
    names = [s["name"] for s in header["sub_scenes"]]
    assert names == ["场景一", "场景二"]
    groups = [m["sub_item"] for m in sources]
    assert groups == sorted(groups, key=names.index)  # grouped, in document order
    for name in names:
        seqs = [m["seq"] for m in sources if m["sub_item"] == name]
        assert seqs == list(range(1, len(seqs) + 1))
    assert all(m["source_text"] and m["source_text"] in source_line(m["source"]) for m in sources)
    assert sub_header["kind"] == "sub_scene" and sub_header["parent"]["id"] == scene["item_id"]


def test_unknown_item_has_no_header(loaded_app):
    with loaded_app.app_context():
        assert items.item_header(999999) is None


def test_history_is_every_update_newest_first(loaded_app):
    with loaded_app.app_context():
        item_id = find_item("舟山", "3")["item_id"]
        history = items.update_history(item_id, api.default_as_of())
        with session_scope() as s:
            count = s.scalar(select(func.count()).select_from(ProgressUpdate)
                             .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
                             .where(Milestone.work_item_id == item_id))
    assert len(history) == count > 0
    keys = [(u["reported_on"], u["update_id"]) for u in history]
    assert keys == sorted(keys, reverse=True)
    assert {u["state_text"] for u in history} <= {"未开始", "推进中", "已完成", "受阻", "取消"}


def test_history_marks_what_was_not_known_on_the_as_of_date(loaded_app):
    with loaded_app.app_context():
        item_id = find_item("舟山", "3")["item_id"]
        history = items.update_history(item_id, MID)
        status = {m["milestone_id"]: m for m in api.status_table(MID, Filters(item_id=item_id))}
    assert {u["after_as_of"] for u in history} == {True, False}
    assert all(u["after_as_of"] == (u["reported_on"] > MID.isoformat()) for u in history)
    # the newest update known on MID is the one the status engine used
    for milestone_id, row in status.items():
        known = [u for u in history if u["milestone_id"] == milestone_id and not u["after_as_of"]]
        assert (known[0]["reported_on"] if known else None) == row["last_reported_on"]


def test_item_list_of_a_city_matches_the_rates_and_the_department_filter(loaded_app):
    with loaded_app.app_context():
        listed = items.item_list(Filters(city="舟山"))
        rated = api.rates(MID, "item", Filters(city="舟山"))
        lead = listed[0]["lead"][0]
        by_department = items.item_list(Filters(city="舟山", department=lead))
    assert [i["item_id"] for i in listed] == [r["item_id"] for r in rated]
    assert all(i["city"] == "舟山" and i["kind"] in items.ASSESSED_KINDS for i in listed)
    assert by_department and all(lead in i["lead"] + i["coop"] for i in by_department)


def test_item_findings_are_the_imports_findings_about_the_item(loaded_app):
    with loaded_app.app_context():
        found = [f for f in api.findings() if f["item_id"] is not None]
        item_id = found[0]["item_id"]
        mine = items.item_findings(item_id)
    expected = sorted(f["message"] for f in found if f["item_id"] == item_id)
    assert sorted(f["message"] for f in mine) == expected


def test_city_path_accepts_the_short_name_the_long_name_and_percent_encoding(loaded_app):
    from pages.city import resolve_city
    with loaded_app.app_context():
        assert resolve_city("杭州") == resolve_city("杭州市") == resolve_city("%E6%9D%AD%E5%B7%9E") == "杭州"
        assert resolve_city("不存在") is None and resolve_city("") is None


# --- the timeline figure -------------------------------------------------------

def test_timeline_groups_sub_scenes_and_marks_overdue_and_open_milestones(loaded_app):
    with loaded_app.app_context():
        rows = api.status_table(MID, Filters(item_id=find_item("温州", "1")["item_id"]))
    fig = milestone_timeline(rows, MID)
    labels = list(fig.layout.yaxis.categoryarray)
    assert len(set(labels)) == len(rows)  # seq 1 exists in both sub-scenes
    assert [label.split(" · ")[0] for label in labels] == [r["sub_item"] for r in rows]
    due = next(t for t in fig.data if t.name == "计划时限")
    assert list(due.x) == [r["due"] for r in rows if r["due"]]
    late = [r for r in rows if r["status"] == "overdue"]
    overdue = [t for t in fig.data if t.name.startswith("逾期未完成")]
    assert bool(overdue) == bool(late)
    if late:
        assert MID.isoformat() in overdue[0].x

    undated = [{**rows[0], "due": None, "due_text": "持续推进", "status": "open", "completed_on": None}]
    fig = milestone_timeline(undated, MID)
    assert next(t for t in fig.data if t.name == "计划时限").x == ()
    assert list(next(t for t in fig.data if t.name == "无明确时限").x) == [MID.isoformat()]


# --- the pages in Chromium -----------------------------------------------------

def grid_rows(page, grid: str):
    return page.locator(f"#{grid} .ag-center-cols-container .ag-row")


@pytest.mark.browser
def test_city_page_shows_the_query_layers_figures(loaded_app):
    with loaded_app.app_context():
        as_of = api.default_as_of()
        f = Filters(city="舟山")
        row = api.summary(as_of, f)
        listed = items.item_list(f)
        rated = {r["item_id"]: r for r in api.rates(as_of, "item", f)}
        milestones = api.status_table(as_of, f)
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(f"{url}/city/舟山?as_of={as_of}")
        expect(grid_rows(page, "city-items")).to_have_count(len(listed))
        assert page.inner_text(".page-title") == "舟山市 · 地市详情"
        expect(page).to_have_title(re.compile("舟山市 · 地市详情"))  # set after the render
        assert page.inner_text("#city-kpi-items") == f"{len(listed)}项"
        assert page.inner_text("#city-kpi-progress") == pct(row["done_due"], row["due_by"])
        assert page.inner_text("#city-kpi-on-time") == pct(row["on_time_due"], row["due_by"])
        assert page.inner_text("#city-kpi-overdue") == f"{row['overdue']:,}个"
        assert page.inner_text("#city-kpi-due-soon") == f"{row['due_soon']:,}个"
        link = page.locator("a:has(#city-kpi-overdue)")
        assert link.get_attribute("href") == f"/overdue?as_of={as_of}&city=%E8%88%9F%E5%B1%B1&status=overdue"
        expect(grid_rows(page, "city-items").locator("[col-id='progress']")).to_have_text(
            [f"{rated[i['item_id']]['done']}/{rated[i['item_id']]['total']}" for i in listed])
        expect(page.locator("#city-milestones")).to_have_count(0)  # one list at a time

        page.click("#city-tab-milestones")  # the tabs are links: the list is in the URL
        page.wait_for_url("**tab=milestones**")
        assert page.inner_text("#city-tab-milestones") == f"工作节点状态（{len(milestones)}）"
        expect(grid_rows(page, "city-milestones")).to_have_count(len(milestones))
        expect(grid_rows(page, "city-milestones").locator("[col-id='status_text']")).to_have_text(
            [status_text(m["status"]) for m in milestones])
        expect(page.locator("#city-items")).to_have_count(0)
        overdue = sum(m["status"] == "overdue" for m in milestones)
        page.click("#city-tab-overdue")
        expect(grid_rows(page, "city-overdue")).to_have_count(overdue)
        assert page.inner_text("#city-tab-overdue") == f"逾期未完成节点（{overdue}）"
        page.go_back()  # browser back returns to the list before
        expect(grid_rows(page, "city-milestones")).to_have_count(len(milestones))
        page.click("#city-kpi-items")  # the items card opens the items list
        expect(grid_rows(page, "city-items")).to_have_count(len(listed))

        page.goto(f"{url}/city/杭州市")  # the long name works too
        expect(page.locator(".page-title")).to_have_text("杭州市 · 地市详情")
        assert page.errors == []


@pytest.mark.browser
def test_item_link_timeline_sources_and_back(loaded_app):
    with loaded_app.app_context():
        as_of = api.default_as_of()
        item = find_item("舟山", "3")
        rows = api.status_table(as_of, Filters(item_id=item["item_id"]))
        header = items.item_header(item["item_id"])
        sources = items.milestone_sources(item["item_id"])
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(f"{url}/city/舟山?as_of={as_of}")
        grid_rows(page, "city-items").locator("a", has_text="信用+金融服务").click()
        page.wait_for_url(f"**/item/{item['item_id']}?as_of={as_of}")
        expect(page.locator("#item-name")).to_have_text("3. 信用+金融服务")
        assert page.inner_text("#item-lead") == "市发展改革委"
        page.wait_for_selector("#item-timeline .scatterlayer .trace", state="attached")
        shown, drawn = page.evaluate("""() => {
            const gd = document.querySelector('#item-timeline .js-plotly-plot');
            const i = gd.data.findIndex(t => t.name === '计划时限');
            const g = gd.querySelectorAll('.scatterlayer .trace')[i];
            return [gd.data[i].x.length, g.querySelectorAll('.points path').length];
        }""")
        assert shown == drawn == sum(1 for r in rows if r["due"]) == 4
        text = page.inner_text("#item-sources")
        assert header["source"] in text and header["source_text"] in text
        assert all(m["source"] in text and m["source_text"] in text for m in sources)
        expect(grid_rows(page, "item-milestones")).to_have_count(len(rows))

        page.go_back()
        page.wait_for_url("**/city/**")
        assert unquote(urlparse(page.url).path) == "/city/舟山"
        expect(page.locator(".page-title")).to_have_text("舟山市 · 地市详情")
        assert page.errors == []


@pytest.mark.browser
def test_item_as_of_date_changes_statuses_and_url(loaded_app):
    early = date(2020, 6, 1)
    with loaded_app.app_context():
        as_of = api.default_as_of()
        item_id = find_item("舟山", "3")["item_id"]
        now, then = (api.rates(d, "item", Filters(item_id=item_id))[0] for d in (as_of, early))
        statuses_then = [status_text(m["status"]) for m in api.status_table(early, Filters(item_id=item_id))]
        later = sum(u["after_as_of"] for u in items.update_history(item_id, early))
    assert pct(now["done_due"], now["due_by"]) != pct(then["done_due"], then["due_by"])
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(f"{url}/item/{item_id}?as_of={as_of}")
        expect(page.locator("#item-progress")).to_have_text(pct(now["done_due"], now["due_by"]))
        set_as_of(page, early.isoformat())
        expect(page.locator("#item-progress")).to_have_text(pct(then["done_due"], then["due_by"]))
        assert f"as_of={early}" in page.url
        expect(page.locator("#as-of-title")).to_contain_text("2020年6月1日")
        status_cells = grid_rows(page, "item-milestones").locator("[col-id='status_text']")
        expect(status_cells).to_have_text(statuses_then)
        expect(page.locator("#item-history-hint")).to_contain_text(f"其中 {later} 条为截至日期后报送")
        assert page.errors == []


@pytest.mark.browser
def test_unknown_city_and_item_show_the_404_message(loaded_app):
    with serve(loaded_app) as url, browser_page() as page:
        for path, words in (("/city/不存在", "没有名为“不存在”的地市"),
                            ("/item/999999", "没有编号为“999999”的工作事项"),
                            ("/item/abc", "没有编号为“abc”的工作事项"),
                            ("/item/99999999999999999999", "的工作事项")):
            page.goto(url + path)
            expect(page.locator("#not-found")).to_have_text("未找到")
            assert words in page.inner_text(".alert-warning")
        assert page.errors == []


@pytest.mark.browser
def test_milestone_grid_downloads_as_xlsx(loaded_app, tmp_path):
    with loaded_app.app_context():
        as_of = api.default_as_of()
        milestones = api.status_table(as_of, Filters(city="舟山"))
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(f"{url}/city/舟山?as_of={as_of}&tab=milestones")
        expect(grid_rows(page, "city-milestones")).to_have_count(len(milestones))
        headers = page.locator("#city-milestones .ag-header-cell-text").all_inner_texts()
        shown = grid_rows(page, "city-milestones").locator("[col-id='milestone']").all_inner_texts()
        with page.expect_download() as download:
            page.locator("#city-milestones").get_by_role("button", name="导出 Excel").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.name == f"舟山市_进度台账_{as_of}.xlsx"
        ws = openpyxl.load_workbook(path).active
        assert ws["A1"].value == (f"浙信用办〔2020〕5号《2020年市县信用应用重点场景工作推进计划》 "
                                  f"舟山市工作节点进度台账（截至{as_of.year}年{as_of.month}月{as_of.day}日）")
        exported = [c.value for c in ws[2]]  # the official table's columns, not the grid's
        assert exported == list(official_headers(milestones).values()) and exported != headers
        assert ws.max_row - 2 == len(shown) == len(milestones)
        work_plan = [ws.cell(row=r, column=exported.index("工作计划") + 1).value for r in range(3, ws.max_row + 1)]
        assert all(cell.endswith(text) for cell, text in zip(work_plan, shown, strict=True))
        assert page.errors == []
