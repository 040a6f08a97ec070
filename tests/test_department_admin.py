"""部门名称管理: the admin merges two departments of a city (its items, accounts
and reports go along; a later import reads the old name as the one kept),
undoes a merge, renames one.  Nobody else can, however asked."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from corrections.apply import CorrectionError
from corrections.departments import merge_departments, rename_department, undo_merge
from importers.loader import department_of
from store import session_scope
from store.models import AuditEntry, Department, DepartmentMerge, ItemDepartment, Region, User
from tests.browser import browser_page, choose, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.test_page_report import log_in
from tests.test_security import login


def account(session, username: str):
    return SimpleNamespace(user_id=session.scalar(select(User.id).where(User.username == username)))


def dept(session, city: str, name: str) -> Department:
    return session.scalar(select(Department).join(Region, Region.id == Department.city_id)
                          .where(Region.name == city, Department.name == name))


def roles(session, dept_id: int) -> set[tuple[int, str]]:
    return {(item, role) for item, role in session.execute(
        select(ItemDepartment.work_item_id, ItemDepartment.role).where(ItemDepartment.department_id == dept_id))}


def test_a_merge_moves_everything_an_import_follows_it_and_an_undo_gives_it_back(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        source, target = dept(s, "温州", "市大数据局"), dept(s, "温州", "市发展改革委")
        before = {"source": roles(s, source.id), "target": roles(s, target.id)}
        assert before["source"]
        editor = s.scalar(select(User).where(User.username == "wzfg"))  # 温州 市发改委's editor
        editor.department_id = source.id
        merge = merge_departments(s, account(s, "admin"), source.id, target.id, "同一单位")
        source_id, target_id, merge_id = source.id, target.id, merge.id
    with reporting_app.app_context(), session_scope() as s:
        assert s.get(Department, source_id) is None
        assert roles(s, target_id) >= {(item, role) for item, role in before["source"]}
        assert s.scalar(select(User.department_id).where(User.username == "wzfg")) == target_id
        wenzhou = s.scalar(select(Region.id).where(Region.name == "温州"))
        assert department_of(s, "市大数据局", wenzhou, None)[0].id == target_id  # a later import
        restored = undo_merge(s, account(s, "admin"), merge_id)
        restored_id = restored.id
    with reporting_app.app_context(), session_scope() as s:
        assert roles(s, restored_id) == before["source"] and roles(s, target_id) == before["target"]
        assert s.scalar(select(User.department_id).where(User.username == "wzfg")) == restored_id
        assert s.get(DepartmentMerge, merge_id).undone_at is not None
        assert department_of(s, "市大数据局", s.scalar(select(Region.id).where(Region.name == "温州")), None)[0].id \
            == restored_id
        with pytest.raises(CorrectionError, match="已撤销"):
            undo_merge(s, account(s, "admin"), merge_id)
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("department.%"))))
        assert actions == {"department.merge", "department.unmerge"}


def test_a_rename_keeps_the_old_name_for_imports(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        target = dept(s, "温州", "市大数据局")
        rename_department(s, account(s, "admin"), target.id, "市数据局", "机构改革")
        wenzhou = s.scalar(select(Region.id).where(Region.name == "温州"))
        assert department_of(s, "市大数据局", wenzhou, None)[0].id == target.id
        with pytest.raises(CorrectionError, match="已有名为"):
            rename_department(s, account(s, "admin"), target.id, "市发展改革委", "重名")


@pytest.mark.parametrize("who, same, other_city, message", [
    ("hz", False, False, "只有管理员"), ("leader", False, False, "只有管理员"),
    ("admin", True, False, "两个不同部门"), ("admin", False, True, "同一地市"),
])
def test_a_refused_merge_writes_nothing(reporting_app, who, same, other_city, message):
    with reporting_app.app_context(), session_scope() as s:
        source = dept(s, "温州", "市大数据局")
        target = source if same else dept(s, "杭州" if other_city else "温州", "市发展改革委")
        with pytest.raises(CorrectionError, match=message):
            merge_departments(s, account(s, who), source.id, target.id, "原因")
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(DepartmentMerge)) == 0


def test_a_crafted_merge_by_anyone_else_is_refused(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        ids = dept(s, "温州", "市大数据局").id, dept(s, "温州", "市发展改革委").id
    for username in ("hz", "wzfg", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        body = payload(dependency(client, "merge-submit"), {"merge-from": ids[0], "merge-into": ids[1],
                                                            "merge-reason": "伪造", "manage-city": "温州"},
                       clicked="merge-submit")
        assert "只有管理员" in post(client, body)[1]
        assert "无权访问" in render_page(client, "/departments/manage")[1]
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(DepartmentMerge)) == 0


def test_the_admin_merges_two_departments_in_the_browser(reporting_app):
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(f"{url}/departments/manage?city=温州")
        expect(page.locator("#manage-departments, body").first).to_contain_text("市大数据局", timeout=20000)
        choose(page, page.locator("#merge-from"), "市大数据局")
        choose(page, page.locator("#merge-into"), "市发展改革委")
        page.fill("#merge-reason", "同一单位")
        page.click("#merge-submit")
        expect(page.locator("#merge-done")).to_contain_text("已合并", timeout=20000)
        page.click("#merge-submit")  # a second click: the department merged away is gone
        expect(page.locator("#merge-refused")).to_contain_text("两个不同部门", timeout=20000)
        assert page.errors == []
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(DepartmentMerge)) == 1
