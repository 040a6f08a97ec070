"""The review slides (月度推进会): pure renderers, rows in, slides out.  Sizes,
themes, paging and printing live in assets/review.css and assets/review.js;
a change carries an arrow and a sign as well as a colour."""
from __future__ import annotations

from dash import dcc, html

from components.format import number, share
from components.status import pct, pending_note, status_text
from queries.items import display_name
from store.models import PROGRESS_STATES

PROVINCE_ROWS = 8  # list rows that fit a slide at 16:9 (two lines of text each)
CITY_ROWS = 4  # per list, three lists side by side


def slide(key: str, kicker: str, title: str, body: list, *, aside=None, note: str = "",
          body_id: dict | None = None) -> html.Section:
    """One slide: a header (kicker line, title, ``aside`` on the right), the body
    (``body_id``: for a callback that fills it in)."""
    header = html.Header([
        html.Div([html.Div(kicker, className="review-kicker"), html.H2(title, className="review-title"),
                  html.Div(note, className="review-note") if note else None]),
        html.Div(aside, className="review-aside") if aside is not None else None,
    ], className="review-header")
    body = html.Div(body, className="review-body", **({"id": body_id} if body_id else {}))
    return html.Section([header, body], className="review-slide",
                        id=f"review-slide-{key}", **{"aria-label": title})


def change(now: float | None, before: float | None, *, unit: str, better: str = "up",
           points: bool = False, prefix: str = "较上月末 ") -> html.Span:
    """'▲ +2.3个百分点' / '▼ −3个' / '持平' since the previous month end; ``better``
    says which way is good (the colour), ``points`` takes rates as percentage points."""
    if now is None or before is None:
        return html.Span(prefix + "—", className="review-change is-flat")
    diff = round((now - before) * 100, 1) if points else now - before
    if not diff:
        return html.Span(prefix + "持平", className="review-change is-flat")
    good = (diff > 0) == (better == "up")
    text = f"{'▲ +' if diff > 0 else '▼ −'}{number(abs(diff))}{unit}"
    return html.Span([prefix, html.B(text)], className=f"review-change {'is-good' if good else 'is-bad'}")


def rate_change(now: dict, before: dict | None, rate: str) -> html.Span:
    return change(now[rate], before[rate] if before else None, unit="个百分点", points=True)


def count_change(now: dict, before: dict | None, count: str, unit: str = "个") -> html.Span:
    return change(now[count], before[count] if before else None, unit=unit, better="down")


def rate_value(num: int, den: int, value_id: str | None = None) -> html.Div:
    """pct()'s text, the rate large and the counts behind it small."""
    rate, _, counts = pct(num, den).partition("（")
    return html.Div([rate, html.Span("（" + counts, className="review-counts")], className="review-value",
                    **({"id": value_id} if value_id else {}))


def count_value(text: str, value_id: str) -> html.Div:
    return html.Div(text, className="review-value", id=value_id)


def tile(label: str, value, note, delta=None, href: str | None = None, tone: str = ""):
    """A headline figure: label, value, a note, the change since last month; the
    tile links to its rows.  (Each element costs: the deck has 17 slides of them.)"""
    body = [html.Div(label, className="review-label"), value,
            html.Div(note, className="review-tile-note") if note else None, delta]
    tile_class = f"review-tile {tone}".strip()
    if href:
        return dcc.Link(body, href=href, className=f"{tile_class} review-tile-link")
    return html.Div(body, className=tile_class)


def headline_tiles(now: dict, before: dict | None, links: dict[str, str], soon_days: int,
                   ids: str = "review") -> list:
    """进度/按时/总体完成率, 逾期未完成 (count and days), 临期 (due within ``soon_days``),
    each with its change; ids ``{ids}-progress`` …"""
    overdue_days = [f"累计逾期 {now['overdue_days']:,} 天（",
                    change(now["overdue_days"], before and before["overdue_days"], unit="天", better="down",
                           prefix=""), "）"]
    return [
        tile("进度完成率", rate_value(now["done_due"], now["due_by"], f"{ids}-progress"),
             "已到期节点中已完成的比例", rate_change(now, before, "progress_rate"), links["completed"]),
        tile("按时完成率", rate_value(now["on_time_due"], now["due_by"], f"{ids}-on-time"),
             "已到期节点中按时完成的比例", rate_change(now, before, "on_time_rate"), links["on_time"]),
        tile("总体完成率", rate_value(now["done"], now["total"], f"{ids}-overall"),
             pending_note(now, "全部节点中已完成的比例"), rate_change(now, before, "overall_rate"), links["all"]),
        tile("逾期未完成", count_value(f"{now['overdue']:,}个", f"{ids}-overdue"), overdue_days,
             count_change(now, before, "overdue"), links["overdue"], "is-alert" if now["overdue"] else ""),
        tile(f"临期（{soon_days}天内到期）", count_value(f"{now['due_soon']:,}个", f"{ids}-due-soon"),
             "尚未完成、即将到期", count_change(now, before, "due_soon"), links["due_soon"],
             "is-warn" if now["due_soon"] else ""),
    ]


def rank_move(move: int | None) -> html.Span:
    """'▲2' (up two places), '▼1', '持平'; '—' for a city not ranked last month."""
    if move is None:
        return html.Span("—", className="review-move is-flat")
    if not move:
        return html.Span("持平", className="review-move is-flat")
    up = move > 0
    return html.Span(f"{'▲' if up else '▼'}{abs(move)}", title=f"较上月{'上升' if up else '下降'}{abs(move)}位",
                     className=f"review-move {'is-good' if up else 'is-bad'}")


def ranking_table(rows: list[dict], city_href) -> html.Table:
    """Every city: rank, move, 进度完成率 as a bar with n/d, 按时完成率, overdue count and days."""
    head = html.Thead(html.Tr([html.Th(t) for t in ("排名", "较上月", "地市", "进度完成率（已完成/已到期）",
                                                    "按时完成率", "逾期未完成")]))
    body = []
    for r in rows:
        now = r["now"]
        width = f"{(now['progress_rate'] or 0) * 100:.1f}%"
        body.append(html.Tr([
            html.Td(str(r["rank"]), className="review-rank"),
            html.Td(rank_move(r["move"])),
            html.Td(dcc.Link(r["city"], href=city_href(r["city"]), className="review-plain-link") if r["city"]
                    else "省级"),
            html.Td(html.Div([html.Div(html.Div(className="review-bar-fill", style={"width": width}),
                                       className="review-bar"),
                              rate_value(now["done_due"], now["due_by"])], className="review-bar-cell")),
            html.Td(share(now["on_time_rate"])),
            html.Td(f"{now['overdue']:,}个 · {now['overdue_days']:,}天",
                    className="is-alert-text" if now["overdue"] else ""),
        ]))
    return html.Table([head, html.Tbody(body)], className="review-table review-ranking")


def item_label(r: dict) -> str:
    return display_name(r["item"], r["county"]) + (f" · {r['sub_item']}" if r["sub_item"] else "")


def clamp(text: str) -> html.Div:
    """At most two lines (the full text on hover): a row's height is known, so a list fits."""
    return html.Div(text, className="review-clamp", title=text)


def milestone_cells(kind: str, r: dict) -> list:
    """The cells after 地市 / 工作事项 / 工作节点, per list kind."""
    lead = "、".join(r["lead"]) or "—"
    if kind == "completed":
        return [r["completed_on"], html.Span(status_text(r["status"]), className=f"status-{r['status']}")]
    if kind == "overdue":
        return [r["due"], html.Span(f"{r['days_overdue']:,}天", className="is-alert-text"), clamp(lead)]
    return [r["due"], PROGRESS_STATES.get(r["state"], "未报送"), clamp(lead)]


MILESTONE_HEADS = {
    "completed": ("完成日期", "状态"),
    "overdue": ("节点时限", "逾期天数", "牵头部门"),
    "due_next": ("节点时限", "最新进展", "牵头部门"),
}


def milestone_table(kind: str, rows: list[dict], more_href: str, empty: str, total: int | None = None) -> list:
    """The first PROVINCE_ROWS rows as a table, then '另有 n 项' linking to all of them
    (``total`` rows in all, by default ``len(rows)``: the caller may pass only those shown)."""
    total = len(rows) if total is None else total
    if not total:
        return [html.Div(empty, className="review-empty")]
    head = html.Thead(html.Tr([html.Th(t) for t in ("地市", "工作事项", "工作节点", *MILESTONE_HEADS[kind])]))
    body = html.Tbody([html.Tr([html.Td(r["city"] or "—"), html.Td(clamp(item_label(r))),
                                html.Td(clamp(r["milestone"])), *map(html.Td, milestone_cells(kind, r))])
                       for r in rows[:PROVINCE_ROWS]])
    return [html.Table([head, body], className=f"review-table review-{kind}"),
            more(total - PROVINCE_ROWS, more_href)]


def more(hidden: int, href: str):
    """'另有 n 项 →' linking to the rows behind a truncated list; nothing when all fit."""
    if hidden <= 0:
        return None
    return dcc.Link(f"另有 {hidden:,} 项，查看全部 →", href=href, className="review-more")


def city_list(title: str, kind: str, rows: list[dict], more_href: str, empty: str,
              total: int | None = None) -> html.Div:
    """A city slide's column: the title with its count (``total``, by default
    ``len(rows)``), the first CITY_ROWS milestones."""
    total = len(rows) if total is None else total
    entries = [html.Li([html.Span(item_label(r), className="review-entry-item"), entry_fact(kind, r),
                        clamp(r["milestone"])]) for r in rows[:CITY_ROWS]]
    return html.Div([
        html.H3([title, html.Span(f"{total:,}项", className="review-list-count")],
                className="review-list-title"),
        html.Ul(entries, className="review-entries") if total else html.Div(empty, className="review-empty"),
        more(total - CITY_ROWS, more_href),
    ], className=f"review-list review-list-{kind}")


def entry_fact(kind: str, r: dict) -> html.Span:
    """The fact on the right of an entry's first line, coloured by what it says."""
    if kind == "completed":
        return html.Span(f"{status_text(r['status'])} {r['completed_on']}",
                         className=f"review-entry-fact status-{r['status']}")
    if kind == "overdue":
        return html.Span(f"逾期{r['days_overdue']:,}天", className="review-entry-fact is-alert-text")
    return html.Span(f"{r['due']}到期", className="review-entry-fact")


def actual_cell(i: dict | None, actual_text, cls: str = "") -> list | str:
    """The actual known then (``actual_text(row)``) over its data date."""
    if not i or not i["latest_on"]:
        return "—"
    return [html.Div(actual_text(i), className=cls),
            html.Div(f"数据日期 {i['latest_on']}", className="review-sub")]


def indicator_table(rows: list[dict], actual_text, more_href: str, total: int | None = None) -> list:
    """Indicators with a new actual: value and attainment at P -> at E (``total``
    in all, by default ``len(rows)``)."""
    total = len(rows) if total is None else total
    if not total:
        return [html.Div("本月没有报送新的指标实际值", className="review-empty")]
    head = html.Thead(html.Tr([html.Th(t) for t in ("指标", "范围", "上月末实际值", "本月末实际值",
                                                    "达成度（上月末 → 本月末）")]))
    body = []
    for i in rows[:PROVINCE_ROWS]:
        before = i["before"]
        body.append(html.Tr([
            html.Td([html.Div(i["name"], className="review-line", title=i["name"]),
                     html.Div(i["item"] or "", className="review-sub")]),
            html.Td(i["city"] or "全省"),
            html.Td(actual_cell(before, actual_text)),
            html.Td(actual_cell(i, actual_text, "review-strong")),
            html.Td([f"{share(before['attainment'] if before else None)} → ",
                     html.B(share(i["attainment"])), " ",
                     change(i["attainment"], before["attainment"] if before else None, unit="个百分点",
                            points=True, prefix="")]),
        ]))
    return [html.Table([head, html.Tbody(body)], className="review-table review-indicators"),
            more(total - PROVINCE_ROWS, more_href)]
