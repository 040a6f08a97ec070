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
