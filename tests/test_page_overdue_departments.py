"""逾期与临期, 部门视图 and 节点台账: the rows on screen are the query layer's
rows for the same filters, in the right order; filters live in the URL and
browser back restores them; the export opens in openpyxl with the rows shown;
plus the department and status-count queries and the overdue figure without a
browser."""
from collections import Counter, defaultdict
from datetime import date
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from playwright.sync_api import expect

from components.figures import overdue_bars_figure
from components.official import official_headers
from queries import api
from queries.departments import department_items, department_roles
from queries.ledger import ledger_head
from queries.overdue import UNNAMED, overdue_groups, overdue_totals, worst_rows
from queries.status import STATUSES, Filters
from queries.status_counts import status_counts
from tests.browser import browser_page, filter_control, page_filters, pick, serve

AS_OF = date(2020, 9, 30)
BOTH = ("overdue", "due_soon")


def worst_first(rows: list[dict]) -> list[dict]:
    """The page's promised order, written out independently: most days overdue,
    then due soon by the nearest due date (ties: the status table's order)."""
    overdue = sorted((r for r in rows if r["status"] == "overdue"), key=lambda r: -r["days_overdue"])
    soon = sorted((r for r in rows if r["status"] == "due_soon"), key=lambda r: r["due"])
    return overdue + soon


def grid_id(name: str, kind: str = "grid") -> str:
    return f"""[id='{{"name":"{name}","type":"{kind}"}}']"""


def grid_table(page, name: str, count: int) -> list[dict]:
    """The ``count`` rows of grid ``name`` as {col-id: cell text}, by row index
    (pinned and scrolling parts of a row joined); waits until all are drawn."""
    return page.wait_for_function("""([sel, count]) => {
        const rows = {};
        document.querySelectorAll(sel + ' .ag-row').forEach(r => {
            const i = +r.getAttribute('row-index');
            rows[i] = rows[i] || {};
            r.querySelectorAll('.ag-cell').forEach(c => {
                rows[i][c.getAttribute('col-id')] = c.innerText.trim();
            });
        });
        const keys = Object.keys(rows).sort((a, b) => a - b);
        return keys.length === count && keys.map(k => rows[k]);
    }""", arg=[grid_id(name), count]).json_value()


def open_page(page, url: str) -> None:
    """Go to ``url`` and let the page settle (the filter bar may rewrite the URL once)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def grid_rows(page, name: str):
    return page.locator(f"{grid_id(name)} .ag-center-cols-container .ag-row")


def expect_rows(page, name: str, count: int) -> None:
    """Wait for grid ``name`` to show ``count`` rows (a page renders twice on
    load, and a loaded machine is slow: allow more than expect's 5 s)."""
    expect(grid_rows(page, name)).to_have_count(count, timeout=20_000)


def shown_count(page, name: str) -> str:
    toolbar = page.locator(".grid-toolbar", has=page.locator(grid_id(name, "grid-xlsx")))
    return toolbar.locator("span").inner_text()


def query_of(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


# --- queries and figure, no browser ---

def test_department_item_counts_agree_with_the_status_table(loaded_app):
    with loaded_app.app_context():
        counts = department_items(Filters())
        rows = api.status_table(AS_OF)
        by_department = department_items(Filters(city="湖州", department="市金融办"))
    expected = defaultdict(lambda: {"lead": set(), "coop": set()})
    for r in rows:
        for role in ("lead", "coop"):
            for name in r[role]:
                expected[(r["city"], name)][role].add(r["item_id"])
    assert {(c["city"], c["department"]): (c["lead_items"], c["coop_items"]) for c in counts} == {
        key: (len(v["lead"]), len(v["coop"])) for key, v in expected.items()}
    assert by_department == [{"city": "湖州", "department": "市金融办",
                              "lead_items": len(expected[("湖州", "市金融办")]["lead"]),
                              "coop_items": len(expected[("湖州", "市金融办")]["coop"])}]


def test_department_roles_name_each_item_of_the_department(loaded_app):
    f = Filters(department="市发展改革委")
    with loaded_app.app_context():
        roles = department_roles(f)
        rows = api.status_table(AS_OF, f)
        in_city = department_roles(Filters(city="舟山", department="市发展改革委"))
    expected = {r["item_id"]: [role for role in ("lead", "coop") if "市发展改革委" in r[role]] for r in rows}
    assert roles == expected and {"lead"} <= {x for v in roles.values() for x in v}
    assert in_city and set(in_city) < set(roles)
    assert all(r["city"] == "舟山" for r in rows if r["item_id"] in in_city)


def test_status_counts_are_the_status_tables_statuses(loaded_app):
    with loaded_app.app_context():
        for f in (Filters(), Filters(city="湖州"), Filters(department="市发展改革委", statuses=("overdue",))):
            counts = status_counts(AS_OF, f)
            table = Counter(r["status"] for r in api.status_table(AS_OF, Filters(
                city=f.city, department=f.department)))
            assert list(counts) == list(STATUSES)
            assert counts == {s: table.get(s, 0) for s in STATUSES}  # the status filter is not applied
    assert counts["overdue"] and sum(counts.values()) > counts["overdue"]


def test_overdue_counts_per_city_and_per_lead_department(loaded_app):
    """The SQL counts behind the page's bars and headline equal the status table's rows counted here."""
    with loaded_app.app_context():
        rows = api.status_table(AS_OF, Filters(statuses=BOTH))
        by_city = overdue_groups(AS_OF, Filters(statuses=BOTH), None, "city")
        by_lead = overdue_groups(AS_OF, Filters(statuses=("overdue",)), None, "lead")
        totals = overdue_totals(AS_OF, Filters(statuses=BOTH), None)
        long = overdue_totals(AS_OF, Filters(statuses=BOTH), 90)
    expected = {s: Counter(r["city"] for r in rows if r["status"] == s) for s in BOTH}
    assert {g["name"]: (g["overdue"], g["due_soon"]) for g in by_city} == {
        c: (expected["overdue"][c], expected["due_soon"][c]) for c in {r["city"] for r in rows}}
    assert by_city[0]["name"] == expected["overdue"].most_common(1)[0][0]  # most overdue first
    days = Counter()
    for r in rows:
        days[r["city"]] += r["days_overdue"] or 0
    assert {g["name"]: g["days"] for g in by_city} == dict(days)
    leads = Counter(name for r in rows if r["status"] == "overdue" for name in (r["lead"] or [UNNAMED]))
    assert {g["name"]: g["overdue"] for g in by_lead} == dict(leads)
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert totals == {"overdue": len(overdue), "due_soon": len(rows) - len(overdue),
                      "days": sum(r["days_overdue"] for r in overdue),
                      "longest": max(r["days_overdue"] for r in overdue),
                      "items": len({r["item_id"] for r in overdue}), "cities": len({r["city"] for r in overdue})}
    assert long["due_soon"] == 0 and long["overdue"] == sum(r["days_overdue"] >= 90 for r in overdue)
    fig = overdue_bars_figure(by_city)
    overdue_bars, soon_bars = fig.data
    assert (overdue_bars.name, soon_bars.name) == ("逾期未完成", "临期")
    assert list(overdue_bars.y) == [g["name"] for g in by_city]
    assert list(overdue_bars.x) == [g["overdue"] for g in by_city]
    assert [d[0] for d in overdue_bars.customdata] == [g["days"] for g in by_city]
    assert [t.name for t in overdue_bars_figure(by_lead, "牵头部门").data] == ["逾期未完成"]


def test_worst_rows_are_the_status_tables_rows_worst_first(loaded_app):
    with loaded_app.app_context():
        rows = api.status_table(AS_OF, Filters(statuses=BOTH))
        worst = worst_rows(AS_OF, Filters(statuses=BOTH), None, 1000)
        head = worst_rows(AS_OF, Filters(statuses=BOTH), None, 5)
        long = worst_rows(AS_OF, Filters(statuses=BOTH), 90, 1000)
    assert [r["milestone_id"] for r in worst] == [r["milestone_id"] for r in worst_first(rows)]
    assert head == worst[:5]
    assert [r["milestone_id"] for r in long] == [
        r["milestone_id"] for r in worst_first(rows) if r["status"] == "overdue" and r["days_overdue"] >= 90]


def test_ledger_head_is_the_status_tables_first_rows(loaded_app):
    f = Filters(city="湖州")
    with loaded_app.app_context():
        full = api.status_table(AS_OF, f)
        head = ledger_head(AS_OF, f, 7)
    assert len(full) > 7 and head == full[:7]


# --- pages in the browser ---

@pytest.mark.browser
def test_overdue_page_lists_the_query_layers_rows_worst_first(loaded_app):
    with loaded_app.app_context():
        everything = worst_first(api.status_table(AS_OF, page_filters(AS_OF, status=BOTH)))
        huzhou = api.status_table(AS_OF, page_filters(AS_OF, city="湖州", status=BOTH))
        due_soon = api.status_table(AS_OF, page_filters(AS_OF, status=("due_soon",)))
    overdue = [r for r in everything if r["status"] == "overdue"]
    assert overdue and due_soon and len(huzhou) != len(everything)
    with serve(loaded_app) as url, browser_page() as page:
        open_page(page, url + "/overdue?as_of=2020-09-30")
        expect_rows(page, "overdue", len(everything))
        table = grid_table(page, "overdue", len(everything))
        assert table[0]["item"] == everything[0]["item"]
        assert table[0]["days_overdue"] == f"{everything[0]['days_overdue']:,}"
        assert [t["days_overdue"] for t in table] == [
            f"{r['days_overdue']:,}" if r["days_overdue"] is not None else "" for r in everything]
        assert [t["due"] for t in table] == [r["due"] for r in everything]
        assert table[-1]["status_text"].endswith("临期")
        assert shown_count(page, "overdue") == f"共 {len(everything)} 条"
        assert page.inner_text("#overdue-count") == f"{len(overdue):,}个"
        assert page.inner_text("#overdue-days") == f"{sum(r['days_overdue'] for r in overdue):,}天"
        assert page.inner_text("#due-soon-count") == f"{len(due_soon):,}个"

        pick(page, "city", "湖州")  # the filter goes into the URL and the rows follow
        page.wait_for_function("location.search.includes('city=')")
        assert query_of(page)["city"] == "湖州"
        expect_rows(page, "overdue", len(huzhou))
        assert {t["city"] for t in grid_table(page, "overdue", len(huzhou))} == {"湖州"}
        page.go_back()
        expect_rows(page, "overdue", len(everything))
        assert "city" not in query_of(page) and query_of(page)["as_of"] == "2020-09-30"

        page.wait_for_timeout(1000)  # a person's pause between two clicks
        pick(page, "min_days", "90天以上")
        page.wait_for_function("location.search.includes('min_days=90')")
        at_least_90 = [r for r in overdue if r["days_overdue"] >= 90]
        expect_rows(page, "overdue", len(at_least_90))
        shown = grid_table(page, "overdue", len(at_least_90))
        assert [t["item"] for t in shown] == [r["item"] for r in at_least_90]
        assert page.inner_text("#overdue-count") == f"{len(at_least_90):,}个"
        assert page.inner_text("#due-soon-count") == "—"  # due-soon milestones have no days overdue
        assert page.errors == []


@pytest.mark.browser
def test_overdue_status_filter_and_the_empty_state(loaded_app):
    with loaded_app.app_context():
        due_soon = api.status_table(AS_OF, page_filters(AS_OF, status=("due_soon",)))
        longest = max(r["days_overdue"] for r in api.status_table(AS_OF, page_filters(AS_OF, status=("overdue",))))
    with serve(loaded_app) as url, browser_page() as page:
        open_page(page, url + "/overdue?as_of=2020-09-30&status=due_soon")
        expect_rows(page, "overdue", len(due_soon))
        table = grid_table(page, "overdue", len(due_soon))
        assert {t["status_text"] for t in table} == {"◷ 临期"}
        assert [t["due"] for t in table] == sorted(r["due"] for r in due_soon)  # nearest first
        assert page.inner_text("#overdue-count") == "—"
        open_page(page, url + f"/overdue?as_of=2020-09-30&min_days={longest + 1}")
        expect(page.locator(grid_id("overdue", "grid-empty"))).to_have_text("筛选条件下没有逾期或临期的节点")
        assert page.errors == []


@pytest.mark.browser
def test_departments_list_matches_rates_and_opens_a_department_with_its_export(loaded_app, tmp_path):
    with loaded_app.app_context():
        departments = api.rates(AS_OF, "department", page_filters(AS_OF))
    first_page = departments[:50]  # the grid pages by 50
    target = max(first_page, key=lambda r: (r["overdue"], r["total"]))
    with loaded_app.app_context():
        f = page_filters(AS_OF, city=target["city"], department=target["department"])
        milestones = api.status_table(AS_OF, f)
        items = api.rates(AS_OF, "item", f)
    with serve(loaded_app) as url, browser_page() as page:
        open_page(page, url + "/departments?as_of=2020-09-30")
        expect_rows(page, "departments", len(first_page))
        assert shown_count(page, "departments") == f"共 {len(departments)} 条"
        table = grid_table(page, "departments", len(first_page))
        assert [(t["city"], t["department"], t["total"], t["overdue"]) for t in table] == [
            (r["city"], r["department"], str(r["total"]), str(r["overdue"])) for r in first_page]
        assert page.inner_text("#dept-count") == f"{len(departments)}个"

        row = page.locator(f"{grid_id('departments')} .ag-row[row-index='{first_page.index(target)}']")
        row.locator("a", has_text=target["department"]).click()
        page.wait_for_function("location.search.includes('department=')")
        assert {k: query_of(page)[k] for k in ("city", "department", "as_of")} == {
            "city": target["city"], "department": target["department"], "as_of": "2020-09-30"}
        expect_rows(page, "department-milestones", len(milestones))
        expect_rows(page, "department-items", len(items))
        shown = grid_table(page, "department-milestones", len(milestones))
        assert [t["milestone"] for t in shown] == [r["milestone"] for r in milestones]
        assert all(t["role"] in ("牵头", "配合", "牵头、配合") for t in shown)
        assert page.inner_text("#dept-overdue") == f"{sum(r['status'] == 'overdue' for r in milestones)}个"

        with page.expect_download() as download:
            page.click(grid_id("department-milestones", "grid-xlsx"))
        name = download.value.suggested_filename
        assert name == f"{target['city']}市_{target['department']}_进度台账_2020-09-30.xlsx"
        download.value.save_as(tmp_path / name)
        ws = openpyxl.load_workbook(tmp_path / name).active
        title = ws["A1"].value
        assert f"{target['city']}市{target['department']}" in title and "2020年9月30日" in title
        headers = [c.value for c in ws[2]]  # the official table's columns
        assert headers == list(official_headers(milestones).values())
        assert headers[-4:] == ["状态", "实际完成", "逾期天数", "最新进展"]
        body = list(ws.iter_rows(min_row=3, values_only=True))
        assert len(body) == len(shown)  # the rows shown, in their order, each with its milestone's text
        assert all(any(t["milestone"] in str(cell) for cell in b) for b, t in zip(body, shown, strict=True))
        assert page.errors == []


@pytest.mark.browser
def test_departments_unknown_name_and_a_department_without_items_in_a_city(loaded_app):
    with loaded_app.app_context():
        cities = Counter(c["city"] for c in department_items(page_filters(AS_OF, department="市供销社")))
        elsewhere = next(c for c in api.choices()["cities"] if c not in cities)
    with serve(loaded_app) as url, browser_page() as page:
        open_page(page, url + "/departments?department=不存在的部门")
        expect(page.locator("#department-empty")).to_contain_text("不存在的部门")
        assert "未知的部门“不存在的部门”" in page.inner_text("#filter-bar")
        open_page(page, url + f"/departments?city={elsewhere}&department=市供销社")
        expect(page.locator("#department-empty")).to_have_text(f"{elsewhere}市没有“市供销社”参与的工作事项。")
        assert page.locator(grid_id("department-milestones")).count() == 0
        assert page.errors == []


@pytest.mark.browser
def test_milestones_ledger_filters_by_status(loaded_app):
    with loaded_app.app_context():
        overdue = api.status_table(AS_OF, page_filters(AS_OF, status=("overdue",)))
        both = api.status_table(AS_OF, page_filters(AS_OF, status=BOTH))
        done = api.status_table(AS_OF, page_filters(AS_OF, status=("done_on_time", "done_late")))
        counts = status_counts(AS_OF, page_filters(AS_OF))
        quiet_city = next(c for c in api.choices()["cities"]
                          if not api.status_table(AS_OF, page_filters(AS_OF, city=c, status=("open",))))
    with serve(loaded_app) as url, browser_page() as page:
        open_page(page, url + "/milestones?as_of=2020-09-30&status=overdue")
        expect_rows(page, "ledger", len(overdue))
        table = grid_table(page, "ledger", len(overdue))
        assert {t["status_text"] for t in table} == {"✖ 逾期未完成"}
        assert [t["milestone"] for t in table] == [r["milestone"] for r in overdue]
        assert page.inner_text("#chip-overdue").endswith(f"{counts['overdue']:,}")
        headers = page.locator(f"{grid_id('ledger')} .ag-header-cell-text").all_inner_texts()
        assert headers[:4] == ["计划文件", "地市", "县（市、区）", "场景/项目/任务"]

        pick(page, "status", "临期")  # the multi-select adds a status; the URL carries "a,b"
        page.wait_for_function("location.search.includes('due_soon')")
        assert query_of(page)["status"] == "overdue,due_soon"
        expect_rows(page, "ledger", len(both))

        open_page(page, url + "/milestones?as_of=2020-09-30&status=done_on_time,done_late")  # overview's link
        expect(page.locator(grid_id("ledger"))).to_be_visible()
        assert shown_count(page, "ledger") == f"共 {len(done):,} 条"
        chosen = filter_control(page, "status").inner_text()
        assert "按时完成" in chosen and "逾期完成" in chosen
        open_page(page, url + f"/milestones?as_of=2020-09-30&status=open&city={quiet_city}")
        expect(page.locator(grid_id("ledger", "grid-empty"))).to_have_text("筛选条件下没有工作节点")
        assert page.errors == []
