"""The assessment scorecard as the page and the workbook show it (pure: ranked
breakdowns from metrics.scoring in, grid rows, a figure, xlsx bytes out)."""
from __future__ import annotations

import plotly.graph_objects as go
from openpyxl import Workbook

from components.export import workbook_bytes, write_sheet
from components.figures import SKY, as_figure, base_layout
from components.format import cn_date
from components.grid import export_filename
from components.status import AMBER, BLUE, GREEN, RED
from metrics.scoring import COMPONENTS, RULE_LABELS

COLOURS = {"on_time": BLUE, "progress": SKY, "kpi": GREEN, "timeliness": AMBER}
PURPLE = "#CC79A7"  # Okabe–Ito reddish purple: the bonus


def points(value: float) -> float:
    """Scores as they are published: two decimals."""
    return round(value + 0.0, 2)


def raw_text(key: str, c: dict) -> str:
    """'80.0%（12/15）'; the KPI figure counts indicators; '无考核内容' for a zero denominator."""
    if not c["den"]:
        return "无考核内容"
    if key == "kpi":
        return f"{c['rate']:.1%}（{c['den']}项）"
    return f"{c['rate']:.1%}（{c['num']:g}/{c['den']}）"


def note(b: dict) -> str:
    """Why a city's weights differ from the rules: a component it had nothing to do in."""
    empty = [COMPONENTS[k] for k, c in b["components"].items() if not c["den"]]
    return f"{'、'.join(empty)}无考核内容，其权重按比例计入其他各项" if empty else ""


def summary_rows(cities: list[dict], rules: dict) -> list[dict]:
    """One row per city, best first: each component's raw figure and points,
    the deduction, the bonus, the total."""
    rows = []
    for b in cities:
        row = {"rank": b["rank"], "city": b["city"], "total": points(b["total"]), "overdue_days": b["overdue_days"],
               "deduction": points(-b["deduction"]), "deduction_text": f"−{b['deduction']:g}（逾期{b['overdue']}个）" if b["overdue"] else "0",
               "overdue": b["overdue"], "bonus": points(b["bonus"]), "note": note(b)}
        for key, c in b["components"].items():
            row[key] = raw_text(key, c)
            row[f"{key}_points"] = points(c["points"])
        rows.append(row)
    return rows


SUMMARY_HEADERS = {"rank": "排名", "city": "地市", "total": "总分", **{k: label for k, label in COMPONENTS.items()},
                   **{f"{k}_points": f"{label}得分" for k, label in COMPONENTS.items()},
                   "deduction_text": "逾期扣分", "bonus": "加分", "overdue_days": "逾期天数",
                   "note": "说明"}


def breakdown_rows(b: dict, rules: dict) -> list[dict]:
    """A city's score line by line: the components, the deduction, each bonus item, the total."""
    rows = [{"part": COMPONENTS[k], "figure": raw_text(k, c), "weight": f"{c['weight']:g}",
             "effective": f"{c['effective_weight']:.2f}".rstrip("0").rstrip("."),
             "points": points(c["points"]),
             "rule": f"{c['effective_weight']:.4g} × {c['rate']:.4f}" if c["den"] else "不计分，权重计入其他各项"}
            for k, c in b["components"].items()]
    rows.append({"part": "逾期扣分", "figure": f"逾期未完成节点{b['overdue']}个（累计{b['overdue_days']}天）",
                 "points": points(-b["deduction"]),
                 "rule": f"每个扣{rules['overdue_deduction']:g}分，最多扣{rules['deduction_cap']:g}分"})
    for item in b["bonus_items"]:
        rows.append({"part": "加分", "figure": item["reason"], "points": points(item["points"]),
                     "rule": f"{item['by']}记录于{item['at']}"})
    if b["bonus_recorded"] > b["bonus"]:
        rows.append({"part": "加分封顶", "figure": f"记录加分{b['bonus_recorded']:g}分", "points": points(b["bonus"]
                     - b["bonus_recorded"]), "rule": f"加分最多{rules['bonus_cap']:g}分"})
    rows.append({"part": "总分", "figure": f"第{b['rank']}名", "points": points(b["total"]), "rule": "0–100分"})
    return rows


BREAKDOWN_HEADERS = {"part": "考核项目", "figure": "原始数据", "weight": "权重", "effective": "折算权重",
                     "points": "得分", "rule": "计算方法"}


def rules_rows(rules: dict) -> list[dict]:
    """The rules as a table: each weight, the deduction and the caps."""
    return ([{"rule": f"{label}权重", "value": f"{rules['weights'][k]:g}分"} for k, label in COMPONENTS.items()]
            + [{"rule": label, "value": f"{rules[k]:g}分"} for k, label in RULE_LABELS.items()])


def score_figure(cities: list[dict]) -> go.Figure:
    """Horizontal stacked bars, best city on top: each component's points, the
    bonus, and the deduction to the left of zero."""
    names = [b["city"] for b in cities]
    traces = [dict(type="bar", y=names, x=[points(b["components"][key]["points"]) for b in cities], name=label,
                   orientation="h", marker=dict(color=COLOURS[key]),
                   hovertemplate="%{y} " + label + "：%{x:.2f}分<extra></extra>")
              for key, label in COMPONENTS.items()]
    if any(b["bonus"] for b in cities):
        traces.append(dict(type="bar", y=names, x=[points(b["bonus"]) for b in cities], name="加分", orientation="h",
                           marker=dict(color=PURPLE), hovertemplate="%{y} 加分：%{x:.2f}分<extra></extra>"))
    traces.append(dict(type="bar", y=names, x=[points(-b["deduction"]) for b in cities], name="逾期扣分",
                       orientation="h", marker=dict(color=RED, pattern=dict(shape="/")),
                       hovertemplate="%{y} 逾期扣分：%{x:.2f}分<extra></extra>"))
    traces.append(dict(type="scatter", y=names, x=[points(b["total"]) for b in cities], mode="markers+text",
                       name="总分", marker=dict(symbol="line-ns", size=18, line=dict(width=3, color="#222")),
                       text=[f"{b['total']:.2f}" for b in cities], textposition="middle right",
                       hovertemplate="%{y} 总分：%{x:.2f}分<extra></extra>"))
    return as_figure(traces, base_layout(
        140 + 34 * len(cities), barmode="relative", margin=dict(l=10, r=30, t=40, b=10),
        title=dict(text="各地市得分构成", x=0, font=dict(size=15)),
        # (the legend under the chart: above it, on a phone its rows ran into the title)
        legend=dict(orientation="h", y=-40 / (40 + 34 * len(cities)), yanchor="top", x=0, traceorder="normal"),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=names, title=None),
        xaxis=dict(range=[-12, 112], gridcolor="#eee", title=None, ticksuffix="分", zeroline=True,
                   zerolinecolor="#888")))


def workbook_name(year: int, as_of) -> str:
    return export_filename(f"{year}年度考核结果", as_of) + ".xlsx"


def scorecard_workbook(year: int, as_of, card: dict) -> bytes:
    """The assessment as a workbook (queries.assessment.shown): a summary sheet,
    then each city's breakdown on its own sheet, then the rules."""
    title = f"{year}年度信用应用场景推进考核结果（截至{cn_date(as_of)}）" + ("" if card["result"] else "（未发布）")
    cities, rules = card["cities"], card["rules"]
    wb = Workbook()
    write_sheet(wb.active, summary_rows(cities, rules), SUMMARY_HEADERS, title, "汇总")
    for b in cities:
        write_sheet(wb.create_sheet(), breakdown_rows(b, rules), BREAKDOWN_HEADERS,
                    f"{b['city']}市得分明细 · {title}", b["city"])
    write_sheet(wb.create_sheet(), rules_rows(rules), {"rule": "考核规则", "value": "分值"}, f"考核规则 · {title}",
                "考核规则")
    return workbook_bytes(wb)
