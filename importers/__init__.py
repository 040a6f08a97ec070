"""Importers: documents as the office receives them -> ParsedPlan -> the store.

Each parser module has ``detect(text) -> bool`` (is this my kind of document?)
and ``parse(text, source_file) -> ParsedPlan`` (raises DocumentError when the
document is truncated or garbled).  ``parse_document`` picks the parser.
"""
from __future__ import annotations

from pathlib import Path

from importers.parsed import DocumentError, ParsedPlan

SOURCES_DIR = Path(__file__).resolve().parent.parent / "data" / "sources"


def read_document(path: str | Path) -> str:
    """The document's text; a file that is not UTF-8 text is refused."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise DocumentError(f"{Path(path).name}: 文件为空 (empty file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{Path(path).name}: 不是 UTF-8 文本，无法读取 (not UTF-8 text at byte {exc.start})"
        ) from None
    if "\x00" in text or text.count("\ufffd") > 3:
        raise DocumentError(f"{Path(path).name}: 文件内容已损坏 (binary or garbled content)")
    return text


def parsers():
    from importers import indicator_plan, project_list, scene_plan, task_division

    return [scene_plan, project_list, task_division, indicator_plan]


def parse_document(path: str | Path) -> ParsedPlan:
    """Read and parse one document with the parser that recognises it."""
    path = Path(path)
    text = read_document(path)
    for parser in parsers():
        if parser.detect(text):
            return parser.parse(text, path.name)
    raise DocumentError(
        f"{path.name}: 无法识别的文件：不是已知的计划、项目清单、分工表或规划文件 "
        "(unrecognised document: no importer for it)"
    )
