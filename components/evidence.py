"""佐证材料 on a page: the files of some milestones (each a download link), and
the form that attaches more — the browser posts the chosen files to
/evidence as multipart (evidence_files.py, which streams them to disk as
they arrive), so nothing passes through a server callback.  What the upload did is said once, on the page the
route sends the browser back to (a callback reads it from the session: the
page layouts are cached, the message is not)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html
from flask import current_app
from flask import session as cookie

from components.grid import data_grid, export_filename
from evidence_files import MESSAGE_KEY
from store.clock import local_text
from store.files import KINDS_TEXT

ACCEPT = ".pdf,.ofd,.doc,.docx,.xls,.xlsx,.wps,.et,.png,.jpg,.jpeg"
FILE_COLUMNS = [
    {"field": "milestone_ref", "headerName": "节点", "width": 80},
    {"field": "files", "headerName": "文件", "flex": 1, "minWidth": 200, "cellRenderer": "Files",
     "cellRendererParams": {"href": "/evidence/{id}"}},
    {"field": "size_text", "headerName": "大小", "width": 90},
    {"field": "uploaded_by", "headerName": "上传人", "width": 110},
    {"field": "uploaded_at", "headerName": "上传时间", "width": 140},
]


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def file_rows(files_by_milestone: dict[int, list[dict]], refs: dict[int, str]) -> list[dict]:
    """One row per file (its milestone named by ``refs``), in the milestones' order."""
    return [{"milestone_ref": refs[m], "files": [{"id": f["id"], "name": f["name"]}], "name": f["name"],
             "size_text": size_text(f["size"]), "uploaded_by": f["uploaded_by"],
             "uploaded_at": local_text(f["uploaded_at"])}
            for m in refs for f in files_by_milestone.get(m, [])]


def upload_form(form_id: str, options: list[dict], next_path: str) -> html.Div | None:
    """Attach files to one of ``options`` (milestones the account reports on:
    {"value": id, "label": …}); None when there are none.  The chosen files
    go to POST /evidence as multipart (assets/uploads.js), never through a
    server callback."""
    if not options:
        return None
    limit, most = current_app.config["EVIDENCE_MAX_BYTES"], current_app.config["EVIDENCE_MAX_FILES"]
    return html.Div([
        dbc.Row([
            dbc.Col([dbc.Label("工作节点", html_for=f"{form_id}-milestone", className="small text-muted mb-1"),
                     dbc.Select(id=f"{form_id}-milestone", options=options,
                                value=str(options[0]["value"]) if len(options) == 1 else None,
                                placeholder="选择要附材料的节点")], md=6),
            dbc.Col([html.Div("文件（可多选）", className="small text-muted mb-1"),
                     dcc.Upload(html.Div(["将文件拖放到此处，或 ", html.A("选择文件", href="#")]), id=f"{form_id}-file",
                                accept=ACCEPT, max_size=limit, multiple=True, className="upload-box")], md=6),
        ], className="g-2"),
        dcc.Store(id=f"{form_id}-next", data=next_path),
        html.Div(id=f"{form_id}-status", className="small mt-1", role="status"),
        html.Div(f"{KINDS_TEXT}；每份不超过 {limit // 1024 // 1024} MB，每个节点最多 {most} 份。上传后不可替换或删除"
                 "（新版本作为新文件上传），随报送一并供审核。", className="small text-muted mt-1"),
    ], id=form_id)


def evidence_card(name: str, files: list[dict] | None, form, title: str, filename_stem: str, today) -> dbc.Card:
    """The files listed (a grid; None: not listed here), the upload form under
    them, and what the last upload did."""
    return dbc.Card(dbc.CardBody([
        html.Div(id=f"{name}-message", role="status"),
        None if files is None else data_grid(name, files, FILE_COLUMNS, title=title, empty="尚未上传佐证材料",
                                             filename=export_filename(filename_stem, today)),
        html.Div(form, className="mt-3" if files is not None else None) if form is not None else None,
    ]), className="mb-4", id=f"{name}-card")


def said() -> dbc.Alert | None:
    """The last upload's outcome, once (taken from the session)."""
    message = cookie.pop(MESSAGE_KEY, None)
    if not isinstance(message, dict):
        return None
    return dbc.Alert(message.get("text", ""), color="success" if message.get("ok") else "danger",
                     className="py-2", id="evidence-said", dismissable=True)


def _show_said(_id):
    return said()


def register_callbacks(name: str) -> None:
    """The callbacks of evidence_card ``name`` (and its form ``{name}-form``), registered
    by the page that shows it (a page module runs again for every app; this one does not)."""
    callback(Output(f"{name}-message", "children"), Input(f"{name}-message", "id"))(_show_said)
    clientside_callback(
        ClientsideFunction(namespace="evidence", function_name="upload"),
        Output(f"{name}-form-status", "children"), Input(f"{name}-form-file", "contents"),
        State(f"{name}-form-file", "filename"), State(f"{name}-form-milestone", "value"),
        State(f"{name}-form-next", "data"), prevent_initial_call=True)
