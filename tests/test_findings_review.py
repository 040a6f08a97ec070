"""A data-quality finding answered in place: confirmed as right by the admin
with a reason (kept when the plan is imported again), or fixed by a
correction of the plan; nobody else can confirm one, however asked."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from corrections.apply import CorrectionError, Edit, correct, current_values
from corrections.findings import confirm_findings
from importers.loader import load_plan
from importers import parse_text
from queries.findings import finding_rows
from store import clock, session_scope
from store.models import AuditEntry, Finding, FindingReview, Plan, User, WorkItem
from tests.browser import browser_page, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.test_page_report import log_in
from tests.test_security import login
from tests.test_variants import PROJECTS

HUZHOU = "湖信用办〔2019〕9号"


def account(session, username: str):
    return SimpleNamespace(user_id=session.scalar(select(User.id).where(User.username == username)))


def early(session) -> list[dict]:
    """湖州's findings of a milestone due before its plan was issued."""
    return [f for f in finding_rows(session, HUZHOU) if f["kind"] == "due_before_issue"]


def reviews(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(FindingReview))


def test_a_confirmed_finding_stays_confirmed_when_its_plan_is_imported_again(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        first, second = early(s)[:2]
        assert (first["state"], first["state_label"]) == ("open", "待处理")
        assert confirm_findings(s, account(s, "admin"), [first["finding_id"]], "原文如此：该项一季度已启动") == 1
        assert confirm_findings(s, account(s, "admin"), [first["finding_id"], second["finding_id"]], "同上") == 1
    with reporting_app.app_context(), session_scope() as s:
        states = {f["message"]: (f["state"], f["resolution"]) for f in early(s)}
        assert states[first["message"]] == ("confirmed", "原文如此：该项一季度已启动（admin）")
        assert states[second["message"]][0] == "confirmed"
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "finding.confirm")) == 2
        edition = parse_text(PROJECTS.replace("2019年12月底前", "2019年11月底前", 1), "湖州（修订）.txt")
        load_plan(s, edition, "0" * 64)  # its findings are made anew
    with reporting_app.app_context(), session_scope() as s:
        again = {f["message"]: f["state"] for f in early(s)}
        assert again[first["message"]] == "confirmed" and again[second["message"]] == "confirmed"
        assert sum(state == "open" for state in again.values()) == len(again) - 2


def test_a_finding_is_fixed_by_a_correction_of_its_record(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        finding = early(s)[0]
        row = s.get(Finding, finding["finding_id"])
        item = s.get(WorkItem, finding["item_id"])
        seen = current_values(s, item)[("due", row.milestone_id)]
        correct(s, account(s, "admin"), item.id, [Edit("due", "2019年6月底前", seen, row.milestone_id)],
                "按印发后的安排更正", s.get(Plan, item.plan_id).issue_date, clock.today())
    with reporting_app.app_context(), session_scope() as s:
        fixed = next(f for f in early(s) if f["finding_id"] == finding["finding_id"])
        assert (fixed["state"], fixed["resolution"]) == ("fixed", "见计划变更记录")


@pytest.mark.parametrize("who, ids, reason, message", [
    ("hz", "first", "理由", "只有管理员"),
    ("leader", "first", "理由", "只有管理员"),
    ("admin", [], "理由", "勾选"),
    ("admin", "first", " ", "理由"),
    ("admin", [999999], "理由", "已不存在"),
    ("admin", "junk", "理由", "勾选"),
])
def test_a_refused_confirmation_writes_nothing(reporting_app, who, ids, reason, message):
    with reporting_app.app_context(), session_scope() as s:
        ids = [early(s)[0]["finding_id"]] if ids == "first" else ids
        with pytest.raises(CorrectionError, match=message):
            confirm_findings(s, account(s, who), ids, reason)
    assert reviews(reporting_app) == 0


def confirm_payload(client, ids, reason="核实无误") -> dict:
    body = payload(dependency(client, "findings-confirm"), {"findings-reason": reason}, clicked="findings-confirm")
    for state in body["state"]:
        if state["property"] == "selectedRows":
            state["value"] = [{"finding_id": i} for i in ids]
    return body


def test_a_crafted_confirmation_by_anyone_else_is_refused(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ids = [f["finding_id"] for f in early(s)]
    for username in ("hz", "leader", "wzfg"):
        client = reporting_app.test_client()
        login(client, username)
        status, body = post(client, confirm_payload(client, ids))
        assert "只有管理员" in body, (username, body[:300])
        assert "去更正" not in render_page(client, "/data-quality")[1]
    assert reviews(reporting_app) == 0
    admin = reporting_app.test_client()
    login(admin, "admin")
    no_click = confirm_payload(admin, ids)
    no_click["changedPropIds"], no_click["inputs"][0]["value"] = [], None
    assert post(admin, no_click)[0] == 204 and reviews(reporting_app) == 0
    status, body = post(admin, confirm_payload(admin, ids))
    assert f"已确认 {len(ids)} 条" in body and reviews(reporting_app) == len(ids)
    status, page = render_page(admin, "/data-quality", "?state=confirmed")
    assert "已确认无误" in page and "去更正" in page


def test_the_admin_ticks_findings_and_confirms_them_once(reporting_app):
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(f"{url}/data-quality?plan={HUZHOU}&kind=due_before_issue&state=open")
        grid = page.locator("#findings-grid")
        expect(grid).to_contain_text("节点早于计划印发", timeout=20000)
        grid.locator(".ag-row .ag-checkbox-input").first.check()
        page.fill("#findings-reason", "原文如此，已与牵头部门核实")
        page.click("#findings-confirm")
        expect(page.locator("#findings-confirmed")).to_contain_text("已确认 1 条", timeout=20000)
        page.click("#findings-confirm")  # the same row again: confirmed already
        expect(page.locator("#findings-confirmed")).to_contain_text("已确认 0 条", timeout=20000)
        assert page.errors == []
        page.goto(f"{url}/data-quality?plan={HUZHOU}&state=confirmed")
        expect(page.locator("#findings-grid")).to_contain_text("原文如此，已与牵头部门核实", timeout=20000)
        expect(page.locator("#state-count-confirmed")).to_contain_text("1")
    assert reviews(reporting_app) == 1
