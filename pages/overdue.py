"""逾期与临期: every overdue and due-soon milestone, the worst first (most days
overdue, then the nearest due date), so that the office knows whom to chase.
Filters (plan, city, department, status, days overdue) stay in the URL."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from flask import current_app

from accounts import current_account
from components.actions import clicked, refused

from components.cards import kpi_card, page_header
from components.figures import overdue_bars_figure
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename
from components.ledger import ledger_columns, ledger_rows, ledger_stem, ledger_title, letter_links
from components.status import AMBER, RED, due_soon_label
from components.urges import letter_choice, sent_letters
from queries.ledger import ROW_CAP
from notices.urge import UrgeError, chased_counts, send_urge
from queries.cache import invalidate
from queries.overdue import overdue_groups, overdue_totals, worst_rows
from store import clock, session_scope

dash.register_page(__name__, path="/overdue", name="逾期与临期", order=40,
                   title="逾期与临期 · 信用应用场景推进监测平台")

PAGE_STATUSES = ("overdue", "due_soon")
MIN_DAYS = (7, 30, 90, 180)
FIELDS = ("city", "county", "plan", "item", "milestone", "due", "due_text", "status_text", "days_overdue",
          "lead", "latest", "chased")


def layout(**query):
    view = read_view(query)
    min_days, problems = parse_min_days(query.get("min_days"))
    if set(view.filters.statuses) - set(PAGE_STATUSES):
        problems.append("本页只列逾期和临期的节点，已忽略其他状态；全部状态见“节点台账”")
    statuses = tuple(s for s in view.filters.statuses if s in PAGE_STATUSES) or PAGE_STATUSES
    view = replace(view, problems=view.problems + tuple(problems))
    filters = replace(view.filters, statuses=statuses)
    totals = overdue_totals(view.as_of, filters, min_days)
    rows = worst_rows(view.as_of, filters, min_days, ROW_CAP)
    shown = ("overdue",) if min_days else statuses
    with session_scope() as s:
        chased = chased_counts(s, {r["milestone_id"] for r in rows})
    account = current_account()
    chaser = account is not None and account.role in ("admin", "city")
    return html.Div([
        page_header("逾期与临期", view, "逾期天数最多的排在最前，其后是临期节点（按到期日先后）"),
        filter_bar(view),
        controls(statuses, min_days),
        html.Div(letter_links(view), className="px-3 mb-2") if rows else None,
        dbc.Row([
            dbc.Col(headline(view, totals, shown, min_days), lg=4),
            dbc.Col(dbc.Card(dbc.CardBody(chart(view, filters, min_days))), lg=8, className="mb-3") if rows else None,
        ], className="g-3 mb-2"),
        html.Div(data_grid(
            "overdue", [{**r, "chased": chased.get(r["milestone_id"], 0)} for r in ledger_rows(rows)],
            ledger_columns(*FIELDS), total=totals["overdue"] + totals["due_soon"],
            title=ledger_title(view.filters, view.as_of, "逾期与临期节点"),
            filename=export_filename(ledger_stem(view.filters, "逾期与临期节点"), view.as_of),
            empty="筛选条件下没有逾期或临期的节点", official=True, selectable=chaser), id="overdue-grid"),
        urge_card(account) if chaser and rows else None,
    ])


def urge_card(account) -> dbc.Card:
    """催办所选: the ticked milestones' units are told (in the app and by mail) with this message."""
    whose = "本市" if account.role == "city" else "各地市、各部门"
    return dbc.Card(dbc.CardBody([
        html.H5("催办"),
        html.Div(f"在表中勾选要催办的节点（可先按部门筛选，再用表头复选框全选），填写催办内容和回复期限后发送：{whose}负责报送这些节点的"
                 "单位（牵头部门；无牵头部门的为地市信用办）将在“通知”、邮件和进度填报页看到催办，直至回复或报送进展。",
                 className="small text-muted mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label("催办内容", html_for="urge-message", className="small text-muted mb-1"),
                     dbc.Input(id="urge-message", maxLength=500, placeholder="如：请于本周内报送进展，并说明逾期原因和整改措施")], md=8),
            dbc.Col([dbc.Label("回复期限", html_for="urge-reply-by", className="small text-muted mb-1"),
                     dbc.Input(id="urge-reply-by", type="date", value=(clock.today() + timedelta(days=7)).isoformat())],
                    md=2),
            dbc.Col(dbc.Button("催办所选", id="urge-send", color="warning", className="mt-4"), md=2),
        ], className="g-2"),
        letter_choice("urge-letter"),
        html.Div(id="urge-result", className="mt-2", role="status"),
    ]), className="mt-3 mb-4")


@callback(Output("urge-result", "children"), Input("urge-send", "n_clicks"),
          State({"type": "grid", "name": "overdue"}, "selectedRows"), State("urge-message", "value"),
          State("urge-reply-by", "value"), State("urge-letter", "value"), prevent_initial_call=True)
def urge(_clicks, selected, message, reply_by, letter):
    """Send the 催办 (everything checked again on the server: notices.urge)."""
    clicked("urge-send")
    ids = [row.get("milestone_id") for row in selected if isinstance(row, dict)] if isinstance(selected, list) else []
    try:
        with session_scope() as s:
            sent = send_urge(s, current_account(), ids, message, reply_by, clock.today(),
                             current_app.config["DUE_SOON_DAYS"], letter)
    except UrgeError as exc:
        return refused(exc.messages, "urge-refused", "未催办")
    invalidate()
    text = f"已催办 {sent.urges} 个单位（{sent.milestones} 个节点），{sent.accounts} 个账号收到通知。"
    if sent.without_account:
        text += f"以下单位尚无账号，请另行通知：{'、'.join(sent.without_account)}。"
    return dbc.Alert([text, sent_letters(sent)], color="success", className="py-2", id="urge-sent")


def parse_min_days(raw) -> tuple[int | None, list[str]]:
    """The ``min_days`` URL parameter: a whole number of days, else ignored with a note."""
    if raw in (None, ""):
        return None, []
    try:
        days = int(raw)
    except ValueError:
        days = -1
    if days < 0:
        return None, [f"逾期天数“{raw}”无法识别，已忽略该筛选条件"]
    return days or None, []


def controls(statuses: tuple[str, ...], min_days: int | None) -> dbc.Row:
    """The page's own filters; their pattern ids let the shared callback put them in the URL."""
    soon = due_soon_label()
    days = sorted({*MIN_DAYS, min_days} - {None})  # an unlisted min_days from a link gets its own option
    return dbc.Row([
        dbc.Col([dbc.Label("状态", className="small text-muted mb-1"), dcc.Dropdown(
            [{"label": "逾期未完成", "value": "overdue"}, {"label": soon, "value": "due_soon"}],
            statuses[0] if len(statuses) == 1 else None, placeholder="逾期和临期",
            id={"type": "filter", "name": "status"})], md=3),
        dbc.Col([dbc.Label("逾期天数", className="small text-muted mb-1"), dcc.Dropdown(
            [{"label": "不限", "value": ""}] + [{"label": f"{d}天以上", "value": str(d)} for d in days],
            str(min_days) if min_days else "", placeholder="不限", clearable=False,
            id={"type": "filter", "name": "min_days"})], md=2),
    ], className="g-2 mb-3 px-3")


def headline(view, t: dict, shown: tuple[str, ...], min_days: int | None) -> html.Div:
    """逾期 n 个 / 累计逾期天数 / 临期 n 个 over the milestones listed (totals:
    queries.overdue); a status not shown is a dash and a link to it."""
    def value(status: str, n: int) -> str:
        return f"{n:,}个" if status in shown else "—"

    overdue, days = t["overdue"], t["days"]
    cards = [
        kpi_card("逾期未完成", value("overdue", overdue),
                 view.href("/overdue", status="overdue", min_days=min_days), card_id="overdue-count",
                 note=f"涉及{t['items']}项工作事项、{t['cities']}个地市" if overdue else "",
                 colour=RED if overdue else None),
        kpi_card("累计逾期天数", f"{days:,}天" if "overdue" in shown else "—", None,
                 card_id="overdue-days",
                 note=f"最长{t['longest']:,}天，平均{days / overdue:,.0f}天" if overdue else ""),
        kpi_card(due_soon_label(), value("due_soon", t["due_soon"]),
                 view.href("/overdue", status="due_soon"), card_id="due-soon-count",
                 note="" if "due_soon" in shown else "未显示，点击查看", colour=AMBER if t["due_soon"] else None),
    ]
    return html.Div([html.Div(c, className="mb-3") for c in cards])


TOP_DEPARTMENTS = 15


def chart(view, filters, min_days: int | None) -> dcc.Graph:
    """Per city; within one city, per lead department (the worst ones)."""
    if view.filters.city:
        figure = overdue_bars_figure(overdue_groups(view.as_of, filters, min_days, "lead")[:TOP_DEPARTMENTS],
                                     f"{view.filters.city}市逾期与临期节点最多的牵头部门")
    else:
        figure = overdue_bars_figure(overdue_groups(view.as_of, filters, min_days, "city"), "各地市逾期与临期节点")
    return dcc.Graph(id="overdue-chart", figure=figure, config={"displaylogo": False})
