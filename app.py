"""信用应用场景推进监测平台 — the app factory.

``create_app(config)`` builds the Flask server with the store, the cache, the
CLI commands and the Dash pages; ``python app.py`` serves it (HOST, PORT), and
``flask --app app <command>`` runs the admin commands.
"""
from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html
from flask import Flask
from sqlalchemy import func, select

import accounts
import cli
import evidence_files
import outputs.web
import health
import plan_files
import request_files
import security
import store
from accounts import DEV_SECRET, current_account
from components import filters, grid
from components.cards import SITE
from components.jsonify import as_sent, encoded
from corrections.requests import pending_count
from queries.approvals import waiting_count
from queries.cache import cache, generation
from store import clock
from store.models import Notification

APP_TITLE = SITE


def default_config() -> dict:
    """Settings from the environment (see README, Configuration)."""
    env = os.environ
    production = env.get("APP_ENV", "development") == "production"
    return {
        "DATABASE_URL": env.get("DATABASE_URL", store.DEFAULT_URL),
        # an indicator's latest figure this many months older than the view's date is flagged (数据已 n 个月未更新)
        "INDICATOR_STALE_MONTHS": int(env.get("INDICATOR_STALE_MONTHS", "3")),
        # the one-time code that creates the first admin in the browser (accounts.first_run)
        "SETUP_CODE_FILE": env.get("SETUP_CODE_FILE", str(Path(__file__).with_name("instance") / "setup-code")),
        "CACHE_TYPE": env.get("CACHE_TYPE", "RedisCache" if env.get("CACHE_REDIS_URL") else "SimpleCache"),
        "CACHE_REDIS_URL": env.get("CACHE_REDIS_URL"),
        "CACHE_KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "credit-monitor:"),
        "CACHE_DEFAULT_TIMEOUT": int(env.get("CACHE_DEFAULT_TIMEOUT", "600")),
        "CACHE_THRESHOLD": int(env.get("CACHE_THRESHOLD", "500")),
        "CACHE_MAX_BYTES": int(env.get("CACHE_MAX_BYTES", str(64 * 1024 * 1024))),
        "ROLLUP_PASSING_DATES": int(env.get("ROLLUP_PASSING_DATES", "2")),
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET),
        "APP_ENV": env.get("APP_ENV", "development"),
        "ANONYMOUS_READ": env.get("ANONYMOUS_READ", "false").lower() in ("1", "true", "yes"),
        "DUE_SOON_DAYS": int(env.get("DUE_SOON_DAYS", "30")),
        "REPORT_DUE_DAY": int(env.get("REPORT_DUE_DAY", "5")),
        "SITE_NAME": SITE,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", str(production)).lower() in ("1", "true", "yes"),
        "LOGIN_SESSION_HOURS": int(env.get("LOGIN_SESSION_HOURS", "12")),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "CALLBACK_MAX_BYTES": int(env.get("CALLBACK_MAX_BYTES", str(4 * 1024 * 1024))),
        "REQUEST_FILE_MAX_BYTES": int(env.get("REQUEST_FILE_MAX_BYTES", str(10 * 1024 * 1024))),
        "REMINDER_DAYS": env.get("REMINDER_DAYS", "7,1"),
        "REVIEW_LEVELS": int(env.get("REVIEW_LEVELS", "1")),  # 审核: 0 none, 1 city or province, 2 both
        "PERIOD_LOCK_DAY": int(env.get("PERIOD_LOCK_DAY", "0")),  # a month locks on this day of the next (0: by hand)
        "EVIDENCE_MAX_BYTES": int(env.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))),
        "EVIDENCE_MAX_FILES": int(env.get("EVIDENCE_MAX_FILES", "10")),  # 佐证材料 per milestone
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25") or 25),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_TLS": env.get("SMTP_TLS", "false").lower() in ("1", "true", "yes"),
        "MAIL_FROM": env.get("MAIL_FROM", ""),
        "SITE_URL": env.get("SITE_URL", ""),
    }


def create_app(config: dict | None = None) -> Flask:
    server = Flask(__name__)
    server.config.update(default_config())
    server.config.update(config or {})
    store.init_app(server)
    cache.init_app(server)
    accounts.init_app(server)
    cli.init_app(server)
    health.init_app(server)
    security.init_app(server)
    plan_files.init_app(server)
    request_files.init_app(server)
    evidence_files.init_app(server)
    outputs.web.init_app(server)
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        title=APP_TITLE,
        update_title=None,
        external_stylesheets=[],  # Bootstrap is served from assets/ (works offline)
        suppress_callback_exceptions=True,
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="zh-CN">', 1)  # (screen readers, fonts)
    app.layout = layout
    cache_page_layouts()
    filters.init_app(app)
    grid.init_app(app)
    register_toggles(app)
    register_navbar(app)
    server.extensions["dash"] = app
    # The modules and the app live as long as the process: out of the collector's
    # sight, a full collection scans only what requests made (it paused requests
    # for 30–190 ms at tier M, scanning plotly's and SQLAlchemy's objects); and a
    # full collection runs after 100 younger ones rather than 10 (each still cost
    # the review deck 15–30 ms; the app makes little cyclic garbage).
    gc.freeze()
    gc.set_threshold(700, 10, 100)
    return server


def cache_page_layouts() -> None:
    """Memoize every page's layout (the components it renders) per URL and per
    kind of viewer, in the query cache: a page seen before is served without
    rebuilding it, keyed by the data generation that every write moves on
    (queries.cache), so no worker serves a page cached before a write: the
    report form too, whose records carry the version they were read at.  Pages
    that register ``cache_layout=False`` (the account list and the audit log,
    for admins only) are built on every request.  Either way the layout goes
    out as components.jsonify encodes it."""
    for module, page in dash.page_registry.items():
        build = page["layout"]
        if callable(build) and not hasattr(build, "uncached"):
            page["layout"] = _cached(module, build) if page.get("cache_layout", True) else _plain(build)


def _plain(build):
    def layout(**query):
        return as_sent(encoded(build(**query)))

    layout.uncached = build
    return layout


def _cached(module: str, build):
    def layout(**query):
        params = filters.cache_params(query)
        if params is None:  # a value no page accepts: drawn (with its warning), never cached
            return as_sent(encoded(build(**query)))
        account = current_account()
        viewer = (account.role, account.city_id, account.department_id) if account else None
        key = f"layout:{generation()}:" + hashlib.sha256(  # (today: what is due or overdue moves at midnight)
            repr((module, viewer, clock.today(), sorted(params.items()))).encode()).hexdigest()
        page = cache.get(key)
        if page is None:  # kept as the JSON Dash sends: unpickling figure objects would re-validate them
            page = encoded(build(**params))  # (what the key says, and nothing else)
            cache.set(key, page)
        return as_sent(page)

    layout.uncached = build
    return layout


def navbar() -> dbc.Navbar:
    """Links to the pages this user may open (a page's ``roles``), and who is logged in."""
    account = current_account()
    role = account.role if account else None
    pages = [page for page in dash.page_registry.values()
             if page.get("nav", True) and role in page.get("roles", (role,))]
    waiting = {"/approvals": waiting_approvals(account)} if account and account.role in ("admin", "city") else {}
    links = [dbc.NavItem(dbc.NavLink([page["name"], *badge(waiting.get(page["path"]), "nav-count" + page["path"].replace("/", "-"))],
                                     href=page["relative_path"], active="exact"))
             for page in pages if page.get("roles") != ("admin",)]
    admin = [dbc.DropdownMenuItem(page["name"], href=page["relative_path"])
             for page in pages if page.get("roles") == ("admin",)]
    if admin:  # the admin's own pages, out of the way of the dashboards, with the requests waiting
        requests = waiting_requests()
        admin.insert(0, dbc.DropdownMenuItem(["计划调整申请", *badge(requests)], href="/requests", id="requests-link"))
        links.append(dbc.DropdownMenu(admin, label=["系统管理", *badge(requests, "requests-waiting")], nav=True,
                                      in_navbar=True, id="admin-menu"))
    return dbc.Navbar(
        # the name on two lines: the navbar keeps every page on one line at 1280 px; narrower, the
        # links fold behind 菜单 (toggle_navbar)
        dbc.Container([dbc.NavbarBrand([html.Span("信用应用场景"), html.Span("推进监测平台")], href="/",
                                       className="brand-two-lines"),
                       dbc.NavbarToggler(html.Span("菜单", className="navbar-toggler-label"), id="navbar-toggler",
                                         n_clicks=0),
                       dbc.Collapse([dbc.Nav(links, navbar=True), user_menu(account)], id="navbar-collapse",
                                    is_open=False, navbar=True)], fluid=True),
        color="primary", dark=True, expand="xl", className="mb-3", id="navbar",
    )


def badge(count: int | None, badge_id: str | None = None) -> list:
    """A count beside a navbar link (nothing when there is nothing waiting)."""
    ids = {"id": badge_id} if badge_id else {}
    return [dbc.Badge(count, color="warning", text_color="dark", className="ms-1", **ids)] if count else []


def user_menu(account) -> html.Div:
    """'张三 · 地市填报员（杭州市）  退出', or a login link."""
    if account is None:
        return html.Div(html.A("登录", href="/login", className="btn btn-sm btn-outline-light"),
                        className="ms-auto", id="user-menu")
    who = f"{account.display_name} · {account.role_label}"
    if account.role in ("city", "department"):
        who += f"（{account.scope_label}）"
    unread = unread_notices(account.user_id)
    bell = html.A(["通知", *badge(unread, "notifications-count")],
                  href="/notifications", className="text-white small me-3", id="notifications-link") \
        if unread or account.role in ("city", "department") else None  # (editors are the ones reminded)
    return html.Form([bell, html.Span(who, className="text-white small me-2", id="user-name", title=who),
                      html.Button("退出", type="submit", className="btn btn-sm btn-outline-light",
                                  id="logout")],
                     method="post", action="/logout", className="ms-auto d-flex align-items-center",
                     id="user-menu")


def unread_notices(user_id: int) -> int:
    """The account's unread notices (counted in the navbar on every page: one indexed count)."""
    with store.session_scope() as s:
        return s.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def waiting_approvals(account) -> int:
    """The completions waiting at this reviewer's stage (one indexed count)."""
    with store.session_scope() as s:
        return waiting_count(s, account.role, account.city_id)


def waiting_requests() -> int:
    """The 计划调整申请 waiting for the admin's decision (counted on 系统管理;
    editors find the page from their item pages and the report form)."""
    with store.session_scope() as s:
        return pending_count(s)


def layout():
    """A skip link to the page (keyboard users pass the navbar's links), the navbar, the page."""
    return html.Div([html.A("跳到主要内容", href="#main", className="skip-link", id="skip-link"), navbar(),
                     html.Main(dbc.Container(dash.page_container, fluid=True, className="pb-5"), id="main",
                               tabIndex="-1")])


def register_navbar(app) -> None:
    """The navbar drawn again on each move inside the app: its counts (completions
    to review, requests, unread notices) as they are now, not as at the last full
    page load; and, on a phone, its folded menu closed once a link is taken."""
    app.callback(Output("navbar", "children"), Input("_pages_location", "pathname"),
                 prevent_initial_call=True)(lambda _path: navbar().children)


# the navbar's links and the filter bar fold on narrow screens: their buttons open and close them
TOGGLE = "function (clicks, open) { return clicks ? !open : open; }"


def register_toggles(app) -> None:
    for button, panel in (("navbar-toggler", "navbar-collapse"), ("filters-toggle", "filters-collapse")):
        app.clientside_callback(TOGGLE, Output(panel, "is_open"), Input(button, "n_clicks"), State(panel, "is_open"),
                                prevent_initial_call=True)


if __name__ == "__main__":
    health.configure_logging()  # stdout, LOG_LEVEL (gunicorn.conf.py does the same under gunicorn)
    create_app().run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")))
