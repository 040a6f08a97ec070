"""Annex tables of notices (tab-separated text converted from Word): rows checked
against their header (importers.columns), errors that name the file and line,
places named by units."""
from __future__ import annotations

import re

from importers.columns import Header, is_repeat
from importers.parsed import DocumentError
from importers.text import find_county, strip_html


def failer(source_file: str):
    """fail(line, zh, en) raises a DocumentError naming the file and line."""
    def fail(line_no: int | None, zh: str, en: str):
        where = f"第{line_no}行：" if line_no else ""
        raise DocumentError(f"{source_file}: {where}{zh} ({en})")
    return fail


def table_rows(lines: list[str], header: Header | None, fail) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the table's data rows under ``header``
    (importers.columns), each checked to have the header's columns.  The
    header repeats on every page, and a row a page break split in two is
    joined again (``_continues``); the table ends at the first line of prose
    after it."""
    if header is None:
        fail(None, "未找到附件表头（应有工作任务或项目名称、责任单位、完成时间等列）",
             "annex table header not found: not this kind of document, or garbled")
    width = len(header.roles)
    lines_read, ended = [], False
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
        lines_read.append((i, cells))
    if not lines_read:
        fail(None, "附件表格没有数据行，文件不完整", "the annex table has no rows: truncated")
    continues = _continues(header, [cells for _, cells in lines_read])
    rows: list[tuple[int, list[str]]] = []
    for i, cells in lines_read:
        if rows and continues(cells):
            rows[-1] = (rows[-1][0], [_joined(above, below) for above, below in zip(rows[-1][1], cells)])
        else:
            rows.append((i, cells))
    return rows


_NUMBERED = re.compile(r"^\s*(?:<p>)?\s*\d+\s*[.．、]")
_SENTENCE_END = ("。", "；", ";", "！", "？", "：", ":")


def _continues(header: Header, rows: list[list[str]]):
    """Whether a table row goes on from the one above (a page break split
    it): none of the cells that open a row is filled (its number, group, city
    or type) and it is no heading spanning the table (一、…); and its item cell
    is empty, or the table numbers its rows in a column of their own, or its
    items carry their numbers (1. …) and this one has none."""
    opening = [header.index(role) for role in ("number", "group", "city", "type") if header.has(role)]
    item = header.indexes("item")[-1] if header.has("item") else header.index("indicator")
    items = [strip_html(cells[item]) for cells in rows if item is not None and cells[item].strip()]
    numbered = bool(items) and sum(bool(_NUMBERED.match(cell)) for cell in items) >= 0.8 * len(items)

    def continues(cells: list[str]) -> bool:
        filled = [cell for cell in cells if cell.strip()]
        if not filled or any(cells[at].strip() for at in opening):
            return False
        if len(filled) == 1 and _HEADING.match(strip_html(filled[0])):
            return False
        if item is None or not cells[item].strip() or header.has("number"):
            return True
        return numbered and not _NUMBERED.match(strip_html(cells[item]))
    return continues


def _joined(above: str, below: str) -> str:
    """A cell's two parts: run on where the page broke mid-sentence."""
    if not above.strip() or not below.strip():
        return above + below
    return above + ("\n" if above.rstrip().endswith(_SENTENCE_END) else "") + below


def county_of(units: list[str], city: str) -> str | None:
    """The county the first unit naming one of `city`'s counties names."""
    return next((place[1] for unit in units
                 if (place := find_county(unit)) and place[0] == city), None)


_ONE_CELL = re.compile(r"^\t([^\t]*)$")
_ROW_NUMBER = re.compile(r"\d{1,3}")
_CELL_GOES_ON = re.compile(r"^[^\t。；]{1,20}$")  # a short line, not a sentence: the cell above goes on
_HEADING = re.compile(r"^\s*(?:#|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|表\s*\d|第[一二三四五六七八九十]+[章节])")


def join_cell_lines(lines: list[str]) -> list[str]:
    """A Word table converted one cell per line (a tab, then the cell; a cell
    broken over lines goes on in a short line without the tab) as the
    tab-separated rows every parser reads.  A row begins at a cell holding
    only its number (序号); the cells before the first such cell are the
    header.  Each row stands on the line of its first cell and its other lines
    are left blank, so line numbers still point into the document."""
    out = list(lines)
    i = 0
    while i < len(lines):
        if not _ONE_CELL.match(lines[i]):
            i += 1
            continue
        cells, i = _cell_run(lines, i)
        _write_rows(out, cells)
    return out


def _cell_run(lines: list[str], start: int) -> tuple[list[list], int]:
    """[line index, cell text, indexes of the lines it goes on in] of the
    one-cell lines from ``start``, and the index after them."""
    cells: list[list] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if (found := _ONE_CELL.match(line)):
            cells.append([i, found.group(1).strip(), []])
        elif line.strip() and cells and _CELL_GOES_ON.match(line.strip()) and not _HEADING.match(line):
            cells[-1][1] += line.strip()
            cells[-1][2].append(i)
        elif line.strip():
            break
        i += 1
    return cells, i


def _write_rows(out: list[str], cells: list[list]) -> None:
    starts = [k for k, (_, cell, _) in enumerate(cells) if _ROW_NUMBER.fullmatch(cell)]
    if not starts or starts[0] == 0:
        return  # no header before the first numbered row: not a table in this form
    bounds = [0, *starts, len(cells)]
    for begin, end in zip(bounds, bounds[1:]):
        row = cells[begin:end]
        for index, _, more in row:
            for blank in (index, *more):
                out[blank] = ""
        out[row[0][0]] = "\t".join(cell for _, cell, _ in row)
