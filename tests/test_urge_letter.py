"""督办单: a city's or a department's overdue and due-soon milestones, as the
overdue page lists them for that scope, in a Word page to sign and return."""
from __future__ import annotations

import io

from docx import Document

from outputs.urge_letter import urge_letter_docx
from queries import api
from queries.overdue import worst_rows
from queries.status import Filters


def test_the_letter_lists_what_the_overdue_page_lists(loaded_app, tmp_path, monkeypatch):
    with loaded_app.test_request_context():
        as_of = api.default_as_of(city="温州")
        filters = Filters(city="温州", statuses=("overdue", "due_soon"), plans=tuple(api.scope(as_of, city="温州")["ids"]))
        rows = worst_rows(as_of, filters, None, 10_000)
    assert rows  # (温州 has overdue and due-soon milestones at its latest report)
    monkeypatch.chdir(tmp_path)
    result = loaded_app.test_cli_runner().invoke(args=["export-urge", "--city", "温州", "--reply-by", "2021-01-15"])
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("温州市_督办单_*.docx")
    doc = Document(io.BytesIO(written.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    overdue = sum(r["status"] == "overdue" for r in rows)
    assert "信用应用场景推进督办单" in text and "温州市：" in text
    assert f"逾期未完成 {overdue} 个、临期 {len(rows) - overdue} 个" in text and "2021年1月15日前" in text
    listed = doc.tables[0]
    assert [c.text for c in listed.rows[0].cells][:4] == ["序号", "计划", "工作事项", "工作节点"]
    assert [row.cells[3].text for row in listed.rows[1:]] == [r["milestone"] for r in rows]
    assert "签收人" in text and "督办单位：浙江省信用办（盖章）" in text


def test_export_urge_refuses_an_unknown_department(loaded_app):
    result = loaded_app.test_cli_runner().invoke(args=["export-urge", "--city", "温州", "--department", "没有这个部门"])
    assert result.exit_code == 2 and "--department" in result.output


def test_an_empty_letter_is_still_a_letter():
    from datetime import date
    doc = Document(io.BytesIO(urge_letter_docx("丽水市", [], date(2020, 9, 30), date(2020, 10, 10))))
    assert "逾期未完成 0 个、临期 0 个" in "\n".join(p.text for p in doc.paragraphs)


def test_the_overdue_and_department_pages_download_the_letter_of_their_view(loaded_app):
    from urllib.parse import unquote

    from tests.callbacks import render_page

    client = loaded_app.test_client()
    status, text = render_page(client, "/overdue", "?city=温州")
    assert status == 200 and "/overdue/urge-letter?" in text and "format=docx" in text
    status, text = render_page(client, "/overdue", "")
    assert "选择地市（及部门）后可下载督办单" in text
    status, text = render_page(client, "/departments", "?city=温州&department=市发展改革委")
    assert status == 200 and "dept-urge-letter-pdf" in text
    with loaded_app.test_request_context():
        as_of = api.default_as_of(city="温州")
        filters = Filters(city="温州", statuses=("overdue", "due_soon"), plans=tuple(api.scope(as_of, city="温州")["ids"]))
        rows = worst_rows(as_of, filters, None, 10_000)
    got = client.get(f"/overdue/urge-letter?city=温州&as_of={as_of}")
    assert got.status_code == 200 and got.headers["Content-Disposition"].startswith("attachment")
    assert f"温州市_督办单_{as_of}.docx" in unquote(got.headers["Content-Disposition"])
    listed = Document(io.BytesIO(got.data)).tables[0]
    assert [row.cells[3].text for row in listed.rows[1:]] == [r["milestone"] for r in rows]
    for bad in ("", "?department=", "?department=市发展改革委", "?city=不存在", "?city=丽水", "?city=温州&format=exe", "?city=温州&as_of=2020-99-01",
                "?city=%00", "?city=温州&department=没有这个部门"):
        assert client.get("/overdue/urge-letter" + bad).status_code == 400, bad


def test_no_letter_of_nothing(loaded_app):
    """丽水 has no overdue or due-soon milestone at its date: no 督办单 to send."""
    result = loaded_app.test_cli_runner().invoke(args=["export-urge", "--city", "丽水"])
    assert result.exit_code == 1 and "没有逾期或临期的节点，无需督办" in result.output


def test_every_row_is_set_like_the_first_with_its_own_text():
    """(outputs.layout copies a table's first row for the rest.)"""
    from datetime import date

    from docx.oxml.ns import qn

    from outputs.layout import BODY_FONT
    rows = [{"status": "overdue", "plan": f"计划{n}", "item": "", "milestone": f"节点 {n}\n第二行", "due": "2020-09-30",
             "due_text": None, "days_overdue": n, "last_note": "进展\t说明" if n % 2 else None, "last_reported_on": "2020-09-01"}
            for n in range(1, 41)]
    doc = Document(io.BytesIO(urge_letter_docx("丽水市", rows, date(2020, 10, 31), date(2020, 11, 10))))
    body = doc.tables[0].rows[1:]
    assert len(body) == 40
    for n, row in enumerate(body, start=1):
        cells = [c.text for c in row.cells]
        assert cells[:4] == [str(n), f"计划{n}", "", f"节点 {n}\n第二行"] and cells[5] == str(n)
        assert cells[6] == ("进展\t说明（2020-09-01）" if n % 2 else "未报送")
        for cell in row.cells:
            (run,) = cell.paragraphs[0].runs
            assert run.font.size.pt == 10.5 and run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == BODY_FONT
