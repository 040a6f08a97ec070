"""更正或调整指标 (/indicator/<id>/edit): only the admin sees it and saves
through it, once per click; a crafted save from any other account writes
nothing."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from store import session_scope
from store.models import AuditEntry, Indicator, IndicatorChange
from tests.browser import browser_page, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.test_page_report import log_in
from tests.test_plan_edits import loan_indicator
from tests.test_security import login


def changes(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(IndicatorChange))


def the_indicator(app) -> tuple[int, int]:
    with app.app_context(), session_scope() as s:
        indicator = loan_indicator(s)
        return indicator.id, indicator.plan_id


def save_payload(client, indicator_id: int, target: str) -> dict:
    return payload(dependency(client, "indicator-save"), {
        "indicator-shown": {"id": indicator_id, "values": {"target": "3"}}, "indicator-target": target,
        "indicator-effective": "2020-10-01", "indicator-reason": "伪造的调整"}, clicked="indicator-save")


def test_only_the_admin_corrects_an_indicator_and_a_crafted_save_writes_nothing(reporting_app):
    ident, _ = the_indicator(reporting_app)
    assert "请先登录" in render_page(reporting_app.test_client(), f"/indicator/{ident}/edit")[1]
    for username in ("hz", "leader", "wzfg"):
        client = reporting_app.test_client()
        login(client, username)
        assert "无权访问" in render_page(client, f"/indicator/{ident}/edit")[1]
        status, body = post(client, save_payload(client, ident, "300"))
        assert status == 200 and "只有管理员" in body, (username, body[:300])
    admin = reporting_app.test_client()
    login(admin, "admin")
    for shown in ({"id": "1; drop table"}, {"id": True}, None, {"id": ident, "values": "x"}):
        body = save_payload(admin, ident, "300")
        for state in body["state"]:
            if state["id"] == "indicator-shown":
                state["value"] = shown
        status, answer = post(admin, body)
        assert status == 200 and ("表单已失效" in answer or "已被他人修改" in answer), answer[:300]
    assert "没有编号" in render_page(admin, "/indicator/99999999/edit")[1]
    assert changes(reporting_app) == 0
    with reporting_app.app_context(), session_scope() as s:
        assert s.get(Indicator, ident).target == 3.0


def test_the_admin_raises_a_target_once_from_the_plan_page(reporting_app):
    ident, plan_id = the_indicator(reporting_app)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(f"{url}/plan/{plan_id}")
        link = page.locator(f"a[href='/indicator/{ident}/edit']")
        link.scroll_into_view_if_needed(timeout=20000)
        link.click()
        expect(page.locator("#indicator-name")).to_have_text("小微企业新增信用贷款", timeout=20000)
        expect(page.locator("#indicator-target")).to_have_value("3")
        page.fill("#indicator-target", "6")
        page.fill("#indicator-reason", "省政府提高年度目标")
        page.click("#indicator-save")
        expect(page.locator("#indicator-saved")).to_contain_text("目标值：3亿元 → 6亿元", timeout=20000)
        page.click("#indicator-save")  # a second click: nothing left to save
        expect(page.locator("#indicator-nothing")).to_contain_text("没有改动", timeout=20000)
        assert page.errors == []
        page.reload()
        expect(page.locator("#indicator-target")).to_have_value("6", timeout=20000)
        expect(page.locator("body")).to_contain_text("省政府提高年度目标")
    assert changes(reporting_app) == 1
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "indicator.correct")) == 1
