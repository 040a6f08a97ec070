"""进度填报: a city or department editor reports a month — each milestone's
state, completion date and note, each indicator's actual — in the browser, or
downloads the pre-filled Excel template and uploads it back.

Everything the browser sends is checked again on the server: who is logged
in (never what the page showed), that every record is in their scope, every
value (reporting.check), and the version each record was loaded at, so that
a second editor cannot overwrite a first one unseen (reporting.apply).
"""
from __future__ import annotations

import base64
import binascii
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from accounts import current_account
from accounts.scope import Scope
from components.access import login_needed, not_allowed
from components.actions import clicked, refused
from components.evidence import evidence_card, register_callbacks, upload_form
from components.filters import control_bar
from components.format import cn_date
from components.grid import GRID_TEXT, export_filename
from components.status import STATUS_CELL_CLASSES, status_text
from notices.urge import UrgeError, answer_urge, open_urges
from queries import api
from queries.cache import invalidate
from queries.approvals import returned_rows
from reporting.entries import Problem, Reader, Report, read_indicator, read_milestone, whole_number
from reporting.coverage import city_reports
from reporting.form import indicator_form_rows, milestone_rows, submissions
from reporting.locks import is_locked
from reporting.submit import Result, submit
from reporting.template import MAX_BYTES, build_template, read_template
from store import clock, session_scope
from store.audit import as_text
from store.clock import local_text
from store.models import PROGRESS_STATES, Plan, Region
from store.periods import add_months, parse_period, period_label, period_of, recent_periods, report_due

dash.register_page(__name__, path="/report", name="进度填报", order=80, roles=("admin", "city", "department"),
                   title="进度填报 · 信用应用场景推进监测平台")
register_callbacks("report-evidence")

def layout(**query):
    account = current_account()
    if account is None:
        return login_needed("/report", "进度填报")
    if not account.can_report:
        return not_allowed("领导账号只能查看，不能填报进度。各地市、各部门的报送情况见各页面和审计日志。")
    context = read_context(account, query)
    ms_all, ind = form_rows(account, context)
    ms, context["page"], pages = page_of(ms_all, context["page"])
    with session_scope() as s:
        scope = Scope.of(account, context["city_id"])
        returned = returned_rows(s, scope.milestones(), clock.today())
        urges = open_urges(s, account)
    return html.Div([
        html.Div([html.H3("进度填报", className="page-title mb-0"), html.Div(
            f"{scope_title(account, context)} · {period_label(context['period'])}工作推进情况",
            className="text-muted", id="report-scope"),
            html.Div(dcc.Link("节点完成时间需调整或取消？提交计划调整申请 ›", href="/requests", id="report-requests-link"),
                     className="small")], className="mb-3"),
        urge_alert(urges),
        returned_alert(returned),
        controls(account, context),
        html.Div(deadline_note(account, context), id="report-deadline-slot"),
        dcc.Store(id="report-context", data={k: v for k, v in context.items() if k != "city_id"}),
        html.Div([
            dbc.Button("提交报送", id="report-save", color="primary", className="me-2"),
            dbc.Button("下载 Excel 填报模板", id="report-template", color="secondary", outline=True,
                       className="me-2"),
            html.Div(upload_button(), id="report-upload-slot", className="d-inline-block"),
            dcc.Download(id="report-template-download"),
            html.Span("修改过的单元格以黄色标出；未修改的行不会写入。", className="small text-muted ms-3"),
        ], className="d-flex align-items-center flex-wrap gap-1 mb-3"),
        dcc.Loading(html.Div(id="report-result"), type="dot"),
        dcc.Store(id="report-upload-data"),
        html.H5(["工作节点 ", html.Span(f"{len(ms_all)} 个", className="text-muted fs-6")]),
        choose_city_prompt(account, context),
        html.Div("单击“报送状态”“完成日期”“进展说明”单元格即可填写；已完成的节点默认不显示。",
                 className="small text-muted mb-2"),
        pager(context, pages, len(ms_all)),
        milestone_grid(ms, account.role == "admin"),
        html.H5("佐证材料", className="mt-4"),
        html.Div("已完成的节点请上传佐证材料（验收报告、文件、截图等），随报送供审核；已上传的份数见上表“佐证”列，"
                 "文件在各事项页查看。", className="small text-muted mb-2"),
        evidence_card("report-evidence", None, upload_form("report-evidence-form", [
            {"value": r["milestone_id"], "label": f"行{r['row']} · {r['city'] or '全省'} · {r['item'][:24]} · 节点{r['seq']}"}
            for r in ms], f"/report?{urlencode(link_params(context))}"), "佐证材料", "佐证材料", clock.today()),
        html.H5(["指标 ", html.Span(f"{len(ind)} 项", className="text-muted fs-6")], className="mt-4"),
        html.Div("有新数据的指标填写“本期实际值”和“数据截至日期”；没有新数据的留空。", className="small text-muted mb-2"),
        indicator_grid(ind),
        submissions_table(account, context),
    ])


def upload_button() -> dcc.Upload:
    """A fresh upload control: after each file it is replaced, so that choosing
    a corrected file of the same name uploads it again."""
    return dcc.Upload(dbc.Button("上传填好的模板", color="secondary", outline=True), id="report-upload",
                      accept=".xlsx", max_size=MAX_BYTES)


def read_context(account, query: dict) -> dict:
    """The month, plan, city (admins), 'show done' choice and page of the
    milestone list from the URL, each checked (an unknown value falls back to
    the default)."""
    today = clock.today()
    start = parse_period(query.get("period"))
    period = period_of(start) if start and start <= today else period_of(add_months(today, -1))
    if not start and account.role != "admin":  # last month reviewed and locked: this month's report
        with session_scope() as s:
            period = period_of(today) if is_locked(s, period, today) else period
    plans = {p["value"] for p in api.choices()["plans"]}
    plan = query.get("plan") if query.get("plan") in plans else None
    city = city_id = None
    if account.role == "admin" and query.get("city") in api.choices()["cities"]:
        city = query["city"]
        with session_scope() as s:
            city_id = s.scalar(select(Region.id).where(Region.name == city))
    page = str(query.get("page") or "1")
    page = whole_number(page, 10_000) or 1
    # (the URL says all=1; the page's stored context, read again by the callbacks, says True)
    return {"period": period, "plan": plan, "city": city, "city_id": city_id,
            "all": query.get("all") in ("1", True), "page": page}


# An admin reports for one city at a time (代报地市); without one, the form holds
# the province's own records (of no city: the 十四五 indicators).  Longer lists
# are paged: no grid is sent more rows than a person fills in at one sitting.
PAGE_ROWS = 1000
MAX_INDICATOR_ROWS = 5000


def province_view(account, context: dict) -> bool:
    return account.role == "admin" and context["city_id"] is None


def form_rows(account, context: dict) -> tuple[list[dict], list[dict]]:
    """The milestone and indicator rows the form offers in this context (all
    pages).  What may be written is checked on the server whatever was shown
    (Scope.of the account and the chosen city)."""
    scope, province = Scope.of(account, context["city_id"]), province_view(account, context)
    today = clock.today()
    return (milestone_rows(scope, today, context["plan"], context["all"], province_only=province),
            indicator_form_rows(scope, today, context["plan"], province_only=province))


def page_of(rows: list[dict], page: int) -> tuple[list[dict], int, int]:
    """The rows of ``page`` (PAGE_ROWS each; past the last one, the last), the page, the pages."""
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page = min(page, pages)
    return rows[(page - 1) * PAGE_ROWS:page * PAGE_ROWS], page, pages


def link_params(context: dict) -> dict:
    """The form's context as the URL writes it (what is not set left out)."""
    params = {"period": context["period"], "plan": context["plan"], "city": context["city"],
              "all": "1" if context["all"] else None}
    return {k: v for k, v in params.items() if v}


def urge_alert(urges: list[dict]):
    """The 催办 this unit has not answered nor reported on since: on top, with a way to answer."""
    if not urges:
        return None
    def one(u):
        ms = "、".join(f"{m['item'][:20]} 节点{m['seq']}" for m in u["milestones"][:8])
        return html.Li([html.Strong(f"{u['sent_by']}（{u['sent_at']}）："), u["message"],
                        html.Div(f"涉及：{ms}{' 等' if len(u['milestones']) > 8 else ''}；请于 {u['reply_by']} 前回复或报送进展。",
                                 className="small"),
                        html.Div(["督办单：", html.A("Word", href=u["letter"], download=""), " · ",
                                  html.A("PDF", href=u["letter"] + "?format=pdf", download="")],
                                 className="small") if u["letter"] else None], className="mb-1")
    return dbc.Alert([
        html.Strong(f"催办（{len(urges)} 件）：报送所涉节点的进展，或在此回复。"),
        html.Ul([one(u) for u in urges], className="mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label("回复哪件催办", html_for="urge-answer-which", className="small mb-1"),
                     dbc.Select(id="urge-answer-which", value=str(urges[0]["urge_id"]), options=[
                         {"label": f"{u['sent_at']} {u['message'][:20]}", "value": str(u["urge_id"])} for u in urges])],
                    md=4),
            dbc.Col([dbc.Label("回复内容", html_for="urge-answer-text", className="small mb-1"),
                     dbc.Input(id="urge-answer-text", maxLength=500, placeholder="如：已协调接口，预计下周上线")], md=6),
            dbc.Col(dbc.Button("回复", id="urge-answer-send", color="warning", size="sm", className="mt-4"), md=2),
        ], className="g-2"),
        html.Div(id="urge-answer-result", className="mt-2", role="status"),
    ], color="warning", className="py-2", id="report-urges")


@callback(Output("urge-answer-result", "children"), Input("urge-answer-send", "n_clicks"),
          State("urge-answer-which", "value"), State("urge-answer-text", "value"), prevent_initial_call=True)
def answer(_clicks, which, text):
    """Answer a 催办 (checked on the server: one of this unit's, not answered yet)."""
    clicked("urge-answer-send")
    try:
        with session_scope() as s:
            answer_urge(s, current_account(), whole_number(which, 2**31), text)
    except UrgeError as exc:
        return refused(exc.messages, "urge-answer-refused", "未回复")
    invalidate()
    return dbc.Alert(["已回复，催办单位将收到通知。", dcc.Link("刷新", href="/report", className="ms-2")],
                     color="success", className="py-2", id="urge-answered")


def returned_alert(returned: list[dict]):
    """The completions review sent back: on top until reported again."""
    if not returned:
        return None
    return dbc.Alert([
        html.Strong(f"有 {len(returned)} 项完成情况被审核退回，请按意见修改后重新报送（在下表中再次填写“已完成”并提交）："),
        html.Ul([html.Li([dcc.Link(f"{r['city']} · {r['item'][:30]} · 节点{r['seq']}", href=f"/item/{r['item_id']}"),
                          f"：{r['reason'] or '（未填写意见）'}（{r['returned_by']}，{r['returned_on']}退回）"])
                 for r in returned], className="mb-0")], color="danger", className="py-2", id="report-returned")


def pager(context: dict, pages: int, total: int):
    """'第 1–1,000 个，共 2,275 个' and a link to every page (the page is in the URL)."""
    if pages <= 1:
        return None
    page = context["page"]
    params = link_params(context)
    links = []
    for n in range(1, pages + 1):
        label = f"第 {n} 页"
        href = "/report?" + urlencode({k: v for k, v in {**params, "page": n}.items() if v})
        links.append(html.Strong(label, className="mx-1", **{"aria-current": "page"}) if n == page
                     else dcc.Link(label, href=href, className="mx-1"))
    first, last = (page - 1) * PAGE_ROWS + 1, min(page * PAGE_ROWS, total)
    return dbc.Alert([f"节点较多，分页显示：本页为第 {first:,}–{last:,} 个，共 {total:,} 个。", *links,
                      html.Span("（翻页前请先提交本页的填写）", className="ms-1")],
                     color="light", className="border py-2 small", id="report-pages")


def choose_city_prompt(account, context: dict):
    """For an admin who has not chosen a city: how to report for one."""
    if not province_view(account, context):
        return None
    return dbc.Alert("请先在上方“代报地市”中选择要代报的地市：选择后显示该市的工作节点和指标。"
                     "未选择地市时，这里只列出不属于任何地市的省级记录（如省级指标）。",
                     color="info", className="py-2 small", id="report-choose-city")


def scope_title(account, context: dict) -> str:
    if account.role == "admin":
        return f"{context['city']}市（管理员代报）" if context["city"] else "全省（管理员）"
    return account.scope_label


def period_options() -> list[dict]:
    with session_scope() as s:
        first = s.scalar(select(func.min(Plan.issue_date))) or clock.today()
    return [{"value": p, "label": period_label(p)} for p in recent_periods(clock.today(), first, limit=60)]


def controls(account, context: dict) -> html.Div:
    fields = [("报送月份", dcc.Dropdown(period_options(), context["period"], clearable=False,
                                       id={"type": "filter", "name": "period"}), 2),
              ("计划文件", dcc.Dropdown(api.choices()["plans"], context["plan"], placeholder="全部计划",
                                     id={"type": "filter", "name": "plan"}), 3)]
    if account.role == "admin":
        fields.append(("代报地市", dcc.Dropdown(api.choices()["cities"], context["city"], placeholder="请选择地市",
                                            id={"type": "filter", "name": "city"}), 2))
    fields.append(("", dbc.Checklist([{"label": "显示已完成的节点", "value": "1"}], ["1"] if context["all"] else [],
                                     id={"type": "filter", "name": "all"}, className="pt-4"), 3))
    rendered = {"period": context["period"], "plan": context["plan"], "all": ["1"] if context["all"] else []}
    if account.role == "admin":
        rendered["city"] = context["city"]
    return control_bar(fields, rendered)


def deadline_note(account, context: dict) -> dbc.Alert:
    """When this month's report is due, and whether this office's is in."""
    due = report_due(context["period"], current_app.config["REPORT_DUE_DAY"])
    text = [f"{period_label(context['period'])}的报送截止日：", html.Strong(cn_date(due)), "。"]
    if account.role != "admin":
        mine = [s for s in submissions(context["period"], account.city_id, account.department_id)
                if s["department_id"] == account.department_id]
        if mine:
            first = mine[0]
            text += [f"本单位已于 {local_text(first['submitted_at'])} 报送（",
                     html.Span("按时" if first["on_time"] else "逾期", className="fw-bold"),
                     f"），共报送 {len(mine)} 次。"]
        else:
            text.append("本单位尚未报送本月进度。")
        with session_scope() as s:
            if is_locked(s, context["period"], clock.today()):
                text.append(html.Strong(f"{period_label(context['period'])}的报送已审核锁定，不能再提交；"
                                        "如需更正，请提交计划调整申请（更正已锁定月份的报送）。", className="text-danger"))
    return dbc.Alert(text, color="light", className="border py-2 small", id="report-deadline")


def milestone_grid(rows: list[dict], admin: bool) -> dag.AgGrid:
    """The milestones to fill in; 取消 only for the admin (an editor asks for it: 计划调整申请)."""
    states = [label for code, label in PROGRESS_STATES.items() if admin or code != "cancelled"]
    columns = [
        {"field": "row", "headerName": "行", "width": 65, "pinned": "left"},
        {"field": "city", "headerName": "地市", "width": 70},
        {"field": "item", "headerName": "场景/项目/任务", "width": 150, "tooltipField": "item"},
        {"field": "milestone", "headerName": "工作计划（节点）", "flex": 2, "minWidth": 200},
        {"field": "due", "headerName": "节点时限", "width": 105},
        {"field": "status_text", "headerName": "当前状态", "width": 115, "cellClassRules": STATUS_CELL_CLASSES},
        {"field": "last", "headerName": "最新进展（报送日期）", "flex": 1, "minWidth": 150},
        {"field": "state", "headerName": "报送状态 ✎", "width": 115, "editable": True,
         "cellEditor": "agSelectCellEditor", "cellEditorParams": {"values": states},
         "cellClassRules": {"cell-edited": "params.data.state != params.data.base_state"},
         "cellClass": "cell-editable"},
        {"field": "evidence", "headerName": "佐证", "width": 70,
         "valueFormatter": {"function": "params.value ? params.value + ' 份' : '—'"}},
        {"field": "completed_on", "headerName": "完成日期 ✎", "width": 125, "editable": True,
         "cellEditor": "agDateStringCellEditor", "cellClass": "cell-editable",
         "cellClassRules": {"cell-edited": "(params.data.completed_on || null) != (params.data.base_completed_on || null)"}},
        {"field": "note", "headerName": "进展说明 ✎", "flex": 1, "minWidth": 150, "editable": True,
         "cellEditor": "agLargeTextCellEditor", "cellEditorPopup": True, "cellClass": "cell-editable",
         "cellEditorParams": {"maxLength": 500, "rows": 6, "cols": 50},
         "cellClassRules": {"cell-edited": "params.data.note != params.data.base_note"}},
    ]
    return editable_grid("report-milestones", rows, columns, "milestone_id",
                         [{**r, "status_text": status_text(r["status"])} for r in rows])


def indicator_grid(rows: list[dict]) -> dag.AgGrid:
    columns = [
        {"field": "row", "headerName": "行", "width": 65, "pinned": "left"},
        {"field": "city", "headerName": "地市", "width": 75},
        {"field": "item", "headerName": "场景/项目", "width": 150},
        {"field": "name", "headerName": "指标名称", "flex": 2, "minWidth": 220},
        {"field": "unit", "headerName": "单位", "width": 75},
        {"field": "baseline", "headerName": "基期值", "width": 100},
        {"field": "target", "headerName": "目标值", "width": 120},
        {"field": "latest", "headerName": "最新实际值（截至）", "width": 170},
        {"field": "value", "headerName": "本期实际值 ✎", "width": 125, "editable": True, "cellClass": "cell-editable",
         "cellClassRules": {"cell-edited": "params.value != null && params.value !== ''"}},
        {"field": "observed_on", "headerName": "数据截至日期 ✎", "width": 140, "editable": True,
         "cellEditor": "agDateStringCellEditor", "cellClass": "cell-editable",
         "cellClassRules": {"cell-edited": "params.value != null && params.value !== ''"}},
        {"field": "note", "headerName": "说明 ✎", "flex": 1, "minWidth": 150, "editable": True,
         "cellEditor": "agLargeTextCellEditor", "cellEditorPopup": True, "cellClass": "cell-editable",
         "cellEditorParams": {"maxLength": 500, "rows": 4, "cols": 40}},
    ]
    return editable_grid("report-indicators", rows, columns, "indicator_id", rows)


def editable_grid(grid_id: str, rows: list[dict], columns: list[dict], key: str, data: list[dict]):
    if not rows:  # (the grid is there all the same, hidden: the callbacks read and write it)
        return html.Div([dbc.Alert("没有需要填报的记录。", color="light", className="border", id=f"{grid_id}-empty"),
                         dag.AgGrid(id=grid_id, rowData=[], columnDefs=columns, getRowId=f"params.data.{key}",
                                    style={"display": "none"})])
    return dag.AgGrid(
        id=grid_id, rowData=data, columnDefs=columns, getRowId=f"params.data.{key}",
        defaultColDef={"resizable": True, "sortable": True, "filter": True, "wrapText": True, "autoHeight": True,
                       "wrapHeaderText": True, "autoHeaderHeight": True,
                       "cellStyle": {"lineHeight": "1.5", "paddingTop": "5px", "paddingBottom": "5px"}},
        dashGridOptions={"singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True,
                         "undoRedoCellEditing": True, "enableCellTextSelection": True,
                         "pagination": len(rows) > 100, "paginationPageSize": 100,
                         "domLayout": "autoHeight" if len(rows) <= 100 else "normal", "tooltipShowDelay": 300,
                         "localeText": GRID_TEXT},
        style={"width": "100%"} if len(rows) <= 100 else {"width": "100%", "height": "70vh"},
        className="ag-theme-alpine mb-2")


def submissions_table(account, context: dict):
    """For admins: each city's report for the month by the rule of
    reporting.coverage — its city office and each department with an account
    and work in force — which units are in, when, on time or not, who is missing."""
    if account.role != "admin":
        return None
    with session_scope() as s:
        reports = city_reports(s, context["period"])
    rows = []
    for r in reports:
        state, tone = coverage_state(r)
        first = r.first_at
        rows.append(html.Tr([html.Td(f"{r.city}市"), html.Td(state, className=tone),
                             html.Td(f"{len(r.reported)} / {len(r.units)}" if r.units else "—"),
                             html.Td(local_text(first) if first else "—"),
                             html.Td("、".join(r.missing) or "—", className="small"), html.Td(r.count)]))
    return html.Div([
        html.H5(f"各地市{period_label(context['period'])}报送情况", className="mt-4"),
        html.Div("一个地市的报送以其各报送单位均已报送为准：地市信用办，以及有账号、且在执行中计划里牵头工作节点的各部门；"
                 "没有账号的部门由地市信用办代报。", className="small text-muted mb-1"),
        dbc.Table([html.Thead(html.Tr([html.Th(h) for h in ("地市", "报送情况", "已报送单位", "首次报送时间", "未报送单位",
                                                            "报送次数")])),
                   html.Tbody(rows)], bordered=True, size="sm", className="w-auto", id="report-submissions"),
    ])


def coverage_state(r) -> tuple[str, str]:
    """'已报送（按时）' / '已报送（有逾期）' / '部分报送' / '未报送' / '本月无需报送' / '无账号', and its colour class."""
    if not r.units:
        return ("本月无需报送" if r.accounts else "无账号"), "text-muted"
    if r.complete:
        return ("已报送（按时）", "rag-green") if r.on_time else ("已报送（有逾期）", "rag-amber")
    return ("部分报送", "rag-amber") if r.reported else ("未报送", "rag-red")


# --- callbacks: every one re-reads the account and re-checks everything ---------

def _account_and_context(context):
    account = current_account()
    if account is None or not account.can_report:
        return None, None
    context = read_context(account, context if isinstance(context, dict) else {})
    return account, context


def period_problem(sent, context) -> Problem | None:
    """A write is for the month the page said: one the server does not accept
    (not a month, not yet begun) is refused, never replaced by the default."""
    period = sent.get("period") if isinstance(sent, dict) else None
    if period == context["period"]:
        return None
    return Problem("报送月份", None, None, f"“{str(period)[:20]}”不是可报送的月份（只能报送已开始的月份），未写入任何数据")


def grid_report(period: str, ms_rows, ind_rows) -> Report:
    """The grids' rows as a report (the row numbers are the grid's 行 column);
    no more rows than the form holds."""
    ms_reader, ind_reader = Reader("工作节点"), Reader("指标")
    if len(_dicts(ms_rows)) > PAGE_ROWS or len(_dicts(ind_rows)) > MAX_INDICATOR_ROWS:
        ms_reader.problem(None, None, f"一次最多提交 {PAGE_ROWS:,} 个节点、{MAX_INDICATOR_ROWS:,} 项指标")
        return Report(period, problems=tuple(ms_reader.problems))
    ms = [read_milestone(ms_reader, r, _row(r)) for r in _dicts(ms_rows, ms_reader)]
    ind = [read_indicator(ind_reader, r, _row(r)) for r in _dicts(ind_rows, ind_reader)]
    return Report(period, tuple(e for e in ms if e), tuple(e for e in ind if e), "web",
                  problems=tuple(ms_reader.problems + ind_reader.problems))


def _dicts(rows, reader: Reader | None = None) -> list[dict]:
    """The rows that are rows; anything else the browser could not have sent is a problem."""
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        if reader is not None:
            reader.problem(None, None, "表格数据格式不正确，请刷新页面后重新填写")
        return []
    return rows


def _row(r: dict) -> int | None:
    return r.get("row") if isinstance(r.get("row"), int) else None


@callback(
    Output("report-result", "children"),
    Output("report-milestones", "rowData"),
    Output("report-indicators", "rowData"),
    Output("report-deadline-slot", "children"),
    Input("report-save", "n_clicks"),
    State("report-milestones", "rowData"),
    State("report-indicators", "rowData"),
    State("report-context", "data"),
    prevent_initial_call=True,
)
def save(_clicks, ms_rows, ind_rows, sent):
    clicked("report-save")
    account, context = _account_and_context(sent)
    if account is None:
        return refusal(), no_update, no_update, no_update
    problem = period_problem(sent, context)
    result = Result(problems=[problem]) if problem else submit(grid_report(context["period"], ms_rows, ind_rows),
                                                                account, context["city_id"])
    if result.problems:
        return problems_alert(result.problems), no_update, no_update, no_update
    if result.conflicts:  # keep what this editor changed, on top of the newer versions
        ms_fresh, ind_fresh = fresh_rows(account, context)
        entered = {r.get("milestone_id"): r for r in _dicts(ms_rows) if changed_in_grid(r)}
        ms_fresh = [{**r, **{k: entered[r["milestone_id"]][k] for k in ("state", "completed_on", "note")}}
                    if r["milestone_id"] in entered else r for r in ms_fresh]
        entered_ind = {r.get("indicator_id"): r for r in _dicts(ind_rows)}
        ind_fresh = [{**r, **{k: entered_ind[r["indicator_id"]].get(k) for k in ("value", "observed_on", "note")}}
                     if r["indicator_id"] in entered_ind else r for r in ind_fresh]
        return conflicts_alert(result.conflicts), ms_fresh, ind_fresh, no_update
    return saved(result, account, context)


def changed_in_grid(row: dict) -> bool:
    """Whether the editor changed this row in the grid (the grid's own record of
    what it showed: used only to keep those changes on screen, never to judge)."""
    return any(row.get(k) != row.get(f"base_{k}") for k in ("state", "completed_on", "note"))


def saved(result: Result, account, context) -> tuple:
    """A committed report's answer: the note, the grids and whether this office
    has reported, read again.  The write is in, so if the store cannot be read
    right after it (it went away in between), the note says the grid is not
    refreshed rather than the request failing: a failure would tell the editor
    that nothing was saved."""
    try:
        ms, ind = fresh_rows(account, context)
        note = deadline_note(account, context)
    except SQLAlchemyError:
        current_app.logger.warning("report saved; its form could not be read again", exc_info=True)
        return success_alert(result, refreshed=False), no_update, no_update, no_update
    return success_alert(result), ms, ind, note


def fresh_rows(account, context, paged: bool = True) -> tuple[list[dict], list[dict]]:
    """The form's rows as they are in the store now: the grid's page, or (the
    template) all of them."""
    ms, ind = form_rows(account, context)
    if paged:
        ms = page_of(ms, context["page"])[0]
    return [{**r, "status_text": status_text(r["status"])} for r in ms], ind


@callback(
    Output("report-template-download", "data"),
    Input("report-template", "n_clicks"),
    State("report-context", "data"),
    prevent_initial_call=True,
)
def download_template(_clicks, context):
    clicked("report-template")
    account, context = _account_and_context(context)
    if account is None:
        return no_update
    ms, ind = fresh_rows(account, context, paged=False)
    scope = scope_title(account, context)
    data = build_template(ms, ind, period=context["period"], scope=scope, username=account.username,
                          today=clock.today())
    stem = export_filename(f"{scope.replace(' · ', '_')}_{period_label(context['period'])}_进度填报模板", clock.today())
    return dcc.send_bytes(data, stem + ".xlsx")


@callback(
    Output("report-result", "children", allow_duplicate=True),
    Output("report-upload-data", "data"),
    Output("report-upload-slot", "children"),
    Input("report-upload", "contents"),
    State("report-upload", "filename"),
    State("report-context", "data"),
    prevent_initial_call=True,
)
def upload(contents, filename, context):
    """Check the whole file; show every problem, or a preview to confirm."""
    if contents is None:  # the fresh control appearing
        return no_update, no_update, no_update
    account, context = _account_and_context(context)
    if account is None:
        return refusal(), None, upload_button()
    report, result = uploaded_report(contents, filename, account, context, dry_run=True)
    if not result.ok:
        return problems_alert(result.problems, filename), None, upload_button()
    return (preview_alert(report, result, filename), {"contents": contents, "filename": filename},
            upload_button())


@callback(
    Output("report-result", "children", allow_duplicate=True),
    Output("report-upload-data", "data", allow_duplicate=True),
    Output("report-milestones", "rowData", allow_duplicate=True),
    Output("report-indicators", "rowData", allow_duplicate=True),
    Output("report-deadline-slot", "children", allow_duplicate=True),
    Input("report-upload-confirm", "n_clicks"),
    State("report-upload-data", "data"),
    State("report-context", "data"),
    prevent_initial_call=True,
)
def confirm_upload(clicks, stored, context):
    """Write the previewed file: read and checked once more, in one transaction."""
    clicked("report-upload-confirm")
    account, context = _account_and_context(context)
    if account is None:
        return refusal(), None, no_update, no_update, no_update
    if not isinstance(stored, dict):
        return no_update, no_update, no_update, no_update, no_update
    _report, result = uploaded_report(stored.get("contents"), stored.get("filename"), account, context)
    if result.conflicts:
        return conflicts_alert(result.conflicts, upload=True), None, no_update, no_update, no_update
    if not result.ok:
        return problems_alert(result.problems, stored.get("filename")), None, no_update, no_update, no_update
    alert, ms, ind, note = saved(result, account, context)
    return alert, None, ms, ind, note


def uploaded_report(contents, filename, account, context, dry_run=False) -> tuple[Report | None, Result]:
    data, problem = decode_upload(contents)
    if problem:
        return None, Result(problems=[problem])
    name = str(filename or "上传文件.xlsx")[:200]
    report, problems = read_template(data, name, channel="excel")
    if problems:
        return None, Result(problems=problems)
    return report, submit(report, account, context["city_id"], dry_run=dry_run)


def decode_upload(contents) -> tuple[bytes, Problem | None]:
    """dcc.Upload's data URL -> bytes (size checked before decoding all of it)."""
    if not isinstance(contents, str) or "," not in contents:
        return b"", Problem("文件", None, None, "没有收到文件")
    encoded = contents.split(",", 1)[1]
    if len(encoded) * 3 // 4 > MAX_BYTES:
        return b"", Problem("文件", None, None, f"文件过大，上限为 {MAX_BYTES // 1048576} MB")
    try:
        return base64.b64decode(encoded, validate=True), None
    except (binascii.Error, ValueError):
        return b"", Problem("文件", None, None, "文件内容无法解码")


# --- messages -------------------------------------------------------------------

def refusal() -> dbc.Alert:
    return dbc.Alert("未登录或当前账号没有填报权限，未写入任何数据。请重新登录。", color="danger", id="report-refused")


def problems_alert(problems: list[Problem], filename: str | None = None) -> dbc.Alert:
    head = f"“{filename}”" if filename else "本次填报"
    return dbc.Alert([
        html.Strong(f"{head}有 {len(problems)} 处问题，未写入任何数据。请修改后重新提交："),
        html.Ul([html.Li(str(p)) for p in problems[:200]], className="mb-0 mt-2"),
        html.Div(f"（另有 {len(problems) - 200} 处未列出）", className="small") if len(problems) > 200 else None,
    ], color="danger", id="report-problems")


def conflicts_alert(conflicts, upload: bool = False) -> dbc.Alert:
    advice = ("请重新下载模板，核对后再上传。" if upload else
              "您填写的内容已保留在表格中，表格已更新为最新版本；核对后再次点击“提交报送”即以您的填写为准。")
    return dbc.Alert([
        html.Strong(f"{len(conflicts)} 条记录在您打开后已被他人更新，本次未写入任何数据。"),
        html.Table([html.Thead(html.Tr([html.Th("行"), html.Th("记录"), html.Th("他人已报送"), html.Th("您填写的")])),
                    html.Tbody([html.Tr([html.Td(c.row or ""), html.Td(c.label), html.Td(as_text(c.theirs)),
                                         html.Td(as_text(c.yours))]) for c in conflicts])],
                   className="table table-sm mt-2 mb-2"),
        html.Div(advice, className="small"),
    ], color="warning", id="report-conflicts")


def preview_alert(report: Report, result: Result, filename: str | None) -> dbc.Alert:
    rows = [html.Tr([html.Td(c["kind"]), html.Td(c["row"]), html.Td(c["label"]), html.Td(c["before"]),
                     html.Td(c["after"])]) for c in result.preview]
    return dbc.Alert([
        html.Strong(f"“{filename}”校验通过：{period_label(report.period)}，共 {len(result.preview)} 项变化。"
                    "确认后一次性写入："),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("表", "行", "记录", "原值", "新值")])),
                    html.Tbody(rows)], className="table table-sm mt-2 mb-2") if rows else
        html.Div("文件中没有修改过的行；确认后记录为本月已报送（无变化）。", className="mt-2"),
        dbc.Button("确认导入", id="report-upload-confirm", color="primary", size="sm"),
    ], color="info", id="report-preview")


def success_alert(result: Result, refreshed: bool = True) -> dbc.Alert:
    outcome = result.outcome
    return dbc.Alert([
        html.Strong(outcome.summary(), id="report-saved"),
        html.Ul([html.Li(label) for label in outcome.changed[:50]], className="mb-1 mt-2 small") if outcome.changed else None,
        None if refreshed else html.Div("已写入，但随后数据库暂时无法读取，下方表格未刷新：请稍后刷新页面再继续填报。",
                                        className="small fw-bold", id="report-not-refreshed"),
        html.Div([dcc.Link("在全省总览查看", href="/"), " · ", dcc.Link("查看节点台账", href="/milestones")],
                 className="small"),
    ], color="success", id="report-success")
