"""Logins (Flask-Login) and who may see what.

``init_app(server)`` adds the login manager, the /login and /logout routes and
a guard in front of every request: unless ANONYMOUS_READ is on, nothing but the
login page and its stylesheet is served to a visitor who has not logged in
(Dash's own endpoints answer 401).  What a user may *write* is checked again by
every write (accounts.scope), never inferred from what the page showed.

A login is a row in the store (LoginSession) named in the session cookie with
the account's token: 退出 deletes it, a new password or a deactivation renews
the token (every login of the account ends), and a login older than
LOGIN_SESSION_HOURS ends too.  The cookie is HttpOnly, SameSite=Lax, and
Secure in production (app.default_config).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, redirect, render_template_string, request
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import delete, select

from accounts import first_run
from accounts.users import authenticate, forget_failures, login_limits, record_attempt, report_guessing, throttled
from store import session_scope
from store.models import ROLES, Department, LoginSession, Region, User, utcnow

DEV_SECRET = "dev-only-secret"
OPEN_PATHS = ("/login", "/setup", "/assets/", "/_favicon.ico", "/healthz")
login_manager = LoginManager()


@dataclass(frozen=True)
class Account(UserMixin):
    """The logged-in user as a request sees it (a plain object, not an ORM row)."""

    user_id: int
    username: str
    display_name: str
    role: str
    city_id: int | None
    city: str | None
    department_id: int | None
    department: str | None
    token: str
    login_id: str

    def get_id(self) -> str:  # the cookie names the login and the account's token
        return f"{self.user_id}:{self.token}:{self.login_id}"

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def scope_label(self) -> str:
        """'杭州市 · 市商务局', '杭州市', '全省'."""
        parts = [f"{self.city}市" if self.city else "全省"]
        return " · ".join(parts + ([self.department] if self.department else []))

    @property
    def can_report(self) -> bool:
        return self.role in ("admin", "city", "department")


def account_of(session, user: User, login_id: str = "") -> Account:
    city = session.get(Region, user.city_id) if user.city_id else None
    dept = session.get(Department, user.department_id) if user.department_id else None
    return Account(user.id, user.username, user.display_name, user.role, user.city_id,
                   city.name if city else None, user.department_id, dept.name if dept else None,
                   user.session_token, login_id)


@login_manager.user_loader
def load_account(cookie_id: str) -> Account | None:
    user_id, token, login_id = (cookie_id.split(":") + ["", ""])[:3]
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 10 and token and login_id):
        return None
    with session_scope() as s:
        user = s.scalar(select(User).join(LoginSession, LoginSession.user_id == User.id).where(
            User.id == int(user_id), User.session_token == token, User.active.is_(True),
            LoginSession.id == login_id, LoginSession.created_at >= utcnow() - session_lifetime()))
        return account_of(s, user, login_id) if user else None


def session_lifetime() -> timedelta:
    return timedelta(hours=config_int("LOGIN_SESSION_HOURS", 12))


def start_login(session, user: User) -> str:
    """A new login of ``user`` (its id goes into the cookie); expired ones go."""
    session.execute(delete(LoginSession).where(LoginSession.created_at < utcnow() - session_lifetime()))
    login_id = secrets.token_urlsafe(24)
    session.add(LoginSession(id=login_id, user_id=user.id))
    return login_id


def current_account() -> Account | None:
    """The logged-in account, or None for a visitor."""
    return current_user if current_user.is_authenticated else None


def init_app(server: Flask) -> None:
    config = server.config
    if config.get("APP_ENV") == "production" and config.get("SECRET_KEY") in (None, "", DEV_SECRET):
        raise RuntimeError("APP_ENV=production needs SECRET_KEY set to a long random value "
                           "(python -c 'import secrets; print(secrets.token_hex(32))')")
    login_manager.init_app(server)
    server.before_request(_guard)
    server.add_url_rule("/login", "login", login_view, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", logout_view, methods=["POST"])
    first_run.init_app(server)


def _guard():
    """Visitors who have not logged in see the login page only (unless ANONYMOUS_READ)."""
    if current_user.is_authenticated or current_app.config["ANONYMOUS_READ"]:
        return None
    if request.path.startswith(OPEN_PATHS):
        return None
    if request.path.startswith("/_dash-") or request.method != "GET":
        return jsonify({"error": "请先登录"}), 401
    return redirect("/login?next=" + _safe_next(request.full_path))


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no //): no open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target.rstrip("?") or "/"


def login_view():
    target = _safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target)
        return _login_page(target)
    username = request.form.get("username", "")[:80]
    password = request.form.get("password", "")[:200]
    address = request.remote_addr or "?"
    limits = login_limits()
    with session_scope() as s:  # committed before it is counted: concurrent guesses all count
        record_attempt(s, username, address, limits)
    account = None
    with session_scope() as s:
        refused = throttled(s, username, address, limits)
        user = None if refused else authenticate(s, username, password)
        if user is None:
            report_guessing(s, username, limits)
        else:
            forget_failures(s, username, address)
            account = account_of(s, user, start_login(s, user))
    # (the pages are drawn after the session is closed: one connection per request, never two)
    if refused:
        return _login_page(target, f"登录失败次数过多，请 {limits.minutes} 分钟后再试。", username), 429
    if account is None:
        return _login_page(target, "用户名或密码错误。", username), 401
    login_user(account)
    return redirect(target)


def logout_view():
    """End the login on the server too: the cookie, copied or not, opens nothing after it."""
    account = current_account()
    if account is not None:
        with session_scope() as s:
            s.execute(delete(LoginSession).where(LoginSession.id == account.login_id))
    logout_user()
    return redirect("/login")


def config_int(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _login_page(target: str, error: str | None = None, username: str = ""):
    with session_scope() as s:
        no_accounts = s.scalar(select(User.id).limit(1)) is None
    return render_template_string(LOGIN_PAGE, target=target, error=error, username=username,
                                  no_accounts=no_accounts, site=current_app.config["SITE_NAME"])


LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · {{ site }}</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"><link rel="stylesheet" href="/assets/app.css"></head>
<body class="login-body">
<nav class="navbar navbar-dark bg-primary mb-5"><div class="container-fluid">
<span class="navbar-brand">{{ site }}</span></div></nav>
<main class="container" style="max-width: 26rem">
  <h3 class="page-title mb-1">登录</h3>
  <p class="text-muted">浙江省信用办 · 各地市、各部门进度报送</p>
  {% if error %}<div class="alert alert-danger py-2" id="login-error" role="alert">{{ error }}</div>{% endif %}
  {% if no_accounts %}<div class="alert alert-info py-2" id="no-accounts">尚未创建任何账号。
    <a href="/setup" class="alert-link" id="first-run-link">首次使用：创建管理员账号 ›</a>
    <div class="small mt-1">需要启动服务器时终端（或日志）中显示的一次性设置码；也可在服务器上运行
    <code>flask --app app create-user admin --role admin</code>。</div></div>{% endif %}
  <form method="post" action="/login" class="card card-body">
    <input type="hidden" name="next" value="{{ target }}">
    <label class="form-label" for="username">用户名</label>
    <input class="form-control mb-3" id="username" name="username" value="{{ username }}" autocomplete="username" required autofocus>
    <label class="form-label" for="password">密码</label>
    <input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password" required>
    <button class="btn btn-primary" type="submit" id="login-submit">登录</button>
  </form>
  <p class="small text-muted mt-3">账号由省信用办管理员分配；忘记密码请联系管理员重设。</p>
</main></body></html>"""
