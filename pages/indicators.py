"""指标监测: the province's indicators (a plan's, such as the 十四五 plan's) against their linear required
path, and the KPIs of the work items — every figure as known on the as-of date."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import card_row, kpi_card, page_header
from components.export import export_title
from components.figures import indicator_paths_figure
from components.filters import filter_bar, read_view
from components.format import number, share
from components.grid import DEFAULT_COL, data_grid, export_filename, link_column
from components.indicators import actual_text
from components.status import PACE_CELL_CLASSES, pace_text
from queries import api, observations
from queries.ledger import ROW_CAP

dash.register_page(__name__, path="/indicators", name="指标监测", order=60,
                   title="指标监测 · 信用应用场景推进监测平台")

COMPARATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def layout(**query):
    view = read_view(query)
    province = api.indicator_table(view.as_of, view.filters, "province")
    items = api.indicator_table(view.as_of, view.filters, "items", ROW_CAP)  # work items' (and city-wide) KPIs
    counts = api.indicator_summary(view.as_of, view.filters, by="scope")
    return html.Div([
        page_header("指标监测", view, subtitle="实际值均为截至日已报送的数据"),
        filter_bar(view),
        card_row(summary_cards(counts.get("province", NONE), counts.get("items", NONE))),
        html.H5("全省指标（规划、年度指标）", className="mt-2", id="province-title"),
        html.P("达成度 =（实际值 − 基期值）/（目标值 − 基期值），越低越好的指标反向计算；计分封顶100%，另列原始值。"
               "应达进度值：从基期末（无基期值的从规划印发日、按0起算）到目标时限的线性路径在截至日应达到的值。",
               className="small text-muted"),
        province_section(view, province),
        html.H5("地市与工作事项指标", className="mt-4", id="item-kpis-title"),
        data_grid("item-kpis", [kpi_row(i) for i in items], item_columns(view),
                  total=counts.get("items", NONE)["indicators"],
                  title=export_title("地市与工作事项指标", view.as_of),
                  filename=export_filename("地市与工作事项指标", view.as_of),
                  empty="筛选条件下没有地市或工作事项指标"),
    ])


NONE = {"indicators": 0, "judged": 0, "on_track": 0, "behind": 0, "binding": 0, "cities": 0, "items": 0}


def summary_cards(province: dict, items: dict) -> list:
    """The counts of queries.indicators.indicator_summary, of the province's indicators and the others."""
    return [
        kpi_card("全省指标", f"{province['indicators']:,}项", None, card_id="kpi-province-count",
                 note=f"其中约束性 {province['binding']} 项"),
        kpi_card("全省指标已达标或进度正常", f"{province['on_track']} / {province['judged']}", None,
                 card_id="kpi-province-pace", note=f"落后于进度 {province['behind']} 项，"
                                                   f"暂无数据 {province['indicators'] - province['judged']} 项"),
        kpi_card("地市与工作事项指标", f"{items['indicators']:,}项", None, card_id="kpi-item-count",
                 note=f"涉及 {items['cities']} 个地市、{items['items']} 个事项"),
        kpi_card("地市与工作事项指标已达标或进度正常", f"{items['on_track']} / {items['judged']}", None,
                 card_id="kpi-item-pace", note=f"落后于进度 {items['behind']} 项，"
                                               f"暂无数据 {items['indicators'] - items['judged']} 项"),
    ]


def province_section(view, province: list[dict]):
    if not province:
        if view.filters.city or view.filters.department:
            return dbc.Alert("全省指标不分地市和部门：清除地市、部门筛选后显示。",
                             color="light", className="border", id="province-empty")
        return dbc.Alert("所选计划没有全省指标。", color="light", className="border", id="province-empty")
    histories = observations.history(view.as_of, tuple(i["indicator_id"] for i in province))
    return html.Div([
        data_grid("province-indicators", [indicator_row(i) for i in province], PROVINCE_COLUMNS,
                  title=export_title("全省指标", view.as_of),
                  filename=export_filename("全省指标", view.as_of)),
        dbc.Card(dbc.CardBody([
            html.H6("实际值与应达进度路径", className="mb-0"),
            html.Div("虚线：从基期到目标的线性路径；◇：截至日应达值；点线：截至日期。", className="small text-muted"),
            dcc.Graph(id="indicator-paths", figure=indicator_paths_figure(province, histories, view.as_of),
                      config={"displaylogo": False}),
        ]), className="mb-4"),
    ])


def common(i: dict) -> dict:
    """The display fields both tables share."""
    return {**i, "actual_text": actual_text(i), "latest_on_text": i["latest_on"] or "—",
            "attainment_text": share(i["attainment"]), "attainment_raw_text": share(i["attainment_raw"]),
            "required_text": "—" if i["qualitative"] else number(i["required"], i["unit"]),
            "pace_text": pace_text(i["pace"], i["stale_months"]), "unit_text": i["unit"] or "—"}


def indicator_row(i: dict) -> dict:
    return {**common(i),
            "baseline_shown": i["baseline_text"] or number(i["baseline"], i["unit"]),
            "target_shown": i["target_text"] or number(i["target"], i["unit"]),
            "attribute_shown": i["attribute"] or "—",
            "direction_text": "定性指标" if i["qualitative"] else
            ("↓ 越低越好" if i["direction"] == "lower" else "↑ 越高越好")}


def target_value(i: dict) -> str:
    """The target as a comparison: ≥ 10个, > 1,600家, 1–2个."""
    if i["target"] is None:
        return "—"
    if i["target_max"] is not None:
        return f"{number(i['target'])}–{number(i['target_max'], i['unit'])}"
    return f"{COMPARATORS.get(i['comparator'], '')} {number(i['target'], i['unit'])}".strip()


def kpi_row(i: dict) -> dict:
    baseline = number(i["baseline"], i["unit"]) if i["baseline"] is not None else "—"
    if i["baseline_year"] and i["baseline"] is not None:
        baseline += f"（{i['baseline_year']}年）"
    return {**common(i), "baseline_shown": baseline, "target_value": target_value(i),
            "target_shown": i["target_text"] or "—", "due_text": i["due"] or "—"}


PLAIN = {"filter": False}  # formatted figures: sortable, no text filter taking header room
ATTRIBUTE_STYLE = {"styleConditions": [{"condition": "params.value == '约束性'",
                                        "style": {**DEFAULT_COL["cellStyle"], "fontWeight": "700",
                                                  "color": "#b34700"}}],
                   "defaultStyle": DEFAULT_COL["cellStyle"]}
RESULT_COLUMNS = [
    {"field": "actual_text", "headerName": "最新实际值", "width": 104, **PLAIN},
    {"field": "latest_on_text", "headerName": "数据日期", "width": 108, **PLAIN},
    {"field": "attainment_text", "headerName": "达成度", "width": 82, "headerTooltip": "计分用，封顶100%",
     **PLAIN},
    {"field": "attainment_raw_text", "headerName": "原始达成度", "width": 84, "headerTooltip": "未封顶的原始值",
     **PLAIN},
    {"field": "required_text", "headerName": "应达进度值", "width": 100,
     "headerTooltip": "线性路径在截至日应达到的值", **PLAIN},
    {"field": "pace_text", "headerName": "进度判断", "width": 132, "cellClassRules": PACE_CELL_CLASSES},
]
PROVINCE_COLUMNS = [
    {"field": "name", "headerName": "指标名称", "flex": 1, "minWidth": 150, "tooltipField": "source_text"},
    {"field": "unit_text", "headerName": "单位", "width": 60, **PLAIN},
    {"field": "baseline_shown", "headerName": "2020年基期值", "width": 104, **PLAIN},
    {"field": "target_shown", "headerName": "2025年目标值", "width": 110, **PLAIN},
    {"field": "attribute_shown", "headerName": "指标属性", "width": 92, "cellStyle": ATTRIBUTE_STYLE},
    {"field": "direction_text", "headerName": "方向", "width": 100, **PLAIN},
    *RESULT_COLUMNS,
]


def item_columns(view) -> list[dict]:
    """The item link keeps the as-of date and the filters."""
    return [
        {"field": "city", "headerName": "地市", "width": 60, **PLAIN},
        link_column("item", "工作事项", "/item/{item_id}" + view.query(), width=124),
        {"field": "name", "headerName": "指标", "flex": 1, "minWidth": 120, "tooltipField": "source_text"},
        {"field": "baseline_shown", "headerName": "基期值", "width": 96, **PLAIN},
        {"field": "target_shown", "headerName": "目标（原文）", "width": 100, "tooltipField": "target_value",
         **PLAIN},
        {"field": "due_text", "headerName": "完成时限", "width": 104, **PLAIN},
        *RESULT_COLUMNS,
    ]
