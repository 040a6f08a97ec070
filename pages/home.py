"""全省总览: how the province stands as of the chosen date — headline figures
(each linking to its rows), rates per city, the most overdue items, recent
completions."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html, no_update

from components.cards import card_row, kpi_card, page_header
from components.figures import city_rates_figure
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename, link_column
from components.indicators import binding_warning
from components.status import AMBER, RED, due_soon_label, pct, pending_note, rag_text, status_text
from queries import api

dash.register_page(__name__, path="/", name="全省总览", order=0,
                   title="全省总览 · 信用应用场景推进监测平台")

TOP = 10


def layout(**query):
    view = read_view(query)
    row = api.summary(view.as_of, view.filters)
    indicators = api.indicator_totals(view.as_of, view.filters)
    href = view.href
    warning = binding_warning(indicators["binding_behind"], href("/indicators"))
    if not row["total"]:
        return html.Div([page_header("全省总览", view), filter_bar(view), warning, empty_hint(view)])
    total, judged, on_track = (indicators[k] for k in ("indicators", "judged", "on_track"))
    cards = [
        kpi_card("工作事项", f"{row['items']:,}项", href("/cities"), card_id="kpi-items",
                 note=f"{row['items_red']:,}项有逾期节点"),
        kpi_card("工作节点（已到期/总数）", f"{row['due_by']:,} / {row['total']:,}",
                 href("/milestones"), card_id="kpi-milestones"),
        kpi_card("进度完成率", pct(row["done_due"], row["due_by"]), href("/milestones", status="done_on_time,done_late"),
                 card_id="kpi-progress", note=pending_note(row, "已到期节点中已完成的比例")),
        kpi_card("按时完成率", pct(row["on_time_due"], row["due_by"]), href("/milestones", status="done_on_time"),
                 card_id="kpi-on-time", note="已到期节点中按时完成的比例"),
        kpi_card("逾期未完成", f"{row['overdue']:,}个", href("/overdue", status="overdue"), card_id="kpi-overdue",
                 note=f"累计逾期 {row['overdue_days']:,} 天", colour=RED if row["overdue"] else None),
        kpi_card(due_soon_label(), f"{row['due_soon']:,}个", href("/overdue", status="due_soon"),
                 card_id="kpi-due-soon", colour=AMBER if row["due_soon"] else None),
        kpi_card("总体完成率", pct(row["done"], row["total"]), href("/milestones"), card_id="kpi-overall",
                 note=pending_note(row)),
        kpi_card("指标进度正常", f"{on_track} / {judged}", href("/indicators"), card_id="kpi-indicators",
                 note=f"另有 {total - judged} 项暂无数据"),
    ]
    worst = api.rates(view.as_of, "item", view.filters, worst=TOP)
    recent = recent_completions(view)
    return html.Div([
        page_header("全省总览", view),
        filter_bar(view),
        warning,
        card_row(cards),
        dbc.Card(dbc.CardBody([
            dcc.Graph(id="city-rates", figure=city_rates_figure(api.rates(view.as_of, "city", view.filters)),
                      config={"displaylogo": False}),
            html.Div("点击柱形查看该地市详情", className="small text-muted"),
        ]), className="mb-4"),
        dbc.Row([
            dbc.Col([html.H5("逾期最严重的工作事项"), data_grid(
                "worst-items", [item_row(i) for i in worst], WORST_COLUMNS,
                title=f"逾期最严重的工作事项（截至{view.as_of}）",
                filename=export_filename("逾期工作事项", view.as_of), empty="没有逾期的工作事项")], lg=6),
            dbc.Col([html.H5("近30天报送完成的节点"), data_grid(
                "recent-done", recent, RECENT_COLUMNS, title=f"近30天完成的工作节点（截至{view.as_of}）",
                filename=export_filename("近期完成节点", view.as_of), empty="近30天没有新报送完成的节点",
                official=True)], lg=6),
        ]),
    ])


@callback(
    Output("_pages_location", "pathname", allow_duplicate=True),
    Input("city-rates", "clickData"),
    prevent_initial_call=True,
)
def open_city(click):
    """A click on a city's bar opens that city (the as-of date and filters stay in the URL)."""
    return f"/city/{click['points'][0]['x']}" if click else no_update


def item_row(i: dict) -> dict:
    return {**i, "rag_text": rag_text(i["rag"]), "overdue_count": i["overdue"]}


WORST_COLUMNS = [
    {"field": "city", "headerName": "地市", "width": 80},
    link_column("item", "工作事项", "/item/{item_id}", flex=1, minWidth=160),
    {"field": "overdue_count", "headerName": "逾期节点", "width": 115},
    {"field": "overdue_days", "headerName": "逾期天数", "width": 115},
    {"field": "rag_text", "headerName": "状态", "width": 100, "cellClassRules": {
        "rag-red": "params.data.rag == 'red'", "rag-amber": "params.data.rag == 'amber'"}},
]
RECENT_COLUMNS = [
    {"field": "completed_on", "headerName": "完成日期", "width": 120},
    {"field": "last_reported_on", "headerName": "报送日期", "width": 120},
    {"field": "city", "headerName": "地市", "width": 80},
    link_column("item", "工作事项", "/item/{item_id}", width=150),
    {"field": "milestone", "headerName": "工作节点", "flex": 1, "minWidth": 180},
    {"field": "status_text", "headerName": "状态", "width": 120},
]


def recent_completions(view) -> list[dict]:
    rows = api.recent_completions(view.as_of, view.filters, days=30, limit=TOP)
    return [{**r, "status_text": status_text(r["status"])} for r in rows]


def empty_hint(view):
    """No milestone in view: why (the plans it covers), and where the plans are."""
    plans = api.choices()["plans"]
    if not plans:
        return dbc.Alert([
            html.H5("暂无可显示的数据"),
            html.P("尚未导入计划。"),
            html.P(["导入随附文件并加载演示进度：", html.Code("flask --app app init-db && flask --app app load-demo")]),
        ], color="info", id="empty-hint")
    return dbc.Alert([
        html.H5("暂无可显示的数据"),
        html.P(f"统计范围内没有工作节点（{view.scope['label']}）。"),
        html.P(["可改选日期，或按计划查看：",
                *[dcc.Link(p["label"], href=view.href("/", plan=p["value"], year=None), className="ms-2")
                  for p in plans]]),
    ], color="info", id="empty-hint")
