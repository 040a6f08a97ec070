"""地市详情: one city as of the chosen date — headline figures (each linking to
the rows behind it), then one of its lists, chosen by a tab kept in the URL
(?tab=…): the work items with their RAG status, the overdue milestones, the
full milestone status table, the indicators.

The city comes from the path: /city/杭州, /city/杭州市 or percent-encoded.
"""
from __future__ import annotations

from urllib.parse import unquote

import dash
import dash_bootstrap_components as dbc
from dash import html
from dash.exceptions import MissingCallbackContextException

from components.cards import SITE, card_row, kpi_card, page_header
from components.filters import filter_bar, read_view
from components.format import cn_date
from components.grid import data_grid, export_filename, item_column, link_column
from components.indicators import binding_warning, indicator_grid
from components.ledger import ledger_stem, ledger_title
from components.status import (
    AMBER,
    RAG_CELL_CLASSES,
    RED,
    STATUS_CELL_CLASSES,
    due_soon_label,
    pct,
    pending_note,
    rag_text,
    status_text,
)
from pages.not_found_404 import not_found
from queries import api, items
from queries.ledger import ROW_CAP, capped_status_table
from queries.overdue import worst_rows
from queries.status_counts import status_counts


def resolve_city(raw: str | None) -> str | None:
    """The city's name as stored (杭州) from the path (杭州, 杭州市, %E6%9D%AD…)."""
    name = unquote(raw or "").strip()
    cities = api.choices()["cities"]
    return next((c for c in (name, name.removesuffix("市")) if c and c in cities), None)


def title(city: str | None = None) -> str:
    name = resolve_city(city)
    return f"{name}市 · 地市详情 · {SITE}" if name else f"地市不存在 · {SITE}"


dash.register_page(__name__, path_template="/city/<city>", name="地市详情", nav=False, title=title)


def path_city(city: str | None) -> str | None:
    """Dash lets a query parameter override a path variable (/city/杭州?city=宁波
    would pass 宁波), so when the router renders the page, read the path itself."""
    try:
        pathname = dash.ctx.inputs.get("_pages_location.pathname") or ""
    except MissingCallbackContextException:
        return city
    prefix = "/city/"
    return pathname[len(prefix):].strip("/") if pathname.startswith(prefix) else city


# the page's four lists, one shown at a time (?tab=…): a city's lists run to
# thousands of rows, and a page drawing all four sent 1.3 MB at tier M
TABS = {"items": "工作事项", "overdue": "逾期未完成节点", "milestones": "工作节点状态", "indicators": "指标"}


def layout(city: str | None = None, tab: str | None = None, **query):
    raw = path_city(city)
    name = resolve_city(raw)
    if name is None:
        cities = "、".join(api.choices()["cities"])
        return not_found(f"没有名为“{unquote(raw or '')}”的地市。可查看的地市：{cities}。")
    view = read_view({**query, "city": name})
    view = view.with_filters(statuses=())  # the page shows every status; cards link to the subsets
    tab = tab if tab in TABS else "items"
    counts = {k: v or 0 for k, v in api.summary(view.as_of, view.filters).items()}
    kpis = api.indicator_totals(view.as_of, view.filters)
    sizes = {"items": items.item_count(view.filters), "overdue": counts["overdue"],  # each tab's rows
             "milestones": sum(status_counts(view.as_of, view.filters).values()), "indicators": kpis["indicators"]}
    tab_href = {key: f"/city/{name}" + view.query(city=None, tab=key) for key in TABS}
    return html.Div([
        page_header(f"{name}市 · 地市详情", view),
        filter_bar(view, fields=("as_of", "year", "plan", "department")),
        binding_warning(kpis["binding_behind"], tab_href["indicators"], f"{name}市"),
        card_row(headline_cards(view, counts, sizes["items"], kpis, tab_href["items"])),
        dbc.Nav([dbc.NavItem(dbc.NavLink(f"{label}（{sizes[key]:,}）", href=tab_href[key],
                                         active=key == tab, id=f"city-tab-{key}"))
                 for key, label in TABS.items()], pills=True, className="city-tabs mt-2 mb-2"),
        TAB_BUILDERS[tab](view, name, sizes),
    ])


def item_link_of(view) -> str:
    return "/item/{item_id}" + view.query(plan=None, year=None, city=None, department=None)


def items_tab(view, name: str, sizes: dict) -> html.Div:
    return html.Div([
        section("工作事项", "city-items-title",
                "每个事项一行：节点完成数/节点总数、逾期节点数和红黄绿状态（红：有逾期；黄：临期或逾期完成；绿：正常）。"),
        data_grid("city-items", item_rows(view), item_columns(item_link_of(view)),
                  title=f"{name}市工作事项（截至{cn_date(view.as_of)}）",
                  filename=export_filename(f"{name}市_工作事项", view.as_of),
                  empty="筛选条件下本市没有工作事项", total=sizes["items"])], id="city-items")


def overdue_tab(view, name: str, sizes: dict) -> html.Div:
    overdue = shown_rows(worst_rows(view.as_of, view.filters, 1, ROW_CAP))  # most days overdue first, cut in SQL
    return html.Div([
        section("逾期未完成节点", "city-overdue-title", "按逾期天数从多到少排列（同天数按台账顺序）。"),
        data_grid("city-overdue", overdue, overdue_columns(item_link_of(view)),
                  title=f"{name}市逾期未完成节点（截至{cn_date(view.as_of)}）",
                  filename=export_filename(f"{name}市_逾期节点", view.as_of),
                  empty="截至该日没有逾期未完成的节点", official=True, total=sizes["overdue"])], id="city-overdue")


def milestones_tab(view, name: str, sizes: dict) -> html.Div:
    milestones = shown_rows(capped_status_table(view.as_of, view.filters, sizes["milestones"]))
    return html.Div([
        section("工作节点状态", "city-milestones-title", "每个工作节点截至该日的状态（按最近一次报送）。"),
        data_grid("city-milestones", milestones, milestone_columns(item_link_of(view), milestones),
                  title=ledger_title(view.filters, view.as_of),
                  filename=export_filename(ledger_stem(view.filters), view.as_of),
                  empty="筛选条件下本市没有工作节点", official=True, total=sizes["milestones"])],
        id="city-milestones")


def indicators_tab(view, name: str, sizes: dict) -> html.Div:
    indicators = [{**i, "item_label": items.display_name(i["item"], i["item_county"]) if i["item"] else None}
                  for i in api.indicator_table(view.as_of, view.filters, limit=ROW_CAP)]
    return html.Div([
        section("指标", "city-indicators-title", "达成度 =（实际值 − 基期值）/（目标值 − 基期值），"
                "无基期值时为 实际值/目标值；计分封顶100%，另列原始值。"),
        indicator_grid("city-indicators", indicators, view, f"{name}市指标达成情况（截至{cn_date(view.as_of)}）",
                       f"{name}市_指标", item_link=item_link_of(view), total=sizes["indicators"])],
        id="city-indicators")


TAB_BUILDERS = {"items": items_tab, "overdue": overdue_tab, "milestones": milestones_tab,
                "indicators": indicators_tab}


def headline_cards(view, c: dict, item_total: int, kpis: dict, items_href: str) -> list:
    href = view.href
    return [
        kpi_card("工作事项", f"{item_total:,}项", items_href, card_id="city-kpi-items",
                 note=f"{c['items_red']:,}项有逾期节点"),
        kpi_card("工作节点（已到期/总数）", f"{c['due_by']:,} / {c['total']:,}", href("/milestones"),
                 card_id="city-kpi-milestones"),
        kpi_card("进度完成率", pct(c["done_due"], c["due_by"]),
                 href("/milestones", status="done_on_time,done_late"), card_id="city-kpi-progress",
                 note=pending_note(c, "已到期节点中已完成的比例")),
        kpi_card("按时完成率", pct(c["on_time_due"], c["due_by"]), href("/milestones", status="done_on_time"),
                 card_id="city-kpi-on-time", note="已到期节点中按时完成的比例"),
        kpi_card("逾期未完成", f"{c['overdue']:,}个", href("/overdue", status="overdue"),
                 card_id="city-kpi-overdue", note=f"累计逾期 {c['overdue_days']:,} 天",
                 colour=RED if c["overdue"] else None),
        kpi_card(due_soon_label(), f"{c['due_soon']:,}个", href("/overdue", status="due_soon"),
                 card_id="city-kpi-due-soon", colour=AMBER if c["due_soon"] else None),
        kpi_card("总体完成率", pct(c["done"], c["total"]), href("/milestones"), card_id="city-kpi-overall",
                 note=pending_note(c, "全部节点中已完成的比例")),
        kpi_card("指标进度正常", f"{kpis['on_track']} / {kpis['judged']}",
                 href("/indicators"), card_id="city-kpi-indicators",
                 note=f"另有 {kpis['indicators'] - kpis['judged']} 项暂无数据"),
    ]


def shown_rows(milestones: list[dict]) -> list[dict]:
    return [{**m, "status_text": status_text(m["status"]), "lead_text": "、".join(m["lead"]),
             "item_label": items.display_name(m["item"], m["county"])} for m in milestones]


def section(text: str, anchor: str, hint: str = "") -> html.Div:
    return html.Div([html.H5(text, id=anchor, className="mb-0"),
                     html.Div(hint, className="small text-muted") if hint else None], className="mt-3 mb-2")


def item_rows(view) -> list[dict]:
    """The city's first ROW_CAP items (queries.items) with their milestone counts and RAG (api.item_rates)."""
    listed = items.item_list(view.filters, ROW_CAP)
    rates = api.item_rates(view.as_of, tuple(i["item_id"] for i in listed))
    rows = []
    for i in listed:
        r = rates.get(i["item_id"])
        rows.append({
            **i,
            "item_label": items.display_name(i["item"], i["county"]),
            "type_scope": " · ".join(x for x in (i["item_type"], i["scope"]) if x),
            "lead_text": "、".join(i["lead"]),
            "deadline_shown": i["deadline"] or i["deadline_text"] or "未写明",
            "progress": f"{r['done']}/{r['total']}" if r else "0/0",
            "overdue_count": r["overdue"] if r else 0,
            "overdue_days": r["overdue_days"] if r else 0,
            "rag": r["rag"] if r else None,
            "rag_text": rag_text(r["rag"]) if r else "— 无节点",
        })
    return rows


def item_columns(item_link: str) -> list[dict]:
    return [
        {"field": "plan", "headerName": "计划文件", "width": 125},
        {"field": "item_no", "headerName": "序号", "width": 80},
        link_column("item_label", "工作事项", item_link, flex=1, minWidth=200),
        {"field": "county", "headerName": "县（市、区）", "width": 110},
        {"field": "type_scope", "headerName": "类型 · 推进范围", "width": 125},
        {"field": "lead_text", "headerName": "牵头部门", "width": 130},
        {"field": "deadline_shown", "headerName": "完成时间", "width": 105},
        {"field": "progress", "headerName": "节点完成", "width": 100},
        {"field": "overdue_count", "headerName": "逾期节点", "width": 100},
        {"field": "rag_text", "headerName": "状态", "width": 100, "cellClassRules": RAG_CELL_CLASSES},
    ]


def milestone_columns(item_link: str, rows: list[dict]) -> list[dict]:
    sub = ([{"field": "sub_item", "headerName": "子场景", "width": 80}]
           if any(r["sub_item"] for r in rows) else [])
    return [
        item_column(item_link),
        *sub,
        {"field": "seq", "headerName": "节点", "width": 80},
        {"field": "milestone", "headerName": "工作计划（节点）", "flex": 1, "minWidth": 220},
        {"field": "due", "headerName": "节点时限", "width": 110},
        {"field": "status_text", "headerName": "状态", "width": 120, "cellClassRules": STATUS_CELL_CLASSES},
        {"field": "completed_on", "headerName": "实际完成", "width": 110},
        {"field": "days_overdue", "headerName": "逾期天数", "width": 110},
    ]


def overdue_columns(item_link: str) -> list[dict]:
    return [
        item_column(item_link),
        {"field": "seq", "headerName": "节点", "width": 80},
        {"field": "milestone", "headerName": "工作计划（节点）", "flex": 1, "minWidth": 220},
        {"field": "due", "headerName": "节点时限", "width": 110},
        {"field": "days_overdue", "headerName": "逾期天数", "width": 110,
         "cellClassRules": {"status-overdue": "true"}},
        {"field": "lead_text", "headerName": "牵头部门", "width": 150},
        {"field": "last_note", "headerName": "最近报送情况", "width": 190},
        {"field": "last_reported_on", "headerName": "报送日期", "width": 110},
    ]

