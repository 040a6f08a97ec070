"""账号管理: the admin's list of accounts; create an account, reset a password,
change a role or scope or the contacts (email, mobile), stop or restore an account.  Every action is checked
on the server (the logged-in account must be an admin) and audited; the same
functions serve the CLI (accounts.users)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from accounts import current_account
from accounts.users import AccountError, create_user, department_names, set_password, update_user, user_rows
from components.access import admin_only
from components.actions import clicked
from components.grid import data_grid, export_filename
from queries import api
from store import clock, session_scope
from store.models import ROLES

dash.register_page(__name__, path="/users", name="账号管理", order=95, cache_layout=False, roles=("admin",),
                   title="账号管理 · 信用应用场景推进监测平台")

COLUMNS = [
    {"field": "username", "headerName": "用户名", "width": 130},
    {"field": "display_name", "headerName": "姓名/单位", "flex": 1, "minWidth": 160},
    {"field": "role_label", "headerName": "角色", "width": 120},
    {"field": "city", "headerName": "地市", "width": 90},
    {"field": "department", "headerName": "部门", "flex": 1, "minWidth": 140},
    {"field": "email", "headerName": "邮箱", "width": 190},
    {"field": "mobile", "headerName": "手机", "width": 120},
    {"field": "state", "headerName": "状态", "width": 90,
     "cellClassRules": {"rag-red": "params.data.active == false"}},
    {"field": "created_at", "headerName": "创建时间", "width": 150},
]
ROLE_OPTIONS = [{"value": k, "label": v} for k, v in ROLES.items()]


def accounts_table() -> html.Div:
    with session_scope() as s:
        rows = [{**u, "state": "启用" if u["active"] else "停用"} for u in user_rows(s)]
    return data_grid("users", rows, COLUMNS, title=f"账号列表（{clock.today()}）",
                     filename=export_filename("账号列表", clock.today()))


def layout(**_query):
    refused = admin_only("/users", "账号管理", "账号管理仅供管理员使用。")
    if refused is not None:
        return refused
    with session_scope() as s:
        usernames = [u["username"] for u in user_rows(s)]
    field = lambda label, control, width=3: dbc.Col(  # noqa: E731
        [dbc.Label(label, className="small text-muted mb-1"), control], md=width)
    return html.Div([
        html.Div([html.H3("账号管理", className="page-title mb-0"),
                  html.Div("新建账号、重设密码、调整角色和填报范围、设置联系方式（邮箱接收提醒）、停用账号；所有变更记入审计日志",
                           className="text-muted")], className="mb-3"),
        html.Div(accounts_table(), id="users-table"),
        dbc.Card(dbc.CardBody([
            html.H5("新建账号"),
            dbc.Row([
                field("用户名", dbc.Input(id="new-username", maxLength=40), 2),
                field("姓名/单位", dbc.Input(id="new-name", maxLength=80), 2),
                field("角色", dcc.Dropdown(ROLE_OPTIONS, id="new-role", placeholder="选择角色"), 2),
                field("地市（填报员）", dcc.Dropdown(api.choices()["cities"], id="new-city", placeholder="—"), 2),
                field("部门（部门填报员）", dcc.Dropdown([], id="new-department", placeholder="先选地市"), 2),
                field("初始密码", dbc.Input(id="new-password", type="password", autoComplete="new-password"), 2),
                field("邮箱（接收提醒、催办）", dbc.Input(id="new-email", type="email", maxLength=254), 3),
                field("手机", dbc.Input(id="new-mobile", maxLength=20), 2),
            ], className="g-2 align-items-end"),
            dbc.Button("创建", id="create-account", color="primary", className="mt-3"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H5("修改账号"),
            dbc.Row([
                field("账号", dcc.Dropdown(usernames, id="edit-username", placeholder="选择账号"), 2),
                field("新密码（重设时填写）", dbc.Input(id="edit-password", type="password",
                                                autoComplete="new-password"), 2),
                field("新角色", dcc.Dropdown(ROLE_OPTIONS, id="edit-role", placeholder="不变"), 2),
                field("地市", dcc.Dropdown(api.choices()["cities"], id="edit-city", placeholder="—"), 2),
                field("部门", dcc.Dropdown([], id="edit-department", placeholder="先选地市"), 2),
                field("邮箱（留空即删除）", dbc.Input(id="edit-email", type="email", maxLength=254), 3),
                field("手机（留空即删除）", dbc.Input(id="edit-mobile", maxLength=20), 2),
            ], className="g-2 align-items-end"),
            html.Div([dbc.Button("重设密码", id="reset-password", color="secondary", className="me-2"),
                      dbc.Button("修改角色和范围", id="change-role", color="secondary", className="me-2"),
                      dbc.Button("修改联系方式", id="change-contacts", color="secondary", className="me-2"),
                      dbc.Button("停用", id="deactivate", color="danger", outline=True, className="me-2"),
                      dbc.Button("启用", id="activate", color="success", outline=True)], className="mt-3"),
        ])),
        html.Div(id="users-message", className="mt-3"),
    ])


@callback(Output("new-department", "options"), Input("new-city", "value"), prevent_initial_call=True)
def new_departments(city):
    return _departments(city)


@callback(Output("edit-department", "options"), Input("edit-city", "value"), prevent_initial_call=True)
def edit_departments(city):
    return _departments(city)


@callback(Output("edit-email", "value"), Output("edit-mobile", "value"), Input("edit-username", "value"),
          prevent_initial_call=True)
def shown_contacts(username):
    """The chosen account's contacts, to edit (what 修改联系方式 saves is what the fields then hold)."""
    if _admin() is None or not isinstance(username, str):
        return "", ""
    with session_scope() as s:
        row = next((u for u in user_rows(s) if u["username"] == username), None)
    return (row["email"], row["mobile"]) if row else ("", "")


def _departments(city) -> list[str]:
    if current_account() is None or not isinstance(city, str):
        return []
    with session_scope() as s:
        return department_names(s, city)


def _text(value) -> str | None:
    """A form field as the browser should send it: text, or nothing (anything else is nothing)."""
    return value if isinstance(value, str) and value else None


def _admin():
    account = current_account()
    return account if account is not None and account.role == "admin" else None


def _done(message: str, ok: bool = True):
    """The message, the refreshed list, and the refreshed choice of accounts."""
    with session_scope() as s:
        usernames = [u["username"] for u in user_rows(s)]
    return dbc.Alert(message, color="success" if ok else "danger", id="users-result"), accounts_table(), usernames


@callback(
    Output("users-message", "children"), Output("users-table", "children"),
    Output("edit-username", "options"),
    Input("create-account", "n_clicks"),
    State("new-username", "value"), State("new-name", "value"), State("new-role", "value"),
    State("new-city", "value"), State("new-department", "value"), State("new-password", "value"),
    State("new-email", "value"), State("new-mobile", "value"),
    prevent_initial_call=True,
)
def create(_clicks, *values):
    clicked("create-account")
    username, name, role, city, department, password, email, mobile = map(_text, values)
    admin = _admin()
    if admin is None:
        return _done("只有管理员可以管理账号，未作任何修改。", ok=False)
    try:
        with session_scope() as s:
            create_user(s, admin.username, username or "", password or "", role or "",
                        display_name=name, city=city, department=department, email=email, mobile=mobile)
    except AccountError as exc:
        return _done(f"未创建：{exc}", ok=False)
    return _done(f"已创建账号 {username}（{ROLES[role]}）。")


@callback(
    Output("users-message", "children", allow_duplicate=True),
    Output("users-table", "children", allow_duplicate=True),
    Output("edit-username", "options", allow_duplicate=True),
    Input("reset-password", "n_clicks"), Input("change-role", "n_clicks"),
    Input("deactivate", "n_clicks"), Input("activate", "n_clicks"), Input("change-contacts", "n_clicks"),
    State("edit-username", "value"), State("edit-password", "value"), State("edit-role", "value"),
    State("edit-city", "value"), State("edit-department", "value"), State("edit-email", "value"),
    State("edit-mobile", "value"),
    prevent_initial_call=True,
)
def change(_reset, _role, _off, _on, _contacts, *values):
    action = clicked("reset-password", "change-role", "deactivate", "activate", "change-contacts")
    username, password, role, city, department, email, mobile = map(_text, values)
    admin = _admin()
    if admin is None:
        return _done("只有管理员可以管理账号，未作任何修改。", ok=False)
    if username is None:
        return _done("请先选择账号。", ok=False)
    try:
        with session_scope() as s:
            if action == "reset-password":
                set_password(s, admin.username, username, password or "")
                message = f"已重设 {username} 的密码；该账号的其他登录已失效。"
            elif action == "change-role":
                if role not in ROLES:
                    raise AccountError("请选择新角色")
                update_user(s, admin.username, username, role=role, city=city, department=department)
                message = f"已将 {username} 调整为{ROLES[role]}。"
            elif action == "change-contacts":
                user = update_user(s, admin.username, username, email=email or "", mobile=mobile or "")
                message = f"已修改 {username} 的联系方式：邮箱 {user.email or '无'}，手机 {user.mobile or '无'}。"
            else:
                update_user(s, admin.username, username, active=action == "activate")
                message = f"已{'启用' if action == 'activate' else '停用'}账号 {username}。"
    except AccountError as exc:
        return _done(f"未修改：{exc}", ok=False)
    return _done(message)
