"""月度通报: the month's bulletin as a Word file, opened again with python-docx —
its numbers the monthly review's for the same month and plans, its tables
with repeated header rows, its fonts named, page numbers at the foot."""
from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from outputs.bulletin import PRAISE_RULE, bulletin_docx, figures, file_name
from outputs.layout import BODY_FONT
from queries import api
from queries.review import Month, city_ranking
from queries.status import Filters
from store import clock
from tests.conftest import make_test_app

SEPTEMBER = date(2020, 9, 1)


def september(app):
    with app.test_request_context():
        month = Month.of(SEPTEMBER, clock.today())
        scope = api.scope(month.end)
        return month, scope, figures(month, scope)


def opened(data: bytes):
    import io
    return Document(io.BytesIO(data))


def text_of(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_bulletin_says_what_the_review_says(loaded_app):
    month, scope, f = september(loaded_app)
    with loaded_app.test_request_context():
        province = api.rates(month.end, "province", Filters(plans=tuple(scope["ids"])))[0]
        ranking = city_ranking(month, tuple(scope["ids"]))
        doc = opened(bulletin_docx(f))
    text = text_of(doc)
    assert "关于2020年9月全省信用应用场景推进情况的通报" in text and "浙信用办〔    〕    号" in text
    rate = f"{province['done_due'] / province['due_by']:.1%}"
    assert (f"全省共有工作节点 {province['total']:,} 个，已到期 {province['due_by']:,} 个，"
            f"其中已完成 {province['done_due']:,} 个，进度完成率 {rate}") in text
    assert f"逾期未完成节点 {province['overdue']:,} 个" in text
    ranked = doc.tables[0]
    assert [c.text for c in ranked.rows[0].cells] == ["排名", "地市", "进度完成率", "按时完成率", "逾期未完成", "逾期天数", "较上月"]
    assert [row.cells[1].text for row in ranked.rows[1:]] == [r["city"] for r in ranking]
    assert [row.cells[0].text for row in ranked.rows[1:]] == [str(r["rank"]) for r in ranking]
    assert f"按照{PRAISE_RULE}的规则" in text
    for city in f.praised:
        assert city in text.split("予以表扬：")[1].split("。")[0]
    assert f"本月新完成工作节点 {f.lists['completed']['count']:,} 个" in text
    assert f"下月到期的工作节点 {f.lists['due_next']['count']:,} 个" in text


def test_the_layout_is_a_notices(loaded_app):
    _, _, f = september(loaded_app)
    doc = opened(bulletin_docx(f))
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == BODY_FONT and fonts.get(qn("w:cs")) == "仿宋"
    for table in doc.tables:  # every table's header row repeats on each page
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_export_bulletin_writes_the_file_and_refuses_a_month_not_begun(loaded_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = loaded_app.test_cli_runner()
    result = runner.invoke(args=["export-bulletin", "--month", "2020-09"])
    assert result.exit_code == 0, result.output
    written = tmp_path / file_name(Month.of(SEPTEMBER, clock.today()))
    assert written.name == "2020年9月信用应用场景推进情况通报.docx" and "通报" in text_of(opened(written.read_bytes()))
    for bad in ("2020-13", "2099-01", "九月"):
        refused = runner.invoke(args=["export-bulletin", "--month", bad])
        assert refused.exit_code == 2 and "--month" in refused.output
    refused = runner.invoke(args=["export-bulletin", "--month", "2020-09", "--plan", "没有这个计划"])
    assert refused.exit_code == 2 and "--plan" in refused.output


@pytest.mark.parametrize("month", ["2020-01", "2020-12"])
def test_any_month_is_written(loaded_app, month):
    with loaded_app.test_request_context():
        first = date.fromisoformat(month + "-01")
        reviewed = Month.of(first, clock.today())
        doc = opened(bulletin_docx(figures(reviewed, api.scope(reviewed.end))))
    assert f"关于{reviewed.label}全省信用应用场景推进情况的通报" in text_of(doc)


def test_the_review_page_downloads_it(loaded_app):
    from urllib.parse import unquote

    from tests.callbacks import render_page

    client = loaded_app.test_client()
    status, text = render_page(client, "/review", "?month=2020-09")
    assert status == 200 and "/review/bulletin?month=2020-09" in text
    got = client.get("/review/bulletin?month=2020-09")
    assert got.status_code == 200 and got.headers["Content-Disposition"].startswith("attachment")
    assert "2020年9月信用应用场景推进情况通报.docx" in unquote(got.headers["Content-Disposition"])
    assert "关于2020年9月全省信用应用场景推进情况的通报" in text_of(opened(got.data))
    for bad in ("?month=2020-13", "?month=2099-01", "", "?month=2020-09&plan=%00", "?month=2020-09&year=1900"):
        assert client.get("/review/bulletin" + bad).status_code == 400, bad
    closed = make_test_app(loaded_app.config["DATABASE_URL"], ANONYMOUS_READ=False).test_client()
    assert closed.get("/review/bulletin?month=2020-09").status_code in (302, 401, 403)  # behind the login
