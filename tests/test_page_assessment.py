"""年度考核 in the browser: the figures are the query layer's, an admin edits the
weights (and is told what is wrong with bad ones), an editor cannot, a
published result does not move when the weights change, the workbook has a
summary sheet and one sheet per city, and every number leads to its rows."""
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from queries import api
from queries import assessment as data
from queries.status import Filters
from store import session_scope
from store.models import AuditEntry
from tests.browser import browser_page, choose, serve
from tests.test_page_overdue_departments import expect_rows, grid_id, grid_table
from tests.test_page_report import log_in

pytestmark = pytest.mark.browser
YEAR = 2020
AS_OF = date(2021, 1, 31)
URL = f"/assessment?year={YEAR}&as_of={AS_OF}"


def scores(app) -> list[dict]:
    with app.app_context():
        return data.scorecard(YEAR, AS_OF)["cities"]


def totals_shown(page, count: int = 11) -> dict[str, str]:
    return {r["city"]: r["total"] for r in grid_table(page, "assessment", count)}


def expect_totals(page, cities: list[dict]) -> None:
    """Wait until the score grid shows these totals (a re-rendered grid fills its cells a moment later)."""
    wanted = {b["city"]: f"{round(b['total'], 2):g}" for b in cities}
    for _ in range(50):
        if totals_shown(page) == wanted:
            return
        page.wait_for_timeout(200)
    assert totals_shown(page) == wanted


def set_weights(page, **weights) -> None:
    page.wait_for_load_state("networkidle")  # settled: a late re-render would drop what is typed
    for key, value in weights.items():
        page.fill(f"#weight-{key}", str(value))
        expect(page.locator(f"#weight-{key}")).to_have_value(str(value))
    page.click("#rules-save")


def test_admin_edits_weights_and_bad_ones_are_refused(reporting_app):
    before = scores(reporting_app)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(url + URL)
        expect_rows(page, "assessment", 11)
        expect_totals(page, before)
        expect(page.locator("#assessment-first")).to_have_text(f"{before[0]['city']} {before[0]['total']:.2f}分")
        set_weights(page, on_time=50, progress=40)  # 50+40+20+10 = 120
        expect(page.locator("#assessment-result")).to_contain_text("各项权重之和须为100（现为120）")
        set_weights(page, on_time=50, progress=20)
        expect(page.locator("#assessment-result")).to_contain_text("已保存新的考核规则")
        after = scores(reporting_app)
        assert after != before
        expect(page.locator("#rules-table")).to_contain_text("按时完成率权重50分")
        expect(page.locator("#assessment-first")).to_have_text(f"{after[0]['city']} {after[0]['total']:.2f}分")
        expect_totals(page, after)
        assert page.errors == []


def test_an_editor_sees_the_rules_but_cannot_edit_them(reporting_app):
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "hz")
        page.goto(url + URL)
        expect_rows(page, "assessment", 11)
        expect(page.locator("#rules-table")).to_contain_text("按时完成率权重40分")
        for control in ("#rules-save", "#bonus-card", "#publish-card"):
            assert page.locator(control).count() == 0
        assert page.errors == []


def test_a_published_result_does_not_move_when_the_weights_change(reporting_app):
    published = scores(reporting_app)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(url + URL)
        expect_rows(page, "assessment", 11)
        page.wait_for_load_state("networkidle")
        page.fill("#publish-note", "经主任办公会审定")
        expect(page.locator("#publish-note")).to_have_value("经主任办公会审定")
        publish_confirmed(page)
        expect(page.locator("#assessment-result")).to_contain_text("已发布为正式考核结果")
        expect_rows(page, "published", 1)
        set_weights(page, on_time=10, progress=60)
        expect(page.locator("#assessment-result")).to_contain_text("已保存新的考核规则")
        with reporting_app.app_context():
            result_id = data.published()[0]["result_id"]
        page.goto(f"{url}/assessment?year={YEAR}&result={result_id}")
        expect(page.locator("#assessment-status")).to_contain_text("已发布的考核结果")
        expect(page.locator("#assessment-status")).to_contain_text("经主任办公会审定")
        expect_rows(page, "assessment", 11)
        expect_totals(page, published)
        assert scores(reporting_app) != published  # the live scores did move
        assert page.locator("#rules-save").count() == 0  # a frozen result shows its own rules, read-only
        expect(page.locator("#rules-table")).to_contain_text("按时完成率权重40分")
        expect_rows(page, "published-compare", 11)
        assert page.errors == []


def publish_confirmed(page) -> None:
    """发布 asks first, naming the year and the date; 确认发布 publishes."""
    page.click("#publish-ask")
    expect(page.locator("#publish-what")).to_contain_text(f"{YEAR}年度（考核截至2021年1月31日）")
    page.click("#publish")
    expect(page.locator("#publish-confirm")).to_be_hidden()


def admin_actions(app) -> list[str]:
    with app.app_context(), session_scope() as s:
        return list(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("assessment.%"))
                              .order_by(AuditEntry.id)))


def wait_for_actions(page, app, count: int) -> None:
    for _ in range(75):
        if len(admin_actions(app)) >= count:
            return
        page.wait_for_timeout(200)
    assert len(admin_actions(app)) == count


def test_each_admin_action_happens_once_per_click(reporting_app):
    """Saving the rules redraws the page; the redraw must not fire the bonus,
    withdraw or publish buttons again (it did: 8 publications from 3 clicks)."""
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(url + URL)
        expect_rows(page, "assessment", 11)
        for n, weight in enumerate((45, 35, 40), start=1):
            set_weights(page, on_time=weight, progress=70 - weight)
            wait_for_actions(page, reporting_app, n)
            expect(page.locator("#assessment-result")).to_contain_text("已保存新的考核规则")
        choose(page, page.locator("#bonus-city"), "杭州")
        page.fill("#bonus-points", "2")
        page.fill("#bonus-reason", "获评国家社会信用体系建设示范区")
        page.click("#bonus-add")
        expect(page.locator("#assessment-result")).to_contain_text("已为杭州市记录加分项")
        expect_rows(page, "bonus", 1)
        choose(page, page.locator("#bonus-withdraw-id"), "杭州 +2")
        page.click("#bonus-withdraw")
        expect(page.locator("#assessment-result")).to_contain_text("已撤销该加分项")
        page.fill("#publish-note", "经主任办公会审定")
        publish_confirmed(page)
        expect(page.locator("#assessment-result")).to_contain_text("已发布为正式考核结果")
        expect_rows(page, "published", 1)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)  # anything a redraw would still fire has fired by now
        assert page.locator(".alert-danger").count() == 0
        assert page.errors == []
    assert admin_actions(reporting_app) == ["assessment.rules"] * 3 + [
        "assessment.bonus", "assessment.withdraw", "assessment.publish"]
    with reporting_app.app_context():
        results = data.published()
    assert len(results) == 1 and results[0]["note"] == "经主任办公会审定" and results[0]["current"]


def test_workbook_has_a_summary_and_a_sheet_per_city(loaded_app, tmp_path):
    cities = scores(loaded_app)
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + URL)
        expect_rows(page, "assessment", 11)
        with page.expect_download() as download:
            page.click("#assessment-export")
        name = download.value.suggested_filename
        download.value.save_as(tmp_path / name)
        assert page.errors == []
    assert name == f"{YEAR}年度考核结果_{AS_OF}.xlsx"
    wb = openpyxl.load_workbook(tmp_path / name)
    assert wb.sheetnames == ["汇总", *[b["city"] for b in cities], "考核规则"]
    summary = wb["汇总"]
    assert summary["A1"].value.startswith(f"{YEAR}年度信用应用场景推进考核结果（截至2021年1月31日）")
    headers = [c.value for c in summary[2]]
    assert headers[:3] == ["排名", "地市", "总分"] and "按时完成率得分" in headers and "逾期扣分" in headers
    body = list(summary.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2]) for r in body] == [(b["city"], round(b["total"], 2)) for b in cities]
    assert summary.freeze_panes == "A3" and summary.auto_filter.ref
    first = wb[cities[0]["city"]]
    lines = [r[0] for r in first.iter_rows(min_row=3, values_only=True)]
    assert lines[:5] == ["按时完成率", "进度完成率", "指标达成度", "报送及时率", "逾期扣分"] and lines[-1] == "总分"
    assert first.cell(first.max_row, 5).value == round(cities[0]["total"], 2)


def test_every_number_leads_to_the_rows_behind_it(loaded_app):
    hz = next(b for b in scores(loaded_app) if b["city"] == "杭州")
    on_time = hz["components"]["on_time"]
    with loaded_app.app_context():
        milestones = api.status_table(AS_OF, Filters(year=YEAR, city="杭州"))
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + URL)
        expect_rows(page, "assessment", 11)
        page.locator(grid_id("assessment")).get_by_role("link", name="杭州", exact=True).click()
        expect(page.locator("#breakdown")).to_contain_text(f"杭州市得分明细（第{hz['rank']}名")
        expect_rows(page, "breakdown-milestones", len(milestones))
        lines = grid_table(page, "breakdown", 6 + len(hz["bonus_items"]))  # 4 parts, deduction, bonus items, total
        assert lines[0]["figure"] == f"{on_time['rate']:.1%}（{on_time['num']:g}/{on_time['den']}）"
        assert lines[-1]["points"] == f"{round(hz['total'], 2):g}"
        page.locator(grid_id("breakdown")).get_by_role("link", name="查看明细").first.click()
        page.wait_for_function("location.pathname == '/milestones'")
        assert "status=done_on_time" in page.url and f"year={YEAR}" in page.url
        expect_rows(page, "ledger", on_time["num"])
        assert page.errors == []
