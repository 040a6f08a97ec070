"""年度考核: each city's score for a year (DESIGN §7) — every component with its
raw figure and points, the deduction for overdue milestones, the bonus items,
total and rank — with the rules shown, a drill-down from each number to what
lies behind it, and the published (frozen) results of every year.

The admin edits the rules, records bonus items and publishes a year's result;
each of these callbacks re-reads the logged-in account on the server
(store.assessment refuses anyone else), whatever the page showed.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from accounts import current_account
from components.actions import clicked
from components.cards import card_row, kpi_card
from components.filters import View, control_bar, read_as_of
from components.format import cn_date
from components.grid import data_grid, export_filename, link_column
from components.indicators import indicator_grid
from components.scorecard import (
    breakdown_rows,
    rules_rows,
    score_figure,
    scorecard_workbook,
    summary_rows,
    workbook_name,
)
from components.status import STATUS_CELL_CLASSES, status_text
from metrics.scoring import COMPONENTS, RULE_LABELS
from queries import api
from queries import assessment as data
from queries.cache import invalidate
from queries.status import DONE
from reporting.entries import whole_number
from store import clock, session_scope
from store.assessment import AssessmentError, add_bonus, publish, require_admin, save_rules, withdraw_bonus

dash.register_page(__name__, path="/assessment", name="年度考核", order=20,
                   title="年度考核 · 信用应用场景推进监测平台")


def read_context(query: dict) -> dict:
    """Year, assessment date, published result and city from the URL, each checked."""
    years = data.years()
    problems = []
    year = whole_number(query.get("year"), 10_000)
    year = year if year in years else None
    if query.get("year") and year is None:
        problems.append(f"没有“{query['year']}”年度的计划，已显示最近的年度")
    year = year or (years[0] if years else clock.today().year)
    results = [r for r in data.published() if r["year"] == year]
    result = next((r for r in results if str(r["result_id"]) == str(query.get("result") or "")), None)
    if query.get("result") and result is None:
        problems.append("未找到该已发布结果，已显示按当前规则计算的结果")
    as_of = data.default_date(year, data.latest_report(year))
    if result:
        as_of = date.fromisoformat(result["as_of"])
    else:
        as_of = read_as_of(query.get("as_of"), as_of, problems)
    city = query.get("city") if query.get("city") in api.choices()["cities"] else None
    return {"year": year, "as_of": as_of.isoformat(), "result_id": result["result_id"] if result else None,
            "city": city, "problems": problems}


def card_of(ctx: dict) -> dict:
    return data.shown(ctx["year"], date.fromisoformat(ctx["as_of"]), ctx["result_id"])


def layout(**query):
    ctx = read_context(query)
    return html.Div([
        html.Div([html.H3("年度考核", className="page-title mb-0"),
                  html.Div(f"{ctx['year']}年度计划 · 考核截至{cn_date(ctx['as_of'])}", className="text-muted",
                           id="as-of-title")], className="mb-3"),
        controls(ctx),
        dcc.Store(id="assessment-context", data={k: v for k, v in ctx.items() if k != "problems"}),
        html.Div(id="assessment-message"),
        dcc.Loading(html.Div(body(ctx), id="assessment-body"), type="dot"),
        admin_section(ctx),
    ])


def admin_section(ctx: dict):
    """The admin's actions (rules, bonus items, publishing): outside the parts
    that a write redraws, so that a redraw never recreates a button (and never
    fires its action again: components.actions)."""
    if not is_admin() or ctx["result_id"]:
        return None
    with session_scope() as s:
        rules = data.rules_in_force(s)[0].as_dict()
    return html.Div([rules_form(rules), bonus_card(ctx), publish_card(ctx)], id="assessment-admin")


def controls(ctx: dict) -> html.Div:
    results = [{"value": "", "label": "按当前规则计算（未发布）"}] + [
        {"value": str(r["result_id"]), "label": f"已发布：{r['published_at']}（{r['published_by']}）"
                                                + ("" if r["current"] else "，已被替代")}
        for r in data.published() if r["year"] == ctx["year"]]
    fields = [
        ("考核年度", dcc.Dropdown([{"value": str(y), "label": f"{y}年度"} for y in data.years()], str(ctx["year"]),
                              clearable=False, id={"type": "filter", "name": "year"}), 2),
        ("考核截至日期", dcc.Input(type="date", value=ctx["as_of"], disabled=bool(ctx["result_id"]),
                                id={"type": "filter", "name": "as_of"}, className="form-control"), 2),
        ("考核结果", dcc.Dropdown(results, str(ctx["result_id"] or ""), clearable=False,
                              id={"type": "filter", "name": "result"}), 4),
    ]
    bar = control_bar(fields, {"year": str(ctx["year"]), "as_of": ctx["as_of"], "result": str(ctx["result_id"] or "")})
    return html.Div([bar, *[dbc.Alert(p, color="warning", className="py-2") for p in ctx["problems"]]])


def href(ctx: dict, path: str, **params) -> str:
    """A link to the rows behind a figure: the year, the date and ``params`` in
    the URL (for a city, the year's plan by name when it has one only)."""
    plan = data.the_plan(ctx["year"]) if params.get("city") else None
    query = {"year": ctx["year"], "plan": plan, "as_of": ctx["as_of"], **params}
    return f"{path}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


def body(ctx: dict) -> list:
    card = card_of(ctx)
    cities = card["cities"]
    if not cities:
        return [dbc.Alert(f"{ctx['year']}年度没有可考核的工作节点。", color="light", className="border")]
    return [
        status_banner(card),
        card_row(headline_cards(ctx, cities)),
        dbc.Card(dbc.CardBody(dcc.Graph(id="assessment-chart", figure=score_figure(cities),
                                        config={"displaylogo": False})), className="mb-3"),
        html.Div([html.H5("各地市得分", className="mb-0 me-auto"),
                  dbc.Button("导出考核结果（Excel，含各地市明细）", id="assessment-export", size="sm", color="primary",
                             outline=True), dcc.Download(id="assessment-download")],
                 className="d-flex align-items-center mb-2"),
        html.Div("点击地市查看得分明细；点击逾期扣分查看逾期节点。未到期、长期推进的节点不计入比率。",
                 className="small text-muted mb-2"),
        data_grid("assessment", summary_rows(cities, card["rules"]), summary_columns(ctx),
                  title=f"{ctx['year']}年度考核得分（截至{cn_date(ctx['as_of'])}）",
                  filename=export_filename(f"{ctx['year']}年度考核得分", date.fromisoformat(ctx["as_of"]))),
        breakdown(ctx, card) if ctx["city"] else None,
        rules_card(card),
        published_section(),
    ]


def status_banner(card: dict) -> dbc.Alert:
    result = card["result"]
    if result:
        text = (f"已发布的考核结果：{result['published_by']} 于 {result['published_at']} 发布"
                + ("" if result["current"] else "（已被后来发布的结果替代）")
                + "。结果连同所用规则一并保存，此后修改规则不影响本结果。" + (f"说明：{result['note']}" if result["note"] else ""))
        return dbc.Alert(text, color="primary", className="py-2", id="assessment-status")
    set_by = card["rules_set"]
    rules = f"规则由 {set_by['by']} 于 {set_by['at']} 修改" if set_by else "使用默认规则"
    return dbc.Alert(f"按当前规则计算，尚未发布（{rules}）。", color="light", className="border py-2",
                     id="assessment-status")


def headline_cards(ctx: dict, cities: list[dict]) -> list:
    best = cities[0]
    mean = sum(b["total"] for b in cities) / len(cities)
    overdue = sum(b["overdue"] for b in cities)
    return [
        kpi_card("第一名", f"{best['city']} {best['total']:.2f}分", href(ctx, "/assessment", city=best["city"],
                 result=ctx["result_id"]), card_id="assessment-first"),
        kpi_card("平均分", f"{mean:.2f}分", None, card_id="assessment-mean", note=f"{len(cities)}个地市参加考核"),
        kpi_card("最低分", f"{cities[-1]['city']} {cities[-1]['total']:.2f}分",
                 href(ctx, "/assessment", city=cities[-1]["city"], result=ctx["result_id"]),
                 card_id="assessment-last"),
        kpi_card("逾期未完成节点", f"{overdue}个", href(ctx, "/overdue", status="overdue"), card_id="assessment-overdue",
                 note="扣分依据"),
    ]


def summary_columns(ctx: dict) -> list[dict]:
    city_link = href(ctx, "/assessment", result=ctx["result_id"]) + "&city={city}"
    overdue_link = href(ctx, "/overdue", status="overdue") + "&city={city}"
    columns = [{"field": "rank", "headerName": "排名", "width": 80, "pinned": "left"},
               link_column("city", "地市", city_link, width=85, pinned="left"),
               {"field": "total", "headerName": "总分", "width": 90, "type": "numericColumn", "pinned": "left",
                "cellStyle": {"fontWeight": "700"}}]
    for key, label in COMPONENTS.items():
        columns += [{"field": key, "headerName": label, "width": 140},
                    {"field": f"{key}_points", "headerName": "得分", "width": 85, "type": "numericColumn"}]
    return columns + [
        link_column("deduction_text", "逾期扣分", overdue_link, width=140),
        {"field": "bonus", "headerName": "加分", "width": 80, "type": "numericColumn"},
        {"field": "overdue_days", "headerName": "逾期天数", "width": 100, "type": "numericColumn"},
        {"field": "note", "headerName": "说明", "flex": 1, "minWidth": 200},
    ]


def breakdown(ctx: dict, card: dict) -> html.Div:
    """One city's score line by line, and the milestones, indicators and reports behind it."""
    city = ctx["city"]
    b = next((c for c in card["cities"] if c["city"] == city), None)
    if b is None:
        return dbc.Alert(f"{city}市在{ctx['year']}年度没有考核内容。", color="light", className="border",
                         id="breakdown")
    as_of = date.fromisoformat(ctx["as_of"])
    with session_scope() as s:
        filters = data.year_filters(s, ctx["year"], city)
        kept = data.kept_milestones(s, ctx["year"], as_of, city)
    lines = breakdown_rows(b, card["rules"])
    links = {"按时完成率": href(ctx, "/milestones", city=city, status="done_on_time"),
             "进度完成率": href(ctx, "/milestones", city=city, status="done_on_time,done_late"),
             "指标达成度": "#breakdown-indicators", "报送及时率": "#breakdown-reports",
             "逾期扣分": href(ctx, "/overdue", city=city, status="overdue")}
    lines = [{**line, "link": links.get(line["part"], ""), "link_text": "查看明细" if line["part"] in links else ""}
             for line in lines]
    stem = f"{city}市_{ctx['year']}年度考核"
    milestones = [assessed_milestone(m, kept.get(m["milestone_id"]), as_of) for m in api.status_table(as_of, filters)]
    reports = [{**r, "on_time_text": "按时" if r["on_time"] else ("逾期报送" if r["submitted_at"] else "未报送")}
               for r in data.reports(ctx["year"], as_of).get(city, [])]
    indicators = [i for i in api.indicator_table(as_of, filters) if data.assessed(i)]
    return html.Div([
        html.H5(f"{city}市得分明细（第{b['rank']}名，{b['total']:.2f}分）", className="mt-4", id="breakdown"),
        data_grid("breakdown", lines, BREAKDOWN_COLUMNS, title=f"{city}市{ctx['year']}年度考核得分明细",
                  filename=export_filename(f"{stem}得分明细", as_of)),
        html.H6("计入考核的工作节点", id="breakdown-milestones"),
        data_grid("breakdown-milestones", milestones, MILESTONE_COLUMNS, official=True,
                  title=f"{city}市{ctx['year']}年度考核工作节点（截至{cn_date(as_of)}）",
                  filename=export_filename(f"{stem}_工作节点", as_of)),
        html.H6("计入考核的指标（未报送实际值的按0计）", id="breakdown-indicators"),
        indicator_grid("breakdown-indicators", indicators, View(as_of, filters), f"{city}市{ctx['year']}年度考核指标",
                       f"{stem}_指标"),
        html.H6("月度报送（截止日前报送为按时）", id="breakdown-reports"),
        data_grid("breakdown-reports", reports, REPORT_COLUMNS, title=f"{city}市{ctx['year']}年度月度报送情况",
                  filename=export_filename(f"{stem}_月度报送", as_of), empty="截至考核日没有应报送的月份"),
    ])


def assessed_milestone(m: dict, kept: dict | None, as_of: date) -> dict:
    """A milestone as the score counts it: as the pages show it, or — for a
    change marked 不影响考核 — on its original plan, saying so."""
    if kept is not None:
        m = {**m, "due": kept["due"], "status": kept["status"], "days_overdue": kept["days_overdue"],
             "basis": kept["why"]}
    return {**m, "status_text": status_text(m["status"]), "counted": counted(m, as_of)}


def counted(m: dict, as_of: date) -> str:
    """How a milestone counts in the rates: due by the date (in the denominators) or not."""
    if m["status"] == "open":
        return "不计入（无明确时限或已取消）"
    if m["due"] and date.fromisoformat(m["due"]) <= as_of:
        return "计入（已到期，" + ("已完成）" if m["status"] in DONE else
                                "已报完成但未审核通过，按未完成计）" if m["status"] == "pending" else "未完成）")
    return "不计入（未到期）"


BREAKDOWN_COLUMNS = [
    {"field": "part", "headerName": "考核项目", "width": 120},
    {"field": "figure", "headerName": "原始数据", "flex": 1, "minWidth": 200},
    {"field": "weight", "headerName": "权重", "width": 80},
    {"field": "effective", "headerName": "折算权重", "width": 100},
    {"field": "points", "headerName": "得分", "width": 90, "type": "numericColumn"},
    {"field": "rule", "headerName": "计算方法", "flex": 1, "minWidth": 180},
    link_column("link_text", "明细", "{link}", raw=True, width=100),
]
MILESTONE_COLUMNS = [
    {"field": "item", "headerName": "场景/项目/任务", "width": 170, "tooltipField": "item"},
    {"field": "seq", "headerName": "节点", "width": 75},
    {"field": "milestone", "headerName": "工作计划（节点）", "flex": 1, "minWidth": 220},
    {"field": "due", "headerName": "节点时限", "width": 110},
    {"field": "status_text", "headerName": "状态", "width": 120, "cellClassRules": STATUS_CELL_CLASSES},
    {"field": "completed_on", "headerName": "实际完成", "width": 110},
    {"field": "days_overdue", "headerName": "逾期天数", "width": 100},
    {"field": "counted", "headerName": "是否计入比率", "width": 190},
    {"field": "basis", "headerName": "考核口径", "width": 220, "tooltipField": "basis"},
]
REPORT_COLUMNS = [
    {"field": "period", "headerName": "报送月份", "width": 110},
    {"field": "due_on", "headerName": "截止日期", "width": 120},
    {"field": "submitted_at", "headerName": "首次报送时间", "width": 160},
    {"field": "on_time_text", "headerName": "是否按时", "width": 110,
     "cellClassRules": {"rag-green": "params.data.on_time", "rag-red": "!params.data.on_time"}},
]


def rules_card(card: dict) -> dbc.Card:
    table = dbc.Table([html.Tbody([html.Tr([html.Td(r["rule"]), html.Td(r["value"], className="text-end")])
                                   for r in rules_rows(card["rules"])])], size="sm", className="mb-2",
                      id="rules-table")
    text = html.Div("总分 = Σ 权重 × 比率 − 逾期扣分 + 加分（0–100分）。某项无考核内容（如无指标）时不计分，其权重按比例"
                    "分配给其他各项；指标达成度为各指标达成度（封顶100%，未报送按0）的平均值；报送及时率 = 按时报送的月份 / "
                    "应报送的月份。同分时逾期天数少者在前。", className="small text-muted")
    return dbc.Card(dbc.CardBody([html.H5("考核规则与权重"), dbc.Row([dbc.Col(table, md=4), dbc.Col(text, md=8)])]),
                    className="mt-4", id="rules-card")


def rules_form(rules: dict) -> dbc.Card:
    inputs = [(f"weight-{k}", f"{label}权重", rules["weights"][k]) for k, label in COMPONENTS.items()]
    inputs += [(f"rule-{k}", label, rules[k]) for k, label in RULE_LABELS.items()]
    return dbc.Card(dbc.CardBody([
        html.H5("修改规则（管理员）"),
        dbc.Row([dbc.Col([dbc.Label(label, className="small text-muted mb-1", html_for=i),
                          dbc.Input(id=i, type="number", value=value, min=0, max=100, step="any")], md=True)
                 for i, label, value in inputs], className="g-2"),
        dbc.Button("保存规则", id="rules-save", color="primary", className="mt-2")]), className="mt-3",
        id="rules-form")


def bonus_card(ctx: dict) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H5(f"{ctx['year']}年度加分项（管理员）"),
        dbc.Row([
            dbc.Col([dbc.Label("地市", className="small text-muted mb-1"),
                     dcc.Dropdown(api.choices()["cities"], id="bonus-city", placeholder="选择地市")], md=2),
            dbc.Col([dbc.Label("加分", className="small text-muted mb-1", html_for="bonus-points"),
                     dbc.Input(id="bonus-points", type="number", min=0, max=100, step="any")], md=2),
            dbc.Col([dbc.Label("加分理由", className="small text-muted mb-1", html_for="bonus-reason"),
                     dbc.Input(id="bonus-reason", maxLength=500, placeholder="如：获评国家社会信用体系建设示范区")], md=6),
            dbc.Col(dbc.Button("记录加分", id="bonus-add", color="primary"), md=2),
        ], className="g-2 align-items-end mb-3"),
        html.Div(bonus_list(ctx["year"]), id="bonus-list"),
        dbc.Row([dbc.Col([dbc.Label("撤销加分项", className="small text-muted mb-1"),
                          dcc.Dropdown(withdraw_options(ctx["year"]), id="bonus-withdraw-id",
                                       placeholder="选择要撤销的加分项")], md=6),
                 dbc.Col(dbc.Button("撤销加分项", id="bonus-withdraw", color="danger", outline=True), md=2)],
                className="g-2"),
    ]), className="mt-3", id="bonus-card")


def bonus_list(year: int):
    return data_grid("bonus", data.bonuses(year), BONUS_COLUMNS, title=f"{year}年度考核加分项",
                     filename=export_filename(f"{year}年度考核加分项", clock.today()), empty="尚未记录加分项")


def withdraw_options(year: int) -> list[dict]:
    return [{"value": i["bonus_id"], "label": f"{i['city']} +{i['points']:g} {i['reason']}"}
            for i in data.bonuses(year) if not i["withdrawn"]]


BONUS_COLUMNS = [
    {"field": "city", "headerName": "地市", "width": 90},
    {"field": "points", "headerName": "加分", "width": 80},
    {"field": "reason", "headerName": "理由", "flex": 1, "minWidth": 220},
    {"field": "by", "headerName": "记录人", "width": 110},
    {"field": "at", "headerName": "记录时间", "width": 150},
    {"field": "withdrawn_text", "headerName": "状态", "width": 220},
]


def publish_card(ctx: dict) -> dbc.Card:
    """Publishing asks first, naming the year and the date it will be frozen at."""
    what = f"{ctx['year']}年度（考核截至{cn_date(ctx['as_of'])}）"
    return dbc.Card(dbc.CardBody([
        html.H5("发布考核结果（管理员）"),
        html.P(f"将按当前规则、截至{cn_date(ctx['as_of'])}计算的{ctx['year']}年度结果发布为正式考核结果。发布后的结果连同规则一并冻结，"
               "此后修改规则或数据不会改变它；再次发布将形成新的版本并替代前一版本（前一版本仍可查看）。",
               className="small text-muted"),
        dbc.Row([dbc.Col([dbc.Label("发布说明", html_for="publish-note", className="visually-hidden"),
                          dbc.Input(id="publish-note", maxLength=500, placeholder="说明（可选），如：经主任办公会审定")],
                         md=8),
                 dbc.Col(dbc.Button("发布为正式考核结果", id="publish-ask", color="danger"), md=4)], className="g-2"),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle("确认发布考核结果")),
            dbc.ModalBody([html.P(["确定将 ", html.Strong(what), " 的考核结果发布为正式结果吗？"], id="publish-what"),
                           html.P("发布后结果连同当前规则一并冻结；如已有该年度的发布结果，将被本次发布替代。",
                                  className="small text-muted mb-0")]),
            dbc.ModalFooter([dbc.Button("取消", id="publish-cancel", color="secondary", outline=True),
                             dbc.Button("确认发布", id="publish", color="danger")]),
        ], id="publish-confirm", is_open=False),
    ]), className="mt-3", id="publish-card")


def published_section() -> html.Div:
    results = data.published()
    if not results:
        return html.Div([html.H5("已发布的考核结果", className="mt-4"),
                         dbc.Alert("尚未发布任何年度的考核结果。", color="light", className="border", id="published-empty")])
    rows = [{**r, "state": "现行" if r["current"] else "已被替代", "year_text": f"{r['year']}年度",
             "link": f"/assessment?year={r['year']}&result={r['result_id']}"} for r in results]
    current = [r for r in results if r["current"]]
    cities = list(dict.fromkeys(c["city"] for r in current for c in r["scores"]))
    compare = [{"city": city, **{f"y{r['year']}": next((f"{c['total']:.2f}（第{c['rank']}名）" for c in r["scores"]
                                                       if c["city"] == city), "—") for r in current}}
               for city in cities]
    compare_columns = [{"field": "city", "headerName": "地市", "width": 90}] + [
        {"field": f"y{r['year']}", "headerName": f"{r['year']}年度", "width": 150} for r in current]
    return html.Div([
        html.H5("已发布的考核结果", className="mt-4"),
        data_grid("published", rows, PUBLISHED_COLUMNS, title="已发布的年度考核结果",
                  filename=export_filename("已发布的年度考核结果", clock.today())),
        html.H6("历年考核结果对比（各年度现行结果）"),
        data_grid("published-compare", compare, compare_columns, title="历年考核结果对比",
                  filename=export_filename("历年考核结果对比", clock.today())),
    ])


PUBLISHED_COLUMNS = [
    link_column("year_text", "年度", "{link}", raw=True, width=100),
    {"field": "as_of", "headerName": "考核截至", "width": 120},
    {"field": "published_by", "headerName": "发布人", "width": 110},
    {"field": "published_at", "headerName": "发布时间", "width": 150},
    {"field": "first", "headerName": "第一名", "width": 100},
    {"field": "state", "headerName": "状态", "width": 100},
    {"field": "note", "headerName": "说明", "flex": 1, "minWidth": 200},
]


def is_admin() -> bool:
    account = current_account()
    return account is not None and account.role == "admin"


# --- callbacks: every write re-reads the account on the server -------------------

def _checked(ctx_data) -> dict:
    """The page's context as the server reads it (the browser's copy is only a hint)."""
    ctx_data = ctx_data if isinstance(ctx_data, dict) else {}
    return read_context({"year": str(ctx_data.get("year", "")), "as_of": ctx_data.get("as_of"),
                         "city": ctx_data.get("city"), "result": str(ctx_data.get("result_id") or "")})


ADMIN_OUTPUTS = (("assessment-message", "children"), ("assessment-body", "children"),
                 ("bonus-list", "children"), ("bonus-withdraw-id", "options"))


def _outputs(first: bool = False) -> list[Output]:
    """What every admin action redraws (the first callback owns the outputs)."""
    return [Output(i, prop, allow_duplicate=not first) for i, prop in ADMIN_OUTPUTS]


def _write(action, ctx_data, done: str):
    """Run ``action(session, account, ctx)``; the message and the redrawn parts."""
    ctx = _checked(ctx_data)
    try:
        with session_scope() as s:
            action(s, current_account(), ctx)
    except AssessmentError as exc:
        return dbc.Alert(str(exc), color="danger", id="assessment-result"), no_update, no_update, no_update
    invalidate()
    return (dbc.Alert(done, color="success", id="assessment-result"), body(ctx), bonus_list(ctx["year"]),
            withdraw_options(ctx["year"]))


@callback(*_outputs(first=True), Input("rules-save", "n_clicks"),
          *[State(f"weight-{k}", "value") for k in COMPONENTS], *[State(f"rule-{k}", "value") for k in RULE_LABELS],
          State("assessment-context", "data"), prevent_initial_call=True)
def on_save_rules(_clicks, *values):
    clicked("rules-save")
    *numbers, ctx_data = values
    weights = dict(zip(COMPONENTS, numbers[:len(COMPONENTS)]))
    rules = {"weights": weights, **dict(zip(RULE_LABELS, numbers[len(COMPONENTS):]))}
    return _write(lambda s, account, ctx: save_rules(s, account, rules), ctx_data,
                  "已保存新的考核规则，得分已按新规则重新计算；已发布的结果不受影响。")


@callback(*_outputs(), Input("bonus-add", "n_clicks"), State("bonus-city", "value"), State("bonus-points", "value"),
          State("bonus-reason", "value"), State("assessment-context", "data"), prevent_initial_call=True)
def on_add_bonus(_clicks, city, points, reason, ctx_data):
    clicked("bonus-add")
    return _write(lambda s, account, ctx: add_bonus(s, account, ctx["year"], city, points, reason), ctx_data,
                  f"已为{city}市记录加分项。")


@callback(*_outputs(), Input("bonus-withdraw", "n_clicks"), State("bonus-withdraw-id", "value"),
          State("assessment-context", "data"), prevent_initial_call=True)
def on_withdraw_bonus(_clicks, bonus_id, ctx_data):
    clicked("bonus-withdraw")
    return _write(lambda s, account, ctx: withdraw_bonus(s, account, bonus_id), ctx_data, "已撤销该加分项。")


@callback(Output("publish-confirm", "is_open"), Input("publish-ask", "n_clicks"), Input("publish-cancel", "n_clicks"),
          Input("publish", "n_clicks"), prevent_initial_call=True)
def ask_to_publish(*_clicks):
    """The confirmation opens on 发布, closes on 取消 or once 确认发布 is pressed."""
    return clicked("publish-ask", "publish-cancel", "publish") == "publish-ask"


@callback(*_outputs(), Input("publish", "n_clicks"), State("publish-note", "value"), State("assessment-context", "data"),
          prevent_initial_call=True)
def on_publish(_clicks, note, ctx_data):
    clicked("publish")

    def action(s, account, ctx):
        require_admin(account)  # before computing anything
        as_of = date.fromisoformat(ctx["as_of"])
        publish(s, account, ctx["year"], as_of, data.scorecard(ctx["year"], as_of), note)
    return _write(action, ctx_data, "已发布为正式考核结果（见页面下方“已发布的考核结果”）。")


@callback(Output("assessment-download", "data"), Input("assessment-export", "n_clicks"),
          State("assessment-context", "data"), prevent_initial_call=True)
def on_export(_clicks, ctx_data):
    ctx = _checked(ctx_data)
    as_of = date.fromisoformat(ctx["as_of"])
    return dcc.send_bytes(scorecard_workbook(ctx["year"], as_of, card_of(ctx)), workbook_name(ctx["year"], as_of))
