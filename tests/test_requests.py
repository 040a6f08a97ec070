"""计划调整申请: a city editor asks to move or cancel one of its milestones with a
reason; the admin approves (the plan changes from that day, with its history)
or rejects it with a comment; the editor sees the outcome.  Nobody asks about
another city's milestone or decides a request but the admin, however asked."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from corrections.apply import CorrectionError
from corrections.requests import decide, pending_count, submit_request
from queries.requests import request_rows
from queries.status import milestone_status
from store import clock, session_scope
from store.models import AdjustmentRequest, AuditEntry, Milestone, PlanChange, ProgressUpdate, User, WorkItem
from tests.browser import browser_page, choose, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.test_page_report import log_in
from tests.test_security import login

TODAY = clock.today()


def account(session, username: str):
    user = session.scalar(select(User).where(User.username == username))
    return SimpleNamespace(user_id=user.id, role=user.role, city_id=user.city_id, department_id=user.department_id,
                           username=username)


def milestone_of(session, city_key: str) -> Milestone:
    """The first dated milestone of a city's first scene (杭州-1, 宁波-1)."""
    return session.scalar(select(Milestone).join(WorkItem, WorkItem.id == Milestone.work_item_id)
                          .where(WorkItem.key == city_key, Milestone.due.is_not(None)).order_by(Milestone.seq))


def count(app, model) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_move_approved_changes_the_plan_from_that_day_and_a_rejection_changes_nothing(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ms = milestone_of(s, "杭州-1")
        asked = submit_request(s, account(s, "hz"), ms.id, "move", "2021年6月底前", "平台验收推迟")
        other = submit_request(s, account(s, "hz"), ms.id, "move", "2021年3月底前", "另一方案")
        assert pending_count(s) == 2
        decide(s, account(s, "admin"), asked.id, True, "同意", TODAY)
        with pytest.raises(CorrectionError, match="驳回时请填写审批意见"):
            decide(s, account(s, "admin"), other.id, False, "", TODAY)
        decide(s, account(s, "admin"), other.id, False, "与批准的方案重复", TODAY)
        ms_id, asked_id = ms.id, asked.id
    with reporting_app.app_context(), session_scope() as s:
        ms = s.get(Milestone, ms_id)
        assert (ms.due, ms.due_text) == (date(2021, 6, 30), "2021年6月底前")
        change = s.scalar(select(PlanChange))
        assert (change.effective_on, change.changed_by) == (TODAY, "admin")
        assert change.reason == f"调整申请 #{asked_id}（hz）：平台验收推迟"
        mine = {r["request_id"]: (r["state_label"], r["comment"]) for r in request_rows(s, requested_by="hz")}
        assert mine == {asked_id: ("已批准", "同意"), asked_id + 1: ("已驳回", "与批准的方案重复")}
        assert pending_count(s) == 0
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("request.%"))))
        assert actions == {"request.submit", "request.approve", "request.reject"}
        with pytest.raises(CorrectionError, match="已处理"):
            decide(s, account(s, "admin"), asked_id, True, "", TODAY)


def test_a_cancellation_approved_leaves_the_milestone_open_with_its_reports(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ms = milestone_of(s, "杭州-1")
        reports = s.scalar(select(func.count()).select_from(ProgressUpdate).where(ProgressUpdate.milestone_id == ms.id))
        request = submit_request(s, account(s, "hz"), ms.id, "cancel", None, "该节点已并入市级平台建设")
        decide(s, account(s, "admin"), request.id, True, "", TODAY)
        ms_id = ms.id
    with reporting_app.app_context(), session_scope() as s:
        st = milestone_status(TODAY, reporting_app.config["DUE_SOON_DAYS"])
        row = s.execute(select(st).where(st.c.milestone_id == ms_id)).mappings().one()
        assert (row["state"], row["status"], row["active"], row["due_by"]) == ("cancelled", "open", 0, 0)
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)
                        .where(ProgressUpdate.milestone_id == ms_id)) == reports + 1  # nothing deleted
        assert s.scalar(select(PlanChange.field)) == "cancel"
        from queries.scope import latest_report
        assert latest_report(s, (s.get(Milestone, ms_id).plan_id,)) == date(2021, 3, 14)  # the demo's latest: a cancellation is no report


@pytest.mark.parametrize("who, city_key, kind, due, reason, message", [
    ("hz", "宁波-1", "move", "2021年6月底前", "理由", "本地市"),  # another city's milestone
    ("wzfg", "杭州-1", "move", "2021年6月底前", "理由", "本地市"),  # not its department's
    ("leader", "杭州-1", "move", "2021年6月底前", "理由", "只有地市、部门填报员"),
    ("admin", "杭州-1", "move", "2021年6月底前", "理由", "管理员请直接更正"),
    ("hz", "杭州-1", "move", "择机推进", "理由", "无法识别的时间"),
    ("hz", "杭州-1", "move", "", "理由", "调整后的完成时间"),
    ("hz", "杭州-1", "move", "2021年6月底前", " ", "理由"),
    ("hz", "杭州-1", "postpone", "2021年6月底前", "理由", "申请类型"),
])
def test_a_refused_request_writes_nothing(reporting_app, who, city_key, kind, due, reason, message):
    with reporting_app.app_context(), session_scope() as s:
        ms = milestone_of(s, city_key)
        with pytest.raises(CorrectionError, match=message):
            submit_request(s, account(s, who), ms.id, kind, due, reason)
        s.rollback()
    assert count(reporting_app, AdjustmentRequest) == 0


def test_open_requests_per_milestone_are_bounded(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ms = milestone_of(s, "杭州-1")
        for n in range(3):
            submit_request(s, account(s, "hz"), ms.id, "move", f"2021年{n + 4}月底前", "理由")
        with pytest.raises(CorrectionError, match="已有待审批的申请"):
            submit_request(s, account(s, "hz"), ms.id, "move", "2021年9月底前", "理由")


def ask_payload(client, ms_id) -> dict:
    return payload(dependency(client, "request-submit"), {
        "request-milestone": ms_id, "request-kind": "move", "request-due": "2030年12月底前",
        "request-reason": "伪造的申请"}, clicked="request-submit")


def answer_payload(client, request_id, clicked="request-approve") -> dict:
    body = payload(dependency(client, "request-approve"), {"decision-comment": "伪造"}, clicked=clicked)
    for state in body["state"]:
        if state["property"] == "selectedRows":
            state["value"] = [{"request_id": request_id}]
    return body


def test_crafted_requests_and_decisions_are_refused(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ningbo, hangzhou = milestone_of(s, "宁波-1").id, milestone_of(s, "杭州-1").id
    hz = reporting_app.test_client()
    login(hz, "hz")
    status, body = post(hz, ask_payload(hz, ningbo))
    assert "本地市" in body and count(reporting_app, AdjustmentRequest) == 0
    status, body = post(hz, ask_payload(hz, hangzhou))
    assert "已提交申请" in body and count(reporting_app, AdjustmentRequest) == 1
    with reporting_app.app_context(), session_scope() as s:
        request_id = s.scalar(select(AdjustmentRequest.id))
    for username in ("hz", "nb", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        status, body = post(client, answer_payload(client, request_id))
        assert "只有管理员" in body, (username, body[:300])
    admin = reporting_app.test_client()
    login(admin, "admin")
    no_click = answer_payload(admin, request_id)
    no_click["changedPropIds"], no_click["inputs"][0]["value"] = [], None
    assert post(admin, no_click)[0] == 204
    assert count(reporting_app, PlanChange) == 0
    status, body = render_page(admin, "/requests")
    assert "待审批（1 件）" in body
    assert "请先登录" in render_page(reporting_app.test_client(), "/requests")[1]
    leader = reporting_app.test_client()
    login(leader, "leader")
    assert "无权访问" in render_page(leader, "/requests")[1]


def test_a_city_asks_the_admin_approves_once_and_the_city_sees_it(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ms = milestone_of(s, "杭州-1")
        item_id, seq = ms.work_item_id, ms.seq
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "hz")
        page.goto(f"{url}/item/{item_id}")
        page.click("#item-request-link")
        choose(page, page.locator("#request-milestone"), f"节点{seq}")
        page.fill("#request-due", "2021年6月底前")
        page.fill("#request-reason", "平台验收推迟")
        page.click("#request-submit")
        expect(page.locator("#request-sent")).to_contain_text("已提交申请", timeout=20000)
        assert page.errors == []
        page.context.clear_cookies()
        log_in(page, url, "admin")
        page.goto(f"{url}/requests")
        expect(page.locator("#requests-waiting")).to_have_text("1", timeout=20000)  # on 系统管理
        expect(page.locator("body")).to_contain_text("平台验收推迟", timeout=20000)
        page.locator(".ag-row .ag-checkbox-input").first.check()
        page.locator("#decision-keeps-score").check()
        page.click("#request-approve")
        expect(page.locator("#decision-made")).to_contain_text("已批准，计划已自今日起调整（不影响考核）", timeout=20000)
        page.click("#request-approve")  # a second click: the request is decided already
        expect(page.locator("#decision-refused")).to_contain_text("已处理", timeout=20000)
        assert page.errors == []
        page.context.clear_cookies()
        log_in(page, url, "hz")
        page.goto(f"{url}/requests")
        expect(page.locator("body")).to_contain_text("已批准", timeout=20000)
        expect(page.locator("body")).to_contain_text("不影响考核")
    assert count(reporting_app, PlanChange) == 1
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(PlanChange.keeps_score)) is True
