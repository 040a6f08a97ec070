"""The Excel report template (进度填报模板): built pre-filled for a scope and a
month, filled in offline, uploaded back (/report or `flask import-report`).

Built: an instructions sheet, one sheet of milestones and one of indicators
(title row, bold frozen header, wrapped text, widths that fit Chinese), the
key columns locked (the sheets are protected, the fill-in columns are not), a
drop-down list of states, date cells checked by Excel, the version loaded in
a hidden column (the store says what that version held: reporting.check),
the month in a hidden sheet.

Read: refused before anything else if it is not such a workbook (size, zip
contents, sheets, headers); then every row is read into entries and every
problem is kept with its sheet, row and column.  Nothing here writes.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from components.export import STATUS_FILLS, text_cells
from reporting.entries import Problem, Reader, Report, read_indicator, read_milestone
from store.clock import local_text
from store.models import PROGRESS_STATES, utcnow
from store.periods import parse_period, period_label

MARKER = "信用应用场景推进监测平台·进度填报模板 v3"  # v1 carried the values loaded too; v2 had no 佐证材料
META_SHEET, MS_SHEET, IND_SHEET, HELP_SHEET = "_模板信息", "工作节点", "指标", "填报说明"
MAX_BYTES = 2 * 1024 * 1024  # the upload limit (a city of 2,500 milestones is ~0.3 MB)
MAX_UNZIPPED = 80 * 1024 * 1024  # a zip bomb is refused before it is opened
MAX_ROWS = 30_000
HEADER_ROW = 2  # row 1 is the title


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    editable: bool = False
    hidden: bool = False


MS_COLUMNS = (
    Column("milestone_id", "节点编号", 9), Column("plan", "计划文件", 16), Column("city", "地市", 7),
    Column("item", "场景/项目/任务", 26), Column("sub_item", "子场景", 12), Column("seq", "节点序号", 7),
    Column("milestone", "工作计划（节点）", 46), Column("due", "节点时限", 12),
    Column("status_text", "当前状态", 12), Column("last", "最新进展（报送日期）", 30),
    Column("evidence", "佐证材料（份）", 9),
    Column("state", "报送状态", 11, editable=True), Column("completed_on", "完成日期", 12, editable=True),
    Column("note", "进展说明", 40, editable=True),
    Column("version", "版本", 6, hidden=True),
)
IND_COLUMNS = (
    Column("indicator_id", "指标编号", 9), Column("plan", "计划文件", 16), Column("city", "地市", 7),
    Column("item", "场景/项目", 22), Column("name", "指标名称", 36), Column("unit", "单位", 8),
    Column("baseline", "基期值", 12), Column("target", "目标值", 14), Column("latest", "最新实际值（截至）", 22),
    Column("value", "本期实际值", 12, editable=True), Column("observed_on", "数据截至日期", 13, editable=True),
    Column("note", "说明", 30, editable=True), Column("version", "版本", 6, hidden=True),
)
DATE_KEYS = ("completed_on", "observed_on")
EDIT_FILL = PatternFill("solid", fgColor="FFF9E5")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def build_template(milestones: list[dict], indicators: list[dict], *, period: str, scope: str,
                   username: str, today: date) -> bytes:
    """The pre-filled workbook (reporting.form rows) for ``scope`` and ``period``."""
    wb = Workbook()
    _instructions(wb.active, period, scope, today)
    title = f"{scope} {period_label(period)}"
    ms = _sheet(wb, MS_SHEET, f"{title} 工作节点进度填报", MS_COLUMNS, milestones)
    _state_list(ms, len(milestones))
    _date_check(ms, MS_COLUMNS, "completed_on", len(milestones))
    ind = _sheet(wb, IND_SHEET, f"{title} 指标实际值填报", IND_COLUMNS, indicators)
    _date_check(ind, IND_COLUMNS, "observed_on", len(indicators))
    meta = wb.create_sheet(META_SHEET)
    for row in (("模板", MARKER), ("报送月份", period), ("填报范围", scope), ("生成账号", username),
                ("生成时间", local_text(utcnow()))):
        meta.append(row)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions(ws, period: str, scope: str, today: date) -> None:
    ws.title = HELP_SHEET
    lines = [
        f"{scope} {period_label(period)} 工作推进情况填报模板",
        "",
        "1. 在“工作节点”表中，为每个有进展的节点选择“报送状态”（下拉选择：" + "、".join(PROGRESS_STATES.values()) + "）。",
        "2. 状态为“已完成”时必须填写“完成日期”（格式 2020-09-30），不得晚于填报当天，不得早于计划印发日期；其他状态不填完成日期。",
        "3. “进展说明”简要写明本月推进情况，不超过 500 字；请勿填写公式。",
        "4. 在“指标”表中填写“本期实际值”（数值，可带与“单位”列相同的单位，如 1,600家、85%；定性指标填“已达成”或“未达成”）"
        "和“数据截至日期”；没有新数据的指标留空。",
        "5. 灰色列为计划内容和当前状态，已锁定，请勿修改；请勿增删列、改动表名或隐藏的列和工作表。",
        "6. 未作修改的行不会写入；上传后系统先逐行校验，有任何问题将列出全部问题（工作表、行、列），不写入任何数据；"
        "校验通过后先显示变更预览，确认后一次性写入。",
        "7. 若下载模板后他人已更新同一节点，上传时会提示冲突并显示对方报送的内容，本次不写入，请核对后重新填报。",
        "",
        f"报送月份：{period_label(period)}（每月按时报送上月工作推进情况）",
        f"模板生成日期：{today.isoformat()}",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    for row in ws.iter_rows(min_row=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _sheet(wb, name: str, title: str, columns: tuple[Column, ...], rows: list[dict]):
    ws = wb.create_sheet(name)
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([c.header for c in columns])
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r in rows:
        ws.append([_cell_value(c.key, r.get(c.key)) for c in columns])
        text_cells(ws[ws.max_row])
    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = c.width
        ws.column_dimensions[letter].hidden = c.hidden
        for (cell,) in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=i, max_col=i):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c.key in DATE_KEYS:
                cell.number_format = "yyyy-mm-dd"
            if c.editable:
                cell.protection = Protection(locked=False)
                cell.fill = EDIT_FILL
            if c.key == "status_text":
                status = rows[cell.row - HEADER_ROW - 1].get("status")
                if status in STATUS_FILLS:
                    cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(ws.max_row, HEADER_ROW)}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False  # filtering and sorting stay possible on a protected sheet
    ws.protection.sort = False
    ws.protection.formatColumns = False
    return ws


def _cell_value(key: str, value):
    if key in DATE_KEYS and isinstance(value, str) and value:
        return date.fromisoformat(value)
    return value


def _column_range(columns, key: str, count: int) -> str:
    letter = get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.key == key))
    return f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + max(count, 1)}"


def _state_list(ws, count: int) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(PROGRESS_STATES.values()) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="报送状态", error="请从下拉列表中选择状态")
    ws.add_data_validation(dv)
    dv.add(_column_range(MS_COLUMNS, "state", count))


def _date_check(ws, columns, key: str, count: int) -> None:
    dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="TODAY()",
                        allow_blank=True, showErrorMessage=True, errorTitle="日期",
                        error="请填写不晚于今天的日期，格式 2020-09-30")
    ws.add_data_validation(dv)
    dv.add(_column_range(columns, key, count))


# --- reading an upload ---------------------------------------------------------

def _open(data: bytes) -> tuple[object | None, list[Problem]]:
    """The workbook, or why it cannot be read."""
    def refuse(message: str):
        return None, [Problem("文件", None, None, message)]

    if len(data) > MAX_BYTES:
        return refuse(f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {MAX_BYTES // 1048576} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > 200 or sum(i.file_size for i in infos) > MAX_UNZIPPED:
                return refuse("文件内容异常（解压后过大），不是本平台生成的模板")
    except (zipfile.BadZipFile, ValueError, OSError):
        return refuse("不是有效的 Excel（.xlsx）文件：请上传本平台下载的填报模板")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False), []
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        return refuse("Excel 文件已损坏或格式不正确，无法读取：请重新下载模板填写")


def read_template(data: bytes, file_name: str | None = None, channel: str = "excel") -> tuple[Report | None, list[Problem]]:
    """The report in an uploaded template, or every problem found in it."""
    wb, problems = _open(data)
    if wb is None:
        return None, problems
    try:
        return _read(wb, file_name, channel)
    except Exception as exc:  # noqa: BLE001 - a malformed part deep inside the file
        return None, [Problem("文件", None, None, f"文件内容无法读取（{type(exc).__name__}）：请重新下载模板填写")]
    finally:
        wb.close()


def _read(wb, file_name, channel) -> tuple[Report | None, list[Problem]]:
    missing = [name for name in (META_SHEET, MS_SHEET, IND_SHEET) if name not in wb.sheetnames]
    if missing:
        return None, [Problem("文件", None, None, f"缺少工作表“{'”“'.join(missing)}”：请使用本平台下载的填报模板，"
                                                  "不要删除或重命名工作表")]
    meta = {row[0]: row[1] for row in wb[META_SHEET].iter_rows(max_row=20, max_col=2, values_only=True)
            if row and row[0]}
    if meta.get("模板") != MARKER:
        old = str(meta.get("模板") or "").startswith(MARKER.rsplit(" ", 1)[0])
        return None, [Problem("文件", None, None, "这是旧版的填报模板：请重新下载模板，填写后上传" if old else
                              "不是本平台生成的填报模板（模板标记不符）")]
    period = str(meta.get("报送月份") or "")
    problems = [] if parse_period(period) else [Problem(META_SHEET, 2, "报送月份", f"“{period}”不是月份")]
    ms_reader, ind_reader = Reader(MS_SHEET), Reader(IND_SHEET)
    ms_rows = _rows(wb[MS_SHEET], MS_COLUMNS, ms_reader)
    ind_rows = _rows(wb[IND_SHEET], IND_COLUMNS, ind_reader)
    if ms_rows is None or ind_rows is None:  # not the template's columns: nothing in it can be read
        return None, problems + ms_reader.problems + ind_reader.problems
    milestones = [e for n, cells in ms_rows if (e := read_milestone(ms_reader, cells, n))]
    indicators = [e for n, cells in ind_rows if (e := read_indicator(ind_reader, cells, n))]
    if problems:
        return None, problems
    return Report(period, tuple(milestones), tuple(indicators), channel, file_name,
                  tuple(ms_reader.problems + ind_reader.problems)), []


def _rows(ws, columns: tuple[Column, ...], reader: Reader) -> list[tuple[int, dict]] | None:
    """(row number, {key: value}) for every non-blank data row; None if the header is not the template's."""
    rows = ws.iter_rows(min_row=HEADER_ROW, values_only=True)
    header = next(rows, None) or ()
    header = [str(h).strip() if h is not None else "" for h in header]
    while header and not header[-1]:
        header.pop()
    expected = [c.header for c in columns]
    if header != expected:
        extra = [h for h in header if h and h not in expected]
        lost = [h for h in expected if h not in header]
        detail = (f"多出列“{'”“'.join(extra)}”" if extra else "") + (f"缺少列“{'”“'.join(lost)}”" if lost else "")
        reader.problem(HEADER_ROW, None, f"表头与模板不一致（{detail or '列的顺序被改动'}）：请使用本平台最新下载的模板，"
                                         "勿增删、移动列")
        return None
    out = []
    for n, values in enumerate(rows, start=HEADER_ROW + 1):
        if n - HEADER_ROW > MAX_ROWS:
            reader.problem(n, None, f"行数超过 {MAX_ROWS:,} 行")
            break
        values = tuple(values or ())
        if len(values) > len(columns) and any(v not in (None, "") for v in values[len(columns):]):
            reader.problem(n, None, "表头以外的列有内容：请只在模板的列中填写")
        if all(v in (None, "") for v in values[:len(columns)]):
            continue
        out.append((n, {c.key: (values[i] if i < len(values) else None) for i, c in enumerate(columns)}))
    return out
