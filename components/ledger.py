"""Milestone tables (台账) as the grids show them: columns headed as in the
exported official tables, rows with joined department lists, status icons and
the latest report, export titles and file names for a scope."""
from __future__ import annotations

from dash import html

from components.export import STATUS_HEADERS, export_title
from components.grid import link_column
from components.official import latest_progress
from components.status import STATUS_CELL_CLASSES, status_text
from queries.departments import ROLE_LABELS
from queries.status import Filters

HEADERS = {**STATUS_HEADERS, "status_text": "状态", "latest": "最新进展（报送日期）", "role": "本部门角色",
           "chased": "催办次数"}
_WIDTHS = {"plan": 105, "city": 65, "county": 95, "item": 130, "sub_item": 120, "item_type": 75,
           "scope": 90, "milestone": 200, "lead": 110, "coop": 130, "deadline": 110, "due": 110,
           "due_text": 100, "status_text": 115, "completed_on": 105, "days_overdue": 90,
           "latest": 120, "role": 80, "chased": 90}
# thousands separators, blank for none (what Excel shows too)
THOUSANDS = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}
ONE_LINE = {"wrapText": False, "autoHeight": False}
_EXTRA = {
    # long task names stay on one line (the full name on hover); the milestone text wraps
    "item": link_column("item", HEADERS["item"], "/item/{item_id}", **ONE_LINE, tooltipField="item"),
    "status_text": {"cellClassRules": STATUS_CELL_CLASSES, **ONE_LINE},
    "days_overdue": {"type": "numericColumn", "filter": "agNumberColumnFilter", "valueFormatter": THOUSANDS},
    "due": {"tooltipField": "due_text", **ONE_LINE},
    "deadline": ONE_LINE,
    "completed_on": ONE_LINE,
    "milestone": {"flex": 2},
    "latest": {"flex": 1},
}

LEDGER_FIELDS = ("plan", "city", "county", "item", "sub_item", "item_type", "scope", "milestone", "lead",
                 "coop", "deadline", "due", "status_text", "completed_on", "days_overdue", "latest")


def ledger_columns(*fields: str) -> list[dict]:
    """Grid columns for status-table fields, headed as in the exported tables."""
    return [{"field": f, "headerName": HEADERS[f], "minWidth": _WIDTHS[f], "width": _WIDTHS[f],
             **_EXTRA.get(f, {})} for f in fields]


def ledger_rows(rows: list[dict], roles: dict[int, list[str]] | None = None) -> list[dict]:
    """Status rows as grids show them: department lists joined with 、, the status
    with its icon (the raw code stays for the cell colour), the latest note with
    the day it was reported, the role of the department in view when ``roles``
    (item id -> roles) is given."""
    return [{**r, "lead": "、".join(r["lead"]), "coop": "、".join(r["coop"]),
             "status_text": status_text(r["status"]), "latest": latest_progress(r),
             **({"role": "、".join(ROLE_LABELS[x] for x in roles.get(r["item_id"], []))} if roles else {})}
            for r in rows]


def _scope(filters: Filters) -> list[str]:
    city = f"{filters.city}市" if filters.city else "全省"
    return [city, filters.department] if filters.department else [city]


def ledger_stem(filters: Filters, what: str = "进度台账") -> str:
    """'杭州市_市商务局_进度台账': the scope of an exported table, for its file name."""
    return "_".join([*_scope(filters), what])


def ledger_title(filters: Filters, as_of, what: str = "工作节点进度台账") -> str:
    """'杭州市市商务局工作节点进度台账（截至2020年9月30日）': the title row of an export."""
    return export_title(what, as_of, "".join(_scope(filters)))


def letter_links(view, element_id: str = "urge-letter"):
    """督办单 of the view's city, or of a department of it (its overdue and
    due-soon milestones, outputs.web): Word and PDF downloads (ids
    ``{element_id}-docx``, ``-pdf``); a hint without a city."""
    f = view.filters
    if not f.city:
        return html.Span("选择地市（及部门）后可下载督办单", className="small text-muted")
    unit = " · ".join(x for x in (f"{f.city}市", f.department) if x)
    return html.Span([
        html.Span(f"督办单（{unit}）：", className="small text-muted me-1"),
        *[html.A(label, href=view.href("/overdue/urge-letter", status=None, format=kind), download="",
                 id=f"{element_id}-{kind}", className="btn btn-sm btn-outline-secondary me-1")
          for kind, label in (("docx", "Word"), ("pdf", "PDF"))],
    ], id=f"{element_id}-links")
