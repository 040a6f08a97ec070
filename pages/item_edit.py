"""更正或调整计划 (admin): one work item's name, deadline and departments and
its milestones' work and time, edited in place with a reason and the date the
change counts from (corrections.apply).  Dates before it still see the plan
as it stood; the item page lists every change beside the progress reports.
"""
from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from sqlalchemy import select

from accounts import current_account
from components.access import admin_only
from components.actions import clicked, refused
from components.cards import SITE
from components.change_form import effective_date, when_and_why
from corrections.apply import (
    CANCELLED,
    CorrectionError,
    Edit,
    NewMilestone,
    correct,
    county_names,
    current_values,
)
from pages.item import header_of, numbered
from pages.not_found_404 import not_found
from queries.cache import invalidate
from store import clock, session_scope
from store.models import CHANGE_FIELDS, ITEM_FIELDS, Milestone, Plan, WorkItem


WHOLE_CITY = "-"  # the county select's value for none (a select shows an empty value as blank)


def title(item_id=None) -> str:
    return f"更正或调整计划 · {SITE}"


# (an order, so that /item/<id>/edit is matched before the item page's /item/<item_id>)
dash.register_page(__name__, path_template="/item/<item_id>/edit", name="更正或调整计划", nav=False, title=title,
                   order=99, cache_layout=False)


def layout(item_id=None, **_query):
    refused = admin_only(f"/item/{item_id}/edit", "更正或调整计划", "只有管理员可以更正或调整计划；地市和部门请提交计划调整申请。")
    if refused is not None:
        return refused
    header = header_of(item_id)
    if header is None:
        return not_found(f"没有编号为“{item_id}”的工作事项。")
    with session_scope() as s:
        item = s.get(WorkItem, header["id"])
        plan = s.get(Plan, item.plan_id)
        values = current_values(s, item)
        milestones = milestone_rows(s, item.id)
        counties = county_names(s, item)
        issued = plan.issue_date
    today = clock.today()
    return html.Div([
        html.Div([dcc.Link(f"‹ 返回{header['kind_label']}详情", href=f"/item/{header['id']}")], className="small mb-1"),
        html.H3("更正或调整计划", className="page-title mb-0"),
        html.Div(f"{numbered(header)} · {header['plan_doc_no'] or header['plan_title']}", className="text-muted mb-3"),
        dcc.Store(id="edit-item", data=header["id"]),
        dcc.Store(id="edit-seen", data=_seen(values)),
        dbc.Card(dbc.CardBody([html.H5(f"{header['kind_label']}"), *[
            _field(label, name, 0, values[(name, None)], textarea=name == "name",
                   choices=counties if name == "county" else None)
            for name, label in CHANGE_FIELDS.items() if name in ITEM_FIELDS],
            html.Div("完成时间写原文，如“2021年6月底前”“三季度”“持续推进”；单位之间用顿号分隔。改动事项的完成时间，"
                     "沿用该时间的节点随之改动。", className="small text-muted")]), className="mb-3"),
        dbc.Card(dbc.CardBody([html.H5("工作节点"), html.Div(milestone_table(milestones, values), id="edit-milestones")]),
                 className="mb-3"),
        dbc.Card(dbc.CardBody([
            when_and_why("edit", issued, today, "如：市政府同意延期（某某函〔2021〕3号）；导入时读错，原文为“12月底前”"),
            html.Div([f"调整自生效日期起计：此前各日期的状态仍按原计划判断。更正导入错误时，把生效日期设为计划印发日"
                      f"（{issued.isoformat()}），各日期都按更正后的计划判断。"], className="small text-muted mt-1"),
            dbc.Checkbox(id="edit-keeps-score", value=False, className="mt-2",
                         label="不影响考核：调整节点时间或取消节点后，年度考核仍按原完成时间（或未取消）计分"),
        ]), className="mb-3"),
        dbc.Button("保存", id="edit-save", color="primary", className="me-2"),
        dcc.Link("取消", href=f"/item/{header['id']}", className="btn btn-outline-secondary"),
        dcc.Loading(html.Div(id="edit-result", className="mt-3", role="status")),
    ])


def _field(label: str, name: str, ms: int, value: str, textarea: bool = False,
           choices: list[str] | None = None) -> dbc.Row:
    """One of the item's fields: a text, or a choice among ``choices`` (and none: 全市)."""
    ident = {"type": "edit-field", "field": name, "ms": ms}
    if choices is not None:
        control = dbc.Select(id=ident, value=value or WHOLE_CITY,
                             options=[{"label": "（不属于某一县市区）", "value": WHOLE_CITY}] +
                             [{"label": c, "value": c} for c in choices])
    else:
        control = (dbc.Textarea if textarea else dbc.Input)(id=ident, value=value, **({"rows": 2} if textarea else {}))
    dom_id = json.dumps(ident, sort_keys=True, separators=(",", ":"))  # (the id Dash gives a pattern id)
    return dbc.Row([dbc.Label(label, html_for=dom_id, width=2, className="small text-muted"), dbc.Col(control, width=10)],
                   className="mb-2")


def milestone_rows(session, item_id: int) -> list:
    return session.execute(select(Milestone.id, Milestone.seq, Milestone.due).where(Milestone.work_item_id == item_id)
                           .order_by(Milestone.seq, Milestone.id)).all()


def milestone_table(milestones, values) -> html.Div:
    """Each milestone's number (its order), work, time and 取消, and a last row to add one."""
    head = html.Thead(html.Tr([html.Th("序号", style={"width": "5.5em"}), html.Th("节点内容"),
                               html.Th("节点时间（原文）", style={"width": "14em"}),
                               html.Th("解析为", style={"width": "7em"}), html.Th("取消", style={"width": "4em"})]))
    rows = [html.Tr([
        html.Td(dbc.Input(id={"type": "edit-field", "field": "seq", "ms": ms_id}, value=values[("seq", ms_id)],
                          type="text", inputMode="numeric", maxLength=3)),
        html.Td(dbc.Textarea(id={"type": "edit-field", "field": "text", "ms": ms_id}, rows=2,
                             value=values[("text", ms_id)])),
        html.Td(dbc.Input(id={"type": "edit-field", "field": "due", "ms": ms_id}, value=values[("due", ms_id)])),
        html.Td(due.isoformat() if due else "无时限", className="small text-muted"),
        html.Td(dbc.Checkbox(id={"type": "edit-field", "field": "cancel", "ms": ms_id},
                             value=values[("cancel", ms_id)] == CANCELLED, disabled=values[("cancel", ms_id)] == CANCELLED,
                             label=html.Span(f"取消节点{seq}", className="visually-hidden")))])
        for ms_id, seq, due in milestones]
    rows.append(html.Tr([
        html.Td("新增", className="small text-muted"),
        html.Td(dbc.Textarea(id="edit-new-text", rows=2, maxLength=2000, placeholder="新增节点的工作内容（不填则不新增）")),
        html.Td(dbc.Input(id="edit-new-due", maxLength=200, placeholder="如 2021年9月底前")),
        html.Td("排在最后", className="small text-muted"), html.Td()]))
    return html.Div([
        dbc.Table([head, html.Tbody(rows)], bordered=True, size="sm", className="mb-1"),
        html.Div("改序号即调整节点顺序；取消的节点不删除（已有的报送保留），自生效日期起不再计入应完成数；"
                 "新增的节点自生效日期起计入，此前各日期不含该节点。", className="small text-muted")])


def _listed(value) -> list:
    return value if isinstance(value, list) else []


def _key(name, ms) -> bool:
    """A field name and a milestone id (0: the item's own) as this form sends them."""
    return isinstance(name, str) and name in CHANGE_FIELDS and isinstance(ms, int) and not isinstance(ms, bool) and 0 <= ms < 2**31


def _which(session, milestone_id: int | None) -> str:
    """「节点的开头…」 naming the milestone a change is of (nothing for the item's own fields)."""
    text = session.scalar(select(Milestone.text).where(Milestone.id == milestone_id)) if milestone_id else None
    return f"「{text[:12]}{'…' if len(text) > 12 else ''}」" if text else ""


def _text(field: str, value) -> str:
    """A field's value as the form sends it, as text (the 取消 checkbox: 取消 or nothing)."""
    if field == "cancel":
        return CANCELLED if value is True else ""
    if field == "county" and value == WHOLE_CITY:
        return ""
    return value if isinstance(value, str) else ""


def _seen(values: dict) -> list:
    """The values the form shows, as [field, milestone id or 0, value]: sent back with the edits."""
    return [[name, ms or 0, value] for (name, ms), value in values.items()]


@callback(Output("edit-result", "children"), Output("edit-seen", "data"), Output("edit-milestones", "children"),
          Input("edit-save", "n_clicks"),
          State({"type": "edit-field", "field": ALL, "ms": ALL}, "value"),
          State({"type": "edit-field", "field": ALL, "ms": ALL}, "id"),
          State("edit-seen", "data"), State("edit-effective", "value"), State("edit-reason", "value"),
          State("edit-item", "data"), State("edit-new-text", "value"), State("edit-new-due", "value"),
          State("edit-keeps-score", "value"), prevent_initial_call=True)
def save(_clicks, values, ids, seen, effective, reason, item_id, new_text, new_due, keeps_score):
    """Write the edits that differ from the store (decided on the server), or nothing."""
    clicked("edit-save")
    account = current_account()
    shown = {(row[0], row[1] or None): row[2] for row in _listed(seen)
             if isinstance(row, list) and len(row) == 3 and _key(row[0], row[1]) and isinstance(row[2], str)}
    edits = [Edit(i["field"], _text(i["field"], v), shown.get((i["field"], i["ms"] or None)), i["ms"] or None)
             for i, v in zip(_listed(ids), _listed(values)) if isinstance(i, dict) and _key(i.get("field"), i.get("ms"))]
    added = NewMilestone(new_text if isinstance(new_text, str) else "", new_due if isinstance(new_due, str) else "")
    effective_on = effective_date(effective)
    if not isinstance(item_id, int) or isinstance(item_id, bool) or not 0 < item_id < 2**31:
        item_id = None
    try:
        with session_scope() as s:
            changes = correct(s, account, item_id, edits, reason if isinstance(reason, str) else "",
                              effective_on, clock.today(), added, keeps_score is True)
            done = [f"{_which(s, c.milestone_id)}{CHANGE_FIELDS[c.field]}：{c.before or '空'} → {c.after or '空'}"
                    for c in changes]
            now = current_values(s, s.get(WorkItem, item_id))
            fresh, table = _seen(now), milestone_table(milestone_rows(s, item_id), now)
    except CorrectionError as exc:
        return refused(exc.messages, "edit-refused"), dash.no_update, dash.no_update
    if not done:
        return dbc.Alert("没有改动，未保存。", color="secondary", id="edit-nothing"), fresh, dash.no_update
    invalidate()
    return dbc.Alert([html.Strong(f"已保存 {len(done)} 项改动（自{effective_on.isoformat()}起计），已记入变更记录："),
                      html.Ul([html.Li(line) for line in done], className="mb-0"),
                      dcc.Link("查看事项详情", href=f"/item/{item_id}")], color="success", id="edit-saved"), fresh, table
