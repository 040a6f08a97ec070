"""Test documents as the office receives them, made from a document's text
(the bundled conversions' form: a paragraph per line, a table row per line with
tab-separated cells, <p>…</p> paragraphs in a cell, markdown # headings):
the same document saved as Word (.docx) or Excel (.xlsx), or printed to PDF."""
from __future__ import annotations

import html
import io
import re

from importers.text import strip_html


def blocks(text: str):
    """("paragraph", text) and ("table", rows) in order, as Word would hold
    them: headings lose their #, page-break rules (---) go, consecutive table
    lines are one table, a cell's paragraphs are split."""
    table: list[list[list[str]]] = []
    for line in text.split("\n"):
        if "\t" in line:
            table.append([[p.strip() for p in strip_html(cell).split("\n")] for cell in line.split("\t")])
            continue
        if table:
            yield "table", table
            table = []
        if line.strip() == "---":
            continue
        yield "paragraph", re.sub(r"^#+\s*", "", line)
    if table:
        yield "table", table


def as_docx(text: str) -> bytes:
    """The document as a Word file: real tables (one grid per table, a cell's
    paragraphs as paragraphs), prose as paragraphs."""
    import docx

    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "paragraph":
            document.add_paragraph(value)
            continue
        width = max(len(row) for row in value)
        table = document.add_table(rows=len(value), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(value):
            for c, paragraphs in enumerate(row):
                cell = table.cell(r, c)
                cell.text = paragraphs[0]
                for paragraph in paragraphs[1:]:
                    cell.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_xlsx(text: str) -> bytes:
    """The document as an Excel sheet: prose in column A above and below the
    table (title rows), table rows across the columns (a cell's paragraphs on
    lines of their own)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件"
    for kind, value in blocks(text):
        rows = [[value]] if kind == "paragraph" else [["\n".join(p for p in cell if p) for cell in row]
                                                      for row in value]
        for row in rows:
            sheet.append([cell if cell else None for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(text: str, page) -> bytes:
    """The document printed to PDF by Chromium (``page``: a Playwright page):
    a text layer, ruled tables whose rows do not break across pages."""
    parts = []
    for kind, value in blocks(text):
        if kind == "paragraph":
            parts.append(f"<p>{html.escape(value) or '&nbsp;'}</p>")
            continue
        rows = "".join("<tr>" + "".join("<td>" + "<br>".join(html.escape(p) for p in cell) + "</td>"
                                        for cell in row) + "</tr>" for row in value)
        parts.append(f"<table>{rows}</table>")
    page.set_content(
        "<html><head><meta charset='utf-8'><style>"
        "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:7px;margin:0}"
        "p{margin:0;white-space:nowrap}table{border-collapse:collapse;width:100%}"
        "td{border:1px solid #000;vertical-align:top;padding:1px}tr{break-inside:avoid}"
        "</style></head><body>" + "".join(parts) + "</body></html>")
    return page.pdf(format="A4", landscape=True, margin={"top": "10mm", "bottom": "10mm",
                                                         "left": "10mm", "right": "10mm"})
