"""通知 (notification centre): the logged-in account's notices — 临期, 逾期 and
报送 reminders (notices.reminders), 催办 and their answers (notices.urge),
completions returned by review (reporting.review) — newest first, unread ones marked; each
links to what it is about.  全部标为已读 marks the account's own notices
read: which account is read from the login, never from the page."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html
from sqlalchemy import select, update

from accounts import current_account
from components.access import login_needed
from components.actions import clicked
from components.cards import SITE
from components.grid import data_grid, export_filename, link_column
from store import clock, session_scope
from store.clock import local_text
from store.models import MAIL_STATES, NOTICE_KINDS, Notification, utcnow

dash.register_page(__name__, path="/notifications", name="通知", nav=False, cache_layout=False,
                   title=f"通知 · {SITE}")

SHOWN = 300  # the newest notices listed
COLUMNS = [
    {"field": "created_at", "headerName": "时间", "width": 140},
    {"field": "kind_label", "headerName": "类型", "width": 100},
    link_column("title", "提醒", "{link}", raw=True, flex=1, minWidth=260),
    {"field": "body", "headerName": "内容", "flex": 1, "minWidth": 260, "wrapText": True, "autoHeight": True},
    {"field": "state", "headerName": "状态", "width": 80, "cellClassRules": {"fw-bold": "params.value == '未读'"}},
    {"field": "mail_text", "headerName": "邮件", "width": 90},
]


def notice_rows(session, user_id: int) -> list[dict]:
    stmt = (select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.id.desc()).limit(SHOWN))
    return [{"created_at": local_text(n.created_at), "kind_label": NOTICE_KINDS.get(n.kind, n.kind),
             "title": n.title, "body": n.body.replace("\n", "；"), "link": n.link,
             "state": "已读" if n.read_at else "未读", "mail_text": MAIL_STATES.get(n.mail, n.mail)}
            for n in session.scalars(stmt)]


def layout(**_query):
    account = current_account()
    if account is None:
        return login_needed("/notifications", "通知")
    with session_scope() as s:
        rows = notice_rows(s, account.user_id)
    unread = sum(r["state"] == "未读" for r in rows)
    return html.Div([
        html.Div([html.H3("通知", className="page-title mb-0"),
                  html.Div("临期、逾期和报送提醒，催办及其回复，审核退回；设置了邮箱的账号同时收到邮件（账号管理中设置）。",
                           className="text-muted")], className="mb-3"),
        html.Div([html.Span(f"未读 {unread} 条", className="me-3", id="notifications-unread"),
                  dbc.Button("全部标为已读", id="notifications-read", size="sm", color="secondary", outline=True,
                             disabled=not unread)], className="d-flex align-items-center mb-2"),
        html.Div(id="notifications-result", role="status"),
        data_grid("notifications", rows, COLUMNS, title=f"{account.display_name}的通知",
                  filename=export_filename("通知", clock.today()), empty="暂无通知"),
    ])


@callback(Output("notifications-result", "children"), Input("notifications-read", "n_clicks"),
          prevent_initial_call=True)
def mark_read(_clicks):
    """Mark the logged-in account's unread notices read (no one else's, whatever the request says)."""
    clicked("notifications-read")
    account = current_account()
    if account is None:
        return dbc.Alert("请先登录。", color="warning", className="py-2", id="notifications-refused")
    with session_scope() as s:
        done = s.execute(update(Notification).where(Notification.user_id == account.user_id,
                                                    Notification.read_at.is_(None))
                         .values(read_at=utcnow())).rowcount
    return dbc.Alert([f"已将 {done} 条通知标为已读。", html.A("刷新", href="/notifications", className="ms-2")],
                     color="success", className="py-2", id="notifications-done")
