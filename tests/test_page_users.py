"""账号管理: an admin creates and changes accounts in the browser; anyone else's
crafted request to the same callbacks is refused and changes nothing."""
import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from store import session_scope
from store.models import AuditEntry, User
from tests.browser import browser_page, choose, serve
from tests.test_page_report import log_in
from tests.callbacks import dependency, payload, post
from tests.test_security import login


def user_count(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.count()).select_from(User))


def create_payload(client, username: str) -> dict:
    values = {"new-username": username, "new-name": "伪造", "new-role": "admin", "new-city": None,
              "new-department": None, "new-password": "forged-pass-1"}
    return payload(dependency(client, "create-account"), values, clicked="create-account")


def test_only_an_admin_can_create_accounts_through_the_callback(reporting_app):
    before = user_count(reporting_app)
    for username in (None, "hz", "leader"):
        client = reporting_app.test_client()
        if username:
            login(client, username)
        status, body = post(client, create_payload(client, "mallory"))
        assert "只有管理员可以管理账号" in body or status == 401, body[:300]
    assert user_count(reporting_app) == before
    admin = reporting_app.test_client()
    login(admin, "admin")
    status, body = post(admin, create_payload(admin, "second-admin"))
    assert "已创建账号 second-admin" in body and user_count(reporting_app) == before + 1


def test_an_admin_cannot_lock_themselves_out(reporting_app):
    from accounts.users import AccountError, update_user

    with reporting_app.app_context(), session_scope() as s, pytest.raises(AccountError, match="不能停用自己"):
        update_user(s, "admin", "admin", active=False)


@pytest.mark.browser
def test_admin_creates_an_editor_who_can_then_log_in(reporting_app):
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.click("#admin-menu")  # 系统管理 ▸ 账号管理, as the admin finds it
        page.locator(".dropdown-item", has_text="账号管理").click()
        page.wait_for_function("location.pathname == '/users'")
        expect(page.locator("#users-table")).to_contain_text("杭州市信用办")
        page.fill("#new-username", "lsfgw")
        page.fill("#new-name", "丽水市发展改革委")
        choose(page, page.locator("#new-role"), "部门填报员")
        choose(page, page.locator("#new-city"), "丽水")
        choose(page, page.locator("#new-department"), "市")  # one of the city's departments, loaded for it
        page.fill("#new-password", "ls-pass-123")
        page.click("#create-account")
        expect(page.locator("#users-result")).to_contain_text("已创建账号 lsfgw（部门填报员）")
        expect(page.locator("#users-table")).to_contain_text("丽水市发展改革委")
        page.click("#logout")
        page.goto(url + "/login")
        page.fill("#username", "lsfgw")
        page.fill("#password", "ls-pass-123")
        page.click("#login-submit")
        page.wait_for_url(url + "/")
        expect(page.locator("#user-name")).to_contain_text("丽水市发展改革委 · 部门填报员（丽水市 · ")
        assert page.errors == []
    with reporting_app.app_context(), session_scope() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.create")
                          .order_by(AuditEntry.id.desc())).first()
    assert entry.actor == "admin" and json.loads(entry.after)["部门"]


def contacts_payload(client, username: str, email: str, mobile: str) -> dict:
    values = {"edit-username": username, "edit-email": email, "edit-mobile": mobile}
    return payload(dependency(client, "change-contacts"), values, clicked="change-contacts")


def test_only_an_admin_changes_contacts_and_a_bad_address_changes_nothing(reporting_app):
    for username in ("hz", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        status, body = post(client, contacts_payload(client, "hz", "mallory@evil.example", ""))
        assert "只有管理员可以管理账号" in body, body[:300]
    admin = reporting_app.test_client()
    login(admin, "admin")
    status, body = post(admin, contacts_payload(admin, "hz", "hz@", ""))
    assert "不是有效的电子邮箱" in body
    status, body = post(admin, contacts_payload(admin, "hz", "hz@xyb.hangzhou.gov.cn", "13800000000"))
    assert "已修改 hz 的联系方式：邮箱 hz@xyb.hangzhou.gov.cn，手机 13800000000" in body
    with reporting_app.app_context(), session_scope() as s:
        user = s.scalar(select(User).where(User.username == "hz"))
        assert (user.email, user.mobile) == ("hz@xyb.hangzhou.gov.cn", "13800000000")
        assert s.scalar(select(func.count()).select_from(User).where(User.email == "mallory@evil.example")) == 0
