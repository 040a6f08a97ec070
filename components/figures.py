"""Plotly figures with Chinese labels and the status palette (pure: rows in,
figure out)."""
from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

from components.status import BLUE, GREEN, GREY, RED, STATUS_LABELS, STATUS_STYLE

FONT = dict(family="Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif", size=13)
SKY = "#56B4E9"


def base_layout(height: int, **kw) -> dict:
    """The common layout.  Figures here are plain dicts wrapped unvalidated
    (``as_figure``): plotly's property-by-property validation takes 20–30 ms a
    chart, a third of a page's budget."""
    return dict(font=FONT, height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
                paper_bgcolor="white", legend=dict(orientation="h", y=1.08, x=0)) | kw


def as_figure(traces: list[dict], layout: dict) -> go.Figure:
    return go.Figure(data=traces, layout=layout, _validate=False)


def city_rates_figure(rows: list[dict]) -> go.Figure:
    """进度完成率 and 按时完成率 per city, with the counts behind each bar on hover."""
    cities = [r["city"] for r in rows]
    traces = []
    for key, num, name, colour in (("progress_rate", "done_due", "进度完成率", BLUE),
                                   ("on_time_rate", "on_time_due", "按时完成率", SKY)):
        values = [(r[key] or 0) * 100 for r in rows]
        traces.append(dict(
            type="bar", x=cities, y=values, name=name, marker=dict(color=colour),
            text=[f"{v:.0f}%" if r["due_by"] else "—" for v, r in zip(values, rows)],
            textposition="outside",
            customdata=[[r[num], r["due_by"]] for r in rows],
            hovertemplate="%{x} " + name + "：%{y:.1f}%（%{customdata[0]}/%{customdata[1]}）<extra></extra>",
        ))
    return as_figure(traces, base_layout(360, barmode="group", title=dict(text="各地市完成率", x=0, font=dict(size=15)),
                                         legend=dict(orientation="h", y=1.08, x=1, xanchor="right"),  # (clear of the title on a phone)
                                   yaxis=dict(range=[0, 115], ticksuffix="%", gridcolor="#eee", title=None),
                                   xaxis=dict(title=None)))


def milestone_timeline(milestones: list[dict], as_of: date) -> go.Figure:
    """Gantt-style, one row per milestone (status rows, in order; a sub-scene's
    name prefixes its rows): the planned due date (◆, trace "计划时限") against the
    actual completion (●, one trace per done status), joined by a line in the
    status colour; an overdue milestone's dotted red line runs on to the as-of
    date; a milestone without a due date is ○ at the as-of date; the as-of date
    is a vertical line."""
    labels = _unique([f"{m['sub_item'] + ' · ' if m.get('sub_item') else ''}{m['seq']}. "
                      f"{_clip(m['milestone'], 19)}" for m in milestones])
    rows = list(zip(milestones, labels))
    today = as_of.isoformat()
    traces = []
    segments: dict[str, tuple[list, list]] = {}
    for m, y in rows:
        end = m["completed_on"] or (today if m["status"] == "overdue" else None)
        if m["due"] and end:
            xs, ys = segments.setdefault(m["status"], ([], []))
            xs += [m["due"], end, None]
            ys += [y, y, None]
    for status, (xs, ys) in segments.items():
        overdue = status == "overdue"
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=overdue,
                        name="逾期未完成（至截至日期）" if overdue else STATUS_LABELS[status],
                           line=dict(color=STATUS_STYLE[status][1], width=3, dash="dot" if overdue else "solid")))
    due = [(m, y) for m, y in rows if m["due"]]
    traces.append(dict(
        type="scatter", x=[m["due"] for m, _ in due], y=[y for _, y in due], mode="markers", name="计划时限",
        marker=dict(symbol="diamond", size=12, color=GREY),
        customdata=[[m["due_text"] or "", m["milestone"], STATUS_LABELS[m["status"]]] for m, _ in due],
        hovertemplate="%{customdata[1]}<br>计划时限：%{x}（原文：%{customdata[0]}）"
                      "<br>状态：%{customdata[2]}<extra></extra>",
    ))
    for status in ("done_on_time", "done_late"):
        done = [(m, y) for m, y in rows if m["completed_on"] and m["status"] == status]
        if done:
            traces.append(dict(
                type="scatter", x=[m["completed_on"] for m, _ in done], y=[y for _, y in done], mode="markers",
                name=f"实际完成（{STATUS_LABELS[status]}）",
                marker=dict(symbol="circle", size=12, color=STATUS_STYLE[status][1]),
                customdata=[[m["milestone"]] for m, _ in done],
                hovertemplate="%{customdata[0]}<br>实际完成：%{x}<extra></extra>"))
    undated = [(m, y) for m, y in rows if not m["due"] and not m["completed_on"]]
    if undated:
        traces.append(dict(
            type="scatter", x=[today] * len(undated), y=[y for _, y in undated], mode="markers", name="无明确时限",
            marker=dict(symbol="circle-open", size=12, color=GREY, line=dict(width=2)),
            customdata=[[m["milestone"], m["due_text"] or "未写明"] for m, _ in undated],
            hovertemplate="%{customdata[0]}<br>无明确时限（原文：%{customdata[1]}）<extra></extra>"))
    as_of_line = dict(color=BLUE, dash="dash", width=1.5)
    # named in the legend rather than annotated: a label at the line would cover a row
    traces.append(dict(type="scatter", x=[None], y=[None], mode="lines", line=as_of_line, name=f"截至日期 {today}"))
    shown = [date.fromisoformat(d) for m in milestones for d in (m["due"], m["completed_on"]) if d] + [as_of]
    pad = timedelta(days=20)  # keeps the markers and the as-of line off the plot's edges
    return as_figure(traces, base_layout(
        150 + 42 * len(milestones),
        shapes=[dict(type="line", xref="x", yref="y domain", x0=today, x1=today, y0=0, y1=1, line=as_of_line)],
        yaxis=dict(autorange="reversed", title=None, categoryorder="array", categoryarray=labels),
        xaxis=dict(type="date", tickformat="%Y-%m", gridcolor="#eee", title=None,
                   range=[(min(shown) - pad).isoformat(), (max(shown) + pad).isoformat()]),
        legend=dict(orientation="h", x=0, y=1, yanchor="bottom"), margin=dict(l=10, r=10, t=50, b=10)))


def schedule_figure(items: list[dict], as_of: date) -> go.Figure:
    """进度计划（甘特图）: one row per work item (queries.schedule, in group order,
    '地市 · 事项'), a bar from its start to its deadline, its milestones as marks
    at their due dates coloured by status (one legend entry per status), the
    as-of date a vertical line."""
    labels = _unique([f"{i['group']} · {_clip(i['label'], 22)}" for i in items])
    dated = [(i, y) for i, y in zip(items, labels) if i["start"] and i["end"]]
    day = 86_400_000  # ms: a bar's length on a date axis
    traces = [dict(type="bar", orientation="h", y=[y for _, y in dated], base=[i["start"] for i, _ in dated],
                   x=[((date.fromisoformat(i["end"]) - date.fromisoformat(i["start"])).days or 1) * day
                      for i, _ in dated],
                   marker=dict(color="rgba(0,114,178,.18)", line=dict(color=BLUE, width=1)), name="计划周期",
                   customdata=[[i["label"], i["plan"], i["start"], i["end"]] for i, _ in dated],
                   hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]} 至 %{customdata[3]}"
                                 "<extra></extra>")]
    for status in STATUS_STYLE:
        marks = [(m, y) for i, y in zip(items, labels) for m in i["milestones"] if m["due"] and m["status"] == status]
        if marks:
            traces.append(dict(
                type="scatter", mode="markers", name=STATUS_LABELS[status], x=[m["due"] for m, _ in marks],
                y=[y for _, y in marks], marker=dict(symbol="diamond", size=11, color=STATUS_STYLE[status][1],
                                                     line=dict(color="#fff", width=1)),
                customdata=[[m["seq"], _clip(m["text"], 40), m["lead"] or "—"] for m, _ in marks],
                hovertemplate="节点%{customdata[0]}：%{customdata[1]}<br>时限 %{x} · 牵头 %{customdata[2]}"
                              f"<br>{STATUS_LABELS[status]}<extra></extra>"))
    today = as_of.isoformat()
    as_of_line = dict(color=RED, dash="dash", width=1.5)
    traces.append(dict(type="scatter", x=[None], y=[None], mode="lines", line=as_of_line, name=f"截至日期 {today}"))
    return as_figure(traces, base_layout(
        140 + 30 * len(items),
        shapes=[dict(type="line", xref="x", yref="y domain", x0=today, x1=today, y0=0, y1=1, line=as_of_line)],
        yaxis=dict(autorange="reversed", title=None, categoryorder="array", categoryarray=labels, automargin=True),
        xaxis=dict(type="date", tickformat="%Y-%m", gridcolor="#eee", title=None, side="top"),
        barmode="overlay", legend=dict(orientation="h", x=0, y=-0.02, yanchor="top"),
        margin=dict(l=10, r=10, t=40, b=60)))


def _unique(labels: list[str]) -> list[str]:
    """Category labels must differ: a repeated one gets zero-width spaces appended."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, -1) + 1
        out.append(label + "\u200b" * seen[label])
    return out


# --- indicators: the observed actuals against the required linear path (pages/indicators.py) ---

PACE_COLOURS = {"met": GREEN, "on_pace": BLUE, "behind": RED, "no_data": GREY}
PATH_NAME, ACTUAL_NAME, REQUIRED_NAME = "应达进度路径", "实际值", "截至日应达值"
PANEL_HEIGHT, PANEL_GAP = 250, 80  # px: a panel with its two-line title, the gap above a title


def indicator_paths_figure(indicators: list[dict], histories: dict, as_of: date, cols: int = 4) -> go.Figure:
    """Small multiples, one panel per indicator (rows of queries.indicators): the
    linear required path from the path start to the target, the actuals known on
    ``as_of`` (histories: queries.observations.history), the value required on
    ``as_of``; a qualitative indicator shows met (1) / not met (0) per period.
    Every trace carries ``meta`` = the indicator id.  (Unvalidated, like every
    figure here: validating a 16-panel figure takes plotly a second.)"""
    from metrics.attainment import PACE_LABELS, required_value

    rows = -(-len(indicators) // cols) or 1
    height = 120 + PANEL_HEIGHT * rows
    plot = height - 120
    hgap, vgap = 0.06, PANEL_GAP / plot
    width, tall = (1 - (cols - 1) * hgap) / cols, (1 - (rows - 1) * vgap) / rows
    traces, shapes, titles, axes, shown = [], [], [], {}, set()
    day = as_of.isoformat()

    def scatter(name: str, axis: str, ind: dict, **kw) -> None:
        traces.append(dict(type="scatter", name=name, legendgroup=name, showlegend=name not in shown,
                           meta=ind["indicator_id"], xaxis=f"x{axis}", yaxis=f"y{axis}", **kw))
        shown.add(name)

    for n, ind in enumerate(indicators):
        axis = "" if n == 0 else str(n + 1)
        row, col = divmod(n, cols)
        x0, top = col * (width + hgap), 1 - row * (tall + vgap)
        history = histories.get(ind["indicator_id"], {"start": None, "observations": []})
        unit = ind["unit"] or ""
        obs = history["observations"]
        x = [o["observed_on"] for o in obs]
        yaxis = dict(domain=[max(0.0, round(top - tall, 6)), top], anchor=f"x{axis}", gridcolor="#eee")
        if ind["qualitative"]:
            scatter(ACTUAL_NAME, axis, ind, x=x, y=[1 if o["met"] else 0 for o in obs], mode="markers",
                    marker=dict(size=10, color=[GREEN if o["met"] else RED for o in obs]),
                    customdata=[["已达成" if o["met"] else "未达成", o["reported_on"]] for o in obs],
                    hovertemplate="%{x}：%{customdata[0]}（%{customdata[1]}报送）<extra></extra>")
            yaxis.update(range=[-0.3, 1.3], tickvals=[0, 1], ticktext=["未达成", "已达成"])
        else:
            start, due = history["start"], ind["due"]
            if start and due and ind["target"] is not None:
                ends = [date.fromisoformat(start), date.fromisoformat(due)]
                scatter(PATH_NAME, axis, ind, x=[start, due], mode="lines",
                        y=[required_value(ind["baseline"], ends[0], ind["target"], ends[1], d) for d in ends],
                        line=dict(color=GREY, dash="dash", width=2),
                        hovertemplate="%{x}：应达 %{y:,.2~f}" + unit + "<extra></extra>")
                if ind["required"] is not None:
                    scatter(REQUIRED_NAME, axis, ind, x=[min(max(as_of, ends[0]), ends[1]).isoformat()],
                            y=[ind["required"]], mode="markers",
                            marker=dict(symbol="diamond-open", size=11, color=GREY),
                            hovertemplate="截至日应达 %{y:,.2~f}" + unit + "<extra></extra>")
            scatter(ACTUAL_NAME, axis, ind, x=x, y=[o["value"] for o in obs], mode="lines+markers",
                    line=dict(color=BLUE, width=2), marker=dict(size=7),
                    customdata=[[o["reported_on"]] for o in obs],
                    hovertemplate="%{x}：%{y:,.2~f}" + unit + "（%{customdata[0]}报送）<extra></extra>")
            yaxis.update(ticksuffix="%" if unit == "%" else "")
        span = [d for d in (history["start"], ind["due"], day) if d]
        axes[f"xaxis{axis}"] = dict(domain=[x0, min(1.0, round(x0 + width, 6))], anchor=f"y{axis}", type="date", tickformat="%Y",
                                    dtick="M12", gridcolor="#eee",
                                    range=[_months_from(min(span), -4), _months_from(max(span), 4)])
        axes[f"yaxis{axis}"] = yaxis
        shapes.append(dict(type="line", xref=f"x{axis}", yref=f"y{axis} domain", x0=day, x1=day, y0=0, y1=1,
                           line=dict(color=GREEN, dash="dot", width=1)))
        titles.append(dict(
            text=f"{ind['name']}<br><span style='font-size:11px;color:{PACE_COLOURS[ind['pace']]}'>"
                 f"{PACE_LABELS[ind['pace']]} · 目标 {_clip(ind['target_text'] or '—', 14)}</span>",
            x=x0 + width / 2, y=top, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
            showarrow=False, font=dict(size=13)))
    return as_figure(traces, base_layout(height, margin=dict(l=10, r=10, t=60, b=60), shapes=shapes, annotations=titles,
                                   legend=dict(orientation="h", x=0, y=-50 / plot, yanchor="top"), **axes))


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _months_from(iso: str, months: int) -> str:
    """An ISO date ``months`` months away (day clipped to 28): padding for an axis range."""
    d = date.fromisoformat(iso)
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, min(d.day, 28)).isoformat()


# --- overdue and due-soon milestones per city or department (pages/overdue.py) ---

def overdue_bars_figure(groups: list[dict], title: str = "各地市逾期与临期节点") -> go.Figure:
    """Horizontal stacked bars: overdue and due-soon milestones per group (rows of
    name, overdue, due_soon, days: queries.overdue, worst first), the first on
    top; hover adds the overdue days."""
    order = [g["name"] for g in groups]
    groups = {g["name"]: g for g in groups}
    traces = []
    for status, name in (("overdue", "逾期未完成"), ("due_soon", "临期")):
        if not any(groups[n][status] for n in order):
            continue  # no legend entry for a status the rows do not hold
        traces.append(dict(
            type="bar", y=order, x=[groups[n][status] for n in order], name=name, orientation="h",
            marker=dict(color=STATUS_STYLE[status][1]),
            customdata=[[groups[n]["days"]] for n in order],
            hovertemplate="%{y} " + name + "：%{x}个"
                          + ("（累计逾期%{customdata[0]:,}天）" if status == "overdue" else "")
                          + "<extra></extra>",
        ))
    most = max([groups[n]["overdue"] + groups[n]["due_soon"] for n in order] or [1])
    return as_figure(traces, base_layout(
        120 + 26 * len(order), barmode="stack", showlegend=True, margin=dict(l=10, r=10, t=70, b=10),
        title=dict(text=title, x=0, y=0.98, yanchor="top", font=dict(size=15)),
        # the legend under the title, in the order of the stack (overdue first)
        legend=dict(orientation="h", x=0, y=1, yanchor="bottom", traceorder="normal"),
        yaxis=dict(autorange="reversed", title=None, categoryorder="array", categoryarray=order),
        xaxis=dict(title=None, gridcolor="#eee", dtick=max(1, -(-most // 8)))))  # whole milestones
