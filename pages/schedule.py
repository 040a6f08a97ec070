"""进度计划（甘特图）: a plan's, a city's or a department's work items over time —
bars from start to deadline, milestones marked by status, the as-of line —
grouped by city or lead department (?group=), scrollable when long; the same
schedule as a table below, exported to Excel (the grid's own export), and
printed on A3 or A4 landscape (?paper=a4; assets/print.js)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import page_header
from components.figures import schedule_figure
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename, link_column
from components.ledger import ledger_stem, ledger_title
from components.status import STATUS_CELL_CLASSES, status_text
from queries.schedule import GROUPS, MAX_MILESTONES, schedule, table_rows

dash.register_page(__name__, path="/schedule", name="进度计划", order=35,
                   title="进度计划（甘特图） · 信用应用场景推进监测平台")

MAX_ITEMS = 400  # rows drawn in the chart (the table holds every milestone read)
PAPERS = {"": "A3", "a4": "A4"}  # ?paper= -> the paper printed on, landscape (assets/print.js)


def controls(group: str, paper: str) -> dbc.Row:
    """分组: by city (the default: no parameter) or by lead department (?group=department);
    打印纸张: A3 (the default) or A4 (?paper=a4).  Filter pattern ids, so the shared
    callback puts them in the URL."""
    groups = [{"label": label, "value": "" if key == "city" else key} for key, label in GROUPS.items()]
    papers = [{"label": f"{size} 横向", "value": key} for key, size in PAPERS.items()]
    return dbc.Row([dbc.Col([dbc.Label("分组", className="small text-muted mb-1"),
                             dcc.Dropdown(groups, "" if group == "city" else group, clearable=False,
                                          id={"type": "filter", "name": "group"})], md=2),
                    dbc.Col([dbc.Label("打印纸张", className="small text-muted mb-1"),
                             dcc.Dropdown(papers, paper, clearable=False, id={"type": "filter", "name": "paper"})],
                            md=2)], className="g-2 mb-3 px-3")


def layout(**query):
    view = read_view(query)
    group = query.get("group") if query.get("group") in GROUPS else "city"
    paper = query.get("paper") if query.get("paper") in PAPERS else ""
    f = view.filters
    header = [page_header("进度计划（甘特图）", view, "工作事项从开始到截止，节点按截至日期的状态着色"), filter_bar(view),
              controls(group, paper)]
    if not (f.plan or f.city or f.department):
        return html.Div([*header, dbc.Alert("请先选择一个计划、地市或部门：进度计划按计划、地市或部门查看。",
                                            color="light", className="border", id="schedule-hint")])
    data = schedule(view.as_of, f, group)
    items = data["items"]
    if not items:
        return html.Div([*header, dbc.Alert("筛选条件下没有工作事项。", color="light", className="border",
                                            id="schedule-empty")])
    notes = []
    if data["cut"]:
        notes.append(f"节点超过 {MAX_MILESTONES:,} 个，只显示前 {MAX_MILESTONES:,} 个，请缩小范围。")
    if len(items) > MAX_ITEMS:
        notes.append(f"图中显示前 {MAX_ITEMS} 项工作事项（共 {len(items)} 项），下表列出全部。")
    rows = [{**r, "status_text": status_text(r["status"])} for r in table_rows(items)]
    item_link = "/item/{item_id}" + view.query(plan=None, year=None, city=None, department=None)
    columns = [{"field": "group", "headerName": GROUPS[group][1:], "width": 110},
               link_column("item", "工作事项", item_link, width=220),
               {"field": "start", "headerName": "开始", "width": 110}, {"field": "end", "headerName": "截止", "width": 110},
               {"field": "seq", "headerName": "节点", "width": 70},
               {"field": "milestone", "headerName": "工作节点", "flex": 2, "minWidth": 220},
               {"field": "due", "headerName": "节点时限", "width": 110},
               {"field": "status_text", "headerName": "状态", "width": 130, "cellClassRules": STATUS_CELL_CLASSES},
               {"field": "lead", "headerName": "牵头部门", "width": 150}]
    return html.Div([
        *header,
        *[dbc.Alert(n, color="info", className="py-2 small") for n in notes],
        dbc.Card(dbc.CardBody(html.Div(dcc.Graph(id="schedule-chart", figure=schedule_figure(items[:MAX_ITEMS],
                                                                                                 view.as_of),
                                                 config={"displaylogo": False}),
                                       className="schedule-scroll")), className="mb-3"),
        data_grid("schedule", rows, columns, title=ledger_title(f, view.as_of, "进度计划"),
                  filename=export_filename(ledger_stem(f, "进度计划"), view.as_of)),
    ], **{"data-paper": PAPERS[paper]})
