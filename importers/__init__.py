"""Importers: documents as the office receives them -> ParsedPlan -> the store.

importers.formats reads a Word, Excel, PDF or text file into its paragraphs
and tables, written out as the text the parsers read.  Each parser module has
``detect(text, given) -> bool`` (is this my kind of document?) and
``parse(text, source_file, given) -> ParsedPlan`` (raises DocumentError when
the document is truncated or garbled); ``given`` is what the importing user
states (importers.front.Given: city, year, the columns' roles).  ``parse_text`` picks the parser.
"""
from __future__ import annotations

from pathlib import Path

from importers.formats import Document, read_file
from importers.front import Given
from importers.parsed import DocumentError, ParsedPlan
from importers.units import tidy_units

SOURCES_DIR = Path(__file__).resolve().parent.parent / "data" / "sources"


def read_document(path: str | Path) -> str:
    """The text of the document at ``path``, whatever its format
    (importers.formats): what the parsers read."""
    path = Path(path)
    return read_file(path.read_bytes(), path.name).text()


def parsers():
    from importers import indicator_plan, project_list, prose_plan, scene_plan, task_division

    return [scene_plan, project_list, task_division, indicator_plan, prose_plan]


KINDS = {"scene_plan": "场景推进计划", "project_list": "项目清单", "task_division": "任务分工表",
         "indicator_plan": "指标表", "work_points": "工作要点（文字）"}


def parse_document(path: str | Path, given: Given = Given(), kind: str | None = None) -> ParsedPlan:
    """Read and parse one document with the parser that recognises it."""
    path = Path(path)
    return parse_file(path.read_bytes(), path.name, given, kind)


def parse_file(raw: bytes, name: str, given: Given = Given(), kind: str | None = None) -> ParsedPlan:
    """Read and parse the file ``raw`` named ``name``."""
    return parse_read(read_file(raw, name), given, kind)


def parse_read(document: Document, given: Given = Given(), kind: str | None = None) -> ParsedPlan:
    """Parse a file already read; each record's source names its place in a
    Word, Excel or PDF file."""
    plan = parse_text(document.text(), document.name, given, kind)
    plan.locate(document.places())
    return plan


def _judged(plan: ParsedPlan) -> ParsedPlan:
    """The rules every kind of plan shares: dues before the issue date, one name per department."""
    plan.judge_early_dues()
    tidy_units(plan)
    return plan


def parse_text(text: str, name: str, given: Given = Given(), kind: str | None = None) -> ParsedPlan:
    """Parse a document's text (importers.formats) with the parser that
    recognises it, or the one of ``kind``; ``given``: the city and year the
    importing user states."""
    by_kind = {parser.KIND: parser for parser in parsers()}
    if kind is not None:
        if kind not in by_kind:
            raise DocumentError(f"{name}: 未知的计划类型「{kind}」，应为 {'、'.join(KINDS)} (unknown kind)")
        return _judged(by_kind[kind].parse(text, name, given))
    for parser in parsers():
        if parser.detect(text, given):
            return _judged(parser.parse(text, name, given))
    raise DocumentError(
        f"{name}: 无法识别的文件：不是已知的计划、项目清单、分工表或规划文件 "
        "(unrecognised document: no importer for it)"
    )
