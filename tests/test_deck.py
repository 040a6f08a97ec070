"""The 月度推进会 deck as PowerPoint, opened again with python-pptx: one slide per
review slide at 16:9, native tables and a native chart whose numbers are the
review's for the same month and plans, the month and the plans on every slide;
the download from the review page and the CLI (PDF: tests/test_render.py)."""
from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import date
from urllib.parse import unquote

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from outputs.bulletin import figures
from outputs.deck import TEXT_FONT, deck_pptx, fit
from queries import api
from queries.review import Month, city_ranking, month_digest
from queries.status import Filters
from store import clock
from tests.callbacks import render_page
from tests.conftest import make_test_app
from tests.test_security import login

SEPTEMBER = date(2020, 9, 1)


def september(app):
    with app.test_request_context():
        month = Month.of(SEPTEMBER, clock.today())
        scope = api.scope(month.end)
        f = figures(month, scope)
        return month, scope, f, deck_pptx(f, app.config["DUE_SOON_DAYS"])


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def tables(slide):
    return [shape.table for shape in slide.shapes if shape.has_table]


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_deck_is_the_reviews_slides_with_its_numbers(loaded_app):
    month, scope, f, data = september(loaded_app)
    plans = tuple(scope["ids"])
    with loaded_app.test_request_context():
        province = api.rates(month.end, "province", Filters(plans=plans))[0]
        ranking = city_ranking(month, plans)
        lists = month_digest(month.previous_end, month.end, month.horizon, plans, 8)
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = list(deck.slides)
    assert len(slides) == 6 + len(ranking)  # summary, ranking, three lists, indicators, one per city
    for n, slide in enumerate(slides, start=1):  # the month, the date and the plans on every slide
        words = "\n".join(texts(slide))
        assert "2020年9月月度推进会" in words and "数据截至2020年9月30日" in words, n
        assert f"统计范围：{scope['label']}" in words and f"{n} / {len(slides)}" in words, n

    summary = "\n".join(texts(slides[0]))
    assert "全省推进总体情况" in summary
    assert f"{province['done_due'] / province['due_by']:.1%}" in summary
    assert f"（{province['done_due']}/{province['due_by']}）" in summary
    assert f"{province['overdue']:,}个" in summary and f"累计逾期 {province['overdue_days']:,} 天" in summary

    (ranked,) = tables(slides[1])
    assert rows_of(ranked)[0][:3] == ["排名", "较上月", "地市"]
    assert [r[2] for r in rows_of(ranked)[1:]] == [r["city"] for r in ranking]
    assert [r[0] for r in rows_of(ranked)[1:]] == [str(r["rank"]) for r in ranking]
    (chart,) = [shape.chart for shape in slides[1].shapes if shape.has_chart]  # native, editable
    assert list(chart.plots[0].categories) == [r["city"] for r in reversed(ranking)]
    progress = chart.plots[0].series[0]
    assert progress.name == "进度完成率"
    assert list(progress.values) == pytest.approx([r["now"]["progress_rate"] or 0 for r in reversed(ranking)])

    for slide, kind in zip(slides[2:5], ("completed", "overdue", "due_next")):
        title = texts(slide)[2]  # (after the band and the kicker)
        assert title.endswith(f"（{lists[kind]['count']:,}项）"), title
        if lists[kind]["count"]:
            (listed,) = tables(slide)
            assert [r[0] for r in rows_of(listed)[1:]] == [r["city"] or "省级" for r in lists[kind]["rows"]]
    for slide, r in zip(slides[6:], ranking):
        words = "\n".join(texts(slide))
        assert f"{r['city']}市" in words and f"第 {r['rank']} 名 / {len(ranking)}" in words
        if r["now"]["due_by"]:
            assert f"{r['now']['done_due'] / r['now']['due_by']:.1%}" in words


def test_fonts_are_named_for_chinese_text(loaded_app):
    *_, data = september(loaded_app)
    slide = Presentation(io.BytesIO(data)).slides[0]
    faces = {run._r.find(qn("a:rPr")).find(qn("a:ea")).get("typeface")
             for shape in slide.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert TEXT_FONT in faces and faces <= {"黑体", "微软雅黑"}
    charsets = {run._r.find(qn("a:rPr")).find(qn("a:ea")).get("charset")
                for shape in slide.shapes if shape.has_text_frame
                for p in shape.text_frame.paragraphs for run in p.runs}
    assert charsets == {"-122"}  # GB2312: a machine without the font substitutes a Chinese one


def test_no_shape_casts_the_themes_shadow(loaded_app):
    """python-pptx's shapes take the theme's blurred shadow, which LibreOffice
    draws slowly into the PDF: every shape says none."""
    *_, data = september(loaded_app)
    refs = [ref.get("idx") for slide in Presentation(io.BytesIO(data)).slides for shape in slide.shapes
            for ref in shape._element.iter(qn("a:effectRef"))]
    assert refs and set(refs) == {"0"}


def test_long_text_is_cut_to_the_lines_it_has():
    assert fit("短", 3, 12, 1) == "短"
    assert fit("一" * 41, 4.4, 13, 2) == "一" * 41  # (what fits is not cut)
    assert fit("一" * 60, 4.4, 13, 2) == "一" * 40 + "…"
    cut = fit("建立健全信用承诺制度" * 10, 3, 12, 2)
    assert cut.endswith("…") and len(cut) < 40
    assert fit("abc" * 100, 3, 12, 1).endswith("…")


def test_the_review_page_and_the_cli_give_the_same_deck(loaded_app, tmp_path, monkeypatch):
    client = loaded_app.test_client()
    status, text = render_page(client, "/review", "?month=2020-09")
    assert status == 200
    for href in ("/review/deck?month=2020-09", "/review/deck?month=2020-09&format=pdf",
                 "/review/bulletin?month=2020-09"):
        assert href in text, href
    got = client.get("/review/deck?month=2020-09")
    assert got.status_code == 200 and got.headers["Content-Disposition"].startswith("attachment")
    assert "2020年9月信用应用场景月度推进会.pptx" in unquote(got.headers["Content-Disposition"])
    from_page = Presentation(io.BytesIO(got.data))
    monkeypatch.chdir(tmp_path)
    result = loaded_app.test_cli_runner().invoke(args=["export-deck", "--month", "2020-09"])
    assert result.exit_code == 0, result.output
    from_cli = Presentation(io.BytesIO((tmp_path / "2020年9月信用应用场景月度推进会.pptx").read_bytes()))
    assert [texts(s) for s in from_page.slides] == [texts(s) for s in from_cli.slides]
    for bad in ("?month=2020-13", "?month=2099-01", "", "?month=2020-09&format=xls",
                "?month=2020-09&plan=%00", "?month=2020-09&year=1900", "?month=2020-09&format=%ff"):
        assert client.get("/review/deck" + bad).status_code == 400, bad
    refused = loaded_app.test_cli_runner().invoke(args=["export-deck", "--month", "2020-09", "--format", "key"])
    assert refused.exit_code == 2
    closed = make_test_app(loaded_app.config["DATABASE_URL"], ANONYMOUS_READ=False).test_client()
    assert closed.get("/review/deck?month=2020-09").status_code in (302, 401, 403)  # behind the login


def test_a_long_table_stays_above_the_footer():
    """Eleven cities and a 省级 row, and a header: the rows get lower, the table ends above the footer."""
    from outputs.deck import BODY_BOTTOM, BODY_TOP, table

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    table(slide, ["排名", "地市"], [[str(n), "杭州"] for n in range(13)], (1, 2), 0.5, BODY_TOP, 11)
    (shape,) = slide.shapes
    assert shape.top + sum(row.height for row in shape.table.rows) <= Inches(BODY_BOTTOM) + 1


def test_a_plan_year_deck_reviews_that_years_plans(loaded_app):
    with loaded_app.test_request_context():
        month = Month.of(SEPTEMBER, clock.today())
        scope = api.scope(month.end, None, 2020)
        data = deck_pptx(figures(month, scope), 14)
    footer = "\n".join(texts(Presentation(io.BytesIO(data)).slides[0]))
    assert f"统计范围：{scope['label']}" in footer


def test_without_libreoffice_the_pdf_is_refused_with_why(reporting_app, monkeypatch):
    monkeypatch.setenv("SOFFICE", "no-such-program")
    client = reporting_app.test_client()
    login(client, "leader")
    got = client.get("/review/deck?month=2020-09&format=pdf")
    assert got.status_code == 503 and "LibreOffice" in got.get_data(as_text=True)


def test_a_visitor_gets_no_pdf(loaded_app):
    """Pages may be open to visitors (ANONYMOUS_READ); a PDF costs seconds of a core: accounts only."""
    client = loaded_app.test_client()
    assert client.get("/review/deck?month=2020-09").status_code == 200
    for url in ("/review/deck?month=2020-09&format=pdf", "/overdue/urge-letter?city=温州&format=pdf"):
        got = client.get(url)
        assert got.status_code == 403 and "请登录后下载 PDF" in got.get_data(as_text=True), url


@pytest.mark.browser
def test_each_file_downloads_from_its_page(reporting_app, tmp_path):
    """The review's 通报, 演示文稿 and PDF; the overdue and department pages' 督办单."""
    from docx import Document

    from tests.browser import browser_page, serve
    from tests.test_page_report import log_in

    def fetched(page, selector: str) -> tuple[str, bytes]:
        with page.expect_download(timeout=60_000) as download:
            page.locator(selector).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        return path.name, path.read_bytes()

    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "leader")
        page.goto(f"{url}/review?month=2020-09")
        page.wait_for_selector("#review-pptx")
        name, data = fetched(page, "#review-pptx")
        assert name == "2020年9月信用应用场景月度推进会.pptx"
        assert "全省推进总体情况" in "\n".join(texts(Presentation(io.BytesIO(data)).slides[0]))
        name, data = fetched(page, "#review-pdf")
        assert name == "2020年9月信用应用场景月度推进会.pdf" and data.startswith(b"%PDF")
        name, data = fetched(page, "#review-bulletin")
        assert name == "2020年9月信用应用场景推进情况通报.docx"
        assert "通报" in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

        page.goto(f"{url}/overdue?city=杭州")
        page.wait_for_selector("#urge-letter-docx")
        name, data = fetched(page, "#urge-letter-docx")
        assert name.startswith("杭州市_督办单_") and name.endswith(".docx")
        assert "杭州市：" in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

        page.goto(f"{url}/departments?city=温州&department=市发展改革委")
        page.wait_for_selector("#dept-urge-letter-pdf")
        name, data = fetched(page, "#dept-urge-letter-pdf")
        assert name.startswith("温州市_市发展改革委_督办单_") and data.startswith(b"%PDF")
        assert page.errors == []


def stand_in_converter(made: list):
    """outputs.pdf.converter without LibreOffice: notes the kind of each file converted."""
    @contextmanager
    def converter():
        yield lambda data, suffix: made.append(suffix) or b"%PDF-1.4 stand-in"
    return converter


def test_a_pdf_is_made_once_until_the_data_changes(reporting_app, monkeypatch):
    import outputs.web
    from queries.cache import invalidate

    made = []
    monkeypatch.setattr(outputs.web, "converter", stand_in_converter(made))
    client = reporting_app.test_client()
    login(client, "leader")
    with reporting_app.app_context():
        invalidate()
    for url in ("/review/deck?month=2020-09&format=pdf", "/overdue/urge-letter?city=温州&format=pdf"):
        first, again = client.get(url), client.get(url)
        assert first.status_code == again.status_code == 200 and first.data == again.data == b"%PDF-1.4 stand-in"
    assert made == [".pptx", ".docx"]  # each made once
    with reporting_app.app_context():
        invalidate()  # (a write)
    assert client.get("/review/deck?month=2020-09&format=pdf").status_code == 200
    assert made == [".pptx", ".docx", ".pptx"]
    with reporting_app.app_context():
        invalidate()  # (the stand-in is not left for the tests that print the real one)


def test_the_first_slide_warns_of_binding_indicators_behind_as_the_page_does(loaded_app):
    with loaded_app.test_request_context():
        month = Month.of(date(2023, 12, 1), clock.today())
        scope = api.scope(month.end)
        behind = api.indicator_totals(month.end, Filters(plans=tuple(scope["ids"])))["binding_behind"]
        data = deck_pptx(figures(month, scope), 14)
    assert behind > 0
    assert f"约束性指标落后于进度：{behind} 项" in "\n".join(texts(Presentation(io.BytesIO(data)).slides[0]))
