"""Accounts: the CLI, password rules, the login page, throttling, the guard in
front of every page when visitors may not read, and the production secret."""
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from accounts.users import AccountError, Throttle, create_user, record_attempt, throttled
from app import create_app
from store import session_scope
from store.models import AuditEntry, LoginFailure, User
from tests.conftest import PASSWORDS, make_test_app


def login(client, username, password, next_path="/"):
    return client.post("/login", data={"username": username, "password": password, "next": next_path})


def test_cli_creates_lists_and_changes_accounts(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    made = runner.invoke(args=["create-user", "hz", "--role", "city", "--city", "杭州市", "--name", "杭州"],
                         input="secret-123\n")
    assert made.exit_code == 0, made.output
    dept = runner.invoke(args=["create-user", "wz", "--role", "department", "--city", "温州",
                               "--department", "市发改委"], input="secret-456\n")
    assert dept.exit_code == 0, dept.output
    listed = runner.invoke(args=["list-users"]).output
    assert re.search(r"^hz\t杭州\tcity\t杭州\tactive", listed, re.M)
    assert re.search(r"^wz\twz\tdepartment\t温州 · 市发展改革委\tactive", listed, re.M)  # (市发改委, one name)
    for args, message in [
        (["create-user", "hz", "--role", "city", "--city", "杭州"], "已存在"),
        (["create-user", "x", "--role", "city", "--city", "不存在"], "未知的地市"),
        (["create-user", "x", "--role", "city"], "须指定地市"),
        (["create-user", "x", "--role", "department", "--city", "温州", "--department", "无此部门"], "没有名为"),
        (["create-user", "x", "--role", "leader", "--city", "杭州"], "不需要填写"),
    ]:
        result = runner.invoke(args=args, input="secret-789\n")
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    weak = runner.invoke(args=["create-user", "y", "--role", "leader"], input="short\n")
    assert weak.exit_code != 0 and "至少 8 位" in weak.output
    assert runner.invoke(args=["set-password", "hz"], input="new-secret-1\n").exit_code == 0
    assert runner.invoke(args=["update-user", "hz", "--inactive"]).exit_code == 0
    assert "\tinactive\t" in runner.invoke(args=["list-users"]).output
    with app.app_context(), app.extensions["store"].Session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "hz"))
        assert "new-secret-1" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("user.create") == 2 and "user.password" in actions and "user.update" in actions


def test_wrong_password_and_unknown_user_look_the_same(reporting_app):
    client = reporting_app.test_client()
    known = login(client, "hz", "wrong-password")
    unknown = login(client, "nobody", "wrong-password")
    assert known.status_code == unknown.status_code == 401
    strip = lambda r: r.get_data(as_text=True).replace("hz", "").replace("nobody", "")  # noqa: E731
    assert strip(known) == strip(unknown) and "用户名或密码错误" in strip(known)
    ok = login(client, "hz", PASSWORDS["hz"], "/report")
    assert ok.status_code == 302 and ok.headers["Location"] == "/report"


def login_from(client, address: str, username: str, password: str):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_repeated_failures_slow_that_address_for_that_name_known_or_not(reporting_app):
    client = reporting_app.test_client()
    for name in ("hz", "ghost"):
        for _ in range(5):
            assert login(client, name, "wrong-password").status_code == 401
        locked = login(client, name, PASSWORDS.get(name, "x"))  # even the right password waits
        assert locked.status_code == 429 and "次数过多" in locked.get_data(as_text=True)
    assert login(client, "nb", PASSWORDS["nb"]).status_code == 302  # others are not affected


def test_nobody_can_lock_the_admin_out(reporting_app):
    """Guesses at a name from other addresses slow those addresses, never the
    account: the admin still logs in, and the audit log tells of the guessing."""
    client = reporting_app.test_client()
    for n in range(25):
        assert login_from(client, f"10.9.{n // 5}.{n % 5}", "admin", "wrong-password").status_code == 401
    assert login_from(client, "10.9.0.0", "admin", "wrong-password").status_code == 401  # 2nd of that address
    assert login_from(client, "192.168.1.20", "admin", PASSWORDS["admin"]).status_code == 302
    with reporting_app.app_context(), session_scope() as s:
        notices = s.scalars(select(AuditEntry).where(AuditEntry.action == "login.suspicious")).all()
    assert len(notices) == 1 and notices[0].target == "账号 admin" and "失败次数" in notices[0].after


def test_throttle_counts_failures_by_address_too(session):
    limits = Throttle(per_name=5, per_address=3, minutes=15)
    for i in range(3):
        record_attempt(session, f"user{i}", "10.0.0.9", limits)
    record_attempt(session, "someone-else", "10.0.0.9", limits)
    assert throttled(session, "someone-else", "10.0.0.9", limits)
    assert not throttled(session, "someone-else", "10.0.0.8", limits)
    assert session.scalar(select(func.count()).select_from(LoginFailure)) == 4


def test_parallel_guesses_cannot_race_past_the_limit(reporting_app, monkeypatch):
    """60 wrong passwords at once: at most the limit of them are checked, every
    answer is 401 or 429 (it was 19 checked and 8 × 500)."""
    import accounts.users
    from tests.browser import serve

    checked = []
    real = accounts.users.check_password_hash
    monkeypatch.setattr(accounts.users, "check_password_hash", lambda *a: checked.append(1) or real(*a))
    def guess(url):
        form = urllib.parse.urlencode({"username": "hz", "password": "wrong-password"}).encode()
        try:
            return urllib.request.urlopen(url + "/login", form, timeout=60).status
        except urllib.error.HTTPError as answer:
            return answer.code

    with serve(reporting_app) as url, ThreadPoolExecutor(60) as pool:
        statuses = list(pool.map(guess, [url] * 60))
    assert set(statuses) <= {401, 429} and statuses.count(401) <= 5, statuses
    assert len(checked) <= 5


def test_login_only_redirects_within_the_site(reporting_app):
    client = reporting_app.test_client()
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = login(client, "hz", PASSWORDS["hz"], target)
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_visitors_see_only_the_login_page_unless_reading_is_open(reporting_app):
    closed = make_test_app(reporting_app.config["DATABASE_URL"], ANONYMOUS_READ=False)
    client = closed.test_client()
    page = client.get("/cities?as_of=2020-09-30")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/cities")
    assert client.get("/_dash-layout").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/login").status_code == 200 and client.get("/assets/app.css").status_code == 200
    login(client, "leader", PASSWORDS["leader"])
    assert client.get("/cities").status_code == 200 and client.get("/_dash-layout").status_code == 200
    open_app = reporting_app.test_client()
    assert open_app.get("/cities").status_code == 200  # ANONYMOUS_READ=True


def test_a_new_password_ends_other_sessions(reporting_app):
    closed = make_test_app(reporting_app.config["DATABASE_URL"], ANONYMOUS_READ=False)
    first = closed.test_client()
    login(first, "hz", PASSWORDS["hz"])
    assert first.get("/_dash-layout").status_code == 200
    result = closed.test_cli_runner().invoke(args=["set-password", "hz"], input="another-pass-9\n")
    assert result.exit_code == 0
    assert first.get("/_dash-layout").status_code == 401


def test_production_refuses_the_default_secret(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "dev-only-secret"})
    assert create_app({"DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "x" * 40})


def test_department_names_are_resolved_within_their_city(session):
    from store import ensure_regions

    ensure_regions(session)
    with pytest.raises(AccountError, match="没有名为"):
        create_user(session, "test", "d1", "secret-123", "department", city="杭州", department="市发改委")


def closed_app(reporting_app, **settings):
    return make_test_app(reporting_app.config["DATABASE_URL"], ANONYMOUS_READ=False, **settings)


def test_logout_ends_the_login_on_the_server(reporting_app):
    """A cookie copied before 退出 opens nothing afterwards (it still saved a report)."""
    app = closed_app(reporting_app)
    client = app.test_client()
    login(client, "hz", PASSWORDS["hz"])
    cookie = client.get_cookie("session").value
    assert client.get("/_dash-layout").status_code == 200
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/_dash-layout").status_code == 401
    assert replay.post("/_dash-update-component", json={}).status_code == 401
    other = app.test_client()  # another login of the same account is not ended by this one's 退出
    login(other, "hz", PASSWORDS["hz"])
    assert other.get("/_dash-layout").status_code == 200


def test_a_login_expires(reporting_app):
    app = closed_app(reporting_app, LOGIN_SESSION_HOURS=0)
    client = app.test_client()
    assert login(client, "hz", PASSWORDS["hz"]).status_code == 302
    assert client.get("/_dash-layout").status_code == 401


@pytest.mark.parametrize("production", [False, True])
def test_the_session_cookie_is_httponly_lax_and_secure_in_production(reporting_app, monkeypatch, production):
    if production:
        monkeypatch.setenv("APP_ENV", "production")
    app = closed_app(reporting_app, **({"APP_ENV": "production", "SECRET_KEY": "s" * 40} if production else {}))
    response = login(app.test_client(), "hz", PASSWORDS["hz"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == production


def test_every_answer_carries_the_protective_headers(reporting_app):
    client = reporting_app.test_client()
    for path in ("/", "/login", "/_dash-layout", "/assets/app.css", "/healthz"):
        headers = client.get(path).headers
        assert headers["X-Frame-Options"] == "SAMEORIGIN" and headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


def test_oversized_requests_are_refused_with_a_message(reporting_app):
    client = reporting_app.test_client()
    big = b'{"output": "x", "inputs": [], "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    response = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert response.status_code == 413 and "过大" in response.get_json()["error"]
    form = client.post("/login", data={"username": "x" * (2 * 1024 * 1024), "password": "y"})
    assert form.status_code == 413


@pytest.mark.parametrize("given, kept", [
    (" Zhang.San@Example.GOV.cn ", "Zhang.San@example.gov.cn"), ("", None), (None, None),
])
def test_an_email_address_is_kept_as_written_with_its_domain_in_lower_case(given, kept):
    from accounts.users import check_email

    assert check_email(given) == kept


@pytest.mark.parametrize("given", ["zhang", "zhang@", "@example.cn", "a@b", "a b@c.cn<script>", "a@b..cn",
                                   "x" * 250 + "@example.cn", "张三@例子.中国"])
def test_what_is_not_an_email_address_is_refused(given):
    from accounts.users import AccountError, check_email

    with pytest.raises(AccountError, match="不是有效的电子邮箱"):
        check_email(given)


@pytest.mark.parametrize("given, kept", [("138 0000 0000", "13800000000"), ("+86-139-1234-5678", "13912345678"),
                                         ("", None)])
def test_a_mobile_number_is_kept_as_eleven_digits(given, kept):
    from accounts.users import check_mobile

    assert check_mobile(given) == kept


@pytest.mark.parametrize("given", ["12345", "0571-88888888", "23800000000", "1380000000a", "١٣٨٠٠٠٠٠٠٠٠", "1٣٨٠٠٠٠٠٠٠٠"])
def test_what_is_not_a_mobile_number_is_refused(given):
    from accounts.users import AccountError, check_mobile

    with pytest.raises(AccountError, match="不是有效的手机号码"):
        check_mobile(given)


def test_cli_sets_changes_and_removes_an_accounts_contacts(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    made = runner.invoke(args=["create-user", "hz", "--role", "city", "--city", "杭州", "--email", "hz@xyb.hangzhou.gov.cn",
                               "--mobile", "138 0000 0000"], input="secret-123\n")
    assert made.exit_code == 0, made.output
    assert "\thz@xyb.hangzhou.gov.cn" in runner.invoke(args=["list-users"]).output
    bad = runner.invoke(args=["create-user", "nb", "--role", "leader", "--email", "nb@"], input="secret-123\n")
    assert bad.exit_code != 0 and "不是有效的电子邮箱" in bad.output
    refused = runner.invoke(args=["update-user", "hz", "--email", "not-an-address"])
    assert refused.exit_code != 0 and "不是有效的电子邮箱" in refused.output
    assert runner.invoke(args=["update-user", "hz", "--email", "HZ@Example.cn"]).exit_code == 0
    with app.app_context(), app.extensions["store"].Session() as s:
        user = s.scalar(select(User).where(User.username == "hz"))
        assert (user.email, user.mobile) == ("HZ@example.cn", "13800000000")
        assert s.scalar(select(func.count()).select_from(User).where(User.username == "nb")) == 0
    assert runner.invoke(args=["update-user", "hz", "--email", "", "--mobile", ""]).exit_code == 0
    with app.app_context(), app.extensions["store"].Session() as s:
        user = s.scalar(select(User).where(User.username == "hz"))
        assert (user.email, user.mobile) == (None, None)
        changes = s.scalars(select(AuditEntry.after).where(AuditEntry.action == "user.update")).all()
        assert any("HZ@example.cn" in c for c in changes)


def test_every_page_says_it_is_chinese(reporting_app):
    """The login page and the pages after it: <html lang="zh-CN"> (screen readers, the browser's font choice)."""
    client = reporting_app.test_client()
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)
    login(client, "admin", PASSWORDS["admin"])
    for path in ("/", "/review", "/overdue"):
        assert '<html lang="zh-CN">' in client.get(path).get_data(as_text=True), path
