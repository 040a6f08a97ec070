"""计划期限与状态 (admin): one plan's period (in force from, to; ending it is
its end date), whose plan it is, and archiving it (corrections.plans).  What
each setting does to the views is said on the page."""
from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from accounts import current_account
from components.access import admin_only
from components.actions import clicked, refused
from components.cards import SITE
from components.grid import data_grid, export_filename, link_column
from corrections.apply import CorrectionError
from corrections.plans import PROVINCE_OWNER, PlanSettings, archive, set_plan
from queries.cache import invalidate
from queries.indicator_changes import plan_indicator_rows
from reporting.entries import whole_number
from store import clock, session_scope
from store.clock import local_text
from store.models import PLAN_STATES, Plan
from store.regions import CITIES

dash.register_page(__name__, path_template="/plan/<plan_id>", name="计划期限与状态", nav=False, cache_layout=False,
                   roles=("admin",), title=f"计划期限与状态 · {SITE}")


def layout(plan_id=None, **_query):
    refused = admin_only(f"/plan/{plan_id}", "计划期限与状态", "计划期限与状态仅供管理员设置。")
    if refused is not None:
        return refused
    with session_scope() as s:
        plan = s.get(Plan, ident) if (ident := whole_number(plan_id, 2**31)) else None
        if plan is None:
            return dbc.Alert(["没有该计划。", dcc.Link("返回计划管理", href="/plans", className="ms-2")],
                             color="warning", id="plan-missing")
        shown = PlanSettings.of(s, plan)
        state = PLAN_STATES[plan.state_on(clock.today())]
        facts = [("文号/名称", plan.label), ("标题", plan.title), ("发文机关", plan.issuer),
                 ("成文日期", plan.issue_date.isoformat()), ("年度", f"{plan.plan_year}年"),
                 ("期限", f"{plan.period_start}至{plan.period_end}" + (f"（{plan.period_set_by}设置）"
                                                                      if plan.period_set_by else "（按文件）")),
                 ("状态", state + (f"（{plan.archived_by}于{local_text(plan.archived_at)}归档）"
                                   if plan.archived_at else ""))]
        archived, ident, label = plan.archived_at is not None, plan.id, plan.label
        indicators = plan_indicator_rows(s, plan.id)
    owners = [{"value": "", "label": f"{PROVINCE_OWNER}（各地市均按此计划排名、考核）"}] + [
        {"value": c, "label": f"{c}市自行制定的计划（仅在{c}市的页面和选择该计划时计入）"} for c in CITIES]
    field = lambda label, control, width: dbc.Col([dbc.Label(label, className="small text-muted mb-1",  # noqa: E731
                                                             html_for=control.id), control], md=width)
    return html.Div([
        html.Div([dcc.Link("计划管理", href="/plans"), " › ", "期限与状态"], className="small mb-2"),
        html.H3(f"{label} · 期限与状态", className="page-title mb-3"),
        dbc.Card(dbc.CardBody(html.Dl([x for k, v in facts for x in (html.Dt(k, className="col-sm-2"),
                                                                     html.Dd(v, className="col-sm-10"))],
                                      className="row mb-0", id="plan-facts")), className="mb-3"),
        dcc.Store(id="plan-shown", data={"id": ident, "start": shown.start.isoformat(), "end": shown.end.isoformat(),
                                         "city": shown.city, "archived": archived}),
        dbc.Card(dbc.CardBody([
            html.H5("期限与归属"),
            html.P("期限内的计划为“执行中”，计入各页面的默认视图；期满后为“已结束”，不再计入默认视图（选择该计划或其年度时仍可查看、导出）。"
                   "提前结束计划：把结束日期改为结束之日。", className="small text-muted"),
            dbc.Row([field("开始日期", dcc.Input(type="date", id="plan-start", value=shown.start.isoformat(),
                                                 className="form-control"), 3),
                     field("结束日期", dcc.Input(type="date", id="plan-end", value=shown.end.isoformat(),
                                                 className="form-control"), 3),
                     field("归属", dcc.Dropdown(owners, shown.city or "", id="plan-owner", clearable=False), 6)],
                    className="g-2"),
            dbc.Row([field("原因", dbc.Input(id="plan-reason", maxLength=500, placeholder="如：经主任办公会研究，计划延至次年3月底"),
                           12)], className="g-2 mt-1"),
            dbc.Button("保存", id="plan-save", color="primary", className="mt-2"),
            html.Div(id="plan-save-result", className="mt-2", role="status"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H5("恢复计划" if archived else "归档"),
            html.P("已归档的计划不计入任何默认视图，但仍可选择查看、导出，其年度考核不受影响。", className="small text-muted"),
            dbc.Row([field("原因", dbc.Input(id="archive-reason", maxLength=500,
                                             placeholder="如：2020年度工作已全部办结"), 12)], className="g-2"),
            dbc.Button("恢复计划" if archived else "归档", id="plan-archive", color="secondary", outline=True,
                       className="mt-2"),
            html.Div(id="plan-archive-result", className="mt-2", role="status"),
        ]), className="mb-3"),
        *indicator_section(indicators, label),
    ])


INDICATOR_COLUMNS = [
    {"field": "name", "headerName": "指标", "flex": 1, "minWidth": 220},
    {"field": "city", "headerName": "地市", "width": 80},
    {"field": "unit", "headerName": "单位", "width": 80},
    {"field": "baseline", "headerName": "基期值", "width": 110},
    {"field": "target", "headerName": "目标值", "width": 120},
    {"field": "direction", "headerName": "方向", "width": 100},
    {"field": "attribute", "headerName": "属性", "width": 80},
    link_column("edit", "更正", "/indicator/{indicator_id}/edit", width=110),
]


def indicator_section(indicators: list[dict], label: str) -> list:
    """The plan's indicators, each with a link to correct or adjust it."""
    if not indicators:
        return []
    return [html.H5(f"指标（{len(indicators)} 项）"),
            html.P("指标的单位、基期值、目标值、方向和属性可更正或调整，自生效日期起计。", className="small text-muted"),
            data_grid("plan-indicators", indicators, INDICATOR_COLUMNS, title=f"{label} 指标",
                      filename=export_filename(f"{label}_指标", clock.today()))]


def _done(message: str, result_id: str, plan_id) -> dbc.Alert:
    invalidate()
    return dbc.Alert([message, html.A("刷新", href=f"/plan/{plan_id}", className="ms-2")], color="success",
                     className="py-2", id=result_id)


@callback(Output("plan-save-result", "children"), Input("plan-save", "n_clicks"),
          State("plan-start", "value"), State("plan-end", "value"), State("plan-owner", "value"),
          State("plan-reason", "value"), State("plan-shown", "data"), prevent_initial_call=True)
def save(_clicks, start, end, owner, reason, shown):
    clicked("plan-save")
    try:
        plan_id, seen = _shown(shown)
        with session_scope() as s:
            plan = set_plan(s, current_account(), plan_id, start, end, owner or None, reason, seen)
            text = f"已保存：期限 {plan.period_start}至{plan.period_end}。"
    except CorrectionError as exc:
        return refused(exc.messages, "plan-save-refused")
    return _done(text, "plan-save-done", plan_id)


@callback(Output("plan-archive-result", "children"), Input("plan-archive", "n_clicks"),
          State("archive-reason", "value"), State("plan-shown", "data"), prevent_initial_call=True)
def archive_or_restore(_clicks, reason, shown):
    clicked("plan-archive")
    try:
        plan_id, _ = _shown(shown)
        with session_scope() as s:  # the page's button: 归档 when it showed the plan unarchived (a second click is refused)
            plan = archive(s, current_account(), plan_id, reason, not shown.get("archived"))
            text = "已归档：不再计入默认视图。" if plan.archived_at else "已恢复：期限内重新计入默认视图。"
    except CorrectionError as exc:
        return refused(exc.messages, "plan-archive-refused")
    return _done(text, "plan-archive-done", plan_id)


def _shown(shown) -> tuple[int, PlanSettings]:
    """The plan the form is of, and the settings it showed (the stale-form check)."""
    try:
        plan_id, city = shown["id"], shown["city"]
        seen = PlanSettings(date.fromisoformat(shown["start"]), date.fromisoformat(shown["end"]), city)
        if not (type(plan_id) is int and isinstance(city, (str, type(None))) and isinstance(shown["archived"], bool)):
            raise TypeError
    except (KeyError, TypeError, ValueError):
        raise CorrectionError(["表单已失效，请刷新页面。"]) from None
    return plan_id, seen
