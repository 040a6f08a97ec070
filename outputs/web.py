"""The month-end files as downloads, behind the same login as the pages:

- GET /review/bulletin?month=YYYY-MM[&plan=…|&year=…]: the 月度通报 (.docx);
- GET /review/deck?month=…[&plan|&year][&format=pptx|pdf]: the meeting deck;
- GET /overdue/urge-letter?city=…[&department=…][&plan|&year][&as_of=…][&format=docx|pdf]:
  the 督办单 of a city or a city's department, as the overdue page lists it;
- GET /urge/<id>/letter[?format=docx|pdf]: the 督办单 sent with a 催办, to
  those who may read the 催办 (notices.urge.reads_urge; else 404).

Each is the review or page it is downloaded from (same month, plans, date).
A month, scope or format it does not know is answered 400 with why, never a
file of something else; a PDF without LibreOffice on the server (or while
another is made for longer than outputs.pdf.WAIT), 503.  PDFs are for
logged-in accounts.  A PDF of the deck or of a page's 督办单 is kept in the
cache (until the data changes, or CACHE_DEFAULT_TIMEOUT): LibreOffice takes
seconds, and the meeting's deck is downloaded by many."""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, abort, current_app, request

from accounts import current_account
from components.filters import read_view
from notices.urge import reads_urge
from outputs.bulletin import bulletin_docx, figures
from outputs.bulletin import file_name as bulletin_name
from outputs.deck import deck_pptx
from outputs.deck import file_name as deck_name
from outputs.pdf import PDF, PdfError, converter
from outputs.urge_letter import letter_for_urge, letter_for_view
from plan_files import attachment
from queries.cache import cache
from queries.review import asked
from store import clock, session_scope
from store.models import Urge

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def init_app(server: Flask) -> None:
    server.add_url_rule("/review/bulletin", "review_bulletin", bulletin)
    server.add_url_rule("/review/deck", "review_deck", deck)
    server.add_url_rule("/overdue/urge-letter", "urge_letter", urge_letter)
    server.add_url_rule("/urge/<int:urge_id>/letter", "urge_sent_letter", sent_letter)


def asked_for() -> tuple[str, str | None, str | None]:
    """The month and plans asked for (?month, ?plan, ?year), checked: 400 with why."""
    month, plan, year = (request.args.get(k) or None for k in ("month", "plan", "year"))
    try:
        reviewed, _ = asked(month, plan, year)
    except ValueError as exc:
        abort(400, str(exc))
    return reviewed.period, plan, year


def file_format(*allowed: str) -> str:
    """?format= (the first of ``allowed`` by default)."""
    value = request.args.get("format") or allowed[0]
    if value not in allowed:
        abort(400, f"format: 应为 {' 或 '.join(allowed)}")
    return value


def as_pdf(make, *args) -> tuple[bytes, str]:
    """The PDF of the .docx or .pptx ``make(*args)`` returns (bytes, file name),
    named alike; LibreOffice starts while the file is made."""
    with converter() as convert:
        data, name = make(*args)
        stem, suffix = name.rsplit(".", 1)
        return convert(data, "." + suffix), f"{stem}.pdf"


def pdf_attachment(make, *key):
    """``make(*key)``'s PDF (bytes, file name) as a download, or 503 with why
    there is none.  Logged-in accounts only (a PDF costs seconds of a core)."""
    if current_account() is None:
        abort(403, "请登录后下载 PDF（Word / PowerPoint 版本无需登录）")
    try:
        data, name = make(*key)
    except PdfError as exc:
        abort(503, str(exc))
    return attachment(data, PDF, name)


def bulletin():
    f = figures(*asked(*asked_for()))
    return attachment(bulletin_docx(f), DOCX, bulletin_name(f.month))


def deck():
    pdf = file_format("pptx", "pdf") == "pdf"
    key = asked_for()
    if pdf:
        return pdf_attachment(deck_pdf, *key, clock.today())
    data, name = deck_file(*key)
    return attachment(data, PPTX, name)


def deck_file(month: str, plan: str | None, year: str | None) -> tuple[bytes, str]:
    """The deck (.pptx) of a month and plans, and its file name."""
    f = figures(*asked(month, plan, year))
    return deck_pptx(f, current_app.config["DUE_SOON_DAYS"]), deck_name(f)


@cache.memoize()
def deck_pdf(month: str, plan: str | None, year: str | None, today) -> tuple[bytes, str]:
    """The deck's PDF (LibreOffice takes seconds: kept until the data changes)."""
    return as_pdf(deck_file, month, plan, year)


def urge_letter():
    pdf = file_format("docx", "pdf") == "pdf"
    view = read_view(request.args.to_dict())
    if view.problems:
        abort(400, "；".join(view.problems))
    try:
        if pdf:
            return pdf_attachment(view_letter_pdf, view.query(status=None), clock.today())
        data, name = letter_for_view(view)
    except ValueError as exc:
        abort(400, str(exc))
    return attachment(data, DOCX, name)


@cache.memoize()
def view_letter_pdf(query: str, today) -> tuple[bytes, str]:
    """The PDF of the 督办单 of a view (``query``: View.query(), its known parameters only)."""
    return as_pdf(letter_for_view, read_view(dict(parse_qsl(query.lstrip("?")))))


def sent_letter(urge_id: int):
    pdf = file_format("docx", "pdf") == "pdf"
    with session_scope() as s:
        urge = s.get(Urge, urge_id) if urge_id < 2**31 else None
        if urge is None or not urge.letter or not reads_urge(s, current_account(), urge):
            abort(404)  # (whether another unit's 催办 exists is not told)
        data, name = letter_for_urge(s, urge)
    if pdf:
        return pdf_attachment(as_pdf, lambda: (data, name))
    return attachment(data, DOCX, name)
