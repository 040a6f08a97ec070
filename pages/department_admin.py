"""部门名称管理 (admin): a city's departments with their other names; merge
two that are one office, undo a merge, rename one (corrections.departments).
The city is in the URL (?city=湖州)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from sqlalchemy import func, select

from accounts import current_account
from components.access import admin_only
from components.actions import clicked, refused
from components.cards import SITE
from components.grid import data_grid, export_filename
from corrections.apply import CorrectionError
from corrections.departments import merge_departments, rename_department, undo_merge
from queries.cache import invalidate
from store import clock, session_scope
from store.clock import local_text
from store.models import Department, DepartmentAlias, DepartmentMerge, ItemDepartment, Region
from store.regions import CITIES

dash.register_page(__name__, path="/departments/manage", name="部门名称管理", order=93, cache_layout=False,
                   roles=("admin",), title=f"部门名称管理 · {SITE}")

COLUMNS = [
    {"field": "name", "headerName": "部门", "minWidth": 180, "flex": 1},
    {"field": "lead", "headerName": "牵头事项", "width": 100},
    {"field": "coop", "headerName": "配合事项", "width": 100},
    {"field": "aliases", "headerName": "其他名称（导入时按本部门读取）", "minWidth": 220, "flex": 1},
]
MERGE_COLUMNS = [
    {"field": "merge_id", "headerName": "编号", "width": 76},
    {"field": "merged_at", "headerName": "时间", "width": 140},
    {"field": "from_name", "headerName": "并入的部门", "minWidth": 160, "flex": 1},
    {"field": "into", "headerName": "并入到", "minWidth": 160, "flex": 1},
    {"field": "reason", "headerName": "原因", "minWidth": 180, "flex": 1},
    {"field": "merged_by", "headerName": "操作人", "width": 100},
    {"field": "state", "headerName": "状态", "width": 90},
]


def layout(city=None, **_query):
    refused = admin_only("/departments/manage", "部门名称管理", "部门名称管理仅供管理员使用。")
    if refused is not None:
        return refused
    city = city if city in CITIES else CITIES[0]
    with session_scope() as s:
        departments, merges = department_rows(s, city), merge_rows(s, city)
    options = [{"value": d["id"], "label": d["name"]} for d in departments]
    pills = [dcc.Link(c, href=f"/departments/manage?city={c}", id=f"manage-city-{c}",
                      className="btn btn-sm " + ("btn-secondary" if c == city else "btn-outline-secondary"))
             for c in CITIES]
    field = lambda label, control, width: dbc.Col([dbc.Label(label, className="small text-muted mb-1"), control],  # noqa: E731
                                                  md=width)
    return html.Div([
        html.H3("部门名称管理", className="page-title mb-0"),
        html.Div("同一部门在不同计划中写法不同时合并为一个；合并、更名后原名称作为其他名称保留，以后导入时按本部门读取。",
                 className="text-muted mb-3"),
        html.Div(pills, className="d-flex flex-wrap gap-2 mb-3", id="manage-cities"),
        dcc.Store(id="manage-city", data=city),
        dbc.Card(dbc.CardBody([
            html.H5(f"合并{city}市的两个部门"),
            dbc.Row([field("并入的部门（合并后不再单列）", dcc.Dropdown(options, id="merge-from", placeholder="选择部门"), 4),
                     field("并入到", dcc.Dropdown(options, id="merge-into", placeholder="选择部门"), 4),
                     field("原因", dbc.Input(id="merge-reason", maxLength=500, placeholder="如：同一部门的简称"), 4)],
                    className="g-2"),
            dbc.Button("合并", id="merge-submit", color="primary", className="mt-2"),
            html.Div(id="merge-result", className="mt-2", role="status"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H5("部门更名"),
            dbc.Row([field("部门", dcc.Dropdown(options, id="rename-department", placeholder="选择部门"), 4),
                     field("新名称", dbc.Input(id="rename-name", maxLength=200), 4),
                     field("原因", dbc.Input(id="rename-reason", maxLength=500, placeholder="如：机构改革后的名称"), 4)],
                    className="g-2"),
            dbc.Button("更名", id="rename-submit", color="primary", className="mt-2"),
            html.Div(id="rename-result", className="mt-2", role="status"),
        ]), className="mb-3"),
        html.H5(f"{city}市的部门"),
        data_grid("manage-departments", departments, COLUMNS, title=f"{city}市的部门",
                  filename=export_filename(f"{city}市部门", clock.today()), empty="该市没有部门"),
        html.H5("合并记录"),
        data_grid("department-merges", merges, MERGE_COLUMNS, title=f"{city}市的部门合并记录",
                  filename=export_filename(f"{city}市部门合并", clock.today()), empty="尚无合并",
                  selectable=True),
        dbc.Button("撤销所选合并", id="unmerge-submit", color="secondary", outline=True),
        html.Div(id="unmerge-result", className="mt-2", role="status"),
    ])


def department_rows(session, city: str) -> list[dict]:
    counts = dict(((dept, role), n) for dept, role, n in session.execute(
        select(ItemDepartment.department_id, ItemDepartment.role, func.count()).group_by(
            ItemDepartment.department_id, ItemDepartment.role)))
    aliases: dict[int, list[str]] = {}
    for dept_id, name in session.execute(select(DepartmentAlias.department_id, DepartmentAlias.name)):
        aliases.setdefault(dept_id, []).append(name)
    rows = session.scalars(select(Department).join(Region, Region.id == Department.city_id)
                           .where(Region.name == city).order_by(Department.name))
    return [{"id": d.id, "name": d.name, "lead": counts.get((d.id, "lead"), 0), "coop": counts.get((d.id, "coop"), 0),
             "aliases": "、".join(sorted(aliases.get(d.id, [])))} for d in rows]


def merge_rows(session, city: str) -> list[dict]:
    rows = session.execute(select(DepartmentMerge, Department.name).join(Region, Region.id == DepartmentMerge.city_id)
                           .outerjoin(Department, Department.id == DepartmentMerge.into_id)
                           .where(Region.name == city).order_by(DepartmentMerge.id.desc()))
    return [{"merge_id": m.id, "merged_at": local_text(m.merged_at), "from_name": m.from_name, "into": into or "",
             "reason": m.reason, "merged_by": m.merged_by, "state": "已撤销" if m.undone_at else "已合并"}
            for m, into in rows]


def _done(message: str, result_id: str, city) -> dbc.Alert:
    invalidate()
    city = city if city in CITIES else CITIES[0]
    return dbc.Alert([message, html.A("刷新", href=f"/departments/manage?city={city}", className="ms-2")],
                     color="success", className="py-2", id=result_id)


@callback(Output("merge-result", "children"), Input("merge-submit", "n_clicks"),
          State("merge-from", "value"), State("merge-into", "value"), State("merge-reason", "value"),
          State("manage-city", "data"), prevent_initial_call=True)
def merge(_clicks, from_id, into_id, reason, city):
    clicked("merge-submit")
    try:
        with session_scope() as s:
            merged = merge_departments(s, current_account(), from_id, into_id, reason)
            text = f"已合并：“{merged.from_name}”并入，原名称作为其他名称保留（合并记录 #{merged.id}，可撤销）。"
    except CorrectionError as exc:
        return refused(exc.messages, "merge-refused")
    return _done(text, "merge-done", city)


@callback(Output("rename-result", "children"), Input("rename-submit", "n_clicks"),
          State("rename-department", "value"), State("rename-name", "value"), State("rename-reason", "value"),
          State("manage-city", "data"), prevent_initial_call=True)
def rename(_clicks, dept_id, name, reason, city):
    clicked("rename-submit")
    try:
        with session_scope() as s:
            dept = rename_department(s, current_account(), dept_id, name, reason)
            text = f"已更名为“{dept.name}”，原名称作为其他名称保留。"
    except CorrectionError as exc:
        return refused(exc.messages, "rename-refused")
    return _done(text, "rename-done", city)


@callback(Output("unmerge-result", "children"), Input("unmerge-submit", "n_clicks"),
          State({"type": "grid", "name": "department-merges"}, "selectedRows"), State("manage-city", "data"),
          prevent_initial_call=True)
def unmerge(_clicks, selected, city):
    clicked("unmerge-submit")
    ids = [row.get("merge_id") for row in selected if isinstance(row, dict)] if isinstance(selected, list) else []
    try:
        if len(ids) != 1:
            raise CorrectionError(["请在合并记录中勾选一条（每次撤销一条）。"])
        with session_scope() as s:
            restored = undo_merge(s, current_account(), ids[0])
            text = f"已撤销合并：“{restored.name}”恢复为单独的部门，原有事项、账号和报送记录归还。"
    except CorrectionError as exc:
        return refused(exc.messages, "unmerge-refused")
    return _done(text, "unmerge-done", city)
