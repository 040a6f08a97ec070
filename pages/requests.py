"""计划调整申请: a city or department editor asks to move a milestone's time or
cancel it (its own milestones only) and follows its requests; the admin
approves or rejects each pending one with a comment — an approval changes the
plan from that day on (corrections.requests).  Every write is checked again
on the server: who is logged in, what they may ask about, what is pending.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from flask import current_app
from flask import session as cookie

from accounts import current_account
from accounts.scope import Scope
from components.access import login_needed, not_allowed
from components.actions import clicked, refused
from components.cards import SITE
from components.grid import data_grid, export_filename, link_column
from corrections.apply import CorrectionError
from corrections.requests import KINDS, Correction, decide, submit_request
from queries.cache import invalidate
from queries.requests import milestone_options, request_rows
from request_files import MESSAGE_KEY
from reporting.entries import whole_number
from store import clock, session_scope
from reporting.locks import locked_periods
from store.files import KINDS_TEXT
from store.models import PROGRESS_STATES
from store.periods import add_months, period_label, recent_periods

ACCEPT = ".pdf,.ofd,.doc,.docx,.xls,.xlsx,.wps,.et,.png,.jpg,.jpeg"

dash.register_page(__name__, path="/requests", name="计划调整申请", nav=False, cache_layout=False,
                   title=f"计划调整申请 · {SITE}")

COLUMNS = [
    {"field": "request_id", "headerName": "编号", "width": 76},
    {"field": "requested_at", "headerName": "提交时间", "width": 140},
    {"field": "requested_by", "headerName": "申请人", "width": 90},
    {"field": "city", "headerName": "地市", "width": 70},
    link_column("item", "工作事项", "/item/{item_id}", minWidth=140, flex=1),
    {"field": "seq", "headerName": "节点", "width": 64},
    {"field": "kind_label", "headerName": "申请", "width": 100},
    {"field": "due_text", "headerName": "现完成时间", "width": 115},
    {"field": "wanted", "headerName": "申请调整为", "width": 115},
    {"field": "reason", "headerName": "理由", "minWidth": 160, "flex": 1},
    link_column("file_name", "附件", "/requests/file/{request_id}", download=True, width=130),
    {"field": "state_label", "headerName": "状态", "width": 80},
    {"field": "score_text", "headerName": "考核", "width": 100},
    {"field": "comment", "headerName": "审批意见", "minWidth": 140, "flex": 1},
    {"field": "decided_at", "headerName": "审批日期", "width": 110},
]


def layout(item_id=None, **_query):
    account = current_account()
    if account is None:
        return login_needed("/requests", "计划调整申请")
    if account.role not in ("admin", "city", "department"):
        return not_allowed("计划调整申请由地市、部门填报员提交，管理员审批。")
    header = html.Div([html.H3("计划调整申请", className="page-title mb-0"), html.Div(
        "地市、部门申请调整本单位节点的完成时间或取消节点，管理员审批；批准后自批准之日起按调整后的计划判断。",
        className="text-muted")], className="mb-3")
    with session_scope() as s:
        if account.role == "admin":
            return html.Div([header, *admin_sections(s)])
        item = whole_number(item_id, 2**31) if isinstance(item_id, str) else None
        options = milestone_options(s, Scope.of(account).milestones(), item)
        mine = request_rows(s, requested_by=account.username)
        today = clock.today()
        locked = sorted(locked_periods(s, recent_periods(today, add_months(today, -23), 24), today), reverse=True)
    return html.Div([header, request_form(options, locked), file_form(mine), html.H5("我的申请"),
                     data_grid("my-requests", mine, COLUMNS, title="我的计划调整申请",
                               filename=export_filename("我的调整申请", clock.today()), empty="尚未提交申请")])


def request_form(options: list[dict], locked: list[str]) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H5("提交申请"),
        dbc.Row([
            dbc.Col([dbc.Label("工作节点", className="small text-muted mb-1"),
                     dcc.Dropdown(options, options[0]["value"] if len(options) == 1 else None, id="request-milestone",
                                  placeholder="选择本单位的工作节点（可输入事项名称搜索）")], md=6),
            dbc.Col([dbc.Label("申请", className="small text-muted mb-1"),
                     dbc.RadioItems([{"label": v, "value": k} for k, v in KINDS.items()], "move", id="request-kind",
                                    inline=True)], md=3),
            dbc.Col([dbc.Label("调整后的完成时间", html_for="request-due", className="small text-muted mb-1"),
                     dbc.Input(id="request-due", placeholder="如 2021年9月底前", maxLength=200)], md=3),
        ], className="g-2 mb-2"),
        correction_fields(locked),
        dbc.Label("理由（必填）", html_for="request-reason", className="small text-muted mb-1"),
        dbc.Textarea(id="request-reason", rows=2, maxLength=500, placeholder="如：受疫情影响，平台验收推迟"),
        dbc.Button("提交申请", id="request-submit", color="primary", className="mt-2"),
        html.Div(id="request-result", className="mt-2", role="status"),
    ]), className="mb-3")


def correction_fields(locked: list[str]) -> html.Div:
    """更正已锁定月份的报送: the month and the report as it should read."""
    def labelled(text, control, width):
        return dbc.Col([dbc.Label(text, html_for=control.id, className="small text-muted mb-1"), control], md=width)
    return html.Div([
        html.Div("更正已锁定月份的报送时填写（该月报送已审核锁定，批准后按以下内容记入）：", className="small text-muted mb-1"),
        dbc.Row([
            labelled("更正月份", dbc.Select(id="request-period", options=[
                {"label": period_label(p), "value": p} for p in locked], placeholder="无已锁定的月份" if not locked
                else "选择月份"), 3),
            labelled("报送状态", dbc.Select(id="request-state", options=[
                {"label": v, "value": k} for k, v in PROGRESS_STATES.items()]), 2),
            labelled("完成日期", dbc.Input(id="request-completed-on", type="date"), 3),
            labelled("进展说明", dbc.Input(id="request-note", maxLength=500), 4),
        ], className="g-2 mb-2"),
    ], id="request-correction")


def file_form(mine: list[dict]) -> dbc.Card:
    """附件: a file for one of the editor's pending requests; the browser posts
    it to its own route (request_files.py: multipart, checked and kept there;
    a clientside callback, assets/uploads.js), which comes back here with
    what happened."""
    said, limit = cookie.pop(MESSAGE_KEY, None), current_app.config["REQUEST_FILE_MAX_BYTES"]
    waiting = [r for r in mine if r["state"] == "pending" and not r["file_name"]]
    options = [{"label": f"#{r['request_id']} {r['item'][:20]} 节点{r['seq']}", "value": str(r["request_id"])}
               for r in waiting]
    return dbc.Card(dbc.CardBody([
        html.H5("附件（可选）"),
        html.Div(f"为待审批的申请附上一份文件，如上级同意函、会议纪要（{KINDS_TEXT}，不超过 {limit // 1024 // 1024} MB；每件申请一份，附后不可替换）。",
                 className="small text-muted mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label("申请", html_for="request-file-which", className="small text-muted mb-1"),
                     dbc.Select(options=options, value=options[0]["value"] if options else None,
                                id="request-file-which", disabled=not options)], md=5),
            dbc.Col([html.Div("文件", className="small text-muted mb-1"),
                     dcc.Upload(html.Div(["将文件拖放到此处，或 ", html.A("选择文件", href="#")]), id="request-file",
                                accept=ACCEPT, max_size=limit, multiple=False, className="upload-box",
                                disabled=not options)], md=7),
        ], className="g-2"),
        html.Div(id="request-file-status", className="small mt-1", role="status"),
        dbc.Alert(said["text"], color="success" if said.get("ok") else "danger", className="py-2 mt-2 mb-0",
                  id="request-file-message") if isinstance(said, dict) else None,
    ]), className="mb-3")


dash.clientside_callback(
    dash.ClientsideFunction(namespace="requests", function_name="upload"),
    Output("request-file-status", "children"), Input("request-file", "contents"), State("request-file", "filename"),
    State("request-file-which", "value"), prevent_initial_call=True)


def admin_sections(session) -> list:
    pending = request_rows(session, state="pending")
    return [
        html.H5(f"待审批（{len(pending)} 件）"),
        data_grid("pending-requests", pending, COLUMNS, title="待审批的计划调整申请",
                  filename=export_filename("待审批调整申请", clock.today()), empty="没有待审批的申请",
                  selectable=True),
        dbc.Card(dbc.CardBody([
            dbc.Input(id="decision-comment", maxLength=500, placeholder="审批意见（驳回时必填）"),
            dbc.Checkbox(id="decision-keeps-score", value=False, className="mt-2",
                         label="不影响考核：批准后页面按调整后的计划显示，年度考核仍按原完成时间（或未取消）计分"),
            html.Div([dbc.Button("批准所选申请", id="request-approve", color="success", className="me-2"),
                      dbc.Button("驳回所选申请", id="request-reject", color="danger", outline=True)],
                     className="mt-2"),
            html.Div("在表中勾选一件申请后审批：批准即自今日起调整该节点（记入计划变更记录），驳回则计划不变。",
                     className="small text-muted mt-1"),
            html.Div(id="decision-result", className="mt-2", role="status"),
        ]), className="mb-4"),
        html.H5("全部申请"),
        data_grid("all-requests", request_rows(session), COLUMNS, title="计划调整申请",
                  filename=export_filename("计划调整申请", clock.today()), empty="尚无申请"),
    ]


@callback(Output("request-result", "children"), Input("request-submit", "n_clicks"),
          State("request-milestone", "value"), State("request-kind", "value"), State("request-due", "value"),
          State("request-reason", "value"), State("request-period", "value"), State("request-state", "value"),
          State("request-completed-on", "value"), State("request-note", "value"), prevent_initial_call=True)
def ask(_clicks, milestone_id, kind, due_text, reason, period, state, completed_on, note):
    """Submit a request (its milestone checked against the account's scope on the server)."""
    clicked("request-submit")
    try:
        with session_scope() as s:
            request = submit_request(s, current_account(), milestone_id, kind, due_text, reason,
                                     Correction(period, state, completed_on, note))
            number = request.id
    except CorrectionError as exc:
        return refused(exc.messages, "request-refused")
    invalidate()
    return dbc.Alert([f"已提交申请 #{number}，待管理员审批。需要附文件的，刷新后在“附件”中选择该申请。",
                      dcc.Link("刷新查看", href="/requests", className="ms-2")],
                     color="success", className="py-2", id="request-sent")


@callback(Output("decision-result", "children"), Input("request-approve", "n_clicks"),
          Input("request-reject", "n_clicks"), State({"type": "grid", "name": "pending-requests"}, "selectedRows"),
          State("decision-comment", "value"), State("decision-keeps-score", "value"), prevent_initial_call=True)
def answer(_approve, _reject, selected, comment, keeps_score):
    """Approve or reject the ticked request (one at a time: each is its own decision)."""
    button = clicked("request-approve", "request-reject")
    ids = [row.get("request_id") for row in selected if isinstance(row, dict)] if isinstance(selected, list) else []
    if len(ids) != 1:
        return dbc.Alert("请在表中勾选一件申请（每件单独审批）。", color="warning", className="py-2",
                         id="decision-refused")
    try:
        with session_scope() as s:
            request = decide(s, current_account(), ids[0], button == "request-approve", comment, clock.today(),
                             keeps_score is True)
            outcome, number, kind = request.state, request.id, request.kind
    except CorrectionError as exc:
        return refused(exc.messages, "decision-refused")
    invalidate()
    text = "已驳回，计划不变" if outcome != "approved" else "已批准，更正已记入该月报送" if kind == "correct" else \
        "已批准，计划已自今日起调整" + ("（不影响考核）" if keeps_score is True else "")
    return dbc.Alert([f"申请 #{number}：{text}。", dcc.Link("刷新", href="/requests", className="ms-2")],
                     color="success", className="py-2", id="decision-made")
