"""指标监测 and 数据质量: the observation history as known on a date, the path
figure, and both pages in Chromium — figures equal the query layer's, the as-of
date and the finding kind live in the URL, links reach the work items, the
exports open in openpyxl."""
import importlib
import re
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from components.export import export_title
from components.figures import ACTUAL_NAME, PATH_NAME, REQUIRED_NAME, indicator_paths_figure
from components.status import pace_text
from queries import api, observations
from queries.findings import FINDING_LABELS, finding_rows
from queries.observations import observation_rows, path_starts
from store import session_scope
from store.models import Indicator, IndicatorObservation, Plan, WorkItem
from tests.browser import browser_page, filter_control, page_filters, pick, serve, set_as_of

END, MID = date(2025, 12, 31), date(2022, 6, 30)


@pytest.fixture(scope="module")
def ind_page(loaded_app):
    """pages.indicators as the app loaded it (a page module registers with an app)."""
    return importlib.import_module("pages.indicators")


def province(as_of: date) -> list[dict]:
    return [i for i in api.indicator_table(as_of) if i["scope"] == "province"]


def by_name(rows: list[dict], name: str) -> dict:
    return next(r for r in rows if r["name"] == name)


# --- queries ---------------------------------------------------------------

def test_observations_are_those_known_on_the_date(session):
    plan = Plan(key="测试规划", title="测试规划", issuer="测试", issue_date=date(2021, 3, 1), plan_year=2021,
                kind="indicator_plan", source_file="t.txt", source_sha256="0" * 64)
    session.add(plan)
    session.flush()
    with_base = Indicator(plan_id=plan.id, key="a", scope="province", name="甲", baseline=10, baseline_year=2020,
                          target=20, due=date(2025, 12, 31))
    without = Indicator(plan_id=plan.id, key="b", scope="province", name="乙", target=5, due=date(2025, 12, 31))
    session.add_all([with_base, without])
    session.flush()
    for observed, reported, value in ((date(2021, 12, 31), date(2022, 2, 1), 12.0),
                                      (date(2021, 12, 31), date(2022, 5, 1), 12.5),  # a revision
                                      (date(2022, 12, 31), date(2023, 2, 1), 14.0)):
        session.add(IndicatorObservation(indicator_id=with_base.id, value=value, observed_on=observed,
                                         reported_on=reported))
    session.flush()
    ids = (with_base.id, without.id)

    def seen(as_of):
        return [(r["observed_on"], r["value"]) for r in observation_rows(session, as_of, ids)]

    assert seen(date(2022, 1, 31)) == []
    assert seen(date(2022, 3, 1)) == [("2021-12-31", 12.0)]
    assert seen(date(2022, 6, 30)) == [("2021-12-31", 12.5)]  # the revision replaces the first report
    assert seen(date(2023, 6, 30)) == [("2021-12-31", 12.5), ("2022-12-31", 14.0)]
    assert observation_rows(session, END, ()) == []
    # the path starts at the end of the baseline year, else on the plan's issue date
    assert path_starts(session, ids) == {with_base.id: "2020-12-31", without.id: "2021-03-01"}


@pytest.mark.parametrize("as_of", [MID, END])
def test_history_agrees_with_the_indicator_table(loaded_app, as_of):
    with loaded_app.app_context():
        rows = province(as_of)
        history = observations.history(as_of, tuple(i["indicator_id"] for i in rows))
    assert set(history) == {i["indicator_id"] for i in rows}
    for ind in rows:
        obs = history[ind["indicator_id"]]["observations"]
        assert all(o["reported_on"] <= as_of.isoformat() for o in obs)
        assert [o["observed_on"] for o in obs] == sorted(o["observed_on"] for o in obs)
        last = obs[-1] if obs else {"value": None, "met": None, "observed_on": None}
        assert (last["value"], last["met"], last["observed_on"]) == (
            ind["latest_actual"], ind["met"], ind["latest_on"])


def test_findings_carry_their_work_item(loaded_app):
    with loaded_app.app_context(), session_scope() as s:
        rows = finding_rows(s)
        names = dict(s.execute(select(WorkItem.id, WorkItem.name)).all())
    assert any(r["item_id"] for r in rows) and any(r["item_id"] is None for r in rows)
    for r in rows:
        assert (r["item"] is None) == (r["item_id"] is None)
        if r["item_id"]:
            assert names[r["item_id"]] == r["item"]


# --- figure and formatting -------------------------------------------------

def test_path_figure_ends_at_the_target_and_plots_the_observations(loaded_app):
    with loaded_app.app_context():
        rows = province(END)
        history = observations.history(END, tuple(i["indicator_id"] for i in rows))
    fig = indicator_paths_figure(rows, history, END)
    assert len(fig.layout.annotations) == len(rows)  # one titled panel per indicator
    for ind in rows:
        traces = {t.name: t for t in fig.data if t.meta == ind["indicator_id"]}
        obs = history[ind["indicator_id"]]["observations"]
        actual = traces[ACTUAL_NAME]
        assert list(actual.x) == [o["observed_on"] for o in obs]
        if ind["qualitative"]:
            assert list(actual.y) == [1 if o["met"] else 0 for o in obs]
            assert PATH_NAME not in traces
            continue
        assert list(actual.y) == [o["value"] for o in obs]
        path = traces[PATH_NAME]
        assert path.x[-1] == ind["due"] and path.y[-1] == pytest.approx(ind["target"])
        assert path.x[0] == history[ind["indicator_id"]]["start"]
        assert path.y[0] == pytest.approx(ind["baseline"] or 0)
        assert traces[REQUIRED_NAME].y[0] == pytest.approx(ind["required"])
    lower = by_name(rows, "企业严重失信率")
    path = next(t for t in fig.data if t.meta == lower["indicator_id"] and t.name == PATH_NAME)
    assert list(path.y) == pytest.approx([1.78, 1.5])  # lower is better: the path descends


def test_path_figure_of_a_hand_made_indicator():
    ind = {"indicator_id": 7, "name": "指标", "unit": "个", "qualitative": False, "pace": "on_pace",
           "target_text": "翻一番", "baseline": 37.0, "target": 74.0, "due": "2025-12-31", "required": 50.0}
    obs = [{"observed_on": "2021-12-31", "reported_on": "2022-02-01", "value": 45.5, "met": None},
           {"observed_on": "2022-12-31", "reported_on": "2023-02-01", "value": 54.0, "met": None}]
    fig = indicator_paths_figure([ind], {7: {"start": "2020-12-31", "observations": obs}}, date(2023, 3, 1))
    traces = {t.name: t for t in fig.data}
    assert list(traces[PATH_NAME].x) == ["2020-12-31", "2025-12-31"]
    assert list(traces[PATH_NAME].y) == [37.0, 74.0]
    assert list(traces[ACTUAL_NAME].y) == [45.5, 54.0]
    assert list(traces[REQUIRED_NAME].x) == ["2023-03-01"] and list(traces[REQUIRED_NAME].y) == [50.0]
    assert "进度正常" in fig.layout.annotations[0].text and "翻一番" in fig.layout.annotations[0].text


def test_numbers_and_targets_read_as_written(ind_page):
    number, target_value = ind_page.number, ind_page.target_value
    assert [number(15360.0, "万条"), number(1.52, "%"), number(1782.55, "家"), number(3000.0), number(None)] == [
        "15,360万条", "1.52%", "1,782.55家", "3,000", "—"]
    row = {"target": 1600.0, "target_max": None, "comparator": ">", "unit": "家"}
    assert target_value(row) == "> 1,600家"
    assert target_value({**row, "target": 1.0, "target_max": 2.0, "comparator": ">=", "unit": "个"}) == "1–2个"


def test_item_kpi_rows_keep_baseline_and_target_text(loaded_app, ind_page):
    with loaded_app.app_context():
        rows = api.indicator_table(END)
    credit = ind_page.kpi_row(next(i for i in rows if i["city"] == "舟山" and i["name"] == "授信企业数"))
    assert credit["baseline_shown"] == "383家（2019年）"
    assert (credit["target_shown"], credit["target_value"]) == ("超过1600家", "> 1,600家")


# --- pages in the browser --------------------------------------------------

def grid(page, name: str):
    return page.locator(f"""[id='{{"name":"{name}","type":"grid"}}']""")


def cell(page, grid_name: str, row_text: str, col: str):
    row = grid(page, grid_name).locator(".ag-center-cols-container .ag-row", has_text=row_text)
    return row.locator(f"[col-id='{col}']")


def download_xlsx(page, grid_name: str, tmp_path):
    with page.expect_download() as d:
        page.click(f"""[id='{{"name":"{grid_name}","type":"grid-xlsx"}}']""")
    path = tmp_path / d.value.suggested_filename
    d.value.save_as(path)
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


@pytest.mark.browser
def test_indicator_page_follows_the_as_of_date(loaded_app, ind_page):
    number = ind_page.number
    with loaded_app.app_context():
        end, mid = province(END), province(MID)
        items = [i for i in api.indicator_table(END, page_filters(END)) if i["scope"] != "province"]
    table4 = [i for i in end if i["attribute"]]
    assert len(table4) == 7 and len(end) > 7  # 表4 plus the targets in the text
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/indicators?as_of=2025-12-31")
        rows = grid(page, "province-indicators").locator(".ag-center-cols-container .ag-row")
        expect(rows).to_have_count(len(end))
        expect(page).to_have_title(re.compile("指标监测"))  # Dash sets the title after the render
        expect(rows.locator("[col-id='name']")).to_have_text([i["name"] for i in end])
        expect(rows.locator("[col-id='target_shown']")).to_have_text([i["target_text"] for i in end])
        expect(rows.locator("[col-id='actual_text']")).to_have_text([
            {True: "已达成", False: "未达成"}[i["met"]] if i["qualitative"] else number(i["latest_actual"], i["unit"])
            for i in end])
        lower = by_name(end, "企业严重失信率")
        assert lower["direction"] == "lower"
        for col, text in (("baseline_shown", lower["baseline_text"]), ("attribute_shown", "约束性"),
                          ("direction_text", "↓ 越低越好"), ("latest_on_text", lower["latest_on"]),
                          ("required_text", number(lower["required"], "%")),
                          ("attainment_text", f"{lower['attainment']:.1%}")):
            expect(cell(page, "province-indicators", "企业严重失信率", col)).to_have_text(text)
        weight = cell(page, "province-indicators", "企业严重失信率", "attribute_shown").evaluate(
            "e => getComputedStyle(e).fontWeight")
        assert int(weight) >= 700  # binding indicators stand out
        expect(page.locator("#indicator-paths .main-svg").first).to_be_visible()
        expect(grid(page, "item-kpis").locator(".ag-center-cols-container .ag-row")).to_have_count(len(items))

        set_as_of(page, MID.isoformat())
        expect(page.locator("#as-of-title")).to_contain_text("2022年6月30日")
        lower_mid = by_name(mid, "企业严重失信率")
        assert lower_mid["latest_actual"] != lower["latest_actual"]
        expect(cell(page, "province-indicators", "企业严重失信率", "actual_text")).to_have_text(
            number(lower_mid["latest_actual"], "%"))
        expect(rows.locator("[col-id='pace_text']")).to_have_text(
            [pace_text(i["pace"], i["stale_months"]) for i in mid])
        assert any(i["pace"] == "no_data" for i in mid)  # the text targets have no value yet in mid-2022
        page.go_back()
        page.wait_for_function("location.search.includes('as_of=2025-12-31')")
        expect(cell(page, "province-indicators", "企业严重失信率", "actual_text")).to_have_text(
            number(lower["latest_actual"], "%"))
        assert page.errors == []


@pytest.mark.browser
def test_item_kpis_link_to_their_items_and_export(loaded_app, ind_page, tmp_path):
    number = ind_page.number
    with loaded_app.app_context():  # the scene plan's KPIs, chosen by its year (it ended in 2020)
        items = [i for i in api.indicator_table(END, page_filters(END, year="2020")) if i["scope"] != "province"]
    zhoushan = next(i for i in items if i["city"] == "舟山" and i["name"] == "授信企业数")
    wenzhou = [i for i in items if i["city"] == "温州" and i["name"] == "信用旅游景点"]
    assert [(i["target"], i["due"]) for i in wenzhou] == [(10, "2020-06-30"), (15, "2020-12-31")]
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/indicators?as_of=2025-12-31&year=2020")
        kpis = grid(page, "item-kpis").locator(".ag-center-cols-container .ag-row")
        expect(kpis).to_have_count(len(items))
        credit = kpis.filter(has_text="授信企业数")
        expect(credit.locator("[col-id='baseline_shown']")).to_have_text("383家（2019年）")
        expect(credit.locator("[col-id='target_shown']")).to_have_text(zhoushan["target_text"])
        expect(credit.locator("[col-id='actual_text']")).to_have_text(
            number(zhoushan["latest_actual"], zhoushan["unit"]))
        link = credit.locator("a")
        assert link.get_attribute("href").startswith(f"/item/{zhoushan['item_id']}?as_of=2025-12-31")
        tourism = kpis.filter(has_text="信用旅游景点")
        expect(tourism).to_have_count(2)
        for n, ind in enumerate(wenzhou):
            expect(tourism.nth(n).locator("[col-id='target_shown']")).to_have_text(ind["target_text"])
            expect(tourism.nth(n).locator("[col-id='due_text']")).to_have_text(ind["due"])
            assert tourism.nth(n).locator("a").get_attribute("href").startswith(f"/item/{ind['item_id']}?")

        sheet = download_xlsx(page, "item-kpis", tmp_path)
        assert sheet[0][0] == export_title("地市与工作事项指标", END)
        headers = list(sheet[1])
        assert headers[:3] == ["地市", "工作事项", "指标"] and "进度判断" in headers
        body = sheet[2:]
        assert [r[headers.index("指标")] for r in body] == [i["name"] for i in items]
        assert [r[headers.index("最新实际值")] for r in body] == [number(i["latest_actual"], i["unit"])
                                                               for i in items]

        link.click()
        page.wait_for_url(f"**/item/{zhoushan['item_id']}?*")
        assert page.errors == []


@pytest.mark.browser
def test_data_quality_filters_by_kind_and_links_to_items(loaded_app, tmp_path):
    with loaded_app.app_context():
        findings = api.findings()
    kind = "no_schedule"
    of_kind = [f for f in findings if f["kind"] == kind]
    assert 0 < len(of_kind) < len(findings)
    linked = next(f for f in findings if f["item_id"])
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/data-quality")
        rows = grid(page, "findings").locator(".ag-center-cols-container .ag-row")
        expect(rows).to_have_count(len(findings))
        expect(page.locator("#kind-count-all")).to_contain_text(str(len(findings)))
        expect(page.locator(f"#kind-count-{kind}")).to_contain_text(str(len(of_kind)))
        expect(rows.locator("[col-id='source']")).to_have_text([f["source"] for f in findings])
        expect(rows.locator("[col-id='message']")).to_have_text([f["message"] for f in findings])
        expect(rows.filter(has_text=linked["source"]).first.locator("[col-id='source_text']")).to_have_text(
            linked["source_text"])

        pick(page, "kind", FINDING_LABELS[kind])
        page.wait_for_function(f"location.search.includes('kind={kind}')")
        expect(rows).to_have_count(len(of_kind))
        expect(filter_control(page, "kind")).to_contain_text(FINDING_LABELS[kind])
        sheet = download_xlsx(page, "findings", tmp_path)
        headers = list(sheet[1])
        assert [r[headers.index("出处（文件:行）")] for r in sheet[2:]] == [f["source"] for f in of_kind]
        assert {r[headers.index("问题类型")] for r in sheet[2:]} == {FINDING_LABELS[kind]}

        page.go_back()
        expect(rows).to_have_count(len(findings))
        link = rows.filter(has_text=linked["source"]).first.locator("a")
        assert link.get_attribute("href") == f"/item/{linked['item_id']}"
        target = re.compile(rf"/item/{linked['item_id']}$")
        for _ in range(3):  # a click can land on a row the grid is still redrawing after going back
            link.click()  # (in-app navigation: the URL changes by pushState, no load event to wait for)
            try:
                expect(page).to_have_url(target, timeout=10000)
                break
            except AssertionError:
                continue
        expect(page).to_have_url(target)
        assert page.errors == []
