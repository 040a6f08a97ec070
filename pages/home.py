"""全省总览 (placeholder until the dashboard issue): headline figures as of the
latest reported date, straight from the status engine."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from queries.status import default_as_of, rates
from store import session_scope

dash.register_page(__name__, path="/", name="全省总览", order=0, title="全省总览 · 信用应用场景推进监测平台")


def _pct(num: int, den: int) -> str:
    return f"{num / den:.1%}（{num}/{den}）" if den else "—（无到期节点）"


def card(label: str, value: str, test_id: str) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-muted small"),
        html.Div(value, className="fs-4 fw-bold", id=test_id),
    ])), md=3, className="mb-3")


def layout(**_query):
    with session_scope() as session:
        as_of = default_as_of(session)
        row = rates(session, as_of)[0]
    if not row["total"]:
        return dbc.Alert("尚未导入任何计划。请运行 flask --app app init-db 导入随附文件。", color="warning")
    return html.Div([
        html.H3(f"全省总览（截至{as_of.year}年{as_of.month}月{as_of.day}日）", id="as-of-title"),
        dbc.Row([
            card("工作节点", f"{row['total']:,}个", "kpi-total"),
            card("进度完成率", _pct(row["done_due"], row["due_by"]), "kpi-progress"),
            card("按时完成率", _pct(row["on_time_due"], row["due_by"]), "kpi-on-time"),
            card("逾期未完成", f"{row['overdue']:,}个", "kpi-overdue"),
        ]),
        html.P("完整的总览、地市对比与场景详情页面将在后续版本中提供。", className="text-muted"),
    ])
