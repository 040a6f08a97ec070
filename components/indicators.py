"""Indicator tables: baseline, target, latest actual as of the date, attainment
and pace, as the city and item pages show them."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.format import number
from components.grid import data_grid, export_filename, item_column
from components.status import PACE_CELL_CLASSES, pace_text


def actual_text(i: dict) -> str:
    """The latest actual as read: '1,600家', or 已达成 / 未达成 for a qualitative indicator."""
    if i["qualitative"]:
        return {True: "已达成", False: "未达成"}.get(i["met"], "—")
    return number(i["latest_actual"], i["unit"])


def binding_warning(count: int, href: str, where: str = "") -> dbc.Alert | None:
    """约束性 indicators behind their required pace on the view's date: a warning of their own."""
    if not count:
        return None
    return dbc.Alert(["⚠ ", html.Strong(f"{where}约束性指标落后于进度：{count} 项。"),
                      "约束性指标是必须完成的目标，请督促相关地市和部门加快推进。",
                      dcc.Link("查看指标 ›", href=href, className="alert-link ms-2")],
                     color="warning", className="py-2", id="binding-behind")


def indicator_row(i: dict) -> dict:
    baseline = i["baseline_text"] or number(i["baseline"], i["unit"])
    if i["baseline_year"] and i["baseline"] is not None:
        baseline += f"（{i['baseline_year']}年）"
    actual = actual_text(i)
    attainment = "—" if i["attainment"] is None else f"{i['attainment']:.1%}"
    if i["attainment_raw"] is not None and i["attainment_raw"] != i["attainment"]:
        attainment += f"（原始值 {i['attainment_raw']:.1%}）"
    return {**i, "baseline_shown": baseline, "item_label": i.get("item_label") or i["item"],
            "target_shown": i["target_text"] or number(i["target"], i["unit"]),
            "actual_shown": actual + (f"（{i['latest_on']}）" if i["latest_on"] else ""),
            "attainment_shown": attainment, "due_shown": i["due"] or "—",
            "pace_text": pace_text(i["pace"], i["stale_months"])}


def indicator_grid(name: str, rows: list[dict], view, title_text: str, stem: str,
                   item_link: str | None = None, total: int | None = None) -> html.Div:
    """Indicators with baseline, target, latest actual as of the date, attainment
    and pace; ``item_link`` adds a column linking each to its work item;
    ``rows`` may be the head of ``total`` (components.grid.data_grid)."""
    item_col = [item_column(item_link)] if item_link else []
    columns = [
        *item_col,
        {"field": "name", "headerName": "指标", "flex": 1, "minWidth": 150, "tooltipField": "source_text"},
        {"field": "unit", "headerName": "单位", "width": 70},
        {"field": "baseline_shown", "headerName": "基期值", "width": 120},
        {"field": "target_shown", "headerName": "目标值", "width": 120},
        {"field": "due_shown", "headerName": "目标时限", "width": 110},
        {"field": "actual_shown", "headerName": "最新实际值（数据日期）", "width": 170},
        {"field": "attainment_shown", "headerName": "达成度", "width": 150},
        {"field": "pace_text", "headerName": "进度判断", "width": 115, "cellClassRules": PACE_CELL_CLASSES},
    ]
    return data_grid(name, [indicator_row(i) for i in rows], columns, title=title_text,
                     filename=export_filename(stem, view.as_of), empty="没有关联的指标", total=total)
