"""The 月度推进会 deck as a PowerPoint file: the review page's slides (pages/review)
one for one — 总体情况, the city ranking (a native table and a native bar
chart), the month's three lists, the indicators that moved, one slide per
city — at 16:9, every table and chart native (editable in PowerPoint and
WPS), the month, the review date and the plans reviewed on every slide.

The figures are the bulletin's (outputs.bulletin.figures: the review's own
functions), the city slides' lists queries.review.city_digest's, so the deck,
the bulletin and the page agree for the same month and plans.  Fonts: 黑体
for titles, 微软雅黑 for the rest, each marked as a GB2312 font (charset
-122) so that a machine without it substitutes a Chinese font, not boxes."""
from __future__ import annotations

import io
from copy import deepcopy
from functools import cache

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import _Run
from pptx.util import Inches, Pt

from components.format import cn_date, share
from components.indicators import actual_text
from components.slides import item_label
from components.status import pct, pending_note, status_text
from outputs.bulletin import Figures
from queries import api
from queries.review import LIST_KINDS, city_digest, moved_indicator_ids
from queries.status import Filters
from store.models import PROGRESS_STATES

WIDTH, HEIGHT = 13.333, 7.5  # inches: 16:9
MARGIN = 0.5
BODY_TOP, BODY_BOTTOM = 1.85, 6.85
TITLE_FONT, TEXT_FONT = "黑体", "微软雅黑"
PROVINCE_ROWS, CITY_ROWS = 8, 4  # as on the page (components.slides)
ROW = 0.4  # a table row's height (inches), lower when more rows than fit

BLUE, INK, GREY, LINE = RGBColor(0x1F, 0x4E, 0x79), RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x59, 0x59, 0x59), \
    RGBColor(0xBF, 0xBF, 0xBF)
RED, GREEN, AMBER, PALE = RGBColor(0xC0, 0x00, 0x00), RGBColor(0x2E, 0x7D, 0x32), RGBColor(0x9C, 0x57, 0x00), \
    RGBColor(0xF2, 0xF5, 0xF9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)

LISTS = (  # kind, title, what an empty list says, its columns after 地市 / 工作事项 / 工作节点
    ("completed", "本月新完成", "本月没有新报送完成的节点", ("完成日期", "状态")),
    ("overdue", "本月新增逾期", "本月没有新增逾期的节点", ("节点时限", "逾期天数", "牵头部门")),
    ("due_next", "下月到期", "下月没有到期的未完成节点", ("节点时限", "最新进展", "牵头部门")),
)


def deck_pptx(f: Figures, soon_days: int) -> bytes:
    """The deck for the bulletin's figures ``f`` (临期: due within ``soon_days``)."""
    deck = Deck(f)
    deck.summary(soon_days)
    deck.ranking()
    for kind, heading, empty, extra in LISTS:
        deck.milestone_list(kind, heading, empty, extra)
    deck.indicators()
    plans = tuple(f.plans)
    digest = city_digest(f.month.previous_end, f.month.end, f.month.horizon, plans, CITY_ROWS)
    none = {kind: {"count": 0, "rows": []} for kind in LIST_KINDS}
    for r in f.ranking:
        deck.city(r, digest.get(r["city"], none), soon_days)
    return deck.saved()


def file_name(f: Figures) -> str:
    return f"{f.month.label}信用应用场景月度推进会.pptx"


class Deck:
    """A presentation being written: each method adds one slide."""

    def __init__(self, f: Figures):
        self.f = f
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.kicker = f"{f.month.label}月度推进会"
        running = "（本月尚未结束）" if f.month.running else ""
        self.as_of = f"数据截至{cn_date(f.month.end)}{running}"

    def saved(self) -> bytes:
        total = len(self.prs.slides)
        for n, slide in enumerate(self.prs.slides, start=1):  # (the page numbers, once all are there)
            text(slide, f"{n} / {total}", WIDTH - MARGIN - 1.2, HEIGHT - 0.5, 1.2, 0.35, 11, GREY, align=PP_ALIGN.RIGHT)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    def slide(self, title: str, note: str = "", aside: str | None = None):
        """A blank slide with the deck's frame: a band, the kicker, the title, a
        note under it, the review date (or ``aside``) on the right, and the
        footer naming the office, the month and the plans reviewed."""
        s = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(WIDTH), Inches(0.14))
        band.fill.solid()
        band.fill.fore_color.rgb = BLUE
        band.line.fill.background()
        flat(band)
        text(s, self.kicker, MARGIN, 0.3, 8.5, 0.4, 14, GREY)
        text(s, title, MARGIN, 0.68, 8.8, 0.7, 28, BLUE, bold=True, font=TITLE_FONT)
        if note:
            text(s, note, MARGIN, 1.32, WIDTH - 2 * MARGIN, 0.45, 12, GREY)
        text(s, aside or self.as_of, WIDTH - MARGIN - 3.8, 0.36, 3.8, 0.9, 14, INK, align=PP_ALIGN.RIGHT)
        rule = s.shapes.add_connector(1, Inches(MARGIN), Inches(HEIGHT - 0.55), Inches(WIDTH - MARGIN),
                                      Inches(HEIGHT - 0.55))
        rule.line.color.rgb = LINE
        flat(rule)
        text(s, fit(f"浙江省信用办 · {self.kicker} · {self.as_of} · 统计范围：{self.f.scope_label}", 10.5, 11, 1),
             MARGIN, HEIGHT - 0.5, 10.8, 0.35, 11, GREY)
        return s

    def summary(self, soon_days: int) -> None:
        f = self.f
        p, b = f.province, f.before
        s = self.slide("全省推进总体情况", f"共 {p['items']:,} 项工作事项、{p['total']:,} 个工作节点；"
                                   f"仅计入截至当日已报送并审核通过的进度。统计范围：{f.scope_label}")
        counts = {k: v["count"] for k, v in f.lists.items()}
        month_tile = ("本月新完成", f"{counts['completed']:,}个", "",
                      f"本月新增逾期 {counts['overdue']:,} 个 · 下月到期 {counts['due_next']:,} 个", None, INK)
        grid(s, [*headline_tiles(p, b, soon_days), month_tile], columns=3, top=BODY_TOP + 0.2, height=2.1, value_size=44)
        behind = api.indicator_totals(f.month.end, Filters(plans=f.plans))["binding_behind"]
        if behind:  # (as the review page's first slide warns)
            text(s, f"⚠ 约束性指标落后于进度：{behind} 项（见“指标变动”页与指标监测）", MARGIN, BODY_TOP - 0.2,
                 WIDTH - 2 * MARGIN, 0.35, 14, AMBER, bold=True)

    def ranking(self) -> None:
        f = self.f
        s = self.slide("各地市进度完成率排名", f"按进度完成率从高到低；相同时逾期天数少者在前。排名范围：{f.scope_label}")
        rows = [[str(r["rank"]), move_text(r["move"]), r["city"] or "省级",
                 pct(r["now"]["done_due"], r["now"]["due_by"]), share(r["now"]["on_time_rate"]),
                 f"{r['now']['overdue']:,}个 · {r['now']['overdue_days']:,}天"] for r in f.ranking]
        size = 14 if len(rows) <= 11 else 11  # (11 cities; 省级 items and a 12th row: smaller)
        table(s, ["排名", "较上月", "地市", "进度完成率（完成/到期）", "按时完成率", "逾期未完成"], rows,
              (0.8, 1.0, 1.0, 2.7, 1.4, 1.8), MARGIN, BODY_TOP, size,
              colour=lambda row, col: RED if col == 5 and f.ranking[row]["now"]["overdue"] else
              (GREEN if col == 1 and (f.ranking[row]["move"] or 0) > 0 else
               RED if col == 1 and (f.ranking[row]["move"] or 0) < 0 else None))
        rated = [r for r in f.ranking if r["city"]]
        if rated:
            data = CategoryChartData()
            data.categories = [r["city"] for r in reversed(rated)]  # (a bar chart draws its first category lowest)
            data.add_series("进度完成率", [r["now"]["progress_rate"] or 0 for r in reversed(rated)], "0.0%")
            data.add_series("按时完成率", [r["now"]["on_time_rate"] or 0 for r in reversed(rated)], "0.0%")
            bar_chart(s, data, MARGIN + 8.9, BODY_TOP - 0.1, WIDTH - 2 * MARGIN - 8.9, BODY_BOTTOM - BODY_TOP + 0.1)

    def milestone_list(self, kind: str, heading: str, empty: str, extra: tuple[str, ...]) -> None:
        f, month = self.f, self.f.month
        notes = {"completed": f"{cn_date(month.first)}至{cn_date(month.end)}报送完成的节点（最新报送在前）",
                 "overdue": f"{cn_date(month.previous_end)}及以后到期、截至{cn_date(month.end)}仍未完成的节点"
                            "（逾期天数多的在前）",
                 "due_next": f"将于{cn_date(month.horizon)}前到期、尚未完成的节点（到期早的在前）"}
        listed = f.lists[kind]
        s = self.slide(f"{heading}（{listed['count']:,}项）", notes[kind])
        if not listed["count"]:
            text(s, empty, MARGIN, BODY_TOP + 1.5, WIDTH - 2 * MARGIN, 0.8, 24, GREY, align=PP_ALIGN.CENTER)
            return
        widths = {"completed": (0.9, 3.4, 5.0, 1.5, 1.53), "overdue": (0.9, 3.0, 4.4, 1.5, 1.1, 1.43),
                  "due_next": (0.9, 3.0, 4.4, 1.5, 1.1, 1.43)}[kind]
        shown = listed["rows"][:PROVINCE_ROWS]
        rows = [[r["city"] or "省级", fit(item_label(r), widths[1], 13, 2), fit(r["milestone"], widths[2], 13, 2),
                 *cells(kind, r, widths[-1])] for r in shown]
        table(s, ["地市", "工作事项", "工作节点", *extra], rows, widths, MARGIN, BODY_TOP, 13,
              colour=lambda row, col: RED if kind == "overdue" and col == 4 else None)
        more(s, listed["count"] - len(shown))

    def indicators(self) -> None:
        f = self.f
        total = len(moved_indicator_ids(f.month.previous_end, f.month.end, tuple(f.plans)))
        s = self.slide("指标变动：本月报送新实际值的指标", "实际值（数据日期）与达成度：上月末已知的 → 本月末已知的")
        if not total:
            text(s, "本月没有报送新的指标实际值", MARGIN, BODY_TOP + 1.5, WIDTH - 2 * MARGIN, 0.8, 24, GREY,
                 align=PP_ALIGN.CENTER)
            return
        shown = f.indicators[:PROVINCE_ROWS]
        rows = [[fit(i["name"], 4.4, 13, 2), i["city"] or "全省", actual(i["before"]), actual(i),
                 f"{share(i['before']['attainment'] if i['before'] else None)} → {share(i['attainment'])}"]
                for i in shown]
        table(s, ["指标", "范围", "上月末实际值", "本月末实际值", "达成度变化"], rows,
              (4.4, 1.0, 2.5, 2.5, 1.93), MARGIN, BODY_TOP, 13)
        more(s, total - len(shown))

    def city(self, r: dict, shares: dict, soon_days: int) -> None:
        city = r["city"] or "省级"
        rank = f"第 {r['rank']} 名 / {len(self.f.ranking)}　较上月 {move_text(r['move'])}"
        s = self.slide(f"{city}市" if r["city"] else city, aside=f"{rank}\n{self.as_of}")
        grid(s, headline_tiles(r["now"], r["before"], soon_days), columns=5, top=BODY_TOP - 0.3, height=1.75, value_size=30)
        column = (WIDTH - 2 * MARGIN - 0.4) / 3
        for n, (kind, heading, empty, _) in enumerate(LISTS):
            city_list(s, heading, kind, shares[kind], empty, MARGIN + n * (column + 0.2), BODY_TOP + 1.7, column)


def headline_tiles(now: dict, before: dict | None, soon_days: int) -> list[tuple]:
    """The review's five headline figures (components.slides.headline_tiles), as
    (label, value, counts, note, change, colour) for a tile."""
    def rate(label, num, den, key, note):
        value, _, counts = pct(now[num], now[den]).partition("（")
        return label, value, "（" + counts, note, change(now[key], before and before[key], "个百分点", points=True), INK

    return [
        rate("进度完成率", "done_due", "due_by", "progress_rate", "已到期节点中已完成的比例"),
        rate("按时完成率", "on_time_due", "due_by", "on_time_rate", "已到期节点中按时完成的比例"),
        rate("总体完成率", "done", "total", "overall_rate", pending_note(now, "全部节点中已完成的比例")),
        ("逾期未完成", f"{now['overdue']:,}个", "", f"累计逾期 {now['overdue_days']:,} 天",
         change(now["overdue"], before and before["overdue"], "个", better="down"), RED if now["overdue"] else INK),
        (f"临期（{soon_days}天内到期）", f"{now['due_soon']:,}个", "", "尚未完成、即将到期",
         change(now["due_soon"], before and before["due_soon"], "个", better="down"),
         AMBER if now["due_soon"] else INK),
    ]


def change(now, before, unit: str, better: str = "up", points: bool = False) -> tuple[str, RGBColor] | None:
    """('较上月末 ▲ +2.3个百分点', green) — as components.slides.change says it."""
    if now is None or before is None:
        return "较上月末 —", GREY
    diff = round((now - before) * 100, 1) if points else now - before
    if not diff:
        return "较上月末 持平", GREY
    good = (diff > 0) == (better == "up")
    number = f"{abs(diff):,.1f}".rstrip("0").rstrip(".") if points else f"{abs(diff):,}"
    return f"较上月末 {'▲ +' if diff > 0 else '▼ −'}{number}{unit}", GREEN if good else RED


def move_text(move: int | None) -> str:
    return "—" if move is None else "持平" if not move else f"{'▲' if move > 0 else '▼'}{abs(move)}"


def cells(kind: str, r: dict, lead_width: float) -> list[str]:
    """The cells after 地市 / 工作事项 / 工作节点 (components.slides.milestone_cells)."""
    lead = fit("、".join(r["lead"]) or "—", lead_width, 13, 2)
    if kind == "completed":
        return [r["completed_on"] or "—", status_text(r["status"])]
    if kind == "overdue":
        return [r["due"] or "—", f"{r['days_overdue']:,}天", lead]
    return [r["due"] or "—", PROGRESS_STATES.get(r["state"], "未报送"), lead]


def actual(i: dict | None) -> str:
    """The actual known then (as the review's table reads it) and its data date."""
    if not i or not i["latest_on"]:
        return "—"
    return f"{actual_text(i)}（{i['latest_on']}）"


def fit(value: str, inches: float, size: float, lines: int) -> str:
    """``value`` cut to what ``lines`` lines of ``inches`` hold at ``size``
    points (a Chinese character is about as wide as its size; Latin half),
    with '…': a table row's height is then known, so a slide never overflows."""
    room = (inches - 0.25) * 72 / size * lines * 0.9  # in character widths, less the cell's margins and some slack
    widths = [1 if ord(ch) > 0x2E7F else 0.55 for ch in value]
    if sum(widths) <= room:
        return value
    used = 0.0
    for n, width in enumerate(widths):
        used += width
        if used > room - 1:  # (room for the '…')
            return value[:n] + "…"
    return value


def east_asian(run, font: str) -> None:
    """Name ``font`` for the run's Chinese text, marked GB2312 (charset -122):
    a renderer without it substitutes a Chinese font."""
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": font, "charset": "-122", "pitchFamily": "2"})
    latin = rpr.find(qn("a:latin"))
    if latin is not None:
        latin.addnext(ea)
    else:
        rpr.append(ea)


def style(run, size: float, colour: RGBColor, bold: bool = False, font: str = TEXT_FONT) -> None:
    run._r.replace(run._r.get_or_add_rPr(), deepcopy(run_properties(size, colour, bold, font)))


@cache
def run_properties(size: float, colour: RGBColor, bold: bool, font: str):
    """The properties (a:rPr) of a run in this style, made once: a deck has a
    thousand runs in a dozen styles, and python-pptx sets each property one
    element at a time (half a second a deck); a run takes a copy."""
    run = _Run(parse_xml(f"<a:r {nsdecls('a')}><a:t/></a:r>"), None)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    run.font.name = "Arial"
    run.font.language_id = MSO_LANGUAGE_ID.SIMPLIFIED_CHINESE  # (a renderer's choice of glyphs)
    east_asian(run, font)
    return run._r.rPr


def add(p, value: str, size: float, colour: RGBColor, bold: bool = False, font: str = TEXT_FONT) -> None:
    """A run of ``value`` at the end of paragraph ``p``."""
    run = p.add_run()
    run.text = value
    style(run, size, colour, bold, font)


def text(s, value: str, x, y, w, h, size, colour, *, bold=False, font=TEXT_FONT, align=None):
    """A text box; each line of ``value`` a paragraph."""
    box = s.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for n, line in enumerate(value.split("\n")):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        if align is not None:
            p.alignment = align
        add(p, line, size, colour, bold, font)
    return box


def flat(shape) -> None:
    """No shadow: python-pptx's shapes take the theme's effect style, a blurred
    shadow, which LibreOffice keeps even when the shape says none (and takes
    half a second to draw into the deck's PDF)."""
    ref = shape._element.find(f"{qn('p:style')}/{qn('a:effectRef')}")
    if ref is not None:
        ref.set("idx", "0")


def grid(s, tiles: list[tuple], columns: int, top: float, height: float, value_size: float) -> None:
    """Headline tiles in rows of ``columns``."""
    gap = 0.2
    width = (WIDTH - 2 * MARGIN - gap * (columns - 1)) / columns
    small = columns > 3  # (a city's five in a row)
    for n, (label, value, counts, note, delta, colour) in enumerate(tiles):
        x, y = MARGIN + (n % columns) * (width + gap), top + (n // columns) * (height + gap)
        box = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(width), Inches(height))
        box.fill.solid()
        box.fill.fore_color.rgb = PALE
        box.line.color.rgb = LINE
        flat(box)
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = Inches(0.15)
        frame.margin_top = Inches(0.1)
        label_size, small_size, note_size, delta_size = (12, 12, 11, 11) if small else (18, 16, 14, 16)
        lines = [[(label, label_size, GREY, False)],
                 [(value, value_size, colour, True), *([] if small else [(counts, small_size, GREY, False)])],
                 *([[(counts, small_size, GREY, False)]] if small and counts else []),
                 [(fit(note, width - 0.3, note_size, 1 if small else 2), note_size, GREY, False)]]
        if delta:
            lines.append([(delta[0].replace("较上月末 ", "较上月 ") if small else delta[0], delta_size, delta[1], True)])
        for i, parts in enumerate(lines):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.alignment = PP_ALIGN.LEFT
            for value_text, size, tone, bold in parts:
                if value_text:
                    add(p, value_text, size, tone, bold)


def table(s, header: list[str], rows: list[list[str]], widths: tuple[float, ...], x: float, y: float,
          size: float, colour=None) -> None:
    """A native table: the header on blue, rows banded; ``colour(row, col)``
    may colour a cell's text (red overdue, green gains)."""
    height = min(ROW, (BODY_BOTTOM - y) / (len(rows) + 1))  # (many rows: lower ones, above the footer)
    shape = s.shapes.add_table(len(rows) + 1, len(header), Inches(x), Inches(y), Inches(sum(widths)),
                               Inches(height * (len(rows) + 1)))
    grid_ = shape.table
    for column, w in zip(grid_.columns, widths):
        column.width = Inches(w)
    for r, values in enumerate([header, *rows]):
        grid_.rows[r].height = Inches(height)
        for c, value in enumerate(values):
            cell = grid_.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = BLUE if r == 0 else (PALE if r % 2 == 0 else WHITE)
            tone = WHITE if r == 0 else (colour and colour(r - 1, c)) or INK
            add(cell.text_frame.paragraphs[0], str(value), size, tone, r == 0, TITLE_FONT if r == 0 else TEXT_FONT)


def bar_chart(s, data: CategoryChartData, x: float, y: float, w: float, h: float) -> None:
    """A native clustered bar chart of rates (0–100%), labelled, legend at the top."""
    chart = s.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(x), Inches(y), Inches(w), Inches(h), data).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(12)
    value_axis = chart.value_axis
    value_axis.minimum_scale, value_axis.maximum_scale, value_axis.major_unit = 0, 1, 0.25
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.font.size = Pt(10)
    value_axis.tick_labels.number_format, value_axis.tick_labels.number_format_is_linked = "0%", False
    value_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    chart.category_axis.tick_labels.font.size = Pt(12)
    for series, tone in zip(chart.plots[0].series, (BLUE, RGBColor(0x8F, 0xAA, 0xDC))):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = tone
    chart.plots[0].gap_width = 60
    for run_holder in (chart.legend.font, chart.category_axis.tick_labels.font, value_axis.tick_labels.font):
        run_holder.name = TEXT_FONT


def more(s, hidden: int) -> None:
    if hidden > 0:
        text(s, f"另有 {hidden:,} 项，见监测平台", MARGIN, BODY_BOTTOM - 0.3, WIDTH - 2 * MARGIN, 0.35, 13, BLUE,
             align=PP_ALIGN.RIGHT)


def city_list(s, heading: str, kind: str, share_: dict, empty: str, x: float, y: float, w: float) -> None:
    """A city slide's column: the list's title and count, its first CITY_ROWS entries."""
    frame = text(s, heading, x, y, w, BODY_BOTTOM - y, 18, BLUE, bold=True, font=TITLE_FONT).text_frame
    add(frame.paragraphs[0], f"  {share_['count']:,}项", 14, GREY)
    if not share_["count"]:
        add(frame.add_paragraph(), empty, 13, GREY)
        return
    for r in share_["rows"][:CITY_ROWS]:
        first = frame.add_paragraph()
        first.space_before = Pt(6)
        fact = (f"  {status_text(r['status'])} {r['completed_on']}" if kind == "completed" else
                f"  逾期{r['days_overdue'] or 0:,}天" if kind == "overdue" else f"  {r['due']}到期")
        add(first, fit(item_label(r), w - 2.3, 13, 1), 13, INK, bold=True)
        add(first, fact, 13, RED if kind == "overdue" else GREY)
        add(frame.add_paragraph(), fit(r["milestone"], w, 12, 2), 12, GREY)
    hidden = share_["count"] - min(len(share_["rows"]), CITY_ROWS)
    if hidden > 0:
        p = frame.add_paragraph()
        p.space_before = Pt(6)
        add(p, f"另有 {hidden:,} 项", 13, BLUE)
