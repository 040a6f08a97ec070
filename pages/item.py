"""场景详情: one work item (scene, project or task) as of the chosen date — what
the plan says (plan, region, departments, deadline as written), its status,
a milestone timeline, the milestone table, every progress update, its
indicators, and the sentences it was imported from so a user can check them.

Sub-scenes (场景一/场景二) are shown grouped inside their scene; /item/<id> of a
sub-scene shows its scene.  A county variant (杭州 1 萧山区) is its own item.
"""
from __future__ import annotations

from dataclasses import replace

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from flask import current_app

from accounts import current_account
from accounts.scope import Scope, reads_item, writable_ids
from components.actions import clicked, refused
from components.cards import SITE, page_header
from components.evidence import evidence_card, file_rows, register_callbacks, upload_form
from components.figures import milestone_timeline
from components.filters import filter_bar, read_view
from components.format import cn_date
from components.grid import data_grid, export_filename
from components.indicators import indicator_grid
from components.status import (
    ITEM_STATUS_LABELS,
    STATUS_CELL_CLASSES,
    due_soon_label,
    pct,
    rag_badge,
    status_text,
)
from components.urges import letter_choice, sent_letters
from pages.not_found_404 import not_found
from notices.urge import UrgeError, chaseable, send_urge, urge_history
from queries import api, items
from queries.cache import invalidate
from queries.approvals import evidence_by_milestone
from queries.status import DONE, Filters
from reporting.entries import whole_number
from store import clock, session_scope
from store.models import Milestone


def header_of(item_id) -> dict | None:
    """The header of the item the path names (a sub-scene names its scene); None if unknown."""
    text = str(item_id or "")
    if whole_number(text, 2**31) is None:  # not an id (abc, ², or beyond what the store holds)
        return None
    header = items.item_header(int(text))
    if header and header["kind"] == "sub_scene" and header["parent"]:
        return items.item_header(header["parent"]["id"])
    return header


def title(item_id=None) -> str:
    header = header_of(item_id)
    if header is None:
        return f"工作事项不存在 · {SITE}"
    return f"{items.display_name(header['name'], header['county'])} · {header['kind_label']}详情 · {SITE}"


dash.register_page(__name__, path_template="/item/<item_id>", name="场景详情", nav=False, title=title)
register_callbacks("item-evidence")


def layout(item_id=None, **query):
    header = header_of(item_id)
    if header is None:
        return not_found(f"没有编号为“{item_id}”的工作事项：链接可能有误，或该事项所在的计划已被重新导入。")
    # the item page is about one item: the as-of date (by default its plan's latest report) is its only filter
    view = replace(read_view({**query, "plan": header["plan_key"]}, within_period=False), scope=None).with_filters(
        plan=None, plans=None, city=None, department=None, statuses=(), item_id=header["id"])
    name = items.display_name(header["name"], header["county"])
    milestones = status_rows(view, header["id"])
    # a task group only structures its tasks: no status, timeline or reports of its own
    assessed = bool(milestones) or header["kind"] in items.ASSESSED_KINDS
    rollup = next(iter(api.rates(view.as_of, "item", Filters(item_id=header["id"]))), None)
    return html.Div([
        breadcrumb(view, header),
        page_header(numbered(header), view, subtitle=" · ".join(
            x for x in (header["city"] and f"{header['city']}市", f"{header['kind_label']}详情") if x)),
        filter_bar(view, fields=("as_of",)),
        dbc.Row([
            dbc.Col(info_card(view, header), lg=8 if assessed else 12, className="mb-3"),
            dbc.Col(status_card(rollup), lg=4, className="mb-3") if assessed else None,
        ]),
        sub_scene_cards(header, milestones),
        findings_alert(header["id"]),
        *(progress_sections(view, header, name, milestones) if assessed else []),
        changes_section(header["id"], name, view),
        urge_section(header, name, view) if assessed else None,
        reminders_section(header["id"], name, view) if assessed else None,
        sources_card(header),
    ])


def changes_section(item_id: int, name: str, view) -> html.Div:
    """The plan's changes made in the app (更正与调整), beside its progress history;
    an admin finds the way to make one here."""
    account = current_account()
    role = account.role if account is not None else None
    edit = (dcc.Link("更正或调整计划", href=f"/item/{item_id}/edit", className="btn btn-outline-primary btn-sm",
                     id="item-edit-link") if role == "admin" else
            dcc.Link("申请调整", href=f"/requests?item_id={item_id}", className="btn btn-outline-primary btn-sm",
                     id="item-request-link") if role in ("city", "department") else None)
    changes = items.plan_changes(item_id)
    return html.Div([
        html.Div([html.H5("计划变更记录", className="me-auto mb-0"), edit], className="d-flex align-items-center mb-2"),
        html.Div("在系统中对计划所作的更正和调整：各自从生效日期起计，此前各日期的状态仍按原计划判断。",
                 className="small text-muted mb-1"),
        html.Div(data_grid("item-changes", changes, CHANGE_COLUMNS, title=f"{name} 计划变更记录",
                           filename=export_filename(f"{name}_计划变更", view.as_of), empty="计划未作过更正或调整"),
                 id="item-changes"),
    ], className="mb-4")


URGE_COLUMNS = [
    {"field": "sent_at", "headerName": "催办时间", "width": 140},
    {"field": "sent_by", "headerName": "催办单位", "width": 120},
    {"field": "to", "headerName": "催办对象", "width": 160},
    {"field": "seqs", "headerName": "节点", "width": 80},
    {"field": "message", "headerName": "催办内容", "minWidth": 200, "flex": 1, "wrapText": True, "autoHeight": True},
    {"field": "reply_by", "headerName": "回复期限", "width": 110},
    {"field": "state", "headerName": "办理情况", "width": 100},
    {"field": "answer", "headerName": "回复", "minWidth": 160, "flex": 1, "wrapText": True, "autoHeight": True},
]


def urge_section(header: dict, name: str, view) -> html.Div:
    """催办记录, and for the office (the admin, or the item's city office) the way
    to chase the units reporting on its overdue and due-soon milestones."""
    account = current_account()
    with session_scope() as s:
        rows = urge_history(s, header["id"])
    may = account is not None and (account.role == "admin" or (
        account.role == "city" and header["city_id"] is not None and account.city_id == header["city_id"]))
    form = dbc.Row([
        dbc.Col([dbc.Label("催办内容", html_for="item-urge-message", className="small text-muted mb-1"),
                 dbc.Input(id="item-urge-message", maxLength=500, placeholder="如：请于本周内报送进展并说明逾期原因")],
                md=7),
        dbc.Col([dbc.Label("回复期限", html_for="item-urge-reply-by", className="small text-muted mb-1"),
                 dbc.Input(id="item-urge-reply-by", type="date",
                           value=(clock.today() + timedelta(days=7)).isoformat())], md=2),
        dbc.Col(dbc.Button("催办逾期和临期节点", id="item-urge-send", color="warning", size="sm", className="mt-4"), md=3),
        dcc.Store(id="item-urge-item", data=header["id"]),
        letter_choice("item-urge-letter"),
        html.Div(id="item-urge-result", className="mt-2", role="status"),
    ], className="g-2 mb-2") if may else None
    return html.Div([
        html.H5(f"催办记录（{len(rows)} 次）", className="mb-2"),
        form,
        html.Div(data_grid("item-urges", rows, URGE_COLUMNS, title=f"{name} 催办记录",
                           filename=export_filename(f"{name}_催办记录", view.as_of), empty="尚未催办"),
                 id="item-urges"),
    ], className="mb-4")


@callback(Output("item-urge-result", "children"), Input("item-urge-send", "n_clicks"),
          State("item-urge-item", "data"), State("item-urge-message", "value"), State("item-urge-reply-by", "value"),
          State("item-urge-letter", "value"), prevent_initial_call=True)
def urge_item(_clicks, item_id, message, reply_by, letter):
    """Chase the item's overdue and due-soon milestones: which they are is read from the store today."""
    clicked("item-urge-send")
    today, days = clock.today(), current_app.config["DUE_SOON_DAYS"]
    item = item_id if isinstance(item_id, int) and not isinstance(item_id, bool) and 0 < item_id < 2**31 else None
    try:
        with session_scope() as s:
            ids = chaseable(s, item, today, days) if item is not None else []
            sent = send_urge(s, current_account(), ids, message, reply_by, today, days, letter)
    except UrgeError as exc:
        return refused(exc.messages if item is None or ids else ["本事项没有逾期或临期的节点。"], "item-urge-refused",
                       "未催办")
    invalidate()
    return dbc.Alert([f"已催办 {sent.urges} 个单位（{sent.milestones} 个节点）。", sent_letters(sent)],
                     color="success", className="py-2", id="item-urge-sent")


def reminders_section(item_id: int, name: str, view) -> html.Div:
    """The reminders sent about the item's milestones (send-reminders): to whom,
    when, read or not — how often it was chased."""
    rows = items.reminders(item_id)
    return html.Div([
        html.H5(f"提醒记录（{len(rows)} 条）", className="mb-2"),
        html.Div(data_grid("item-reminders", rows, REMINDER_COLUMNS, title=f"{name} 提醒记录",
                           filename=export_filename(f"{name}_提醒记录", view.as_of), empty="尚未发出提醒"),
                 id="item-reminders"),
    ], className="mb-4")


REMINDER_COLUMNS = [
    {"field": "created_at", "headerName": "时间", "width": 140},
    {"field": "kind", "headerName": "类型", "width": 100},
    {"field": "seq", "headerName": "节点", "width": 70},
    {"field": "to", "headerName": "提醒对象", "minWidth": 160, "flex": 1},
    {"field": "read", "headerName": "站内", "width": 80},
    {"field": "mail", "headerName": "邮件", "width": 90},
]
CHANGE_COLUMNS = [
    {"field": "changed_at", "headerName": "修改时间", "width": 140},
    {"field": "effective_on", "headerName": "生效日期", "width": 110},
    {"field": "what", "headerName": "内容", "width": 130},
    {"field": "before", "headerName": "原为", "minWidth": 160, "flex": 1},
    {"field": "after", "headerName": "改为", "minWidth": 160, "flex": 1},
    {"field": "reason", "headerName": "原因", "minWidth": 200, "flex": 2},
    {"field": "changed_by", "headerName": "修改人", "width": 100},
]


def progress_sections(view, header: dict, name: str, milestones: list[dict]) -> list:
    """Timeline, milestone table, indicators and the update history."""
    kind = header["kind_label"]
    history = history_rows(header["id"], view)
    indicators = api.indicator_table(view.as_of, Filters(item_id=header["id"]))
    as_of = cn_date(view.as_of)
    return [
        html.H5("节点时间轴", className="mt-2"),
        html.Div("◆ 计划时限；● 实际完成（绿：按时，橙：逾期完成），与计划时限相连；红色点线：逾期未完成，"
                 "延至截至日期；○ 无明确时限；蓝色虚线：截至日期。", className="small text-muted"),
        dbc.Card(dbc.CardBody(
            dcc.Graph(id="item-timeline", figure=milestone_timeline(milestones, view.as_of),
                      config={"displaylogo": False}) if milestones else
            html.Div(f"本{kind}没有工作节点。", className="text-muted")), className="mb-4"),
        html.H5("工作节点"),
        html.Div(data_grid(
            "item-milestones", milestones, milestone_columns(milestones),
            title=f"{name} 工作节点（截至{as_of}）",
            filename=export_filename(f"{name}_工作节点", view.as_of), empty=f"本{kind}没有工作节点",
            official=True),
            id="item-milestones"),
        html.H5("佐证材料", id="evidence"),
        evidence_section(header, name, milestones, view),
        html.H5("关联指标"),
        html.Div(indicator_grid("item-indicators", indicators, view, f"{name} 指标达成情况（截至{as_of}）",
                                f"{name}_指标"), id="item-indicators"),
        html.H5("进度报送记录"),
        history_hint(history),
        html.Div(data_grid(
            "item-history", history, HISTORY_COLUMNS, title=f"{name} 进度报送记录",
            filename=export_filename(f"{name}_报送记录", view.as_of), empty="尚无进度报送"),
            id="item-history"),
    ]


def evidence_section(header: dict, name: str, milestones: list[dict], view):
    """The milestones' 佐证材料, to those who may read the item's files, and the
    form that adds some, to those who report on them."""
    account = current_account()
    refs = {m["milestone_id"]: f"{m['sub_item']} · {m['seq']}" if m.get("sub_item") else str(m["seq"])
            for m in milestones}
    with session_scope() as s:
        if not reads_item(s, account, header["id"]):
            return html.Div("佐证材料仅供管理员、领导和负责该事项的地市、部门账号查看。", className="small text-muted mb-4",
                            id="item-evidence-card")
        files = file_rows(evidence_by_milestone(s, set(refs)), refs)
        writable = writable_ids(s, Scope.of(account), Milestone, set(refs))
    texts = {m["milestone_id"]: m["milestone"] for m in milestones}
    options = [{"value": m, "label": f"节点{refs[m]}：{texts[m][:40]}"} for m in refs if m in writable]
    return evidence_card("item-evidence", files, upload_form("item-evidence-form", options, f"/item/{header['id']}"),
                         f"{name} 佐证材料", f"{name}_佐证材料", view.as_of)


def breadcrumb(view, header: dict) -> html.Div:
    trail = [dcc.Link("全省总览", href=view.href("/"))]
    if header["city"]:
        trail.append(dcc.Link(f"{header['city']}市", href=view.href(f"/city/{header['city']}")))
    if header["parent"]:
        p = header["parent"]
        trail.append(dcc.Link(items.display_name(p["name"], p["county"]), href=view.href(f"/item/{p['id']}")))
    parts = []
    for link in trail:
        parts += [link, html.Span(" › ", className="text-muted")]
    return html.Div(parts + [html.Span(header["name"], className="text-muted")], className="small mb-1",
                    id="item-breadcrumb")


def field(label: str, value, value_id: str | None = None) -> list:
    return [html.Dt(label, className="col-sm-3 text-muted fw-normal"),
            html.Dd(value if value not in (None, "", []) else "—", className="col-sm-9 mb-2",
                    **({"id": value_id} if value_id else {}))]


def numbered(ref: dict) -> str:
    """3. 信用+金融服务 · 1. 钱江分应用（萧山区）."""
    return (f"{ref['number']}. " if ref["number"] else "") + items.display_name(ref["name"], ref["county"])


def item_link(view, ref: dict) -> dcc.Link:
    return dcc.Link(numbered(ref), href=view.href(f"/item/{ref['id']}"))


def info_card(view, h: dict) -> dbc.Card:
    plan = [h["plan_doc_no"] + " " if h["plan_doc_no"] else "", f"《{h['plan_title']}》",
            html.Div(f"{h['plan_issuer']} · {cn_date(h['plan_issue_date'])}印发",
                     className="small text-muted")]
    region = [dcc.Link(f"{h['city']}市", href=view.href(f"/city/{h['city']}")) if h["city"] else "—"]
    if h["county"]:
        region += [" · ", h["county"]]
    deadline = cn_date(h["deadline"]) if h["deadline"] else "未写明"
    if h["deadline_text"]:
        deadline += f"（原文：{h['deadline_text']}）"
    rows = [
        *field("计划文件", plan, "item-plan"),
        *field("地市 · 县（市、区）", region, "item-region"),
        *field("序号 · 名称", numbered(h), "item-name"),
        *field("类型 · 推进范围", " · ".join(x for x in (h["item_type"], h["scope"]) if x) or None),
        *field(f"{h['kind_label']}介绍", h["description"], "item-description"),
        *field("牵头部门", "、".join(h["lead"]), "item-lead"),
        *field("配合部门", "、".join(h["coop"]), "item-coop"),
        *field("完成时间", deadline, "item-deadline"),
    ]
    if h["parent"]:
        label = "全市场景" if h["county"] else f"所属{items.KIND_LABELS.get(h['parent']['kind'], '事项')}"
        rows += field(label, item_link(view, h["parent"]), "item-parent")
    if h["children"]:
        label = "县（市、区）试点" if any(c["county"] for c in h["children"]) else "下属事项"
        links = []
        for c in h["children"]:
            links += [item_link(view, c), html.Br()]
        rows += field(label, links[:-1], "item-children")
    return dbc.Card(dbc.CardBody(html.Dl(rows, className="row mb-0")), className="h-100")


def status_card(r: dict | None) -> dbc.Card:
    if r is None:
        return dbc.Card(dbc.CardBody("没有工作节点，不计算状态。", className="text-muted"), className="h-100")
    body = [
        html.Div([rag_badge(r["rag"]), html.Span(ITEM_STATUS_LABELS[r["item_status"]], className="ms-2")],
                 className="mb-3 fs-5", id="item-rag"),
        *stat("节点完成（总体完成率）", pct(r["done"], r["total"]), "item-overall"),
        *(stat("已报完成、待审核", f"{r['pending']}个（审核通过后计入）", "item-pending") if r["pending"] else []),
        *stat("进度完成率", pct(r["done_due"], r["due_by"]), "item-progress"),
        *stat("按时完成率", pct(r["on_time_due"], r["due_by"]), "item-on-time"),
        *stat("逾期未完成", f"{r['overdue']}个（累计 {r['overdue_days']:,} 天）", "item-overdue"),
        *stat(due_soon_label(), f"{r['due_soon']}个", "item-due-soon"),
    ]
    return dbc.Card(dbc.CardBody(body), className="h-100")


def stat(label: str, value: str, value_id: str) -> list:
    return [html.Div(label, className="small text-muted"),
            html.Div(value, className="fw-bold mb-2", id=value_id)]


def sub_scene_cards(h: dict, milestones: list[dict]):
    if not h["sub_scenes"]:
        return None
    cols = []
    for s in h["sub_scenes"]:
        own = [m for m in milestones if m["sub_item"] == s["name"]]
        done = sum(m["status"] in DONE for m in own)
        cols.append(dbc.Col(dbc.Card(dbc.CardBody([
            html.H6(s["name"]),
            html.P(s["description"] or "—", className="small mb-1"),
            html.Div(f"节点 {len(own)} 个，已完成 {done} 个", className="small text-muted"),
        ]), className="h-100"), md=12 // min(len(h["sub_scenes"]), 3), className="mb-3"))
    return html.Div([html.H5("子场景"), dbc.Row(cols, id="item-sub-scenes")])


def findings_alert(item_id: int):
    found = items.item_findings(item_id)
    if not found:
        return None
    return dbc.Alert([html.Strong("导入时发现的数据质量问题（保留原文，未作修改）："), html.Ul([
        html.Li(f"{f['kind_label']}：{f['message']}（{f['source']}）") for f in found], className="mb-0")],
        color="warning", className="py-2", id="item-findings")


def status_rows(view, item_id: int) -> list[dict]:
    sources = {m["milestone_id"]: m for m in items.milestone_sources(item_id)}
    return [{**m, "status_text": status_text(m["status"]),
             "source": sources.get(m["milestone_id"], {}).get("source")}
            for m in api.status_table(view.as_of, Filters(item_id=item_id))]


def milestone_columns(rows: list[dict]) -> list[dict]:
    sub = ([{"field": "sub_item", "headerName": "子场景", "width": 80}]
           if any(r["sub_item"] for r in rows) else [])
    return [
        *sub,
        {"field": "seq", "headerName": "节点", "width": 80},
        {"field": "milestone", "headerName": "工作计划（节点）", "flex": 2, "minWidth": 200},
        {"field": "due", "headerName": "节点时限", "width": 105},
        {"field": "due_text", "headerName": "时限原文", "width": 120},
        {"field": "status_text", "headerName": "状态", "width": 115, "cellClassRules": STATUS_CELL_CLASSES},
        {"field": "completed_on", "headerName": "实际完成", "width": 105},
        {"field": "days_overdue", "headerName": "逾期天数", "width": 105},
        {"field": "last_note", "headerName": "最近报送情况", "flex": 1, "minWidth": 150},
    ]


LATER = "截至日期后报送"


def history_rows(item_id: int, view) -> list[dict]:
    return [{**u, "milestone_ref": f"{u['sub_item']} · {u['seq']}" if u["sub_item"] else u["seq"],
             "known": LATER if u["after_as_of"] else ""}
            for u in items.update_history(item_id, view.as_of)]


def history_hint(history: list[dict]) -> html.Div:
    later = sum(u["after_as_of"] for u in history)
    text = "全部报送记录，最新的在前；每个节点的状态取截至日期前最后一次报送。"
    if later:
        text += f"其中 {later} 条为{LATER}，灰色显示，不计入截至日期的状态。"
    return html.Div(text, className="small text-muted mb-2", id="item-history-hint")


_LATER_RULES = {"text-muted": "params.data.after_as_of", "fst-italic": "params.data.after_as_of"}
HISTORY_COLUMNS = [
    {"field": "reported_on", "headerName": "报送日期", "width": 110},
    {"field": "period", "headerName": "报送月份", "width": 95},
    {"field": "milestone_ref", "headerName": "节点", "width": 95},
    {"field": "milestone", "headerName": "工作计划（节点）", "flex": 1, "minWidth": 180},
    {"field": "state_text", "headerName": "报送状态", "width": 95},
    {"field": "completed_on", "headerName": "完成日期", "width": 110},
    {"field": "note", "headerName": "进展说明", "flex": 1, "minWidth": 160},
    {"field": "reported_by", "headerName": "报送人", "width": 120},
    {"field": "reported_at", "headerName": "报送时间", "width": 140},
    {"field": "channel", "headerName": "方式", "width": 110},
    {"field": "known", "headerName": "备注", "width": 130},
]
for _column in HISTORY_COLUMNS:
    _column["cellClassRules"] = _LATER_RULES


def sources_card(h: dict) -> dbc.Card:
    """Where every record of the item was read from: file:line and the sentence."""
    def entry(label: str, source: str | None, text: str | None) -> html.Li:
        return html.Li([html.Span(label, className="fw-bold me-2"),
                        html.Code(source or "出处不详", className="me-2"),
                        html.Span(text or "", className="source-text")], className="mb-1")

    lines = [entry(f"{h['kind_label']}", h["source"], h["source_text"])]
    lines += [entry(s["name"], s["source"], s["source_text"]) for s in h["sub_scenes"]]
    lines += [entry(f"{m['sub_item'] + ' · ' if m['sub_item'] else ''}节点{m['seq']}", m["source"],
                    m["source_text"]) for m in items.milestone_sources(h["id"])]
    return dbc.Card(dbc.CardBody([
        html.H5("原文出处"),
        html.Div(f"导入自 {h['plan']}，可按出处（文本文件的行号，Word、Excel 文件的表或工作表与行）对照原文核查。", className="small text-muted mb-2"),
        html.Ul(lines, className="list-unstyled small mb-0"),
    ]), className="mt-2", id="item-sources")
