"""数据质量: the findings of the imports, kept as written and listed for review —
by plan and kind, each with its source (file:line, the sentence) and a link to
the work item it concerns."""
from __future__ import annotations

from collections import Counter

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename, link_column
from queries import api
from queries.findings import FINDING_LABELS

dash.register_page(__name__, path="/data-quality", name="数据质量", order=90,
                   title="数据质量 · 信用应用场景推进监测平台")

COLUMNS = [
    {"field": "kind_label", "headerName": "问题类型", "width": 136},
    {"field": "plan", "headerName": "计划文件", "width": 124, "tooltipField": "plan"},
    {"field": "city", "headerName": "地市", "width": 64, "filter": False},
    link_column("item", "场景/项目", "/item/{item_id}", width=140),
    {"field": "seq", "headerName": "节点", "width": 64, "filter": False},
    {"field": "message", "headerName": "说明", "flex": 1, "minWidth": 200},
    {"field": "source_text", "headerName": "原文", "flex": 1, "minWidth": 200},
    {"field": "source", "headerName": "出处（文件:行）", "width": 236, "wrapText": False, "autoHeight": False},
]


def layout(**query):
    view = read_view(query)
    findings = api.findings(view.filters.plan)
    counts = Counter(f["kind"] for f in findings)
    kind = query.get("kind") or None
    problem = None
    if kind is not None and kind not in FINDING_LABELS:
        problem = dbc.Alert(f"未知的问题类型“{kind}”，已显示全部", color="warning", className="py-2")
        kind = None
    shown = [f for f in findings if kind is None or f["kind"] == kind]
    stem = "数据质量" + (f"_{FINDING_LABELS[kind]}" if kind else "")
    return html.Div([
        html.H3("数据质量：导入发现的问题", className="page-title"),
        html.P("导入时保留文件原文，疑似问题在此列出供核对，不做自动修正。点击场景/项目查看该条记录。",
               className="text-muted"),
        filter_bar(view, fields=("plan",)),
        kind_bar(view, counts, kind, len(findings)),
        problem,
        html.Div(data_grid("findings", shown, COLUMNS,
                           title="数据质量问题" + (f"（{FINDING_LABELS[kind]}）" if kind else ""),
                           filename=export_filename(stem, view.as_of),
                           empty="没有符合条件的数据质量问题"), id="findings-grid"),
    ])


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
