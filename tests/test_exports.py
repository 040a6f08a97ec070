"""Exports in the layout of the official tables: the cells as the documents
write them, the workbook's styling (opened again with openpyxl), the page's
download and the CLI's file being the same file, and (slow) the workbook
rendered by LibreOffice to PDF and PNG as an office would print it."""
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest

from components.export import STATUS_FILLS
from components.official import official_headers, official_row, official_title, status_xlsx
from queries import api
from queries.status import STATUS_LABELS, Filters
from tests.browser import browser_page, serve

AS_OF = date(2020, 9, 30)
SCENE_COLUMNS = ["地市", "场景类型", "应用场景", "推进范围", "工作计划", "责任部门", "完成时间",
                 "状态", "实际完成", "逾期天数", "最新进展"]


def rows_of(app, **filters):
    with app.app_context():
        return api.status_table(AS_OF, Filters(**filters))


def test_scene_rows_read_as_the_plan_writes_them(loaded_app):
    rows = rows_of(loaded_app, city="杭州")
    assert list(official_headers(rows).values()) == SCENE_COLUMNS
    first = official_row(rows[0])
    assert first["scene"] == "1.钱江分应用"
    assert first["work_plan"] == "（1）2020年3月底前，以钱江分为基础，联合家政服务企业推出本地化“信用+家政”产品"
    assert first["departments"] == "牵头部门：市商务局\n配合部门：市发展改革委、市公安局、市人力社保局、市卫生健康委、市市场监管局"
    assert first["deadline_shown"] == "2020.12"
    county = next(official_row(r) for r in rows if r["county"])
    assert county["scene"] == "1.钱江分应用（萧山区）"
    assert official_title(rows, "杭州市台账").startswith("浙信用办〔2020〕5号《2020年市县信用应用重点场景工作推进计划》")


def test_each_plan_kind_has_its_annex_columns_and_mixed_rows_a_plan_column(loaded_app):
    projects = rows_of(loaded_app, plan="湖信用办〔2019〕9号")
    tasks = rows_of(loaded_app, plan="温政办〔2018〕50号")
    assert list(official_headers(projects).values())[:6] == ["序号", "创新应用项目", "进度安排", "牵头单位",
                                                             "配合单位", "完成时间"]
    assert list(official_headers(tasks).values())[:4] == ["序号", "工作任务", "责任单位", "时间进度"]
    mixed = official_headers(projects + tasks)
    assert list(mixed.values())[0] == "计划文件"
    assert official_title(projects + tasks, "全省台账") == "全省台账"
    reported = next(r for r in projects if r["last_reported_on"])
    assert official_row(reported)["latest"] == f"{reported['last_note']}（{reported['last_reported_on']}报送）"
    assert official_row({**reported, "last_reported_on": None})["latest"] == "未报送"


def test_workbook_styling(loaded_app, tmp_path):
    rows = rows_of(loaded_app, city="温州")
    path = tmp_path / "wz.xlsx"
    path.write_bytes(status_xlsx(rows, "温州市工作节点进度台账（截至2020年9月30日）"))
    ws = openpyxl.load_workbook(path).active
    headers = [c.value for c in ws[2]]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:{ws.cell(2, len(headers)).column_letter}{ws.max_row}"
    assert "A1:" in str(ws.merged_cells) and ws["A1"].font.bold and ws["A1"].font.size == 14
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("DDEBF7") for c in ws[2])
    status = headers.index("状态") + 1
    for r, row in zip(range(3, ws.max_row + 1), rows, strict=True):
        cell = ws.cell(r, status)
        assert cell.value == STATUS_LABELS[row["status"]]
        assert cell.fill.fgColor.rgb.endswith(STATUS_FILLS[row["status"]])
        assert cell.alignment.wrap_text
    widths = {h: ws.column_dimensions[ws.cell(2, i + 1).column_letter].width for i, h in enumerate(headers)}
    assert widths["工作计划"] == 40 and widths["地市"] < 10  # long text wraps at the cap, short columns stay narrow
    assert all(8 <= w <= 40 for w in widths.values())
    tall = max(range(3, ws.max_row + 1), key=lambda r: ws.row_dimensions[r].height or 0)
    assert ws.row_dimensions[tall].height >= 30  # a wrapped cell's row is as tall as its lines


@pytest.mark.browser
def test_page_download_and_cli_export_are_the_same_file(loaded_app, tmp_path, monkeypatch):
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(f"{url}/milestones?as_of={AS_OF}&city=杭州")
        page.wait_for_selector(".ag-row")
        with page.expect_download() as download:
            page.get_by_role("button", name="导出 Excel").click()
        name = download.value.suggested_filename
        download.value.save_as(tmp_path / "page.xlsx")
        with page.expect_download() as download:
            page.get_by_role("button", name="导出 CSV").click()
        download.value.save_as(tmp_path / "page.csv")
        assert page.errors == []
    assert name == "杭州市_进度台账_2020-09-30.xlsx"
    monkeypatch.chdir(tmp_path)
    runner = loaded_app.test_cli_runner()
    result = runner.invoke(args=["export-status", "--as-of", str(AS_OF), "--city", "杭州", "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["export-status", "--as-of", str(AS_OF), "--city", "杭州",
                                 "--output", str(tmp_path / "cli.csv")])
    assert result.exit_code == 0, result.output
    page_ws, cli_ws = (openpyxl.load_workbook(tmp_path / n).active for n in ("page.xlsx", name))
    assert [[c.value for c in r] for r in page_ws.iter_rows()] == [[c.value for c in r] for r in cli_ws.iter_rows()]
    assert page_ws.max_row == len(rows_of(loaded_app, city="杭州")) + 2
    assert (tmp_path / "page.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()


@pytest.mark.slow
def test_workbook_prints_as_an_a4_landscape_table(loaded_app, tmp_path):
    """LibreOffice renders the export as an office would print it; the PNG of its
    first page is kept beside the PDF for a person to look at."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "LibreOffice is needed: make browser (apt-get install libreoffice-calc-nogui poppler-utils)"
    rows = rows_of(loaded_app, city="杭州")
    book = tmp_path / "杭州市_进度台账_2020-09-30.xlsx"
    book.write_bytes(status_xlsx(rows, "杭州市工作节点进度台账（截至2020年9月30日）"))
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    pdf = book.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "841.89 x 595.3" in info  # A4 landscape (points)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "浙信用办〔2020〕5号" in text and "杭州市工作节点进度台账" in text
    for header in ("应用场景", "工作计划", "责任部门", "最新进展"):
        assert header in text
    assert "钱江分应用" in text and "牵头部门：市商务局" in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    png = tmp_path / "page-1.png"
    assert png.stat().st_size > 20_000  # a rendered table, not a blank page
