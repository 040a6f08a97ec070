"""部门视图: where a department finds its work items and its status table.

Without a department: every lead department (within its city) with its
counts and rates, each linking to its own view.  With one: the department
within a city (city + department filters) or the same office name across the
cities (department only) — its work items with its role and RAG, its
milestones, and the export of its 进度台账."""
from __future__ import annotations

from collections import Counter

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from accounts import current_account
from components.cards import card_row, kpi_card, page_header
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename, link_column
from components.ledger import THOUSANDS, ledger_columns, ledger_rows, ledger_stem, ledger_title, letter_links
from components.status import AMBER, RAG_CELL_CLASSES, RED, pct, rag_text
from queries import api
from queries.departments import ROLE_LABELS, department_items, department_roles
from queries.ledger import capped_status_table
from queries.status_counts import status_counts

dash.register_page(__name__, path="/departments", name="部门视图", order=50,
                   title="部门视图 · 信用应用场景推进监测平台")

MILESTONE_FIELDS = ("city", "item", "role", "milestone", "lead", "coop", "due", "status_text", "completed_on",
                    "days_overdue", "latest")


def rate_column(field: str, header: str, rate: str, **extra) -> dict:
    """A 'rate（num/den）' text column that sorts by the rate itself (no rate last)."""
    return {"field": field, "headerName": header, "width": 190, **extra, "comparator": {
        "function": f"(a, b, nA, nB) => (nA.data.{rate} ?? -1) - (nB.data.{rate} ?? -1)"}}


def layout(**query):
    view = read_view(query).with_filters(statuses=())  # a department sees all its milestones
    department = view.filters.department
    if query.get("department") and not department:
        return html.Div([page_header("部门视图", view), filter_bar(view), empty_state(
            view, f"没有名为“{query['department']}”的部门，请在上方选择部门。")])
    if not department:
        return department_list(view)
    return department_view(view)


def department_list(view) -> html.Div:
    counts = {(c["city"], c["department"]): c for c in department_items(view.filters)}
    rows = []
    for r in api.rates(view.as_of, "department", view.filters):
        c = counts.get((r["city"], r["department"]), {})
        rows.append({**r, "lead_items": r["items"], "coop_items": c.get("coop_items", 0),
                     "progress": pct(r["done_due"], r["due_by"]),
                     "on_time": pct(r["on_time_due"], r["due_by"])})
    base = view.href("/departments", department=None, city=None)
    columns = [
        {"field": "city", "headerName": "地市", "width": 80, "pinned": "left"},
        link_column("department", "部门", base + "&department={department}&city={city}", minWidth=170, flex=1,
                    pinned="left"),
        {"field": "lead_items", "headerName": "牵头事项", "width": 100},
        {"field": "coop_items", "headerName": "配合事项", "width": 100},
        {"field": "total", "headerName": "牵头节点", "width": 100},
        rate_column("progress", "进度完成率（已完成/已到期）", "progress_rate"),
        rate_column("on_time", "按时完成率（按时/已到期）", "on_time_rate"),
        {"field": "overdue", "headerName": "逾期节点", "width": 100, "cellClassRules": {
            "status-overdue": "params.value > 0"}},
        {"field": "overdue_days", "headerName": "逾期天数", "width": 100, "valueFormatter": THOUSANDS},
        {"field": "due_soon", "headerName": "临期节点", "width": 100},
    ]
    lagging = sum(r["overdue"] > 0 for r in rows)
    complete = sum(bool(r["due_by"]) and r["done_due"] == r["due_by"] for r in rows)
    cards = [
        kpi_card("牵头部门", f"{len(rows):,}个", None, card_id="dept-count",
                 note=f"分布在{len({r['city'] for r in rows})}个地市"),
        kpi_card("有逾期节点的部门", f"{lagging:,}个", view.href("/overdue", status="overdue"),
                 card_id="dept-lagging", colour=RED if lagging else None),
        kpi_card("已到期节点全部完成的部门", f"{complete:,}个", None, card_id="dept-complete"),
    ]
    return html.Div([
        page_header("部门视图", view, "选择部门查看其工作事项与节点台账；计数按部门牵头的工作事项"),
        filter_bar(view),
        card_row(cards, width=4),
        data_grid("departments", rows, columns,
                  title=ledger_title(view.filters, view.as_of, "各牵头部门推进情况"),
                  filename=export_filename(ledger_stem(view.filters, "各部门推进情况"), view.as_of),
                  empty="筛选条件下没有牵头部门"),
        html.P("只承担配合任务的部门不在此表中，可在上方“部门”中选择后查看。", className="small text-muted"),
    ])


def chase_links(view, row: dict):
    """Where the department's overdue and due-soon milestones are chased: the
    overdue list (the office sends a 催办 there) and the 督办单 to download."""
    if not (row["overdue"] or row["due_soon"]):
        return None
    account = current_account()
    chase = (dcc.Link("催办本部门的逾期和临期节点 ›", href=view.href("/overdue"), id="dept-urge-link", className="me-3")
             if account is not None and account.role in ("admin", "city") else None)
    return html.Div([chase, letter_links(view, "dept-urge-letter")], className="mb-3")


def department_view(view) -> html.Div:
    f = view.filters
    name = f"{f.city}市 · {f.department}" if f.city else f"{f.department}（各地市）"
    total = sum(status_counts(view.as_of, f).values())
    milestones = capped_status_table(view.as_of, f, total)
    if not milestones:
        where = f"{f.city}市" if f.city else "筛选条件下"
        return html.Div([page_header(f"部门视图：{name}", view), filter_bar(view), empty_state(
            view, f"{where}没有“{f.department}”参与的工作事项。", across_cities=bool(f.city))])
    roles = department_roles(f)
    items = [{**i, "role": "、".join(ROLE_LABELS[x] for x in roles.get(i["item_id"], [])),
              "rag_text": rag_text(i["rag"]), "progress": pct(i["done_due"], i["due_by"])}
             for i in api.rates(view.as_of, "item", f)]
    row = api.summary(view.as_of, f)
    led = sum("lead" in roles.get(i["item_id"], []) for i in items)
    cards = [
        kpi_card("参与的工作事项", f"{len(items):,}项", None, card_id="dept-items",
                 note=f"牵头{led}项，配合{len(items) - led}项"),
        kpi_card("工作节点（已到期/总数）", f"{row['due_by']:,} / {row['total']:,}", None,
                 card_id="dept-milestones"),
        kpi_card("进度完成率", pct(row["done_due"], row["due_by"]), None, card_id="dept-progress",
                 note="已到期节点中已完成的比例"),
        kpi_card("按时完成率", pct(row["on_time_due"], row["due_by"]), None, card_id="dept-on-time"),
        kpi_card("逾期未完成", f"{row['overdue']:,}个", view.href("/overdue", status="overdue"),
                 card_id="dept-overdue", note=f"累计逾期 {row['overdue_days']:,} 天",
                 colour=RED if row["overdue"] else None),
        kpi_card("临期", f"{row['due_soon']:,}个", view.href("/overdue", status="due_soon"),
                 card_id="dept-due-soon", colour=AMBER if row["due_soon"] else None),
    ]
    item_columns = [
        {"field": "city", "headerName": "地市", "width": 80},
        link_column("item", "场景/项目/任务", "/item/{item_id}", flex=1, minWidth=200),
        {"field": "role", "headerName": "本部门角色", "width": 115},
        {"field": "total", "headerName": "节点", "width": 80},
        rate_column("progress", "进度完成率（已完成/已到期）", "progress_rate"),
        {"field": "overdue", "headerName": "逾期节点", "width": 100},
        {"field": "due_soon", "headerName": "临期节点", "width": 100},
        {"field": "rag_text", "headerName": "状态", "width": 100, "cellClassRules": RAG_CELL_CLASSES},
    ]
    return html.Div([
        page_header(f"部门视图：{name}", view, "本部门牵头或配合的工作事项及其节点"),
        filter_bar(view),
        scope_links(view, milestones),
        card_row(cards, width=4),
        chase_links(view, row),
        html.H5("工作事项"),
        data_grid("department-items", items, item_columns, title=ledger_title(f, view.as_of, "工作事项"),
                  filename=export_filename(ledger_stem(f, "工作事项"), view.as_of)),
        html.H5("进度台账（工作节点）"),
        data_grid("department-milestones", ledger_rows(milestones, roles), ledger_columns(*MILESTONE_FIELDS),
                  title=ledger_title(f, view.as_of), filename=export_filename(ledger_stem(f), view.as_of),
                  official=True, total=total),
    ])


def scope_links(view, milestones: list[dict]) -> html.Div:
    """Back to the list, and between the office name across cities and within one."""
    links = [dcc.Link("← 全部部门", href=view.href("/departments", department=None, city=None))]
    if view.filters.city:
        links.append(across_cities_link(view))
    else:
        per_city = Counter(r["city"] for r in milestones)
        links += [html.Span("按地市查看：", className="text-muted ms-3")] + [
            dcc.Link(f"{city}（{n}个节点）", href=view.href("/departments", city=city), className="me-2")
            for city, n in per_city.items()]
    return html.Div(links, className="d-flex flex-wrap gap-2 mb-3", id="department-scope")


def across_cities_link(view) -> dcc.Link:
    return dcc.Link(f"查看各地市的“{view.filters.department}”", href=view.href("/departments", city=None))


def empty_state(view, message: str, across_cities: bool = False) -> dbc.Alert:
    links = [dcc.Link("查看全部部门", href=view.href("/departments", department=None, city=None))]
    if across_cities:
        links.append(across_cities_link(view))
    return dbc.Alert([html.P(message, className="mb-2", id="department-empty"),
                      html.Div(links, className="d-flex gap-3")], color="light", className="border")
