"""The month-end files as they print (slow: LibreOffice and poppler, `make browser`):
each rendered to PDF the way the server does (outputs.pdf), its text read back
with pdfplumber — every character on its page, none below a slide's footer
rule but the footer, every Chinese character in a Chinese font (no boxes) —
its numbers the review's, and its pages turned into PNGs that are not blank."""
from __future__ import annotations

import io
import shutil
import subprocess

import pdfplumber
import pytest

from outputs.bulletin import bulletin_docx, figures
from outputs.deck import HEIGHT
from outputs.pdf import to_pdf
from queries import api
from queries.review import Month, city_ranking
from store import clock
from tests.test_security import login

pytestmark = pytest.mark.slow

CHINESE_FONTS = ("CJK", "Sim", "Fang", "Kai", "YaHei", "Song", "Hei")


def chinese(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def read_pdf(data: bytes) -> list[dict]:
    """Each page: its size, text and characters."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [{"width": p.width, "height": p.height, "text": p.extract_text() or "", "chars": p.chars}
                for p in pdf.pages]


def assert_prints_well(pages: list[dict], footer_from: float | None = None) -> None:
    """Nothing off the page, no boxes for Chinese text; ``footer_from`` (points
    from the top): only the small footer text below it."""
    assert pages
    for n, page in enumerate(pages, start=1):
        for c in page["chars"]:
            assert -1 <= c["x0"] and c["x1"] <= page["width"] + 1, (n, c["text"], c["x0"], c["x1"])
            assert -1 <= c["top"] and c["bottom"] <= page["height"] + 1, (n, c["text"], c["top"])
            if chinese(c["text"]):
                assert any(name in c["fontname"] for name in CHINESE_FONTS), (n, c["text"], c["fontname"])
            if footer_from is not None and c["top"] > footer_from:
                assert c["size"] < 12, (n, c["text"], c["top"], c["size"])  # a table ran into the footer


def assert_pictures(data: bytes, tmp_path, pages: int) -> None:
    """The pages as PNGs (kept beside the PDF for a person to look at), none blank."""
    assert shutil.which("pdftoppm"), "poppler is needed: make browser"
    pdf = tmp_path / "file.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == pages
    assert all(p.stat().st_size > 5_000 for p in pngs)


def signed_in(app, username: str = "leader"):
    client = app.test_client()
    login(client, username)
    return client


def test_the_deck_prints_one_page_per_slide_with_the_reviews_numbers(reporting_app, tmp_path):
    assert shutil.which("soffice"), "LibreOffice Impress is needed: make browser"
    got = signed_in(reporting_app).get("/review/deck?month=2020-09&format=pdf")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    with reporting_app.test_request_context():
        month = Month.of(Month.of(__import__("datetime").date(2020, 9, 1), clock.today()).first, clock.today())
        ranking = city_ranking(month, tuple(api.scope(month.end)["ids"]))
    pages = read_pdf(got.data)
    assert len(pages) == 6 + len(ranking)
    assert all(round(p["width"] / p["height"], 2) == round(16 / 9, 2) for p in pages)
    assert_prints_well(pages, footer_from=(HEIGHT - 0.57) * 72)
    assert "全省推进总体情况" in pages[0]["text"] and "各地市进度完成率排名" in pages[1]["text"]
    for page, r in zip(pages[6:], ranking):
        assert f"{r['city']}市" in page["text"]
    top = ranking[0]["now"]
    assert f"{top['done_due'] / top['due_by']:.1%}" in pages[1]["text"].replace(" ", "")
    assert_pictures(got.data, tmp_path, len(pages))


def test_the_bulletin_prints_as_a_notice(loaded_app, tmp_path):
    with loaded_app.test_request_context():
        month = Month.of(__import__("datetime").date(2020, 9, 1), clock.today())
        f = figures(month, api.scope(month.end))
    data = to_pdf(bulletin_docx(f), ".docx")
    pages = read_pdf(data)
    assert all((round(p["width"]), round(p["height"])) == (595, 842) for p in pages)  # A4
    assert_prints_well(pages)
    text = "".join(p["text"] for p in pages).replace(" ", "").replace("\n", "")
    assert "关于2020年9月全省信用应用场景推进情况的通报" in text
    assert f"已到期{f.province['due_by']:,}个" in text
    assert "—1—" in text  # the page number at the foot
    assert_pictures(data, tmp_path, len(pages))


def test_the_urge_letter_prints_on_one_page(reporting_app, tmp_path):
    got = signed_in(reporting_app).get("/overdue/urge-letter?city=杭州&format=pdf")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    pages = read_pdf(got.data)
    assert len(pages) == 1  # (杭州's few milestones and the signature block)
    assert_prints_well(pages)
    text = pages[0]["text"].replace(" ", "")
    assert "信用应用场景推进督办单" in text and "杭州市：" in text and "签收人：" in text
    assert_pictures(got.data, tmp_path, 1)
