"""数据质量: the findings of the imports, kept as written and listed for review —
by plan, kind and state, each with its source (file:line, the sentence) and a
link to the work item it concerns.  A finding is answered in place: fixed by a
correction of the plan (the admin's link to 更正或调整计划), or confirmed as
right with a reason (corrections.findings)."""
from __future__ import annotations

from collections import Counter

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from accounts import current_account
from components.actions import clicked, refused
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename, link_column
from corrections.apply import CorrectionError
from corrections.findings import confirm_findings
from queries import api
from queries.cache import invalidate
from queries.findings import FINDING_LABELS, STATE_LABELS
from store import session_scope

dash.register_page(__name__, path="/data-quality", name="数据质量", order=90,
                   title="数据质量 · 信用应用场景推进监测平台")

COLUMNS = [
    {"field": "state_label", "headerName": "状态", "width": 100},
    {"field": "kind_label", "headerName": "问题类型", "width": 136},
    {"field": "plan", "headerName": "计划文件", "width": 124, "tooltipField": "plan"},
    {"field": "city", "headerName": "地市", "width": 64, "filter": False},
    link_column("item", "场景/项目", "/item/{item_id}", width=140),
    {"field": "seq", "headerName": "节点", "width": 64, "filter": False},
    {"field": "message", "headerName": "说明", "flex": 1, "minWidth": 200},
    {"field": "source_text", "headerName": "原文", "flex": 1, "minWidth": 200},
    {"field": "source", "headerName": "出处（文件:行）", "width": 236, "wrapText": False, "autoHeight": False},
    {"field": "resolution", "headerName": "处理情况", "width": 180},
]
FIX_COLUMN = link_column("fix", "更正", "/item/{item_id}/edit", width=80, filter=False)


def layout(**query):
    view = read_view(query)
    findings = api.findings(view.filters.plan)
    counts = Counter(f["kind"] for f in findings)
    kind = query.get("kind") or None
    problem = None
    if kind is not None and kind not in FINDING_LABELS:
        problem = dbc.Alert(f"未知的问题类型“{kind}”，已显示全部", color="warning", className="py-2")
        kind = None
    state = query.get("state") if query.get("state") in STATE_LABELS else None
    of_kind = [f for f in findings if kind is None or f["kind"] == kind]
    shown = [f for f in of_kind if state is None or f["state"] == state]
    stem = "数据质量" + (f"_{FINDING_LABELS[kind]}" if kind else "") + (f"_{STATE_LABELS[state]}" if state else "")
    account = current_account()
    admin = account is not None and account.role == "admin"
    columns = COLUMNS + ([FIX_COLUMN] if admin else [])
    rows = [{**f, "fix": "去更正" if f["item_id"] else ""} for f in shown] if admin else shown
    return html.Div([
        html.H3("数据质量：导入发现的问题", className="page-title"),
        html.P("导入时保留文件原文，疑似问题在此列出供核对，不做自动修正。点击场景/项目查看该条记录；"
               "管理员可更正计划，或确认原文无误。", className="text-muted"),
        filter_bar(view, fields=("plan",)),
        kind_bar(view, counts, kind, len(findings)),
        state_bar(view, of_kind, state, kind),
        problem,
        confirm_panel() if admin else None,
        html.Div(data_grid("findings", rows, columns,
                           title="数据质量问题" + (f"（{FINDING_LABELS[kind]}）" if kind else ""),
                           filename=export_filename(stem, view.as_of),
                           empty="没有符合条件的数据质量问题", selectable=admin), id="findings-grid"),
    ])


def state_bar(view, findings: list[dict], state: str | None, kind: str | None) -> html.Div:
    """待处理 / 已更正 / 已确认无误, each with its count, a link to its rows."""
    counts = Counter(f["state"] for f in findings)
    extra = {"kind": kind} if kind else {}
    pills = [pill("全部状态", len(findings), view.href("/data-quality", **extra), state is None, "state-count-all")]
    pills += [pill(label, counts.get(code, 0), view.href("/data-quality", state=code, **extra), state == code,
                   f"state-count-{code}") for code, label in STATE_LABELS.items()]
    return html.Div(pills, className="d-flex flex-wrap gap-2 mb-3", id="state-counts")


def confirm_panel() -> dbc.Card:
    """The admin's answer to the findings ticked in the table: right as written."""
    return dbc.Card(dbc.CardBody([
        dbc.Row([
            dbc.Col(dbc.Input(id="findings-reason", maxLength=500,
                              placeholder="确认无误的理由（如：原文如此，已与牵头部门核实）"), md=8),
            dbc.Col(dbc.Button("确认所选问题无误", id="findings-confirm", color="primary", outline=True), md=4),
        ], className="g-2"),
        html.Div("在表中勾选问题后确认；能更正的，点“去更正”修改计划（修改后状态为“已更正”）。",
                 className="small text-muted mt-1"),
        html.Div(id="findings-result", className="mt-2", role="status"),
    ]), className="mb-3")


@callback(Output("findings-result", "children"), Input("findings-confirm", "n_clicks"),
          State({"type": "grid", "name": "findings"}, "selectedRows"), State("findings-reason", "value"),
          prevent_initial_call=True)
def confirm(_clicks, selected, reason):
    """Confirm the ticked findings (the ids are checked on the server, as is the account)."""
    clicked("findings-confirm")
    ids = [row.get("finding_id") for row in selected if isinstance(row, dict)] if isinstance(selected, list) else []
    try:
        with session_scope() as s:
            confirmed = confirm_findings(s, current_account(), ids, reason)
    except CorrectionError as exc:
        return refused(exc.messages, "findings-refused", "未确认")
    invalidate()
    return dbc.Alert([f"已确认 {confirmed} 条问题无误，刷新页面后显示为“已确认无误”。",
                      dcc.Link("刷新", href="/data-quality?state=confirmed", className="ms-2")],
                     color="success", className="py-2", id="findings-confirmed")


def kind_bar(view, counts: Counter, kind: str | None, total: int) -> dbc.Row:
    """The kind control (written into the URL by the shared filter callback) and
    the count of every kind found, each a link to its rows."""
    options = [{"label": f"{label}（{counts.get(code, 0)}）", "value": code}
               for code, label in FINDING_LABELS.items()]
    pills = [pill("全部", total, view.href("/data-quality"), kind is None, "kind-count-all")]
    pills += [pill(FINDING_LABELS[code], counts[code], view.href("/data-quality", kind=code), kind == code,
                   f"kind-count-{code}")
              for code in FINDING_LABELS if counts.get(code)]
    return dbc.Row([
        dbc.Col([dbc.Label("问题类型", className="small text-muted mb-1"),
                 dcc.Dropdown(options, kind, placeholder="全部类型", id={"type": "filter", "name": "kind"})],
                md=3),
        dbc.Col(html.Div(pills, className="d-flex flex-wrap gap-2", id="kind-counts"), md=9),
    ], className="g-2 align-items-end mb-3")


def pill(label: str, count: int, href: str, active: bool, pill_id: str) -> dcc.Link:
    return dcc.Link([label, " ", dbc.Badge(f"{count:,}", color="light", text_color="dark", className="ms-1")],
                    href=href, id=pill_id,
                    className="btn btn-sm " + ("btn-secondary" if active else "btn-outline-secondary"))
