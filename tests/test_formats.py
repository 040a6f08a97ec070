"""Plans as the office receives them: each bundled document saved as Word,
Excel or PDF gives the records its text gives; files that cannot be read are
refused with a message that says what to do, and change nothing."""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest

from importers import SOURCES_DIR, formats, parse_document, parse_text
from importers.formats import read_file
from importers.parsed import DocumentError
from tests.documents import as_docx, as_pdf, as_xlsx

SEEDS = sorted(SOURCES_DIR.glob("*.txt"))


def records(plan, squeeze: bool = False):
    """The plan's records without where they came from (a line of the text,
    a row of a Word table); ``squeeze``: whitespace ignored (a PDF keeps none
    where its lines wrap)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("source", "source_file", "file", "where")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if squeeze and isinstance(value, str):
            return re.sub(r"\s+", "", value)
        return value
    return strip(dataclasses.asdict(plan))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("save_as, suffix", [(as_docx, ".docx"), (as_xlsx, ".xlsx")], ids=["docx", "xlsx"])
def test_a_document_saved_as_word_or_excel_gives_its_records(seed, save_as, suffix, tmp_path):
    text = seed.read_text(encoding="utf-8")
    saved = tmp_path / f"{seed.stem}{suffix}"
    saved.write_bytes(save_as(text))
    assert records(parse_document(saved)) == records(parse_text(text, seed.name))
    misnamed = tmp_path / f"{seed.stem}.txt"  # the kind comes from the content, not the name
    misnamed.write_bytes(saved.read_bytes())
    assert records(parse_document(misnamed)) == records(parse_text(text, seed.name))


def test_word_tables_keep_their_grid_merged_cells_read_empty():
    import docx

    document = docx.Document()
    document.add_paragraph("附件")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text = "重点工作", "工作任务"
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(1, 0).text = "一、推进平台建设"
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 1).text, table.cell(2, 1).text = "1.甲", "2.乙"
    cell = table.cell(1, 2)
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    out = io.BytesIO()
    document.save(out)
    read = read_file(out.getvalue(), "分工表.docx")
    assert read.kind == "docx" and [type(b).__name__ for b in read.blocks] == ["Paragraph", "Table"]
    assert read.blocks[1].rows == (("重点工作", "工作任务", ""), ("一、推进平台建设", "1.甲", "第一段\n第二段"),
                                   ("", "2.乙", ""))
    assert read.text().split("\n")[2] == "一、推进平台建设\t1.甲\t<p>第一段</p> <p>第二段</p>"


def test_an_excel_sheet_with_title_rows_above_its_header():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["嘉兴市“信易+”创新应用项目清单"])
    sheet.append([None])
    sheet.append(["序号", "项目名称", "完成时间"])
    sheet.append([1, "信易贷", "2021年6月底前"])
    out = io.BytesIO()
    book.save(out)
    assert read_file(out.getvalue(), "清单.xlsx").text().split("\n") == [
        "嘉兴市“信易+”创新应用项目清单", "", "序号\t项目名称\t完成时间", "1\t信易贷\t2021年6月底前"]


def test_text_in_gb18030_is_read():
    assert read_file("温州市人民政府办公室文件\n".encode("gb18030"), "通知.txt").text().startswith("温州市人民政府")


@pytest.mark.browser
def test_a_pdf_with_a_text_layer_gives_the_records_of_its_text(tmp_path):
    from tests.browser import browser_page

    for seed in (s for s in SEEDS if s.name.startswith(("000", "004"))):
        text = seed.read_text(encoding="utf-8")
        with browser_page() as page:
            printed = tmp_path / f"{seed.stem}.pdf"
            printed.write_bytes(as_pdf(text, page))
        assert read_file(printed.read_bytes(), printed.name).kind == "pdf"
        assert records(parse_document(printed), squeeze=True) == records(parse_text(text, seed.name), squeeze=True)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _blank_pdf() -> bytes:
    """A PDF of one page and no text: what a scanner makes, less the picture."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


SCENE_DOCX = as_docx(SEEDS[0].read_text(encoding="utf-8"))
BAD_FILES = {
    "empty": (b"   \n", "文件为空"),
    "damaged docx": (SCENE_DOCX[: len(SCENE_DOCX) // 2], "已损坏"),
    "zip bomb": (_zip({"word/document.xml": b"\0" * 50_000_000}), "压缩炸弹"),
    "zip of other things": (_zip({"readme.txt": b"hello"}), "不是 Word (.docx) 或 Excel (.xlsx) 文件"),
    "presentation": (_zip({"ppt/presentation.xml": b"<p/>", "[Content_Types].xml": b"<x/>"}), "演示文稿"),
    "password-protected docx": (formats._OLE + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"), "密码"),
    "scanned pdf": (_blank_pdf(), "没有文字层"),
    "damaged pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "PDF 已损坏"),
    "picture": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "另存为 .docx"),
    "garbled text": (b"\xff\xfe\xfd" * 50, "UTF-8"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_file_that_cannot_be_read_is_refused_saying_what_to_do(kind):
    raw, message = BAD_FILES[kind]
    with pytest.raises(DocumentError, match=re.escape(message)):
        read_file(raw, f"{kind}.docx")


def test_an_old_word_file_needs_libreoffice_or_saving_as_docx(monkeypatch):
    monkeypatch.setattr(formats.shutil, "which", lambda name: None)
    with pytest.raises(DocumentError, match=r"另存为 \.docx / \.xlsx"):
        read_file(formats._OLE + b"\0" * 2000, "计划.doc")


def test_a_file_over_the_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(formats, "MAX_BYTES", len(SCENE_DOCX) - 1)
    with pytest.raises(DocumentError, match="文件超过"):
        read_file(SCENE_DOCX, "计划.docx")


def test_the_cli_imports_a_word_plan_and_refuses_a_bad_file_with_nothing_written(app, tmp_path):
    from tests.test_cli import table_counts

    runner = app.test_cli_runner()
    plan = tmp_path / "计划.docx"
    plan.write_bytes(SCENE_DOCX)
    result = runner.invoke(args=["import", str(plan)])
    assert result.exit_code == 0, result.output
    assert "浙信用办〔2020〕5号: imported" in result.output
    with app.app_context():
        before = table_counts(app)
    for kind in ("damaged docx", "scanned pdf"):
        bad = tmp_path / f"{kind}.pdf"
        bad.write_bytes(BAD_FILES[kind][0])
        result = runner.invoke(args=["import", str(bad)])
        assert result.exit_code != 0 and BAD_FILES[kind][1] in result.output
    with app.app_context():
        assert table_counts(app) == before


@pytest.mark.slow
def test_an_old_excel_file_is_converted_by_libreoffice(tmp_path):
    """An .xls (LibreOffice makes it here from the seed's .xlsx) is converted
    back and gives the same records."""
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice is needed: make browser (apt-get install libreoffice-calc-nogui)"
    seed = next(s for s in SEEDS if s.name.startswith("004"))
    text = seed.read_text(encoding="utf-8")
    (tmp_path / "plan.xlsx").write_bytes(as_xlsx(text))
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xls",
                    "--outdir", str(tmp_path), str(tmp_path / "plan.xlsx")], capture_output=True, timeout=120, check=True)
    old = (tmp_path / "plan.xls").read_bytes()
    assert old.startswith(formats._OLE)
    assert records(parse_text(read_file(old, "分工表.xls").text(), "分工表.xls")) == records(parse_text(text, seed.name))


def test_each_record_names_its_place_in_a_word_or_excel_file(tmp_path):
    """A task read from a Word table points to its table, row and cell; from a
    sheet, to the sheet and cell as Excel names it; a text file's records to
    their line only."""
    seed = next(s for s in SEEDS if s.name.startswith("004"))
    text = seed.read_text(encoding="utf-8").replace("\t12月底前", "\t适时", 1)  # a time that is no date
    for save_as, suffix, task_at, due_at in ((as_docx, "docx", r"表1第2行第3列", r"表\d第\d+行第5列"),
                                             (as_xlsx, "xlsx", r"工作表「附件」C\d+", r"工作表「附件」E\d+")):
        path = tmp_path / f"分工表.{suffix}"
        path.write_bytes(save_as(text))
        plan = parse_document(path)
        task = next(item for item in plan.walk_items() if item.kind == "task")
        assert re.fullmatch(task_at, task.source.where), task.source
        assert all(re.fullmatch(task_at.replace("1第2行", r"\d第\d+行"), m.source.where)
                   for item in plan.walk_items() for m in item.milestones)
        late = [f for f in plan.findings if f.item_key and f.item_key.startswith("t")]
        assert late and all(re.fullmatch(due_at, f.source.where) for f in late), late[:1]
    assert parse_document(seed).items[0].source.where is None
