"""What a page says instead of its content to someone who may not see it."""
from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import html

from accounts import current_account


def login_needed(path: str, what: str) -> dbc.Alert:
    return dbc.Alert([html.H5("请先登录", id="access-denied"), html.P(f"{what}需要登录后使用。"),
                      html.A("登录", href=f"/login?next={quote(path)}", className="btn btn-primary btn-sm")],
                     color="info", className="mt-3")


def not_allowed(message: str) -> dbc.Alert:
    return dbc.Alert([html.H5("无权访问", id="access-denied"), html.P(message, className="mb-0")],
                     color="warning", className="mt-3")


def admin_only(path: str, what: str, message: str) -> dbc.Alert | None:
    """What an admin's page shows anyone else (a visitor: log in; an account
    of another role: ``message``); None for an admin."""
    account = current_account()
    if account is None:
        return login_needed(path, what)
    return None if account.role == "admin" else not_allowed(message)
