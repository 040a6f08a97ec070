"""Annex tables of notices (tab-separated text converted from Word): rows checked
against their header (importers.columns), errors that name the file and line,
places named by units."""
from __future__ import annotations

from importers.columns import Header, is_repeat
from importers.parsed import DocumentError
from importers.text import find_county


def failer(source_file: str):
    """fail(line, zh, en) raises a DocumentError naming the file and line."""
    def fail(line_no: int | None, zh: str, en: str):
        where = f"第{line_no}行：" if line_no else ""
        raise DocumentError(f"{source_file}: {where}{zh} ({en})")
    return fail


def table_rows(lines: list[str], header: Header | None, fail) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the table's data rows under ``header``
    (importers.columns), each checked to have the header's columns.  The
    header repeats on every page; the table ends at the first line of prose
    after it."""
    if header is None:
        fail(None, "未找到附件表头（应有工作任务或项目名称、责任单位、完成时间等列）",
             "annex table header not found: not this kind of document, or garbled")
    width = len(header.roles)
    rows, ended = [], False
    for i, line in enumerate(lines[header.line + 1:], header.line + 2):
        if not line.strip() or is_repeat(line, header):
            continue
        if "\t" not in line:
            ended = True
            continue
        cells = line.split("\t")
        if ended or len(cells) != width:
            fail(i, f"表格行应有 {width} 列，实有 {len(cells)} 列，文件可能被截断或损坏",
                 f"table row has {len(cells)} columns, expected {width}: truncated or garbled")
        rows.append((i, cells))
    if not rows:
        fail(None, "附件表格没有数据行，文件不完整", "the annex table has no rows: truncated")
    return rows


def county_of(units: list[str], city: str) -> str | None:
    """The county the first unit naming one of `city`'s counties names."""
    return next((place[1] for unit in units
                 if (place := find_county(unit)) and place[0] == city), None)
