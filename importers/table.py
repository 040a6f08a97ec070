"""Annex tables of notices (tab-separated text converted from Word): rows checked
against their header, errors that name the file and line, places named by units."""
from __future__ import annotations

import re

from importers.parsed import DocumentError
from importers.text import find_county, normalize

DOC_NO = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")  # 湖信用办〔2019〕9号


def detect_annex(text: str, header: tuple[str, ...], issuer_mark: str, annex_word: str) -> bool:
    """A notice whose annex is this table: the header row itself, or (if the
    header is garbled) the issuer's document number near the top and the
    annex's name, so that parse() can say what is wrong instead of "unknown"."""
    lines = text.split("\n")
    if any(is_header(line, header) for line in lines):
        return True
    return issuer_mark in "\n".join(lines[:12]) and annex_word in text


def failer(source_file: str):
    """fail(line, zh, en) raises a DocumentError naming the file and line."""
    def fail(line_no: int | None, zh: str, en: str):
        where = f"第{line_no}行：" if line_no else ""
        raise DocumentError(f"{source_file}: {where}{zh} ({en})")
    return fail


def is_header(line: str, header: tuple[str, ...]) -> bool:
    """Cell by cell after normalising, so stray spaces in a header still match."""
    return tuple(normalize(cell) for cell in line.split("\t")) == header


def table_rows(lines: list[str], header: tuple[str, ...], fail) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the annex table's data rows, each checked to
    have the header's columns.  The header repeats on every page; the table
    ends at the first line of prose after it."""
    start = next((i for i, line in enumerate(lines) if is_header(line, header)), None)
    if start is None:
        fail(None, f"未找到附件表头（{'、'.join(filter(None, header))}）",
             "annex table header not found: not this kind of document, or garbled")
    rows, ended = [], False
    for i, line in enumerate(lines[start + 1:], start + 2):
        if not line.strip() or is_header(line, header):
            continue
        if "\t" not in line:
            ended = True
            continue
        cells = line.split("\t")
        if ended or len(cells) != len(header):
            fail(i, f"表格行应有 {len(header)} 列，实有 {len(cells)} 列，文件可能被截断或损坏",
                 f"table row has {len(cells)} columns, expected {len(header)}: truncated or garbled")
        rows.append((i, cells))
    if not rows:
        fail(None, "附件表格没有数据行，文件不完整", "the annex table has no rows: truncated")
    return rows


def county_of(units: list[str], city: str) -> str | None:
    """The county the first unit naming one of `city`'s counties names."""
    return next((place[1] for unit in units
                 if (place := find_county(unit)) and place[0] == city), None)
