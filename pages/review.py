"""月度推进会: the monthly progress review, for a projector.  One month
(?month=YYYY-MM; default the latest complete month) as known at its end, over
the plans a view of that day covers (queries.scope: by default the
province's plans in force; ?plan=…, ?year=… as on every page):
headline figures with their change since the previous month end, the city
ranking, what was completed, what became overdue, what falls due next month,
indicator movement, then one slide per city.

Every slide is rendered here; assets/review.js shows one at a time (keys,
#n in the URL, auto-advance ?auto=seconds) and assets/review.css sizes them to
the screen (?theme=dark|light) and prints one per page.  The deck comes with
the province's slides whole and each city's slide as its title and rank; the
city slides' bodies follow in a second callback (fill_city_slides), so that
the first slide is drawn without waiting for eleven more."""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

import dash
from dash import ALL, Input, Output, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate
from flask import current_app

from components import slides
from components.filters import View
from components.format import cn_date
from components.indicators import actual_text
from components.jsonify import as_sent, encoded
from queries import api
from queries.cache import cache
from queries.review import (
    LIST_KINDS,
    Month,
    city_digest,
    city_ranking,
    default_month,
    first_month,
    indicator_moves,
    month_digest,
    moved_indicator_ids,
    province_at,
)
from queries.status import Filters
from store import clock
from store.periods import parse_period, period_label, period_of, recent_periods

dash.register_page(__name__, path="/review", name="月度推进会", order=15,
                   title="月度推进会 · 信用应用场景推进监测平台")

THEMES = {"dark": "浅色主题", "light": "深色主题"}  # theme -> the label of the switch to the other
AUTO_CHOICES = (0, 10, 15, 20, 30, 60)
MAX_AUTO = 3600


class ReviewParams(NamedTuple):
    """What the URL asks for, and what was wrong with it (shown on the deck).
    (A NamedTuple: Dash runs a page module before it is in sys.modules, which
    a dataclass needs.)"""

    month: Month
    theme: str
    auto: int
    problems: tuple[str, ...]
    plan: str | None
    year: int | None
    scope: dict  # the plans reviewed (queries.scope): ids, label, plan names


def read_params(query: dict) -> ReviewParams:
    """?month=YYYY-MM (from the first plan's month to this month), ?plan,
    ?year, ?theme, ?auto; a bad value falls back to the default with a note."""
    today = clock.today()
    problems = []
    options = api.choices()
    plan = query.get("plan") or None
    if plan is not None and plan not in {p["value"] for p in options["plans"]}:
        problems.append(f"未知的计划“{str(plan)[:40]}”，已显示默认范围")
        plan = None
    year = str(query.get("year") or "") or None
    if year is not None and year not in {str(y) for y in options["years"]}:
        problems.append(f"没有“{year[:10]}”年度的计划，已显示默认范围")
        year = None
    year = int(year) if year else None
    first = default_month(api.default_as_of(plan, year))
    raw = query.get("month")
    if raw:
        asked = parse_period(raw)
        if asked is None:
            problems.append(f"月份“{raw}”无法识别（格式：YYYY-MM），已显示{month_label(first)}")
        elif not reviewable(asked, today):
            problems.append(f"{month_label(asked)}不在可查看的范围（{month_label(first_month())}至"
                            f"{month_label(today)}），已显示{month_label(first)}")
        else:
            first = asked
    theme = query.get("theme") or "dark"
    if theme not in THEMES:
        problems.append(f"未知的主题“{theme}”（可选 dark、light），已使用深色主题")
        theme = "dark"
    auto = str(query.get("auto") or "0")
    if not (auto.isascii() and auto.isdigit()) or len(auto) > 4 or int(auto) > MAX_AUTO:
        problems.append(f"自动翻页间隔“{auto}”无法识别（0–{MAX_AUTO} 秒），已关闭自动翻页")
        auto = "0"
    month = Month.of(first, today)
    return ReviewParams(month, theme, int(auto), tuple(problems), plan, year, api.scope(month.end, plan, year))


def reviewable(first, today) -> bool:
    """A month from the first plan's to this one (``first``: its first day)."""
    return first_month() <= first <= today


def month_label(d) -> str:
    return period_label(period_of(d))


def soon_days() -> int:
    return current_app.config["DUE_SOON_DAYS"]


def layout(**query):
    params = read_params(query)
    month, plans = params.month, params.scope["ids"]
    # the province's figures are the sum of the cities' (one query per date, not two)
    now, before = (province_at(day, plans) for day in (month.end, month.previous_end))
    # only what the province's slides show: each list's count and first rows (the cities': city_bodies)
    lists = month_digest(month.previous_end, month.end, month.horizon, plans, slides.PROVINCE_ROWS)
    ranking = city_ranking(month, plans)
    moved = len(moved_indicator_ids(month.previous_end, month.end, plans))
    kicker = f"{month.label}月度推进会"
    hrefs = links(params)
    deck_slides = [
        summary_slide(params, kicker, now, before, lists),
        slides.slide("ranking", kicker, "各地市进度完成率排名",
                     [slides.ranking_table(ranking, lambda c: view_of(params).href(f"/city/{c}"))],
                     aside=as_of_line(month),
                     note=f"按进度完成率从高到低；相同时逾期天数少者在前。排名范围：{params.scope['label']}"),
        *list_slides(params, kicker, lists),
        slides.slide("indicators", kicker, "指标变动：本月报送新实际值的指标",
                     slides.indicator_table(indicator_moves(month, plans, slides.PROVINCE_ROWS), actual_text,
                                            hrefs["indicators"], moved),
                     aside=as_of_line(month), note="实际值（数据日期）与达成度：上月末已知的 → 本月末已知的"),
        *[city_slide(month, r, len(ranking)) for r in ranking],
    ]
    return deck(params, deck_slides)


def view_of(params: ReviewParams, city: str | None = None) -> View:
    """The pages' view of the review's date and plans (what its links open): a
    city's names the ranking's plan when it is one, so that they open the rows
    the city is ranked on (a city's own plans, which its pages add, are not in
    a ranking)."""
    ranked = params.scope["plans"]
    plan = params.plan or (ranked[0] if city and len(ranked) == 1 else None)
    return View(params.month.end, Filters(plan=plan, year=params.year, city=city))


def as_of_line(month: Month) -> list:
    running = "（本月尚未结束）" if month.running else ""
    return [html.Div(f"数据截至{cn_date(month.end)}{running}"),
            html.Div(f"对比{cn_date(month.previous_end)}", className="review-aside-muted")]


def links(params: ReviewParams, city: str | None = None) -> dict[str, str]:
    """The rows behind each headline figure and list (LISTS' kinds), as of the review date."""
    view = view_of(params, city)
    return {"completed": view.href("/milestones", status="done_on_time,done_late"),
            "on_time": view.href("/milestones", status="done_on_time"), "all": view.href("/milestones"),
            "overdue": view.href("/overdue", status="overdue"),
            "due_soon": view.href("/overdue", status="due_soon"),
            "due_next": view.href("/milestones", status="due_soon,not_due"),
            "indicators": view.href("/indicators")}


def summary_slide(params: ReviewParams, kicker: str, now: dict, before: dict, lists: dict) -> html.Section:
    month, hrefs = params.month, links(params)
    counts = {k: v["count"] for k, v in lists.items()}
    month_tile = slides.tile("本月新完成", slides.count_value(f"{counts['completed']:,}个", "review-completed"),
                             f"本月新增逾期 {counts['overdue']:,} 个 · 下月到期 {counts['due_next']:,} 个",
                             None, hrefs["completed"])
    tiles = html.Div([*slides.headline_tiles(now, before, hrefs, soon_days()), month_tile],
                     className="review-tiles")
    note = (f"共 {now['items']:,} 项工作事项、{now['total']:,} 个工作节点；仅计入截至当日已报送的进度。"
            f"统计范围：{params.scope['label']}")
    behind = api.indicator_totals(month.end, Filters(plans=params.scope["ids"]))["binding_behind"]
    warning = html.Div(f"⚠ 约束性指标落后于进度：{behind} 项（见“指标变动”页与指标监测）", className="review-warning",
                       id="review-binding-behind") if behind else None
    return slides.slide("summary", kicker, "全省推进总体情况", [warning, tiles], aside=as_of_line(month), note=note)


LISTS = (  # kind, title, what an empty list says
    ("completed", "本月新完成", "本月没有新报送完成的节点"),
    ("overdue", "本月新增逾期", "本月没有新增逾期的节点"),
    ("due_next", "下月到期", "下月没有到期的未完成节点"),
)


def list_slides(params: ReviewParams, kicker: str, lists: dict) -> list:
    month, hrefs = params.month, links(params)
    notes = {"completed": f"{cn_date(month.first)}至{cn_date(month.end)}报送完成的节点（最新报送在前）",
             "overdue": f"{cn_date(month.previous_end)}及以后到期、截至{cn_date(month.end)}仍未完成的节点"
                        "（逾期天数多的在前）",
             "due_next": f"将于{cn_date(month.horizon)}前到期、尚未完成的节点（到期早的在前）"}
    return [slides.slide(kind, kicker, f"{title}（{lists[kind]['count']:,}项）",
                         slides.milestone_table(kind, lists[kind]["rows"], hrefs[kind], empty, lists[kind]["count"]),
                         aside=as_of_line(month), note=notes[kind])
            for kind, title, empty in LISTS]


def city_slide(month: Month, r: dict, cities: int) -> html.Section:
    """A city's slide as the deck first sends it (a row of city_ranking): its
    title and rank, its body to come (fill_city_slides)."""
    city = r["city"]
    rank = [html.Div(["第", html.B(str(r["rank"]), className="review-rank-big"), f"名 / {cities}"]),
            html.Div(["较上月 ", slides.rank_move(r["move"])], className="review-aside-muted")]
    return slides.slide(f"city-{city}", f"{month.label}月度推进会 · 截至{cn_date(month.end)}",
                        f"{city}市" if city else "省级",
                        [html.Div("正在载入……", className="review-empty review-pending")], aside=rank,
                        body_id={"type": "review-city", "city": city})


def city_body(params: ReviewParams, r: dict, shares: dict) -> list:
    """A city's figures with their change, and its share of the month's three lists."""
    city = r["city"]
    hrefs = links(params, city)
    columns = [slides.city_list(title, kind, shares[kind]["rows"], hrefs[kind], empty, shares[kind]["count"])
               for kind, title, empty in LISTS]
    tiles = html.Div(slides.headline_tiles(r["now"], r["before"], hrefs, soon_days(), f"review-{city}"),
                     className="review-tiles review-tiles-row")
    return [tiles, html.Div(columns, className="review-lists")]


@cache.memoize()
def city_bodies(params: ReviewParams) -> dict[str, bytes]:
    """Every city's slide body, as the JSON Dash sends (by city)."""
    month, plans = params.month, params.scope["ids"]
    digest = city_digest(month.previous_end, month.end, month.horizon, plans, slides.CITY_ROWS)
    none = {kind: {"count": 0, "rows": []} for kind in LIST_KINDS}
    return {r["city"]: encoded(city_body(params, r, digest.get(r["city"], none)))
            for r in city_ranking(month, plans)}


@callback(Output({"type": "review-city", "city": ALL}, "children"), Input("review-period", "data"))
def fill_city_slides(query):
    """The city slides' bodies for the deck's month and plans (read as the URL's are)."""
    if not isinstance(query, dict) or not all(isinstance(v, (str, type(None))) for v in query.values()):
        raise PreventUpdate
    params = read_params({k: query.get(k) for k in ("month", "plan", "year")})
    if params.problems:
        raise PreventUpdate
    bodies = city_bodies(params._replace(theme="dark", auto=0))  # (one cached set of bodies for every theme)
    return [as_sent(bodies.get(o["id"]["city"], b"[]")) for o in ctx.outputs_list]


def scope_choices() -> list[tuple[str, str]]:
    """The review's scopes (the select's value is the URL's query): the
    default, each plan year, each plan."""
    options = api.choices()
    return [("", "执行中的省级计划"), *[(urlencode({"year": y}), f"{y}年度计划") for y in options["years"]],
            *[(urlencode({"plan": p["value"]}), p["label"]) for p in options["plans"]]]


def scope_value(params: ReviewParams) -> str:
    return urlencode({"plan": params.plan} if params.plan else {"year": params.year} if params.year else {})


FILES = (  # id, label, path, format, what it is (outputs.web)
    ("review-bulletin", "通报（Word）", "/review/bulletin", None, "下载本月推进情况通报"),
    ("review-pptx", "演示文稿（PPT）", "/review/deck", None, "下载本月推进会演示文稿（PowerPoint，可编辑）"),
    ("review-pdf", "PDF", "/review/deck", "pdf", "下载本月推进会演示文稿（PDF）"),
)


def file_links(params: ReviewParams) -> list[html.A]:
    """The month-end files of this month and these plans, as downloads."""
    asked = [("month", params.month.period), ("plan", params.plan), ("year", params.year)]
    return [html.A(label, href=f"{path}?" + urlencode([(k, v) for k, v in (*asked, ("format", kind)) if v]),
                   className="review-btn review-btn-text", id=key, download="", title=what)
            for key, label, path, kind, what in FILES]


def deck(params: ReviewParams, deck_slides: list) -> html.Div:
    """The slides and the controls: counter, previous/next, auto-advance, month,
    theme, full screen, exit; data attributes for assets/review.js."""
    month = params.month
    today = clock.today()
    months = recent_periods(today, first_month(), limit=(today.year - first_month().year + 1) * 12)  # all
    other = "light" if params.theme == "dark" else "dark"
    switch = "?" + urlencode({k: v for k, v in (("month", month.period), ("plan", params.plan), ("year", params.year),
                                                 ("theme", other), ("auto", params.auto)) if v})
    problems = html.Div([*[html.Div("⚠ " + p) for p in params.problems],
                         html.Button("×", className="review-btn", title="关闭提示",
                                     **{"data-review-go": "dismiss", "aria-label": "关闭提示"})],
                        className="review-problems", id="review-problems", role="alert")
    controls = html.Div([
        html.Div(f"浙江省信用办 · {month.label}月度推进会 · 数据截至{cn_date(month.end)}", className="review-status"),
        html.Button("‹", className="review-btn", title="上一页（←）", **{"data-review-go": "prev",
                                                                        "aria-label": "上一页"}),
        html.Span(f"1 / {len(deck_slides)}", className="review-counter", id="review-counter", role="status"),
        html.Button("›", className="review-btn", title="下一页（→ 或空格）", **{"data-review-go": "next",
                                                                           "aria-label": "下一页"}),
        html.Label(["自动翻页", html.Select([html.Option("关闭" if s == 0 else f"{s}秒", value=str(s))
                                          for s in sorted({*AUTO_CHOICES, params.auto})],
                                         id="review-auto", **{"data-value": str(params.auto)})],
                   className="review-field"),
        html.Label(["月份", html.Select([html.Option(period_label(p), value=p) for p in months],
                                      id="review-month", **{"data-value": month.period})],
                   className="review-field"),
        html.Label(["范围", html.Select([html.Option(label, value=value) for value, label in scope_choices()],
                                      id="review-scope", **{"data-value": scope_value(params)})],
                   className="review-field"),
        html.A(THEMES[params.theme], href=switch, className="review-btn review-btn-text",
               id="review-theme", **{"data-review-theme": other}),
        *file_links(params),
        html.Button("全屏（F）", className="review-btn review-btn-text", **{"data-review-go": "fullscreen"}),
        dcc.Link("退出演示", href="/", className="review-btn review-btn-text", id="review-exit"),
    ], className="review-controls")
    asked = {"month": month.period, "plan": params.plan, "year": str(params.year) if params.year else None}
    return html.Div([problems if params.problems else None, html.Div(deck_slides, className="review-slides"),
                     controls, dcc.Store(id="review-period", data=asked)],
                    className=f"review-deck review-{params.theme}", id="review-deck",
                    **{"data-auto": str(params.auto), "data-month": month.period})
