"""The layout the month-end Word files share: a government notice in the
manner of GB/T 9704 — A4, its margins, page numbers "— n —" at the foot;
body in 仿宋_GB2312 三号 on a 28 pt line, 一、 headings in 黑体, （一） in 楷体
(each official font named with the one a machine without it should use);
bordered tables whose header row repeats on every page."""
from __future__ import annotations

import io
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

BODY_FONT, HEADING_FONT, SUB_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"
FALLBACKS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "黑体"}  # (named in the file too)
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def new_document():
    """An empty notice: the page set up and the body style."""
    doc = Document()
    new_page(doc)
    body_style(doc)
    return doc


def saved(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def title(doc, text: str) -> None:
    """The 文号 line to fill in, then the title (小标宋 二号, centred)."""
    paragraph(doc, "浙信用办〔    〕    号", align=CENTER)
    paragraph(doc, text, font=TITLE_FONT, size=22, align=CENTER, space_after=12)


def new_page(doc) -> None:
    """A4 portrait, GB/T 9704 margins, page numbers centred at the foot (— 1 —)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field(footer.add_run(), "PAGE")
    footer.add_run(" —")
    for run in footer.runs:
        set_font(run, "宋体", 14)


def field(run, code: str) -> None:
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def body_style(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    east_asian(normal.element, BODY_FONT)
    lang = OxmlElement("w:lang")  # Chinese text is Chinese (spell-checking; a renderer's choice of glyphs)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)


def east_asian(element, name: str) -> None:
    """Name the Chinese font (and its fallback, for a machine without it) on a style or run."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")
    alt = FALLBACKS.get(name)
    if alt:  # (a Chinese Word offers the fallback; the name stays the official one)
        fonts.set(qn("w:cs"), alt)


def set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    east_asian(run._r, name)


def paragraph(doc, text: str, font: str = BODY_FONT, size: float = 16, align=None, bold: bool = False,
          indent: bool = False, space_after: float = 0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(space_after)
    if text:
        set_font(p.add_run(text), font, size, bold)
    return p


def heading(doc, text: str) -> None:
    paragraph(doc, text, font=HEADING_FONT, indent=True).paragraph_format.keep_with_next = True


def subheading(doc, text: str) -> None:
    paragraph(doc, text, font=SUB_FONT, indent=True).paragraph_format.keep_with_next = True


TEXT_WIDTH = 156  # mm between the margins


def table(doc, header: list[str], rows: list[list[str]], widths: tuple[float, ...] | None = None,
          size: float = 12) -> None:
    """A bordered table (仿宋 小四; ``size`` points), its header row in 黑体 and
    repeated on every page; ``widths``: each column's share of the text width
    (equal by default)."""
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    shares = widths or (1,) * len(header)
    widths_mm = [Mm(TEXT_WIDTH * w / sum(shares)) for w in shares]
    for column, width in zip(grid.columns, widths_mm):  # (the grid: what WPS and LibreOffice lay out by)
        column.width = width
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    fill_cells(grid.rows[0].cells, header, widths_mm, HEADING_FONT, size)
    if rows:
        fill_cells(grid.add_row().cells, rows[0], widths_mm, BODY_FONT, size)
        copy_rows(grid, rows[1:])
    doc.add_paragraph().paragraph_format.line_spacing = Pt(12)  # (apart from what follows, a table included)


def fill_cells(cells, values: list[str], widths, font: str, size: float) -> None:
    for cell, text, width in zip(cells, values, widths):
        cell.width = width
        line = cell.paragraphs[0]
        line.paragraph_format.line_spacing = 1.15
        set_font(line.add_run(str(text)), font, size)


def copy_rows(grid, rows: list[list[str]]) -> None:
    """The rest of a table's rows, each a copy of its first data row with its
    own text: python-docx sets a cell's properties one element at a time, which
    took 1.4 s for a 166-row 督办单; a copy takes a fraction of a millisecond."""
    model = grid.rows[1]._tr
    for values in rows:
        row = deepcopy(model)
        for cell, text in zip(row.iter(qn("w:tc")), values):
            Run(cell.find(f".//{qn('w:r')}"), None).text = str(text)
        grid._tbl.append(row)
