"""计划管理: the imported plans, and a new plan taken in from the browser.

A file is uploaded by a plain form to its own route (plan_files.py), which
sends the browser back here with the upload's token: the preview shows what
was recognised, the table as read with each column's role, what would be
written (or changed, for a plan already imported) and every finding; the
admin corrects the city, year, kind or a column's role and the preview
follows; 确认导入 writes it all in one transaction, 取消 writes nothing.
Every step is checked on the server (importers.intake)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from flask import session as cookie

from accounts import current_account
from components.access import admin_only
from components.actions import clicked
from components.grid import data_grid, export_filename, link_column
from importers import KINDS
from importers.columns import ROLES
from importers.intake import ROLE_LABELS, IntakeError, Preview, checked_given, confirm, discard, preview
from importers.parsed import DocumentError
from plan_files import MESSAGE_KEY
from queries.cache import invalidate
from queries.findings import FINDING_LABELS
from queries.plans import plan_rows
from store import clock, session_scope
from store.regions import CITIES

dash.register_page(__name__, path="/plans", name="计划管理", order=92, cache_layout=False, roles=("admin",),
                   title="计划管理 · 信用应用场景推进监测平台")

ACCEPT = ".docx,.xlsx,.pdf,.txt,.doc,.wps,.et,.xls"
PLAN_COLUMNS = [
    link_column("plan", "文号/名称", "/milestones?plan={plan_key}", minWidth=190, flex=1),
    {"field": "title", "headerName": "标题", "minWidth": 220, "flex": 2},
    {"field": "issuer", "headerName": "发文机关", "minWidth": 160, "flex": 1},
    {"field": "year", "headerName": "年度", "width": 80},
    {"field": "kind", "headerName": "类型", "width": 120},
    {"field": "owner", "headerName": "归属", "width": 90},
    {"field": "city", "headerName": "地市", "width": 100},
    {"field": "period", "headerName": "期限", "width": 200},
    link_column("state", "状态", "/plan/{plan_id}", width=100),
    {"field": "items", "headerName": "事项", "width": 80},
    {"field": "milestones", "headerName": "节点", "width": 80},
    {"field": "indicators", "headerName": "指标", "width": 80},
    {**link_column("source_file", "原文件", "{file_url}", raw=True, minWidth=160, flex=1),
     "cellRendererParams": {"href": "{file_url}", "raw": True, "download": True}},
    {"field": "imported_by", "headerName": "导入人", "width": 120},
    {"field": "imported_at", "headerName": "导入时间", "width": 140},
]
ITEM_COLUMNS = [
    {"field": "number", "headerName": "序号", "width": 70},
    {"field": "group", "headerName": "所属分组", "minWidth": 140, "flex": 1},
    {"field": "name", "headerName": "事项", "minWidth": 220, "flex": 2},
    {"field": "city", "headerName": "地市", "width": 80},
    {"field": "lead", "headerName": "牵头/责任单位", "minWidth": 160, "flex": 1},
    {"field": "coop", "headerName": "配合单位", "minWidth": 120, "flex": 1},
    {"field": "scope", "headerName": "范围", "width": 120},
    {"field": "deadline", "headerName": "完成时间", "width": 130},
    {"field": "milestones", "headerName": "节点", "width": 70},
]
INDICATOR_COLUMNS = [
    {"field": "name", "headerName": "指标", "minWidth": 220, "flex": 2},
    {"field": "city", "headerName": "地市", "width": 80},
    {"field": "baseline", "headerName": "基期值", "minWidth": 110, "flex": 1},
    {"field": "target", "headerName": "目标值", "minWidth": 130, "flex": 1},
    {"field": "attribute", "headerName": "属性", "width": 80},
    {"field": "due", "headerName": "完成时间", "width": 120},
    {"field": "source", "headerName": "来源", "minWidth": 140, "flex": 1},
]


def plans_table() -> html.Div:
    with session_scope() as s:
        rows = plan_rows(s)
    return data_grid("plans", rows, PLAN_COLUMNS, title=f"已导入的计划（{clock.today()}）",
                     filename=export_filename("计划列表", clock.today()))


def layout(upload=None, **_query):
    refused = admin_only("/plans", "计划管理", "计划管理仅供管理员使用。")
    if refused is not None:
        return refused
    message = cookie.pop(MESSAGE_KEY, None)
    token = upload if isinstance(upload, str) and 0 < len(upload) <= 64 else None
    return html.Div([
        html.Div([html.H3("计划管理", className="page-title mb-0"),
                  html.Div("上传新的计划文件（Word、Excel、PDF 或文本），预览无误后导入；已导入的计划及其原文件",
                           className="text-muted")], className="mb-3"),
        dbc.Alert(message, color="danger", id="plans-upload-refused") if message else None,
        upload_form(),
        preview_section(token) if token else None,
        html.Div(id="plans-message", className="mt-3"),
        html.Div(plans_table(), id="plans-table", className="mt-3"),
    ])


def upload_form() -> dbc.Card:
    """The file picker: the browser posts the file to its own route
    (plan_files.py; a clientside callback, assets/uploads.js), never through a
    server callback, and opens the preview the route sends it to."""
    return dbc.Card(dbc.CardBody([
        html.Div("计划文件", className="small text-muted mb-1", id="plan-file-label"),
        dcc.Upload(html.Div(["将计划文件拖放到此处，或 ", html.A("选择文件", href="#")]), id="plan-file",
                   accept=ACCEPT, max_size=20 * 1024 * 1024, multiple=False, className="upload-box"),
        html.Div("上传后先预览，不会立即写入；文件不超过 20 MB。扫描件 PDF 无法读取，请上传 Word 原件。",
                 className="small text-muted mt-1"),
        html.Div(id="plan-upload-status", className="small mt-1", role="status"),
    ]), className="mb-3")


dash.clientside_callback(
    dash.ClientsideFunction(namespace="plans", function_name="upload"),
    Output("plan-upload-status", "children"), Input("plan-file", "contents"), State("plan-file", "filename"),
    prevent_initial_call=True)


def preview_section(token: str) -> dbc.Card:
    """The corrections (city, year, kind), the preview they redraw, and the
    two actions, which stay outside what the preview redraws."""
    with session_scope() as s:
        try:
            first = preview(s, current_account(), token)
        except IntakeError as exc:
            return dbc.Alert(str(exc), color="warning", id="plan-preview-gone")
    front = first.plan
    field = lambda label, control, width=2, target=None: dbc.Col(  # noqa: E731
        [dbc.Label(label, html_for=target, className="small text-muted mb-1"), control], md=width)
    return dbc.Card(dbc.CardBody([
        html.H5(f"预览：{first.name}", className="mb-3"),
        dcc.Store(id="plan-token", data=token),
        dbc.Row([
            field("类型", dcc.Dropdown([{"value": k, "label": v} for k, v in KINDS.items()],
                                     value=first.kind, id="plan-kind", placeholder="自动识别", clearable=True), 3),
            field("地市（文件未写明时）", dcc.Dropdown(CITIES, value=None, id="plan-city",
                                              placeholder=_city_hint(first), clearable=True)),
            field("年度（文件未写明时）", dbc.Input(type="number", id="plan-year", min=2000, max=2100, step=1,
                                              placeholder=str(front.plan_year) if front else "—"),
                  target="plan-year"),
        ], className="g-2 align-items-end mb-2"),
        html.Div(role_controls(first), id="plan-roles"),
        dcc.Loading(html.Div(preview_body(first), id="plan-preview"), type="default"),
        html.Div([dbc.Button("确认导入", id="plan-confirm", color="primary", className="me-2"),
                  dbc.Button("取消", id="plan-cancel", color="secondary", outline=True)], className="mt-3"),
    ]), className="mb-3", id="plan-preview-card")


def _city_hint(shown: Preview) -> str:
    plan = shown.plan
    if plan is None:
        return "请选择"
    cities = {item.city for item in plan.walk_items() if item.city}
    return "、".join(sorted(cities))[:20] if cities else "全省"


def role_controls(shown: Preview):
    """One dropdown per column of the table's header: what the column means."""
    if shown.header is None:
        return None
    options = [{"value": role, "label": ROLE_LABELS.get(role, role)} for role in ROLES]
    return html.Div([
        html.Div("各列的含义（识别有误时可修改）", className="small text-muted mb-1"),
        dbc.Row([dbc.Col([
            html.Div(word or "（空白表头）", className="small mb-1"),
            dcc.Dropdown(options, value=role, id={"type": "plan-role", "col": n}, placeholder="不读取",
                         clearable=True)], md=2, className="mb-2")
            for n, (word, role) in enumerate(zip(shown.header.words, shown.header.roles))], className="g-2"),
    ])


def preview_body(shown: Preview) -> list:
    parts = []
    if shown.error:
        parts.append(dbc.Alert([html.Strong("无法按当前设置导入："), shown.error,
                                html.Div("可指定类型、地市或年度，或修改各列的含义后再预览。", className="small mt-1")],
                               color="danger", id="plan-preview-error"))
    plan = shown.plan
    if plan is not None:
        parts.append(recognised(shown))
        parts.append(difference(shown))
        if any(item.kind != "group" for item in plan.walk_items()) or not plan.indicators:
            parts.append(items_grid(plan))
        parts.append(units(plan))
        if plan.indicators:
            parts.append(indicators_grid(plan))
        parts.append(findings_list(plan))
        if plan.left_out:
            parts.append(html.Div([html.H6(f"未导入的部分（{len(plan.left_out)} 处：未写明责任单位，不作为工作任务）"),
                                   html.Ul([html.Li(f"{ref.where or f'第{ref.line}行'}：{ref.text}")
                                            for ref in plan.left_out[:50]],
                                           className="small")], id="plan-left-out", className="mt-2"))
    if shown.sample:
        parts.append(sample_table(shown))
    return parts


def recognised(shown: Preview) -> html.Div:
    plan = shown.plan
    cities = sorted({record.city for record in (*plan.walk_items(), *plan.indicators) if record.city})
    facts = [("类型", KINDS.get(plan.kind, plan.kind)), ("文号", plan.doc_no or "（无）"), ("发文机关", plan.issuer),
             ("标题", plan.title), ("成文日期", plan.issue_date.isoformat()), ("年度", str(plan.plan_year)),
             ("地市", "、".join(cities) if cities else "全省")]
    return html.Dl([x for label, value in facts for x in (html.Dt(label, className="col-sm-2"),
                                                          html.Dd(value, className="col-sm-10 mb-1"))],
                   className="row mb-2", id="plan-recognised")


def difference(shown: Preview) -> html.Div:
    """What the import writes: for a plan already imported, what it adds,
    changes and removes, and what becomes of reported progress."""
    plan, result = shown.plan, shown.result
    items = [i for i in plan.walk_items() if i.kind != "group"]
    milestones = sum(len(i.milestones) for i in items)
    departments = sorted({d.name for i in items for d in i.departments})
    lines = [f"将写入：工作事项 {len(items)} 个（另有分组 {sum(1 for i in plan.walk_items()) - len(items)} 个）、"
             f"工作节点 {milestones} 个、部门 {len(departments)} 个、指标 {len(plan.indicators)} 个、"
             f"数据质量问题 {len(plan.findings)} 条。"]
    changes = []
    if result is not None and shown.existing:
        if result.outcome == "unchanged":
            lines.append("该计划已导入，与已导入的版本相同：导入不会改变任何内容。")
        else:
            words = {"work_item": "工作事项", "milestone": "工作节点", "indicator": "指标"}
            counts = "；".join(f"{words[t]} 新增 {c['added']}、修改 {c['updated']}、删除 {c['removed']}"
                              for t, c in result.counts.items() if t in words)
            lines.append(f"该计划已导入（{result.plan}），本次为更新：{counts}。")
            if result.reported_changed:
                lines.append(f"其中 {result.reported_changed} 个已报送进度的节点内容或时间有变：已报送的进度保留，"
                             "按新的节点内容和完成时间判断状态。")
            lines.append("删除的节点和指标如已有报送，将拒绝导入（不会删除任何已报送的进度）。")
            if result.kept_corrections:
                lines.append(f"其中 {result.kept_corrections} 处内容曾在系统中更正或调整：保留更正后的内容，"
                             "文件中的写法不覆盖（见各事项的计划变更记录）。")
            labels = {"added": "新增", "updated": "修改", "removed": "删除"}
            changes = [html.Li(f"{words[t]}{labels[what]}：{label}") for t, rows in result.changes.items()
                       if t in words for what, label in rows[:30]]
    return html.Div([*[html.P(line, className="mb-1") for line in lines],
                     html.Ul(changes, className="small", id="plan-changes") if changes else None],
                    id="plan-difference", className="mb-2")


def items_grid(plan) -> html.Div:
    rows, groups = [], {}
    for item in plan.walk_items():
        for child in item.children:
            groups[child.key] = item.name
        if item.kind == "group":
            continue
        rows.append({
            "number": item.number, "group": groups.get(item.key, ""), "name": item.name, "city": item.city or "",
            "lead": "、".join(d.name for d in item.departments if d.role == "lead"),
            "coop": "、".join(d.name for d in item.departments if d.role == "coop"),
            "scope": item.scope or "", "deadline": item.deadline.text if item.deadline else "",
            "milestones": len(item.milestones)})
    return data_grid("plan-items", rows, ITEM_COLUMNS, title="将导入的工作事项",
                     filename=export_filename("导入预览", clock.today()))


def units(plan) -> html.Div:
    """The departments the plan names (lead or co-operating)."""
    names = sorted({d.name for item in plan.walk_items() for d in item.departments})
    return html.Div([html.H6(f"部门（{len(names)} 个）", className="mt-2"),
                     html.P("、".join(names) or "（无）", className="small")], id="plan-units")


def indicators_grid(plan) -> html.Div:
    """The indicators to be written, each with its city, figures as written
    and where it was read."""
    rows = [{"name": i.target.name, "city": i.city or "全省", "baseline": i.target.baseline_text or "",
             "target": i.target.target_text or
             (f"{i.target.value:g}{i.target.unit or ''}" if i.target.value is not None else "（定性）"),
             "attribute": i.attribute or "", "due": i.due.text if i.due else "",
             "source": i.source.where or f"第{i.source.line}行"} for i in plan.indicators]
    return html.Div([html.H6(f"指标（{len(rows)} 个）"),
                     data_grid("plan-indicators", rows, INDICATOR_COLUMNS, title="将导入的指标",
                               filename=export_filename("导入预览_指标", clock.today()))], id="plan-indicators")


def findings_list(plan) -> html.Div:
    if not plan.findings:
        return html.P("没有数据质量问题。", className="text-muted small", id="plan-findings")
    return html.Div([html.H6(f"数据质量问题（{len(plan.findings)} 条，导入后在“数据质量”页可见）"),
                     html.Ul([html.Li(f"[{FINDING_LABELS.get(f.kind, f.kind)}] {f.message}")
                              for f in plan.findings[:100]],
                             className="small")], id="plan-findings", className="mt-2")


def sample_table(shown: Preview) -> html.Div:
    header = shown.header
    head = html.Tr([html.Th([html.Div(word or "（空白）"),
                             html.Div(ROLE_LABELS.get(role, "不读取") if role else "不读取",
                                      className="small text-primary")])
                     for word, role in zip(header.words, header.roles)])
    body = [html.Tr([html.Td(cell[:80]) for cell in row]) for row in shown.sample]
    return html.Div([html.H6("表格前几行（按上方各列含义读取）", className="mt-3"),
                     html.Div(dbc.Table([html.Thead(head), html.Tbody(body)], bordered=True, size="sm",
                                        className="small"), style={"overflowX": "auto"})], id="plan-sample")


def _corrections(city, year, kind, roles):
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    return checked_given(city, year, kind, roles)


@callback(Output("plan-preview", "children"),
          Input("plan-city", "value"), Input("plan-year", "value"), Input("plan-kind", "value"),
          Input({"type": "plan-role", "col": ALL}, "value"), State("plan-token", "data"),
          prevent_initial_call=True)
def redraw(city, year, kind, roles, token):
    """The preview again with the corrections (nothing written)."""
    given, kind = _corrections(city, year, kind, roles)
    try:
        with session_scope() as s:
            return preview_body(preview(s, current_account(), token, given, kind))
    except IntakeError as exc:
        return dbc.Alert(str(exc), color="warning")


@callback(Output("plans-message", "children"), Output("plans-table", "children"),
          Output("plan-preview-card", "style"),
          Input("plan-confirm", "n_clicks"), Input("plan-cancel", "n_clicks"),
          State("plan-token", "data"), State("plan-city", "value"), State("plan-year", "value"),
          State("plan-kind", "value"), State({"type": "plan-role", "col": ALL}, "value"),
          prevent_initial_call=True)
def act(_confirm, _cancel, token, city, year, kind, roles):
    """确认导入 (one transaction, audited) or 取消; the preview goes either way
    when it worked."""
    action = clicked("plan-confirm", "plan-cancel")
    given, kind = _corrections(city, year, kind, roles)
    try:
        with session_scope() as s:
            if action == "plan-cancel":
                discard(s, current_account(), token)
                return dbc.Alert("已取消，未导入任何内容。", color="secondary", id="plans-result"), \
                    plans_table(), {"display": "none"}
            result = confirm(s, current_account(), token, given, kind)
    except (IntakeError, DocumentError) as exc:
        return dbc.Alert(f"未导入：{str(exc).split(': ', 1)[-1]}", color="danger", id="plans-result"), \
            plans_table(), dash.no_update
    invalidate()
    words = {"imported": "已导入", "updated": "已更新", "unchanged": "无变化（与已导入的版本相同）"}
    return dbc.Alert([f"{words[result.outcome]}：{result.plan}。", html.A("查看节点台账", href="/milestones",
                                                                       className="ms-2")],
                     color="success", id="plans-result"), plans_table(), {"display": "none"}
