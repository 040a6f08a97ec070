"""首次使用: on a store with no account, the first visit creates the first admin
in the browser with the one-time code the server printed — never once an
account exists, never without the code, never twice; wrong codes are counted."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounts.first_run import setup_code
from store import session_scope
from store.models import User
from tests.conftest import bundled_app, fresh_database


@pytest.fixture
def empty_app(tmp_path):
    """The bundled documents and demo progress, and no account: `make run` on a fresh machine."""
    with fresh_database(tmp_path) as url:
        application = bundled_app(url)
        application.config["ANONYMOUS_READ"] = False
        yield application
        application.extensions["store"].engine.dispose()


def code_of(app) -> str:
    with app.app_context():
        return setup_code()


def form(code, username="admin", password="Zx-first-admin-2026", confirm=None, name="省信用办管理员"):
    return {"code": code, "username": username, "name": name, "password": password,
            "confirm": password if confirm is None else confirm}


def admins(app) -> list[str]:
    with app.app_context(), session_scope() as s:
        return list(s.scalars(select(User.username).where(User.role == "admin")))


def test_the_code_is_made_once_and_printed_by_the_cli(empty_app):
    code = code_of(empty_app)
    assert len(code) == 14 and code.count("-") == 2 and code == code_of(empty_app)
    result = empty_app.test_cli_runner().invoke(args=["setup-code"])
    assert result.exit_code == 0 and result.output.strip() == code


def test_the_login_page_leads_to_setup_and_the_code_creates_the_admin(empty_app):
    client = empty_app.test_client()
    assert client.get("/").status_code == 302
    login_page = client.get("/login").get_data(as_text=True)
    assert "尚未创建任何账号" in login_page and 'href="/setup"' in login_page
    assert "一次性设置码" in client.get("/setup").get_data(as_text=True)
    code = code_of(empty_app)
    wrong = client.post("/setup", data=form("AAAA-BBBB-CCCC"))
    assert wrong.status_code == 403 and "设置码不正确" in wrong.get_data(as_text=True) and admins(empty_app) == []
    mismatch = client.post("/setup", data=form(code, confirm="something-else-1"))
    assert mismatch.status_code == 400 and admins(empty_app) == []
    weak = client.post("/setup", data=form(code, password="123"))
    assert weak.status_code == 400 and admins(empty_app) == []
    done = client.post("/setup", data=form(code.lower().replace("-", " ")))  # (as typed)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert admins(empty_app) == ["admin"]
    assert client.get("/").status_code == 200  # logged in as the new admin
    assert client.get("/setup").status_code == 302  # never again
    again = empty_app.test_client().post("/setup", data=form(code, username="second"))
    assert again.status_code == 302 and admins(empty_app) == ["admin"]
    assert not Path(empty_app.config["SETUP_CODE_FILE"]).exists()  # (the code is spent)
    assert empty_app.test_cli_runner().invoke(args=["setup-code"]).exit_code == 1


def test_wrong_codes_are_counted_like_failed_logins(empty_app):
    client = empty_app.test_client()
    for _ in range(5):
        assert client.post("/setup", data=form("AAAA-BBBB-CCCC")).status_code == 403
    locked = client.post("/setup", data=form(code_of(empty_app)))
    assert locked.status_code == 429 and admins(empty_app) == []


def test_a_store_with_accounts_has_no_setup(reporting_app):
    client = reporting_app.test_client()
    assert client.get("/setup").status_code == 302
    assert client.post("/setup", data=form("AAAA-BBBB-CCCC", username="intruder")).status_code == 302
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).where(User.username == "intruder")) == 0


@pytest.mark.browser
def test_make_run_on_an_empty_store_reaches_the_dashboards(empty_app):
    """A fresh clone: the browser opens, the admin is created, the overview shows."""
    from playwright.sync_api import expect

    from tests.browser import browser_page, serve

    code = code_of(empty_app)
    with serve(empty_app) as url, browser_page() as page:
        page.goto(url + "/")
        expect(page.locator("#no-accounts")).to_contain_text("尚未创建任何账号")
        page.click("#first-run-link")
        page.fill("#code", code)
        page.fill("#username", "admin")
        page.fill("#name", "省信用办管理员")
        page.fill("#password", "Zx-first-admin-2026")
        page.fill("#confirm", "Zx-first-admin-2026")
        page.click("#setup-submit")
        page.wait_for_url(url + "/")
        expect(page.locator("h3.page-title").first).to_contain_text("全省")
        expect(page.locator("body")).to_contain_text("省信用办管理员")
        assert page.errors == []
    assert admins(empty_app) == ["admin"]


def test_demo_accounts_one_of_each_role_never_in_production(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["load-demo", "--accounts"])
    assert result.exit_code == 0, result.output
    printed = {line.split()[0]: line.split()[1] for line in result.output.splitlines()
               if line.strip().startswith("demo-")}
    assert set(printed) == {"demo-admin", "demo-leader", "demo-hz", "demo-wzfg"}
    client = empty_app.test_client()
    assert client.post("/login", data={"username": "demo-wzfg", "password": printed["demo-wzfg"]}).status_code == 302
    again = runner.invoke(args=["load-demo", "--accounts"])
    assert "demo-hz: exists (unchanged)" in again.output
    empty_app.config["APP_ENV"] = "production"
    refused = runner.invoke(args=["load-demo", "--accounts"])
    assert refused.exit_code == 1 and "never made in production" in refused.output
