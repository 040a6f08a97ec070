"""A file as the office receives it — Word, Excel, PDF with a text layer, or
text — read into a Document: its paragraphs and tables in reading order.

The kind of file is found from its content, never from its name, and every
refusal says what was wrong and what to do ("请另存为 .docx 后上传").  Nothing
here touches the store: a file that cannot be read raises DocumentError
before anything is written.

Tables keep Word's grid: a cell continuing a merge (down or across) reads
empty, as the text conversions of the bundled documents have it, and the
parsers carry merged values down themselves.  A cell of several paragraphs
keeps them apart (``Document.text`` writes them as <p>…</p>, the converted
documents' form).
"""
from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from importers.parsed import DocumentError

MAX_BYTES = 20 * 1024 * 1024  # the largest file read (a plan is far smaller)
MAX_UNPACKED = 200 * 1024 * 1024  # what a .docx/.xlsx may unpack to (zip bombs)
MAX_RATIO = 100  # unpacked / packed: a real Office file is well under
CONVERT_SECONDS = 120  # LibreOffice's time to convert a .doc/.wps/.et

_LATIN = re.compile(r"[A-Za-z]")
_RADICALS = re.compile(r"[\u2f00-\u2fdf\uf900-\ufaff]")  # Kangxi radicals, compatibility ideographs
_SUPPLEMENT = str.maketrans(  # the CJK radicals supplement's whole characters (no Unicode mapping),
    "⺠⻅⻔⻚⻛⻓⻋⻢⻜⻝⻥⻘⻄⻆⻉⻨⻩⻬⻮⻳⻰⻦⻣⻤⻙⻗⺟⺩⺮⻁⻑⻊⻡⺝⺜⺢⺧⺶⻧⻪⺒⺓戶",  # and 戶, whose glyph
    "民见门页风长车马飞食鱼青西角贝麦黄齐齿龟龙鸟骨鬼韦雨母王竹虎長足首月日水牛羊卤黾巳幺户")  # CJK fonts share with 户
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.wps/.et/.xls, and encrypted .docx/.xlsx


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # each cell's paragraphs joined by "\n"
    where: str  # 表2 / 工作表「附件」 / 第3页表1


@dataclass(frozen=True)
class Paragraph:
    text: str
    where: str


@dataclass
class Document:
    name: str  # the file's name, as uploaded
    kind: str  # docx | xlsx | pdf | text
    blocks: list[Paragraph | Table] = field(default_factory=list)

    def text(self) -> str:
        """The document as the importers read text: a paragraph per line, a
        table row per line with its cells tab-separated (a cell of several
        paragraphs as <p>…</p> each); a sheet's row with its first cell alone
        filled is a line of prose (its title rows, the notice around it)."""
        return "\n".join(line for line, _ in self.lines())

    def places(self) -> list[Place]:
        """Each line of ``text()``'s place in the file (none for a text file's)."""
        return [place for _, place in self.lines()] if self.kind != "text" else []

    def lines(self) -> list[tuple[str, Place]]:
        """(each line of ``text()``, its place in the file)."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append((block.text, Place(block.where)))
                continue
            for n, row in enumerate(block.rows, 1):
                place = Place(f"{block.where}第{n}行", tuple(self._cell_place(block, n, c) for c in range(len(row))))
                if self.kind == "xlsx" and not any(row[1:]):  # a sheet's title and prose rows
                    lines.append((row[0] if row else "", Place(place.row)))
                else:
                    lines.append(("\t".join(_cell_text(cell) for cell in row), place))
        return lines

    def _cell_place(self, table: Table, row: int, column: int) -> str:
        """A cell as the file's user finds it: 工作表「附件」C7 in Excel, 表2第5行第3列 in Word."""
        if self.kind == "xlsx":
            from openpyxl.utils import get_column_letter

            return f"{table.where}{get_column_letter(column + 1)}{row}"
        return f"{table.where}第{row}行第{column + 1}列"


@dataclass(frozen=True)
class Place:
    """Where a line of a document's text stands in its file: the paragraph or
    table row, and for a row each cell's place."""

    row: str
    cells: tuple[str, ...] = ()

    def at(self, column: int | None) -> str:
        """The cell's place, else the row's."""
        return self.cells[column] if column is not None and 0 <= column < len(self.cells) else self.row


def _cell_text(cell: str) -> str:
    paragraphs = [p.replace("\t", " ").strip() for p in cell.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if len(paragraphs) <= 1:
        return "".join(paragraphs)
    return " ".join(f"<p>{p}</p>" for p in paragraphs)


def read_file(raw: bytes, name: str) -> Document:
    """The Document in ``raw`` (a file named ``name``); DocumentError when it
    is empty, too large, damaged, protected or of a kind not read."""
    if not raw.strip():
        raise DocumentError(f"{name}: 文件为空 (empty file)")
    if len(raw) > MAX_BYTES:
        raise DocumentError(f"{name}: 文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分或压缩图片后再上传 "
                            "(file too large)")
    if raw.startswith(b"%PDF-"):
        return _pdf(raw, name)
    if raw.startswith(b"PK\x03\x04"):
        return _office(raw, name)
    if raw.startswith(_OLE):
        return _old_office(raw, name)
    if raw.startswith((b"{\\rtf", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")) or b"\x00" in raw[:4096]:
        raise DocumentError(f"{name}: 不是可读取的计划文件（Word、Excel、PDF 或文本），"
                            "请另存为 .docx 或 .xlsx 后上传 (not a document this importer reads)")
    lines = _decode(raw, name).split("\n")
    return Document(name, "text", [Paragraph(line, f"第{n}行") for n, line in enumerate(lines, 1)])


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Chinese Windows saves);
    garbled text is refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocumentError(f"{name}: 文本编码无法识别，请另存为 UTF-8 文本或 .docx 后上传 "
                            "(neither UTF-8 nor GB18030 text)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or text.count("\ufffd") > 3:
        raise DocumentError(f"{name}: 文件内容已损坏 (binary or garbled content)")
    return text


def _office(raw: bytes, name: str) -> Document:
    """A .docx or .xlsx (a zip of XML parts), checked before it is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(f"{name}: 文件已损坏，无法打开，请重新保存后上传 (damaged zip)") from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(raw), 1):
        raise DocumentError(f"{name}: 文件解压后过大，疑似压缩炸弹，拒绝读取 (unpacks to {unpacked} bytes)")
    names = {member.filename for member in members}
    try:
        if "word/document.xml" in names:
            return _docx(raw, name)
        if "xl/workbook.xml" in names:
            return _xlsx(raw, name)
    except DocumentError:
        raise
    except Exception:  # noqa: BLE001 — any failure of the reader on a damaged part
        raise DocumentError(f"{name}: 文件已损坏，无法读取，请用 Word/WPS 打开后另存为 .docx/.xlsx 再上传 "
                            "(damaged Office file)") from None
    if "ppt/presentation.xml" in names:
        raise DocumentError(f"{name}: 这是演示文稿，不是计划文件；请上传 Word、Excel 或 PDF (a presentation)")
    raise DocumentError(f"{name}: 不是 Word (.docx) 或 Excel (.xlsx) 文件 (a zip archive, not an Office file)")


def _docx(raw: bytes, name: str) -> Document:
    import docx
    from docx.table import Table as DocxTable, _Cell

    document = Document(name, "docx")
    tables = paragraphs = 0
    for block in docx.Document(io.BytesIO(raw)).iter_inner_content():
        if isinstance(block, DocxTable):
            tables += 1
            rows = []
            for tr in block._tbl.tr_lst:
                cells = []
                for tc in tr.tc_lst:  # Word's grid: merged continuations read empty
                    cells.append("" if tc.vMerge == "continue" else _Cell(tc, block).text)
                    cells.extend([""] * (tc.grid_span - 1))
                rows.append(tuple(cells))
            document.blocks.append(Table(tuple(rows), f"表{tables}"))
        else:
            paragraphs += 1
            document.blocks.append(Paragraph(block.text, f"第{paragraphs}段"))
    return document


def _xlsx(raw: bytes, name: str) -> Document:
    """Each sheet's used rows (merged ranges read in their first cell only);
    the sheet is one table, title rows above its header included."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    document = Document(name, "xlsx")
    for sheet in book.worksheets:
        rows = []
        for values in sheet.iter_rows(values_only=True):
            cells = tuple(_xlsx_value(v) for v in values)
            while cells and not cells[-1]:
                cells = cells[:-1]
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        if rows:
            width = max(len(row) for row in rows)
            document.blocks.append(Table(tuple(row + ("",) * (width - len(row)) for row in rows),
                                         f"工作表「{sheet.title}」"))
    book.close()
    return document


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _pdf(raw: bytes, name: str) -> Document:
    """A PDF's text layer, page by page in reading order: its ruled tables as
    tables, the other lines as paragraphs.  A scan (no text) is refused."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its notes on fonts are not the reader's
    document = Document(name, "pdf")
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            for page_no, page in enumerate(pdf.pages, 1):
                document.blocks.extend(_pdf_page(page, page_no))
    except PDFPasswordIncorrect:
        raise DocumentError(f"{name}: PDF 设有密码，请取消密码后再上传 (password-protected PDF)") from None
    except Exception:  # noqa: BLE001 — pdfminer raises many kinds on damage
        raise DocumentError(f"{name}: PDF 已损坏，无法读取，请上传原始 Word 文件 (damaged PDF)") from None
    if not any(block.text.strip() if isinstance(block, Paragraph) else block.rows for block in document.blocks):
        raise DocumentError(f"{name}: PDF 没有文字层（可能是扫描件），无法读取；请上传 Word 原件 "
                            "(no text layer: a scan)")
    return document


def _pdf_page(page, page_no: int) -> list[Paragraph | Table]:
    """One page's lines outside its tables and its tables, by their place from the top."""
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    placed = [(line["top"], Paragraph(_pdf_text(line["text"]), f"第{page_no}页"))
              for line in outside.extract_text_lines(strip=True)]
    for n, table in enumerate(found, 1):
        rows = tuple(tuple(_unwrapped(_pdf_text(cell or "")) for cell in row) for row in table.extract())
        placed.append((table.bbox[1], Table(rows, f"第{page_no}页表{n}")))
    return [block for _, block in sorted(placed, key=lambda pair: pair[0])]


def _pdf_text(text: str) -> str:
    """Text as a PDF's fonts give it, with radicals read as the characters they
    stand for (fonts often map 用 to the Kangxi radical ⽤, U+2F64, 民 to ⺠)."""
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text).translate(_SUPPLEMENT)


def _unwrapped(cell: str) -> str:
    """A PDF cell's text with the line breaks of its wrapping taken out (a
    space kept between two Latin words only)."""
    return re.sub(r"\s*\n\s*", lambda m: _joint(cell, m), cell.strip())


def _joint(text: str, match) -> str:
    before, after = text[match.start() - 1: match.start()], text[match.end(): match.end() + 1]
    return " " if _LATIN.match(before) and _LATIN.match(after) else ""


def _inside(obj, box) -> bool:
    x0, top, x1, bottom = box
    return obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1 and \
        obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1


def _old_office(raw: bytes, name: str) -> Document:
    """.doc/.wps/.et/.xls (OLE files) converted by LibreOffice when installed.
    An encrypted .docx/.xlsx is an OLE file too: refused with its own message."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in raw:
        raise DocumentError(f"{name}: 文件设有打开密码，请取消密码后再上传 (password-protected)")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise DocumentError(f"{name}: 这是旧版 Word/WPS/Excel 文件，请用 Word 或 WPS 另存为 .docx / .xlsx 后上传 "
                            "(.doc/.wps/.et need LibreOffice, which is not installed)")
    spreadsheet = b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in raw or b"B\x00o\x00o\x00k\x00" in raw
    target = "xlsx" if spreadsheet else "docx"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("in.xls" if spreadsheet else "in.doc")
        source.write_bytes(raw)
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", target, "--outdir", tmp, str(source)],
                           capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentError(f"{name}: 文件转换超时，请另存为 .docx / .xlsx 后上传 (conversion timed out)") from None
        converted = Path(tmp) / f"in.{target}"
        if not converted.exists():
            raise DocumentError(f"{name}: 文件无法转换，请用 Word 或 WPS 另存为 .docx / .xlsx 后上传 "
                                "(LibreOffice could not convert it)")
        document = _office(converted.read_bytes(), name)
    return document
