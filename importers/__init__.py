"""Importers: documents as the office receives them -> ParsedPlan -> the store.

importers.formats reads a Word, Excel, PDF or text file into its paragraphs
and tables, written out as the text the parsers read.  Each parser module has
``detect(text) -> bool`` (is this my kind of document?) and
``parse(text, source_file) -> ParsedPlan`` (raises DocumentError when the
document is truncated or garbled).  ``parse_text`` picks the parser.
"""
from __future__ import annotations

from pathlib import Path

from importers.formats import read_file
from importers.parsed import DocumentError, ParsedPlan

SOURCES_DIR = Path(__file__).resolve().parent.parent / "data" / "sources"


def read_document(path: str | Path) -> str:
    """The text of the document at ``path``, whatever its format
    (importers.formats): what the parsers read."""
    path = Path(path)
    return read_file(path.read_bytes(), path.name).text()


def parsers():
    from importers import indicator_plan, project_list, scene_plan, task_division

    return [scene_plan, project_list, task_division, indicator_plan]


def parse_document(path: str | Path) -> ParsedPlan:
    """Read and parse one document with the parser that recognises it."""
    path = Path(path)
    return parse_text(read_document(path), path.name)


def parse_text(text: str, name: str) -> ParsedPlan:
    """Parse a document's text (importers.formats) with the parser that recognises it."""
    for parser in parsers():
        if parser.detect(text):
            return parser.parse(text, name)
    raise DocumentError(
        f"{name}: 无法识别的文件：不是已知的计划、项目清单、分工表或规划文件 "
        "(unrecognised document: no importer for it)"
    )
