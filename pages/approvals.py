"""审核: the completions waiting for this reviewer — a city office decides its
departments', the province office (admin) the cities' and, with two levels,
what the cities passed on — oldest first, with the 佐证材料 beside each; how
many wait per city and month; 通过 or 退回 (with a reason) for the ticked
rows, one comment for all; the admin locks a reviewed month.

Every decision is checked again on the server (reporting.review): who is
logged in, what stage and city each completion is at, that it is still the
milestone's latest report; the browser only says which rows were ticked.
"""
from __future__ import annotations

from datetime import date, timedelta

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from flask import current_app

from accounts import current_account
from components.access import login_needed, not_allowed
from components.actions import clicked, refused
from components.cards import SITE
from components.grid import data_grid, export_filename, link_column
from queries import api
from queries.approvals import waiting_condition, waiting_rows, waiting_summary
from queries.cache import invalidate
from reporting.locks import lock, locked_periods
from reporting.review import ReviewError, decide
from store import clock, session_scope
from store.models import ROLES
from store.periods import add_months, parse_period, period_label, period_of, recent_periods

dash.register_page(__name__, path="/approvals", name="审核", order=82, cache_layout=False, roles=("admin", "city"),
                   title=f"审核 · {SITE}")

COLUMNS = [
    {"field": "reported_on", "headerName": "报送日期", "width": 110},
    {"field": "waiting_days", "headerName": "已等待（天）", "width": 104},
    {"field": "city", "headerName": "地市", "width": 70},
    link_column("item", "工作事项", "/item/{item_id}", width=150, wrapText=False, autoHeight=False, tooltipField="item"),
    {"field": "seq", "headerName": "节点", "width": 64},
    {"field": "milestone", "headerName": "节点内容", "minWidth": 180, "flex": 1, "wrapText": True, "autoHeight": True},
    {"field": "completed_on", "headerName": "完成日期", "width": 110},
    {"field": "files", "headerName": "佐证材料", "minWidth": 170, "cellRenderer": "Files",
     "cellRendererParams": {"href": "/evidence/{id}"}, "wrapText": True, "autoHeight": True},
    {"field": "note", "headerName": "进展说明", "minWidth": 180, "flex": 1, "wrapText": True, "autoHeight": True},
    {"field": "due_text", "headerName": "计划时间", "width": 110},
    {"field": "reported_by", "headerName": "报送人", "width": 120},
    {"field": "period", "headerName": "报送月份", "width": 100},
    {"field": "stage", "headerName": "审核环节", "width": 110},
]
ALL = "all"  # a filter's 全部
SUMMARY_COLUMNS = [{"field": "city", "headerName": "地市", "width": 90},
                   {"field": "period_label", "headerName": "报送月份", "width": 120},
                   {"field": "n", "headerName": "待审核", "width": 90}]


def layout(city=None, month=None, **_query):
    account = current_account()
    if account is None:
        return login_needed("/approvals", "审核")
    if account.role not in ("admin", "city"):
        return not_allowed("审核由地市信用办（本市部门的完成情况）和省信用办（各地市的完成情况）进行。")
    levels = current_app.config["REVIEW_LEVELS"]
    condition = waiting_condition(account.role, account.city_id, mine_only=False)
    city = city if account.role == "admin" and city in api.choices()["cities"] else None  # (anything else: all)
    month = period_of(parse_period(month)) if parse_period(month) else None
    today = clock.today()
    with session_scope() as s:
        rows = waiting_rows(s, condition, city=city, period=month, today=today)
        summary = waiting_summary(s, condition)
        lock_card = lock_section(s, today) if account.role == "admin" else None
    who = "本市各部门报送的完成情况" if account.role == "city" else (
        "各地市报送的完成情况" + ("（含地市已初审通过的部门完成情况）" if levels >= 2 else "")
        + "；地市待审的部门完成情况也可由省信用办直接审核")
    return html.Div([
        html.Div([html.H3("审核", className="page-title mb-0"), html.Div(
            f"{who}。审核通过后，自通过之日起计入完成率和年度考核；退回的由填报单位修改后重新报送。"
            + ("" if levels else "（本平台现未启用审核：REVIEW_LEVELS=0，报送的完成情况即时计入。）"),
            className="text-muted")], className="mb-3"),
        filters(summary, city, month, account.role == "admin"),
        html.Div(f"待审核 {len(rows)} 项（最早报送的在前）", className="fw-bold mb-2", id="approvals-count"),
        html.Div(data_grid("approvals", rows, COLUMNS, title="待审核的完成情况", selectable=True,
                           filename=export_filename("待审核完成情况", today), empty="没有待审核的完成情况"),
                 id="approvals-grid"),
        dbc.Card(dbc.CardBody([
            dbc.Label("审核意见（退回时必填，填报单位可见）", html_for="approval-comment", className="small text-muted mb-1"),
            dbc.Input(id="approval-comment", maxLength=500, placeholder="如：佐证材料齐全，同意；或：请补充验收报告"),
            html.Div([dbc.Button("通过所选", id="approval-approve", color="success", className="me-2"),
                      dbc.Button("退回所选", id="approval-return", color="danger", outline=True)], className="mt-2"),
            html.Div("在表中勾选一项或多项（表头复选框全选本页）后审核；同一意见适用于所选各项。",
                     className="small text-muted mt-1"),
            html.Div(id="approval-result", className="mt-2", role="status"),
        ]), className="mb-4"),
        html.H5("按地市和月份"),
        data_grid("approvals-summary", [{**r, "period_label": period_label(r["period"])} for r in summary],
                  SUMMARY_COLUMNS, title="待审核数量", filename=export_filename("待审核数量", today),
                  empty="没有待审核的完成情况"),
        lock_card,
    ])


def filters(summary: list[dict], city: str | None, month: str | None, by_city: bool) -> html.Form:
    """A plain GET form: the filters are in the address (a link to a filtered queue can be sent)."""
    cities = sorted({r["city"] for r in summary} | ({city} if city else set()))
    months = sorted({r["period"] for r in summary if r["period"]} | ({month} if month else set()), reverse=True)

    def select(name, label, options, value):
        return dbc.Col([dbc.Label(label, html_for=f"approvals-{name}", className="small text-muted mb-1"),
                        dbc.Select(id=f"approvals-{name}", name=name, value=value or ALL,
                                   options=[{"label": "全部", "value": ALL}, *options])], md=3)
    return html.Form(dbc.Row([
        *([select("city", "地市", [{"label": c, "value": c} for c in cities], city)] if by_city else []),
        select("month", "报送月份", [{"label": period_label(m), "value": m} for m in months], month),
        dbc.Col(dbc.Button("筛选", type="submit", color="secondary", outline=True, className="mt-4"), md=2),
    ], className="g-2 mb-3"), method="get", action="/approvals")


def lock_section(session, today) -> dbc.Card:
    """The admin locks a month whose reports are reviewed: no editor reports on it again."""
    months = recent_periods(today, add_months(today, -23), limit=24)
    locked = locked_periods(session, months, today)
    open_months = [m for m in months if m not in locked]
    return dbc.Card(dbc.CardBody([
        html.H5("锁定月份"),
        html.Div("某月报送审核完毕后锁定：地市、部门不能再修改该月报送，更正须经管理员审批的调整申请。"
                 f"已锁定：{'、'.join(period_label(m) for m in sorted(locked, reverse=True)) or '无'}。",
                 className="small text-muted mb-2", id="locked-months"),
        dbc.Row([
            dbc.Col([dbc.Label("月份", html_for="lock-period", className="small text-muted mb-1"),
                     dbc.Select(id="lock-period", options=[{"label": period_label(m), "value": m} for m in open_months],
                                value=_last_month(today) if _last_month(today) in open_months else None)], md=3),
            dbc.Col(dbc.Button("锁定该月", id="lock-submit", color="warning", className="mt-4"), md=3),
        ], className="g-2"),
        html.Div(id="lock-result", className="mt-2", role="status"),
    ]), className="mb-4")


def _last_month(today: date) -> str:
    return period_of(today.replace(day=1) - timedelta(days=1))


@callback(Output("approval-result", "children"), Input("approval-approve", "n_clicks"),
          Input("approval-return", "n_clicks"), State({"type": "grid", "name": "approvals"}, "selectedRows"),
          State("approval-comment", "value"), prevent_initial_call=True)
def review(_approve, _return, selected, comment):
    """通过 or 退回 the ticked rows (by their update ids; everything else is read from the store)."""
    button = clicked("approval-approve", "approval-return")
    ids = [row.get("update_id") for row in selected if isinstance(row, dict)] if isinstance(selected, list) else []
    try:
        with session_scope() as s:
            done = decide(s, current_account(), ids, button == "approval-approve", comment, clock.today(),
                          current_app.config["REVIEW_LEVELS"])
    except ReviewError as exc:
        return refused(exc.messages, "approval-refused", "未审核")
    invalidate()
    parts = [f"{n} 项{what}" for n, what in ((done.approved, "审核通过，自今日起计入完成率"),
                                            (done.passed_on, "初审通过，转省信用办审核"),
                                            (done.returned, "已退回填报单位")) if n]
    return dbc.Alert(["；".join(parts) + "。", dcc.Link("刷新列表", href="/approvals", className="ms-2")],
                     color="success", className="py-2", id="approval-done")


@callback(Output("lock-result", "children"), Input("lock-submit", "n_clicks"), State("lock-period", "value"),
          prevent_initial_call=True)
def lock_month(_clicks, period):
    clicked("lock-submit")
    account = current_account()
    if account is None or account.role != "admin":
        return refused([f"只有{ROLES['admin']}可以锁定月份。"], "lock-refused", "未锁定")
    try:
        with session_scope() as s:
            new = lock(s, account.username, period if isinstance(period, str) else "", clock.today())
    except ValueError as exc:
        return refused([str(exc)], "lock-refused", "未锁定")
    invalidate()
    text = f"{period_label(period)}已锁定。" if new else f"{period_label(period)}此前已锁定。"
    return dbc.Alert([text, dcc.Link("刷新", href="/approvals", className="ms-2")], color="success",
                     className="py-2", id="lock-done")
