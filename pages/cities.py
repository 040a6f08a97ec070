"""地市对比: one row per city with its rates (numerator/denominator), overdue
count and days, indicator attainment and RAG; a chart comparing the cities."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import page_header
from components.figures import city_rates_figure
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename, link_column
from components.status import RAG_CELL_CLASSES, pct, rag_text
from queries import api

dash.register_page(__name__, path="/cities", name="地市对比", order=10,
                   title="地市对比 · 信用应用场景推进监测平台")

COLUMNS = [
    link_column("city", "地市", "/city/{city}", width=90, pinned="left"),
    {"field": "items", "headerName": "工作事项", "width": 100},
    {"field": "progress", "headerName": "进度完成率（已完成/已到期）", "width": 210,
     "comparator": {"function": "(a, b, nA, nB) => (nA.data.progress_rate ?? -1) - (nB.data.progress_rate ?? -1)"}},
    {"field": "on_time", "headerName": "按时完成率（按时/已到期）", "width": 200,
     "comparator": {"function": "(a, b, nA, nB) => (nA.data.on_time_rate ?? -1) - (nB.data.on_time_rate ?? -1)"}},
    {"field": "overall", "headerName": "总体完成率（已完成/全部）", "width": 200,
     "comparator": {"function": "(a, b, nA, nB) => (nA.data.overall_rate ?? -1) - (nB.data.overall_rate ?? -1)"}},
    {"field": "overdue", "headerName": "逾期节点", "width": 100},
    {"field": "overdue_days", "headerName": "逾期天数", "width": 100},
    {"field": "due_soon", "headerName": "临期节点", "width": 100},
    {"field": "pending", "headerName": "待审核", "width": 90},
    {"field": "indicators", "headerName": "指标平均达成度", "width": 140},
    {"field": "rag_text", "headerName": "总体状态", "width": 110, "cellClassRules": RAG_CELL_CLASSES},
]


def city_rag(row: dict) -> str:
    """A city is red with any overdue milestone, amber with any due soon or done late."""
    if row["overdue"]:
        return "red"
    return "amber" if row["due_soon"] or row["done_late"] else "green"


def layout(**query):
    view = read_view(query)
    cities = api.rates(view.as_of, "city", view.filters)
    if not cities:
        return html.Div([page_header("地市对比", view), filter_bar(view),
                         dbc.Alert("筛选条件下没有工作节点。", color="light", className="border")])
    indicators = api.indicator_summary(view.as_of, view.filters)
    rows = []
    for r in cities:
        rag = city_rag(r)
        kpi = indicators.get(r["city"]) if r["city"] else None
        rows.append({
            **r, "rag": rag, "rag_text": rag_text(rag),
            "progress": pct(r["done_due"], r["due_by"]), "on_time": pct(r["on_time_due"], r["due_by"]),
            "overall": pct(r["done"], r["total"]),
            "indicators": f"{kpi['attainment_sum'] / kpi['attained']:.0%}（{kpi['attained']}项）"
            if kpi and kpi["attained"] else "—",
        })
    return html.Div([
        page_header("地市对比", view, "点击地市查看详情；点击表头排序"),
        filter_bar(view, ("as_of", "year", "plan", "department")),
        dbc.Card(dbc.CardBody(dcc.Graph(id="cities-chart", figure=city_rates_figure(cities),
                                        config={"displaylogo": False})), className="mb-4"),
        data_grid("cities", rows, COLUMNS, title=f"地市对比（截至{view.as_of}）",
                  filename=export_filename("地市对比", view.as_of)),
    ])
