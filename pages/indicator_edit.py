"""更正或调整指标 (admin): one indicator's unit, baseline, target, direction and
约束性/预期性, with a reason and the date the change counts from
(corrections.indicators); its change history below.  Dates before a change
still judge the indicator as it stood."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from accounts import current_account
from components.access import admin_only
from components.actions import clicked, refused
from components.cards import SITE
from components.change_form import effective_date, when_and_why
from components.grid import data_grid, export_filename
from corrections.apply import CorrectionError
from corrections.indicators import ATTRIBUTES, IndicatorEdit, correct_indicator, shown_values
from pages.not_found_404 import not_found
from queries.cache import invalidate
from queries.indicator_changes import DIRECTION_LABELS, change_rows, shown_value
from reporting.entries import whole_number
from store import clock, session_scope
from store.models import INDICATOR_FIELDS, Indicator, Plan

dash.register_page(__name__, path_template="/indicator/<indicator_id>/edit", name="更正或调整指标", nav=False,
                   cache_layout=False, title=f"更正或调整指标 · {SITE}")

UNSTATED = "-"  # the 属性 select's value for none stated (a select shows an empty value as blank)
HISTORY_COLUMNS = [
    {"field": "effective_on", "headerName": "生效日期", "width": 110},
    {"field": "field", "headerName": "项目", "width": 90},
    {"field": "before", "headerName": "原为", "width": 130},
    {"field": "after", "headerName": "改为", "width": 130},
    {"field": "reason", "headerName": "原因", "flex": 1, "minWidth": 200},
    {"field": "changed_by", "headerName": "操作人", "width": 100},
]


def layout(indicator_id=None, **_query):
    refused = admin_only(f"/indicator/{indicator_id}/edit", "更正或调整指标", "只有管理员可以更正或调整指标。")
    if refused is not None:
        return refused
    ident = whole_number(indicator_id, 2**31)
    with session_scope() as s:
        indicator = s.get(Indicator, ident) if ident else None
        if indicator is None:
            return not_found(f"没有编号为“{indicator_id}”的指标。")
        plan = s.get(Plan, indicator.plan_id)
        values, history = shown_values(indicator), change_rows(s, [indicator.id])
        name, plan_label, plan_id, issued = indicator.name, plan.label, plan.id, plan.issue_date
        qualitative = indicator.qualitative
    today = clock.today()
    return html.Div([
        html.Div([dcc.Link("计划管理", href="/plans"), " › ", dcc.Link(plan_label, href=f"/plan/{plan_id}"), " › 指标"],
                 className="small mb-1"),
        html.H3("更正或调整指标", className="page-title mb-0"),
        html.Div(name, className="text-muted mb-3", id="indicator-name"),
        dcc.Store(id="indicator-shown", data={"id": ident, "values": values}),
        dbc.Card(dbc.CardBody([
            _row("单位", dbc.Input(id="indicator-unit", value=values["unit"], maxLength=20)),
            _row("基期值", dbc.Input(id="indicator-baseline", value=values["baseline"], inputMode="decimal")),
            _row("目标值", dbc.Input(id="indicator-target", value=values["target"], inputMode="decimal",
                                     disabled=qualitative)),
            _row("方向", dbc.Select(id="indicator-direction", value=values["direction"],
                                    options=[{"label": v, "value": k} for k, v in DIRECTION_LABELS.items()])),
            _row("属性", dbc.Select(id="indicator-attribute", value=values["attribute"] or UNSTATED,
                                    options=[{"label": "（未注明）", "value": UNSTATED}] +
                                    [{"label": a, "value": a} for a in ATTRIBUTES])),
            html.Div("数值不带单位（单位单独填写），如 95、1600。定性指标没有目标值。", className="small text-muted"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody(when_and_why("indicator", issued, today,
                                           "如：省政府调整年度目标（某某函〔2021〕5号）；导入时读错，原文为“95%以上”")),
                 className="mb-3"),
        html.Div(f"调整自生效日期起计：此前各日期仍按原指标判断达成度和进度。更正导入错误时，把生效日期设为计划印发日（{issued}）。",
                 className="small text-muted mb-2"),
        dbc.Button("保存", id="indicator-save", color="primary", className="me-2"),
        dcc.Link("返回计划", href=f"/plan/{plan_id}", className="btn btn-outline-secondary"),
        html.Div(id="indicator-result", className="mt-3", role="status"),
        html.H5("指标变更记录", className="mt-4"),
        data_grid("indicator-changes", history, HISTORY_COLUMNS, title=f"{name[:30]} 指标变更记录",
                  filename=export_filename("指标变更记录", today), empty="该指标未作过更正或调整"),
    ])


def _row(label: str, control) -> dbc.Row:
    return dbc.Row([dbc.Label(label, width=2, className="small text-muted", html_for=control.id),
                    dbc.Col(control, width=10, md=4)], className="mb-2")


@callback(Output("indicator-result", "children"), Output("indicator-shown", "data"),
          Input("indicator-save", "n_clicks"),
          State("indicator-unit", "value"), State("indicator-baseline", "value"), State("indicator-target", "value"),
          State("indicator-direction", "value"), State("indicator-attribute", "value"),
          State("indicator-effective", "value"), State("indicator-reason", "value"), State("indicator-shown", "data"),
          prevent_initial_call=True)
def save(_clicks, unit, baseline, target, direction, attribute, effective, reason, shown):
    """Write what differs from the store (decided on the server), or nothing."""
    clicked("indicator-save")
    ident = shown.get("id") if isinstance(shown, dict) else None
    seen = shown.get("values") if isinstance(shown, dict) and isinstance(shown.get("values"), dict) else {}
    if type(ident) is not int or not 0 < ident < 2**31:
        return refused(["表单已失效，请刷新页面。"], "indicator-refused"), dash.no_update
    wanted = {"unit": unit, "baseline": baseline, "target": target, "direction": direction,
              "attribute": "" if attribute == UNSTATED else attribute}
    edits = [IndicatorEdit(name, value if isinstance(value, str) else "", seen.get(name))
             for name, value in wanted.items() if name in INDICATOR_FIELDS and value is not None]
    effective_on = effective_date(effective)
    try:
        with session_scope() as s:
            changes = correct_indicator(s, current_account(), ident, edits, reason if isinstance(reason, str) else "",
                                        effective_on, clock.today())
            done = [f"{INDICATOR_FIELDS[c.field]}：{shown_value(c.before)} → {shown_value(c.after)}" for c in changes]
            fresh = {"id": ident, "values": shown_values(s.get(Indicator, ident))}
    except CorrectionError as exc:
        return refused(exc.messages, "indicator-refused"), dash.no_update
    if not done:
        return dbc.Alert("没有改动，未保存。", color="secondary", id="indicator-nothing"), fresh
    invalidate()
    return dbc.Alert([html.Strong(f"已保存 {len(done)} 项改动（自{effective_on.isoformat()}起计）："),
                      html.Ul([html.Li(line) for line in done], className="mb-0"),
                      html.A("刷新查看变更记录", href=f"/indicator/{ident}/edit")], color="success",
                     id="indicator-saved"), fresh
