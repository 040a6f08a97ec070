"""Plotly figures with Chinese labels and the status palette (pure: rows in,
figure out)."""
from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from components.status import BLUE, GREEN, GREY, RED, STATUS_STYLE

FONT = dict(family="Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif", size=13)
SKY = "#56B4E9"


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(font=FONT, height=height, margin=dict(l=10, r=10, t=40, b=10),
                      plot_bgcolor="white", paper_bgcolor="white",
                      legend=dict(orientation="h", y=1.08, x=0), **kw)
    return fig


def city_rates_figure(rows: list[dict]) -> go.Figure:
    """进度完成率 and 按时完成率 per city, with the counts behind each bar on hover."""
    cities = [r["city"] for r in rows]
    fig = go.Figure()
    for key, num, name, colour in (("progress_rate", "done_due", "进度完成率", BLUE),
                                   ("on_time_rate", "on_time_due", "按时完成率", SKY)):
        values = [(r[key] or 0) * 100 for r in rows]
        fig.add_bar(
            x=cities, y=values, name=name, marker_color=colour,
            text=[f"{v:.0f}%" if r["due_by"] else "—" for v, r in zip(values, rows)],
            textposition="outside",
            customdata=[[r[num], r["due_by"]] for r in rows],
            hovertemplate="%{x} " + name + "：%{y:.1f}%（%{customdata[0]}/%{customdata[1]}）<extra></extra>",
        )
    fig.update_yaxes(range=[0, 115], ticksuffix="%", gridcolor="#eee", title=None)
    fig.update_xaxes(title=None)
    return _layout(fig, 360, barmode="group", title=dict(text="各地市完成率", x=0, font=dict(size=15)))


def milestone_timeline(milestones: list[dict], as_of: date) -> go.Figure:
    """Gantt-style: each milestone's planned due date (◆) against its actual
    completion (●), joined by a line when late; the as-of date as a vertical line."""
    labels = [f"{m['seq']}. {m['milestone'][:18]}{'…' if len(m['milestone']) > 18 else ''}"
              for m in milestones]
    fig = go.Figure()
    for m, label in zip(milestones, labels):
        if m["due"] and m["completed_on"]:
            fig.add_scatter(x=[m["due"], m["completed_on"]], y=[label, label], mode="lines",
                            line=dict(color=STATUS_STYLE[m["status"]][1], width=3),
                            showlegend=False, hoverinfo="skip")
        elif m["due"] and m["status"] == "overdue":
            fig.add_scatter(x=[m["due"], as_of.isoformat()], y=[label, label], mode="lines",
                            line=dict(color=RED, width=3, dash="dot"), showlegend=False, hoverinfo="skip")
    due = [m for m in milestones if m["due"]]
    fig.add_scatter(
        x=[m["due"] for m in due], y=[labels[milestones.index(m)] for m in due], mode="markers",
        name="计划时限", marker=dict(symbol="diamond", size=12, color=GREY),
        customdata=[[m["due_text"]] for m in due],
        hovertemplate="计划时限：%{x}（原文：%{customdata[0]}）<extra></extra>",
    )
    done = [m for m in milestones if m["completed_on"]]
    fig.add_scatter(
        x=[m["completed_on"] for m in done], y=[labels[milestones.index(m)] for m in done],
        mode="markers", name="实际完成",
        marker=dict(symbol="circle", size=12, color=[STATUS_STYLE[m["status"]][1] for m in done]),
        hovertemplate="实际完成：%{x}<extra></extra>",
    )
    fig.add_vline(x=as_of.isoformat(), line=dict(color=GREEN, dash="dash"))
    fig.add_annotation(x=as_of.isoformat(), y=1.02, yref="paper", text="截至日期", showarrow=False,
                       font=dict(color=GREEN))
    fig.update_yaxes(autorange="reversed", title=None, categoryorder="array", categoryarray=labels)
    fig.update_xaxes(type="date", tickformat="%Y-%m", gridcolor="#eee", title=None)
    return _layout(fig, 120 + 42 * len(milestones))


# --- indicators: the observed actuals against the required linear path (pages/indicators.py) ---

PACE_COLOURS = {"met": GREEN, "on_pace": BLUE, "behind": RED, "no_data": GREY}
PATH_NAME, ACTUAL_NAME, REQUIRED_NAME = "应达进度路径", "实际值", "截至日应达值"


def indicator_paths_figure(indicators: list[dict], histories: dict, as_of: date, cols: int = 4) -> go.Figure:
    """Small multiples, one per indicator (rows of queries.indicators): the linear
    required path from the path start to the target, the actuals known on
    ``as_of`` (histories: queries.observations.history), the value required on
    ``as_of``; a qualitative indicator shows met (1) / not met (0) per period.
    Every trace carries ``meta`` = the indicator id."""
    from plotly.subplots import make_subplots

    from metrics.attainment import PACE_LABELS, required_value

    rows = -(-len(indicators) // cols) or 1
    titles = [f"{i['name']}<br><span style='font-size:11px;color:{PACE_COLOURS[i['pace']]}'>"
              f"{PACE_LABELS[i['pace']]} · 目标 {_clip(i['target_text'] or '—', 14)}</span>" for i in indicators]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.06,
                        vertical_spacing=min(0.3 / rows, 0.12) if rows > 1 else 0)
    shown = set()

    def legend_once(name: str) -> bool:
        first = name not in shown
        shown.add(name)
        return first

    for n, ind in enumerate(indicators):
        row, col = n // cols + 1, n % cols + 1
        history = histories.get(ind["indicator_id"], {"start": None, "observations": []})
        unit = "" if ind["unit"] in (None, "") else ind["unit"]
        obs = history["observations"]
        if ind["qualitative"]:
            fig.add_scatter(
                x=[o["observed_on"] for o in obs], y=[1 if o["met"] else 0 for o in obs], mode="markers",
                name=ACTUAL_NAME, legendgroup=ACTUAL_NAME, showlegend=legend_once(ACTUAL_NAME),
                meta=ind["indicator_id"], marker=dict(size=10, color=[GREEN if o["met"] else RED for o in obs]),
                customdata=[["已达成" if o["met"] else "未达成", o["reported_on"]] for o in obs],
                hovertemplate="%{x}：%{customdata[0]}（%{customdata[1]}报送）<extra></extra>",
                row=row, col=col)
            fig.update_yaxes(range=[-0.3, 1.3], tickvals=[0, 1], ticktext=["未达成", "已达成"], row=row, col=col)
        else:
            start, due = history["start"], ind["due"]
            if start and due and ind["target"] is not None:
                ends = [date.fromisoformat(start), date.fromisoformat(due)]
                fig.add_scatter(
                    x=[start, due], y=[required_value(ind["baseline"], ends[0], ind["target"], ends[1], d)
                                       for d in ends],
                    mode="lines", name=PATH_NAME, legendgroup=PATH_NAME, showlegend=legend_once(PATH_NAME),
                    meta=ind["indicator_id"], line=dict(color=GREY, dash="dash", width=2),
                    hovertemplate="%{x}：应达 %{y:,.2~f}" + unit + "<extra></extra>", row=row, col=col)
                if ind["required"] is not None:
                    on = min(max(as_of, ends[0]), ends[1]).isoformat()
                    fig.add_scatter(
                        x=[on], y=[ind["required"]], mode="markers", name=REQUIRED_NAME,
                        legendgroup=REQUIRED_NAME, showlegend=legend_once(REQUIRED_NAME),
                        meta=ind["indicator_id"], marker=dict(symbol="diamond-open", size=11, color=GREY),
                        hovertemplate="截至日应达 %{y:,.2~f}" + unit + "<extra></extra>", row=row, col=col)
            fig.add_scatter(
                x=[o["observed_on"] for o in obs], y=[o["value"] for o in obs], mode="lines+markers",
                name=ACTUAL_NAME, legendgroup=ACTUAL_NAME, showlegend=legend_once(ACTUAL_NAME),
                meta=ind["indicator_id"], line=dict(color=BLUE, width=2), marker=dict(size=7),
                customdata=[[o["reported_on"]] for o in obs],
                hovertemplate="%{x}：%{y:,.2~f}" + unit + "（%{customdata[0]}报送）<extra></extra>",
                row=row, col=col)
            fig.update_yaxes(ticksuffix=unit if unit == "%" else "", row=row, col=col)
        fig.add_vline(x=as_of.isoformat(), line=dict(color=GREEN, dash="dot", width=1), row=row, col=col)
        span = [d for d in (history["start"], ind["due"], as_of.isoformat()) if d]
        fig.update_xaxes(range=[_months_from(min(span), -4), _months_from(max(span), 4)], row=row, col=col)
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", gridcolor="#eee", title=None)
    fig.update_yaxes(gridcolor="#eee", title=None)
    fig.update_annotations(font=dict(size=13))
    height = 110 + 250 * rows
    _layout(fig, height)
    fig.update_layout(legend=dict(y=-50 / height, yanchor="top"), margin=dict(t=60, b=60))
    return fig


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _months_from(iso: str, months: int) -> str:
    """An ISO date ``months`` months away (day clipped to 28): padding for an axis range."""
    d = date.fromisoformat(iso)
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, min(d.day, 28)).isoformat()


# --- overdue and due-soon milestones per city or department (pages/overdue.py) ---

def overdue_bars_figure(rows: list[dict], key: str = "city", title: str = "各地市逾期与临期节点"
                        ) -> go.Figure:
    """Horizontal stacked bars: overdue and due-soon milestones (status rows) per
    ``key`` (a list value, e.g. the lead departments, counts for each element),
    the group with most overdue milestones on top; hover adds the overdue days."""
    groups: dict[str, dict[str, int]] = {}
    for r in rows:
        for name in (r[key] if isinstance(r[key], list) else [r[key]]) or [None]:
            g = groups.setdefault(name or "（未注明）", {"overdue": 0, "due_soon": 0, "days": 0})
            if r["status"] in ("overdue", "due_soon"):
                g[r["status"]] += 1
                g["days"] += r["days_overdue"] or 0
    order = sorted(groups, key=lambda n: (-groups[n]["overdue"], -groups[n]["days"], -groups[n]["due_soon"]))
    fig = go.Figure()
    for status, name in (("overdue", "逾期未完成"), ("due_soon", "临期")):
        fig.add_bar(
            y=order, x=[groups[n][status] for n in order], name=name, orientation="h",
            marker_color=STATUS_STYLE[status][1],
            customdata=[[groups[n]["days"]] for n in order],
            hovertemplate="%{y} " + name + "：%{x}个"
                          + ("（累计逾期%{customdata[0]:,}天）" if status == "overdue" else "")
                          + "<extra></extra>",
        )
    most = max([g["overdue"] + g["due_soon"] for g in groups.values()] or [1])
    fig.update_yaxes(autorange="reversed", title=None, categoryorder="array", categoryarray=order)
    fig.update_xaxes(title=None, gridcolor="#eee", dtick=max(1, -(-most // 8)))  # whole milestones
    return _layout(fig, 110 + 26 * len(order), barmode="stack",
                   title=dict(text=title, x=0, font=dict(size=15)))
