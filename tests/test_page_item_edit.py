"""更正或调整计划: an admin corrects a milestone's time from the item's edit page,
with a reason; the item page lists the change.  Nobody else can, however the
request is crafted; a click saves once, a second click saves nothing."""
from __future__ import annotations

import json
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from store import clock, session_scope
from store.models import AuditEntry, Milestone, PlanChange, WorkItem
from tests.browser import browser_page, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.test_page_report import log_in
from tests.test_security import login

FIELDS = '{"field":["ALL"],"ms":["ALL"],"type":"edit-field"}'


def a_milestone(app) -> tuple[int, int, str]:
    """(item id, milestone id, its due phrase) of the first dated milestone of 杭州's first scene."""
    with app.app_context(), session_scope() as s:
        m = s.scalar(select(Milestone).join(WorkItem, WorkItem.id == Milestone.work_item_id)
                     .where(WorkItem.key == "杭州-1", Milestone.due.is_not(None)).order_by(Milestone.seq))
        return m.work_item_id, m.id, m.due_text


def changes(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(PlanChange))


def save_payload(client, item_id: int, ms_id: int, due_text: str, new_due: str) -> dict:
    body = payload(dependency(client, "edit-save"), {
        "edit-item": item_id, "edit-effective": "2020-07-15", "edit-reason": "伪造的更正",
        "edit-seen": [["due", ms_id, due_text]]}, clicked="edit-save")
    for state in body["state"]:
        if state["id"] == FIELDS:
            state["value"] = [new_due] if state["property"] == "value" else [
                {"type": "edit-field", "field": "due", "ms": ms_id}]
    return body


def test_only_an_admin_sees_the_edit_page_and_a_crafted_save_writes_nothing(reporting_app):
    item_id, ms_id, due_text = a_milestone(reporting_app)
    visitor = reporting_app.test_client()
    assert "请先登录" in render_page(visitor, f"/item/{item_id}/edit")[1]
    for username in ("hz", "leader", "wzfg"):
        client = reporting_app.test_client()
        login(client, username)
        assert "无权访问" in render_page(client, f"/item/{item_id}/edit")[1]
        assert "更正或调整计划" not in render_page(client, f"/item/{item_id}")[1].replace("更正或调整计划；", "")
        status, body = post(client, save_payload(client, item_id, ms_id, due_text, "2030年12月底前"))
        assert "只有管理员" in body, (username, body[:300])
    status, body = post(visitor, save_payload(visitor, item_id, ms_id, due_text, "2030年12月底前"))
    assert "2030" not in body or "只有管理员" in body
    admin = reporting_app.test_client()
    login(admin, "admin")
    no_click = save_payload(admin, item_id, ms_id, due_text, "2030年12月底前")
    no_click["changedPropIds"], no_click["inputs"][0]["value"] = [], None  # a redraw, not a click
    assert post(admin, no_click)[0] == 204
    assert changes(reporting_app) == 0
    with reporting_app.app_context(), session_scope() as s:
        assert s.get(Milestone, ms_id).due_text == due_text


def test_a_crafted_save_of_another_items_milestone_is_refused(reporting_app):
    item_id, ms_id, due_text = a_milestone(reporting_app)
    with reporting_app.app_context(), session_scope() as s:
        other_item = s.scalar(select(WorkItem.id).where(WorkItem.key == "宁波-1"))
    admin = reporting_app.test_client()
    login(admin, "admin")
    status, body = post(admin, save_payload(admin, other_item, ms_id, due_text, "2020年12月底前"))
    assert "不属于该工作事项" in body and changes(reporting_app) == 0


def test_the_admin_moves_a_due_once_and_the_item_page_lists_it(reporting_app):
    item_id, ms_id, due_text = a_milestone(reporting_app)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(f"{url}/item/{item_id}")
        expect(page.locator("#item-changes")).to_contain_text("计划未作过更正或调整", timeout=20000)
        page.click("#item-edit-link")
        due = page.locator(f"""[id='{json.dumps({"field": "due", "ms": ms_id, "type": "edit-field"},
                                                separators=(",", ":"))}']""")
        expect(due).to_have_value(due_text, timeout=20000)
        due.fill("2020年12月底前")
        page.click("#edit-save")
        expect(page.locator("#edit-refused")).to_contain_text("请填写更正或调整的原因", timeout=20000)
        page.fill("#edit-reason", "经市政府同意延期")
        page.click("#edit-save")
        expect(page.locator("#edit-saved")).to_contain_text("已保存 1 项改动", timeout=20000)
        page.click("#edit-save")  # a second click: nothing left to save
        expect(page.locator("#edit-nothing")).to_contain_text("没有改动", timeout=20000)
        assert page.errors == []
        page.reload()  # the page drawn again: the form shows the store, nothing is written
        expect(due).to_have_value("2020年12月底前", timeout=20000)
        page.goto(f"{url}/item/{item_id}")
        expect(page.locator("#item-changes")).to_contain_text("经市政府同意延期", timeout=20000)
        expect(page.locator("#item-changes")).to_contain_text("2020年12月底前")
    assert changes(reporting_app) == 1
    with reporting_app.app_context(), session_scope() as s:
        change = s.scalar(select(PlanChange))
        assert (change.changed_by, change.effective_on, change.due_after) == ("admin", clock.today(),
                                                                              date(2020, 12, 31))
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "plan.correct")) == 1


def milestones(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(Milestone))


def test_a_crafted_addition_or_cancellation_by_an_editor_writes_nothing(reporting_app):
    """hz posts the edit form with a new milestone, a cancellation and 不影响考核 ticked: refused."""
    item_id, ms_id, due_text = a_milestone(reporting_app)
    before = milestones(reporting_app)
    for username in ("hz", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        body = save_payload(client, item_id, ms_id, due_text, due_text)
        for state in body["state"]:
            state["value"] = {"edit-new-text": "伪造的新增节点", "edit-new-due": "2030年12月底前",
                              "edit-keeps-score": True}.get(state["id"], state["value"])
            if state["id"] == FIELDS:
                state["value"] = [True] if state["property"] == "value" else [
                    {"type": "edit-field", "field": "cancel", "ms": ms_id}]
        status, answer = post(client, body)
        assert status == 200 and "只有管理员" in answer, (username, answer[:300])
    assert (milestones(reporting_app), changes(reporting_app)) == (before, 0)


def edit_field(page, field: str, ms_id: int):
    return page.locator(f"""[id='{json.dumps({"field": field, "ms": ms_id, "type": "edit-field"},
                                            separators=(",", ":"))}']""")


def test_the_admin_adds_a_milestone_once_reorders_and_cancels_one(reporting_app):
    item_id, ms_id, _ = a_milestone(reporting_app)
    before = milestones(reporting_app)
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(f"{url}/item/{item_id}/edit")
        expect(edit_field(page, "seq", ms_id)).to_have_value("1", timeout=20000)
        page.fill("#edit-new-text", "完成市级推广并通报成效")
        page.fill("#edit-new-due", "2021年3月底前")
        page.fill("#edit-reason", "市政府新增建设任务")
        page.click("#edit-save")
        expect(page.locator("#edit-saved")).to_contain_text("新增节点", timeout=20000)
        expect(page.locator("#edit-new-text")).to_have_value("")  # the table is drawn again, the new one in it
        page.click("#edit-save")  # a second click adds nothing
        expect(page.locator("#edit-nothing")).to_contain_text("没有改动", timeout=20000)
        with reporting_app.app_context(), session_scope() as s:
            added = s.scalar(select(Milestone).where(Milestone.work_item_id == item_id, Milestone.added_on.is_not(None)))
            added_id, added_seq = added.id, added.seq
        expect(edit_field(page, "seq", added_id)).to_have_value(str(added_seq))
        edit_field(page, "seq", added_id).fill("1")
        edit_field(page, "seq", ms_id).fill(str(added_seq))
        edit_field(page, "cancel", added_id).check()
        page.fill("#edit-reason", "按工作先后调整顺序，新增节点并入市级平台")
        page.click("#edit-save")
        expect(page.locator("#edit-saved")).to_contain_text("已保存 3 项改动", timeout=20000)
        assert page.errors == []
        page.reload()
        expect(edit_field(page, "seq", added_id)).to_have_value("1", timeout=20000)
        expect(edit_field(page, "cancel", added_id)).to_be_disabled()
        page.goto(f"{url}/item/{item_id}")
        expect(page.locator("#item-changes")).to_contain_text("新增节点", timeout=20000)
        expect(page.locator("#item-changes")).to_contain_text("节点顺序")
    assert milestones(reporting_app) == before + 1
    with reporting_app.app_context(), session_scope() as s:
        fields = sorted(s.scalars(select(PlanChange.field)))
    assert fields == ["add", "cancel", "seq", "seq"]
