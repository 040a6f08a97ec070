"""数据质量: the findings of the imports, kept as written and listed for review."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import html

from queries.findings import finding_rows
from store import session_scope

dash.register_page(__name__, path="/data-quality", name="数据质量", order=90,
                   title="数据质量 · 信用应用场景推进监测平台")

COLUMNS = [
    {"field": "plan", "headerName": "计划文件", "width": 190, "tooltipField": "plan"},
    {"field": "kind_label", "headerName": "问题类型", "width": 150},
    {"field": "city", "headerName": "地市", "width": 80},
    {"field": "item", "headerName": "场景/项目", "width": 180, "tooltipField": "item"},
    {"field": "seq", "headerName": "节点", "width": 90},
    {"field": "message", "headerName": "说明", "flex": 1, "wrapText": True, "autoHeight": True,
     "cellStyle": {"lineHeight": "1.6", "paddingTop": "8px", "paddingBottom": "8px"}},
    {"field": "source", "headerName": "出处（文件:行）", "width": 230},
]


def layout(**_query):
    with session_scope() as session:
        rows = finding_rows(session)
    return html.Div([
        html.H3("数据质量：导入发现的问题"),
        html.P("导入时保留文件原文，疑似问题在此列出供核对，不做自动修正。", className="text-muted"),
        dag.AgGrid(id="findings-grid", rowData=rows, columnDefs=COLUMNS,
                   defaultColDef={"sortable": True, "filter": True, "resizable": True},
                   dashGridOptions={"domLayout": "autoHeight"}, style={"width": "100%"}),
    ])
