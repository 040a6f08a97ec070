"""Who has reported for a city (reporting.coverage): its city office and each
department with an account and work in force; a unit that reported counts even
if not waited for; the admin's list says which are in and who is missing; the
report page says "已报送" right after a save."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from reporting.coverage import city_reports
from store import session_scope
from store.models import ReportSubmission, User
from tests.test_reporting import PERIOD, account, entry, form

SEPTEMBER = "2020-09"  # (the bundled plan is in force then)


def reports(app, period: str) -> dict:
    with app.app_context(), session_scope() as s:
        return {r.city: r for r in city_reports(s, period)}


def submitted(app, username: str, period: str, on_time: bool = True) -> None:
    with app.app_context(), session_scope() as s:
        user = s.query(User).filter_by(username=username).one()
        s.add(ReportSubmission(period=period, city_id=user.city_id, department_id=user.department_id,
                               user_id=user.id, reported_by=username, due_on=date(2020, 10, 5), on_time=on_time,
                               channel="web"))


def test_a_city_is_in_when_each_of_its_units_is(reporting_app):
    with reporting_app.app_context(), session_scope() as s:  # (the demo's own reports of the month go)
        s.execute(delete(ReportSubmission).where(ReportSubmission.period == SEPTEMBER))
    before = reports(reporting_app, SEPTEMBER)
    assert before["杭州"].units == {None: "杭州市信用办"}  # (hz and hz2: one office)
    assert before["杭州"].missing == ["杭州市信用办"] and not before["杭州"].complete
    assert before["宁波"].missing == ["宁波市信用办"]
    assert before["温州"].accounts == 1 and not before["温州"].units  # its 市发改委's plan had ended: 本月无需报送
    assert not before["丽水"].units and before["丽水"].accounts == 0  # 无账号
    submitted(reporting_app, "hz2", SEPTEMBER, on_time=False)
    submitted(reporting_app, "wzfg", SEPTEMBER)
    after = reports(reporting_app, SEPTEMBER)
    assert after["杭州"].complete and not after["杭州"].on_time  # in, late
    assert after["温州"].complete and after["温州"].on_time  # reported, though not waited for
    assert not after["宁波"].complete and after["宁波"].missing == ["宁波市信用办"]


def test_a_unit_that_reported_counts_though_nothing_was_in_force(reporting_app):
    """This month the bundled 2020 plan is not in force: nobody is waited for, but 温州's 市发改委 did report."""
    now = reports(reporting_app, PERIOD)
    assert not now["温州"].units and now["温州"].accounts == 1  # 本月无需报送
    row = [r for r in form(reporting_app, "wzfg")[0] if r["status"] != "done_on_time"][0]
    from reporting.entries import Report
    from reporting.submit import submit
    with reporting_app.test_request_context():
        assert submit(Report(PERIOD, (entry(row, note="本月推进接口联调"),), ()), account(reporting_app, "wzfg")).ok
    assert reports(reporting_app, PERIOD)["温州"].complete


@pytest.mark.browser
def test_after_a_save_the_page_says_it_is_in_and_the_admin_sees_it(reporting_app):
    from playwright.sync_api import expect

    from tests.browser import browser_page, serve
    from tests.test_page_report import log_in, switch_to

    with serve(reporting_app) as url, browser_page(1400, 900) as page:
        log_in(page, url, "wzfg")
        page.goto(url + "/report")
        expect(page.locator("#report-deadline")).to_contain_text("本单位尚未报送本月进度")
        cell = page.locator(".ag-row .ag-cell[col-id='note']").first
        cell.click()
        page.keyboard.type("本月完成接口联调")
        page.keyboard.press("Enter")
        page.click("#report-save")
        expect(page.locator("#report-deadline")).to_contain_text("本单位已于")  # no reload
        switch_to(page, url, "admin")
        page.goto(url + "/report")
        row = page.locator("#report-submissions tr", has_text="温州市")
        expect(row).to_contain_text("已报送")
        expect(row).to_contain_text("1 / 1")
        expect(page.locator("#report-submissions tr", has_text="宁波市")).to_contain_text("本月无需报送")  # (no plan in force)
        assert page.errors == []
