"""首次使用: on a store with no account, the first visit creates the first
admin in the browser (as Metabase and Grafana do) — only while no account
exists, and only with the one-time setup code the server prints.

Decided: a code, not "only from this machine".  Behind a reverse proxy every
request comes from 127.0.0.1, so the address proves nothing; the code proves
that whoever types it can read the server's console or files.  It is made once
per store and machine (written with O_EXCL, mode 0600, to SETUP_CODE_FILE: every
worker reads the same), printed when the app starts (`make run`'s console,
gunicorn's log) and by `flask --app app setup-code`.  /setup compares it in
constant time and counts wrong codes as failed logins (the same lockout); the
request that creates the admin claims the file first (an atomic rename), so two
cannot both succeed; the file is gone once the admin exists.
"""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app, redirect, render_template_string, request
from flask.cli import with_appcontext
from flask_login import login_user
from sqlalchemy import select

from accounts.users import AccountError, create_user, login_limits, record_attempt, throttled
from store import session_scope
from store.models import User

SETUP_PATH = "/setup"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # (no 0/O, 1/I)
log = logging.getLogger(__name__)


def init_app(server: Flask) -> None:
    server.add_url_rule(SETUP_PATH, "first_run", setup_view, methods=["GET", "POST"])
    server.cli.add_command(setup_code_cmd)
    with server.app_context():
        announce()


def has_accounts() -> bool:
    with session_scope() as s:
        return s.scalar(select(User.id).limit(1)) is not None


def code_file() -> Path:
    return Path(current_app.config["SETUP_CODE_FILE"])


def setup_code() -> str:
    """The store's one-time code: read, or made now (once: O_EXCL)."""
    path = code_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    code = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(code + "\n")
    return code


def announce() -> None:
    """Say, where the server's operator reads, how to create the first admin."""
    try:
        empty = not has_accounts()
    except Exception:  # (no tables yet: init-db will make them; nothing to say)
        return
    if empty:
        site = current_app.config.get("SITE_URL") or \
            f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8050')}"  # (as app.py serves)
        message = (f"尚未创建任何账号。请在浏览器打开 {site.rstrip('/')}{SETUP_PATH} ，"
                   f"输入一次性设置码 {setup_code()} 创建第一个管理员账号。")
        log.warning(message)
        click.echo(f"\n*** 首次使用：{message}\n", err=True)


@click.command("setup-code")
@with_appcontext
def setup_code_cmd() -> None:
    """Print the one-time code that creates the first admin in the browser (/setup)."""
    if has_accounts():
        raise click.ClickException("已有账号：设置码只在尚未创建任何账号时有效。")
    click.echo(setup_code())


def setup_view():
    if has_accounts():
        return redirect("/login")
    if request.method == "GET":
        return page()
    form = {k: (request.form.get(k) or "")[:200] for k in ("code", "username", "name", "password", "confirm")}
    address = request.remote_addr or "?"
    limits = login_limits()
    with session_scope() as s:
        record_attempt(s, "(setup)", address, limits)
    with session_scope() as s:
        if throttled(s, "(setup)", address, limits):
            return page(form, f"尝试次数过多，请 {limits.minutes} 分钟后再试。"), 429
    if not secrets.compare_digest(normalised(form["code"]).encode(), setup_code().encode()):
        return page(form, "设置码不正确：请查看启动服务器的终端或日志（或运行 flask --app app setup-code）。"), 403
    if form["password"] != form["confirm"]:
        return page(form, "两次输入的密码不一致。"), 400
    return create_first_admin(form)


def normalised(code: str) -> str:
    """What was typed, as the code is written: upper case, dashes between the groups."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def create_first_admin(form: dict):
    """Claim the code (an atomic rename: one request wins), then create the admin."""
    from accounts import account_of, start_login  # (accounts imports this module)

    path = code_file()
    claimed = path.with_name(path.name + f".{secrets.token_hex(4)}")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return redirect("/login")  # (another request has just created it)
    try:
        with session_scope() as s:
            if s.scalar(select(User.id).limit(1)) is not None:
                return redirect("/login")
            user = create_user(s, form["username"].strip(), form["username"], form["password"], "admin",
                               display_name=form["name"].strip() or None)
            s.flush()
            account = account_of(s, user, start_login(s, user))
    except AccountError as exc:
        claimed.rename(path)  # (the code stands: try again)
        return page(form, str(exc)), 400
    claimed.unlink()
    login_user(account)
    return redirect("/")


def page(form: dict | None = None, error: str | None = None):
    form = form or {}
    return render_template_string(SETUP_PAGE, site=current_app.config["SITE_NAME"], error=error,
                                  username=form.get("username", ""), name=form.get("name", ""))


SETUP_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>首次使用 · {{ site }}</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"><link rel="stylesheet" href="/assets/app.css"></head>
<body class="login-body">
<nav class="navbar navbar-dark bg-primary mb-5"><div class="container-fluid">
<span class="navbar-brand">{{ site }}</span></div></nav>
<main class="container" style="max-width: 28rem">
  <h1 class="page-title h3 mb-1">首次使用：创建管理员账号</h1>
  <p class="text-muted">系统中尚无任何账号。请输入启动服务器时终端（或日志）中显示的一次性设置码，创建省信用办管理员账号；
    之后用该账号在“系统管理 · 账号管理”中为各地市、各部门分配账号。</p>
  {% if error %}<div class="alert alert-danger py-2" id="setup-error" role="alert">{{ error }}</div>{% endif %}
  <form method="post" action="/setup" class="card card-body">
    <label class="form-label" for="code">一次性设置码</label>
    <input class="form-control mb-3" id="code" name="code" autocomplete="one-time-code" placeholder="XXXX-XXXX-XXXX" required autofocus>
    <label class="form-label" for="username">用户名</label>
    <input class="form-control mb-3" id="username" name="username" value="{{ username }}" autocomplete="username" required>
    <label class="form-label" for="name">显示名称</label>
    <input class="form-control mb-3" id="name" name="name" value="{{ name }}" placeholder="如：省信用办管理员">
    <label class="form-label" for="password">密码</label>
    <input class="form-control mb-3" id="password" name="password" type="password" autocomplete="new-password" required>
    <label class="form-label" for="confirm">再次输入密码</label>
    <input class="form-control mb-3" id="confirm" name="confirm" type="password" autocomplete="new-password" required>
    <button class="btn btn-primary" type="submit" id="setup-submit">创建管理员并登录</button>
  </form>
</main></body></html>"""
