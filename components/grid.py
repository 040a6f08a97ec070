"""Tables: dash-ag-grid (sort, filter, resize) with an export of exactly the rows
shown — after the user's sorting and filtering — as .xlsx (the CLI's exporter)
and CSV (UTF-8 with BOM).  Every grid speaks Chinese (GRID_TEXT)."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, ctx, dcc, html, no_update

from components.export import to_csv, to_xlsx
from components.official import status_csv, status_xlsx
from queries.ledger import ROW_CAP

# AG Grid's own Simplified Chinese texts (@ag-grid-community/locale 35.3.1, MIT), the keys a
# Community grid shows: filter menus, pagination, overlays, selection, column menu, ARIA labels;
# then ours where the office says it otherwise (筛选, not 过滤; "1 至 50 / 300", not "1 至 50 的 300")
GRID_TEXT = {**{key: text.replace("过滤器", "筛选").replace("过滤", "筛选") for key, text in json.loads(
    Path(__file__).with_name("ag_grid_zh_cn.json").read_text(encoding="utf-8")).items()},
             "noRowsToShow": "没有符合条件的记录", "noMatchingRows": "没有符合筛选条件的记录", "of": "/"}

DEFAULT_COL = {"sortable": True, "filter": True, "resizable": True, "wrapText": True,
               "wrapHeaderText": True, "autoHeaderHeight": True,
               "autoHeight": True, "cellStyle": {"lineHeight": "1.55", "paddingTop": "6px",
                                                 "paddingBottom": "6px"}}


# On a phone the column that names a row (marked by named_rows) stays in sight as the rest
# scrolls sideways (assets/grids.js)
ITEM_FIELDS = ("item", "item_label")


def link_column(field: str, header: str, href: str, raw: bool = False, download: bool = False, **extra) -> dict:
    """A column whose cells link to ``href`` ("/item/{item_id}": row fields in braces,
    URL-encoded; with ``raw`` a field holds a whole link of the site, "{link}";
    ``download``: a file the server sends, a plain link)."""
    return {"field": field, "headerName": header, "cellRenderer": "Link",
            "cellRendererParams": {"href": href, "raw": raw, **({"download": True} if download else {})}, **extra}


def item_column(item_link: str) -> dict:
    """The item as a one-line link (a task's name is a whole sentence: hover shows it)."""
    return link_column("item_label", "工作事项", item_link, width=190, wrapText=False, autoHeight=False,
                       tooltipField="item_label")


def data_grid(name: str, rows: list[dict], columns: list[dict], *, title: str, filename: str,
              page_size: int = 50, empty: str = "没有符合条件的记录", official: bool = False,
              total: int | None = None, selectable: bool = False) -> html.Div:
    """A grid with its toolbar: row count, 导出Excel, 导出CSV.  The export holds the
    rows shown; ``official`` (rows of the status table) puts them in the layout of
    the official tables (components.official), else in the columns shown.
    ``selectable``: rows carry a checkbox (the grid's selectedRows).

    The browser gets at most ROW_CAP rows (a notice says so): ``rows`` may be the
    head of a longer list of ``total`` rows, cut in SQL."""
    total = len(rows) if total is None else total
    rows = rows[:ROW_CAP]
    if not rows:
        return dbc.Alert(empty, color="light", className="border", id={"type": "grid-empty", "name": name})
    grid = dag.AgGrid(
        id={"type": "grid", "name": name},
        rowData=rows,
        columnDefs=named_rows(columns),
        defaultColDef=DEFAULT_COL,
        dashGridOptions={"pagination": len(rows) > page_size, "paginationPageSize": page_size,
                         "domLayout": "autoHeight", "enableCellTextSelection": True,
                         "tooltipShowDelay": 300, "localeText": GRID_TEXT,
                         **({"rowSelection": {"mode": "multiRow"}} if selectable else {})},
        style={"width": "100%"},
        className="ag-theme-alpine",
    )
    toolbar = html.Div([
        html.Span(f"共 {total:,} 条", className="text-muted small me-auto"),
        dbc.Button("导出 Excel", id={"type": "grid-xlsx", "name": name}, size="sm", color="secondary",
                   outline=True),
        dbc.Button("导出 CSV", id={"type": "grid-csv", "name": name}, size="sm", color="secondary",
                   outline=True),
        dcc.Download(id={"type": "grid-download", "name": name}),
        dcc.Store(id={"type": "grid-meta", "name": name}, data={"title": title, "filename": filename,
                                                                      "official": official}),
    ], className="grid-toolbar")
    return html.Div([cap_notice(name, total, official), toolbar, grid], className="mb-4")


def named_rows(columns: list[dict]) -> list[dict]:
    """``columns`` with the one that names a row marked (context.rowName): the work
    item's where the grid has one (a row is a milestone or an item of it), else the first."""
    names = [n for n, c in enumerate(columns) if c.get("field") in ITEM_FIELDS] or [0]
    return [{**c, "context": {"rowName": True}} if n == names[0] else c for n, c in enumerate(columns)]


def cap_notice(name: str, total: int, official: bool = False) -> dbc.Alert | None:
    """Says that a grid shows the first ROW_CAP of ``total`` rows, and how to get all of them."""
    if total <= ROW_CAP:
        return None
    hint = "完整台账可用命令行导出：flask --app app export-status。" if official else ""
    return dbc.Alert(f"共 {total:,} 条，表格只显示前 {ROW_CAP:,} 条（导出也以此为限），请用筛选条件缩小范围。{hint}",
                     color="info", className="py-2 small", id={"type": "row-cap-notice", "name": name})


_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')


def export_filename(stem: str, as_of: date) -> str:
    """'杭州市_进度台账' -> '杭州市_进度台账_2020-09-30' (characters Windows forbids removed)."""
    return f"{_FORBIDDEN.sub('', stem)}_{as_of.isoformat()}"


def export_grid(_xlsx, _csv, shown, all_rows, columns, meta):
    """The rows on screen (after sort/filter), the columns on screen, their headers."""
    if not ctx.triggered_id:
        return no_update
    rows = shown if shown is not None else all_rows
    xlsx = ctx.triggered_id["type"] == "grid-xlsx"
    if meta.get("official"):
        data = status_xlsx(rows, meta["title"]) if xlsx else status_csv(rows)
    else:
        headers = {c["field"]: c["headerName"] for c in columns if c.get("field") and not c.get("hide")}
        data = to_xlsx(rows, headers, meta["title"]) if xlsx else to_csv(rows, headers)
    return dcc.send_bytes(data, meta["filename"] + (".xlsx" if xlsx else ".csv"))


def init_app(app) -> None:
    """Register the callback with ``app`` (not with ``dash.callback``: Dash hands
    global callbacks to the first app only, and tests make several)."""
    app.callback(
        Output({"type": "grid-download", "name": MATCH}, "data"),
        Input({"type": "grid-xlsx", "name": MATCH}, "n_clicks"),
        Input({"type": "grid-csv", "name": MATCH}, "n_clicks"),
        State({"type": "grid", "name": MATCH}, "virtualRowData"),
        State({"type": "grid", "name": MATCH}, "rowData"),
        State({"type": "grid", "name": MATCH}, "columnDefs"),
        State({"type": "grid-meta", "name": MATCH}, "data"),
        prevent_initial_call=True
    )(export_grid)
