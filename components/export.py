"""Status tables and indicator lists as CSV (UTF-8 with BOM, so Excel and WPS
open it correctly), .xlsx and JSON.  The same code serves the CLI and the pages."""
from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from queries.status import STATUS_LABELS

STATUS_HEADERS = {
    "plan": "计划文件", "city": "地市", "county": "县（市、区）", "item_no": "序号",
    "item": "场景/项目/任务", "sub_item": "子场景", "item_type": "场景类型", "scope": "推进范围",
    "lead": "牵头部门", "coop": "配合部门", "deadline": "完成时间", "seq": "节点序号",
    "milestone": "工作计划（节点）", "due": "节点时限", "due_text": "时限原文", "status": "状态",
    "completed_on": "实际完成", "days_overdue": "逾期天数",
}
INDICATOR_HEADERS = {
    "plan": "计划文件", "scope": "范围", "city": "地市", "item": "场景/项目", "name": "指标名称",
    "unit": "单位", "baseline": "基期值", "baseline_year": "基期年份", "target": "目标值",
    "target_max": "目标上限", "comparator": "比较", "direction": "方向", "due": "目标时限",
    "attribute": "指标属性", "source_text": "原文", "latest_actual": "最新实际值",
    "attainment": "达成度",
}
SCOPE_LABELS = {"province": "全省", "city": "地市", "item": "场景/项目"}
DIRECTION_LABELS = {"higher": "越高越好", "lower": "越低越好"}
STATUS_FILLS = {
    "done_on_time": "C6EFCE", "done_late": "FFEB9C", "pending": "DDEBF7", "overdue": "FFC7CE",
    "due_soon": "FFEB9C", "not_due": "FFFFFF", "open": "EDEDED",
}


def display_value(key: str, value):
    """A value as a person reads it in a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(value)
    if key == "status":
        return STATUS_LABELS.get(value, value)
    if key == "scope" and value in SCOPE_LABELS:
        return SCOPE_LABELS[value]
    if key == "direction":
        return DIRECTION_LABELS.get(value, value)
    if key == "attainment":
        return round(value, 4)
    return value


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


# text a spreadsheet would run as a formula (a reported note "=HYPERLINK(…)")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text that Excel or WPS would take for a formula gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def text_cells(cells) -> None:
    """openpyxl writes a string starting with "=" as a formula: keep such cells text."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def to_csv(rows: list[dict], headers: dict[str, str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers.values())
    for row in rows:
        writer.writerow(csv_safe(display_value(k, row.get(k))) for k in headers)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict], headers: dict[str, str], title: str, sheet: str = "台账") -> bytes:
    """A one-sheet workbook (see ``write_sheet``)."""
    wb = Workbook()
    write_sheet(wb.active, rows, headers, title, sheet)
    return workbook_bytes(wb)


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GRID = Border(*(Side(style="thin", color="A6A6A6"),) * 4)
MAX_WIDTH = 40  # characters of a wrapped column (a Chinese character counts two)
LINE_HEIGHT = 15  # points per line of 11-point text


def write_sheet(ws, rows: list[dict], headers: dict[str, str], title: str, name: str) -> None:
    """A table as offices print it: the title across the top, a bold frozen
    header with autofilter, wrapped text in columns as wide as their Chinese
    text, status cells coloured, A4 landscape one page wide, the header
    repeated on every printed page."""
    ws.title = name[:31]
    keys = list(headers)
    last = get_column_letter(len(keys))
    ws.append([title])
    if len(keys) > 1:
        ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30
    ws.append(list(headers.values()))
    text_cells(ws[1])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = GRID
    status_col = next((keys.index(k) + 1 for k in ("status", "status_text") if k in keys), None)
    for row in rows:
        ws.append([display_value(k, row.get(k)) for k in keys])
        text_cells(ws[ws.max_row])
        if status_col and row.get("status") in STATUS_FILLS:
            ws.cell(row=ws.max_row, column=status_col).fill = PatternFill(
                "solid", fgColor=STATUS_FILLS[row["status"]])
    widths = [min(max(text_width(headers[k]), *(text_width(display_value(k, r.get(k))) for r in rows[:500]), 6) + 2,
                  MAX_WIDTH) for k in keys]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for line in ws.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = GRID
        # spreadsheets do not grow a row for wrapped text on their own: size it to its lines
        tallest = max(lines(c.value, w) for c, w in zip(line, widths))
        ws.row_dimensions[line[0].row].height = LINE_HEIGHT * tallest + 4
    ws.freeze_panes = "A3"
    if rows:
        ws.auto_filter.ref = f"A2:{last}{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    ws.print_options.horizontalCentered = True


def lines(value, width: int) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` characters wide."""
    if value is None or value == "":
        return 1
    room = max(width - 2, 1)  # the column's width less its padding
    # text that fits stays one line; wrapped CJK text breaks early, so allow a tenth more lines
    return sum(1 if text_width(part) <= room else math.ceil(text_width(part) / (room * 0.9))
               for part in str(value).split("\n"))


def text_width(value) -> int:
    """Display width of the widest line: a Chinese character is two columns wide."""
    return max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in str(value).split("\n"))


def export_title(what: str, as_of: date, scope: str = "") -> str:
    return f"{scope}{what}（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
