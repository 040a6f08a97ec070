"""审计日志: every write — progress reports, uploads, accounts, imports — with
who, when, what, before and after; for admins only, filterable, exportable."""
from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.access import admin_only
from components.filters import control_bar
from components.grid import data_grid, export_filename
from queries.audit import AUDIT_CAP, actors, audit_rows
from store import clock
from store.audit import ACTIONS

dash.register_page(__name__, path="/audit", name="审计日志", order=90, cache_layout=False, roles=("admin",),
                   title="审计日志 · 信用应用场景推进监测平台")

COLUMNS = [
    {"field": "at", "headerName": "时间", "width": 150},
    {"field": "actor_name", "headerName": "操作人", "width": 140, "tooltipField": "actor"},
    {"field": "action_label", "headerName": "操作", "width": 130},
    {"field": "target", "headerName": "对象", "flex": 2, "minWidth": 220},
    {"field": "before", "headerName": "变更前", "flex": 1, "minWidth": 180},
    {"field": "after", "headerName": "变更后", "flex": 1, "minWidth": 180},
]


def _day(text) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def layout(**query):
    refused = admin_only("/audit", "审计日志", "审计日志仅供管理员查看。")
    if refused is not None:
        return refused
    who = query.get("actor") if query.get("actor") in actors() else None
    action = query.get("action") if query.get("action") in ACTIONS else None
    start, end = _day(query.get("from")), _day(query.get("to"))
    rows, total = audit_rows(who, action, start, end)
    return html.Div([
        html.Div([html.H3("审计日志", className="page-title mb-0"),
                  html.Div("所有写入操作：进度报送、模板上传、账号变更、计划导入；最新的在前",
                           className="text-muted")], className="mb-3"),
        filters(who, action, start, end),
        dbc.Alert(f"共 {total:,} 条，表格只显示最新的 {AUDIT_CAP:,} 条；请用筛选条件缩小范围。", color="info",
                  className="py-2 small") if total > AUDIT_CAP else None,
        data_grid("audit", rows, COLUMNS, title=f"审计日志（导出于{clock.today()}）",
                  filename=export_filename("审计日志", clock.today()), empty="筛选条件下没有审计记录"),
    ])


def filters(who, action, start, end) -> html.Div:
    def dropdown(name, options, value, placeholder):
        return dcc.Dropdown(options, value, placeholder=placeholder, id={"type": "filter", "name": name})

    def day(name, value):
        return dcc.Input(type="date", value=value.isoformat() if value else None, className="form-control",
                         id={"type": "filter", "name": name})

    fields = [("操作人", dropdown("actor", actors(), who, "全部"), 3),
              ("操作", dropdown("action", [{"value": k, "label": v} for k, v in ACTIONS.items()], action, "全部"), 3),
              ("起始日期", day("from", start), 2), ("截止日期", day("to", end), 2)]
    rendered = {"actor": who, "action": action, "from": start and start.isoformat(), "to": end and end.isoformat()}
    return control_bar(fields, rendered)
