"""The month-end files as downloads, behind the same login as the pages:

- GET /review/bulletin?month=YYYY-MM[&plan=…|&year=…]: the 月度通报 (.docx);
- GET /review/deck?month=…[&plan|&year][&format=pptx|pdf]: the meeting deck;
- GET /overdue/urge-letter?city=…[&department=…][&plan|&year][&as_of=…][&format=docx|pdf]:
  the 督办单 of a city or department, as the overdue page lists it;
- GET /urge/<id>/letter[?format=docx|pdf]: the 督办单 sent with a 催办, to
  those who may read the 催办 (notices.urge.reads_urge; else 403).

Each is the review or page it is downloaded from (same month, plans, date).
A month, scope or format it does not know is answered 400 with why, never a
file of something else; a PDF without LibreOffice on the server, 503."""
from __future__ import annotations

from flask import Flask, abort, current_app, request

from accounts import current_account
from components.filters import read_view
from notices.urge import reads_urge
from outputs.bulletin import bulletin_docx, figures
from outputs.bulletin import file_name as bulletin_name
from outputs.deck import deck_pptx
from outputs.deck import file_name as deck_name
from outputs.pdf import PDF, PdfError, to_pdf
from outputs.urge_letter import letter_for_urge, letter_for_view
from plan_files import attachment
from queries.review import asked
from store import session_scope
from store.models import Urge

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def init_app(server: Flask) -> None:
    server.add_url_rule("/review/bulletin", "review_bulletin", bulletin)
    server.add_url_rule("/review/deck", "review_deck", deck)
    server.add_url_rule("/overdue/urge-letter", "urge_letter", urge_letter)
    server.add_url_rule("/urge/<int:urge_id>/letter", "urge_sent_letter", sent_letter)


def reviewed():
    try:
        month, plans = asked(request.args.get("month"), request.args.get("plan"), request.args.get("year"))
    except ValueError as exc:
        abort(400, str(exc))
    return figures(month, plans)


def file_format(*allowed: str) -> str:
    """?format= (the first of ``allowed`` by default)."""
    value = request.args.get("format") or allowed[0]
    if value not in allowed:
        abort(400, f"format: 应为 {' 或 '.join(allowed)}")
    return value


def sent(data: bytes, kind: str, name: str, as_pdf: bool):
    """The file, or its PDF (named alike)."""
    if not as_pdf:
        return attachment(data, kind, name)
    try:
        pdf = to_pdf(data, "." + name.rsplit(".", 1)[1])
    except PdfError as exc:
        abort(503, str(exc))
    return attachment(pdf, PDF, name.rsplit(".", 1)[0] + ".pdf")


def bulletin():
    f = reviewed()
    return attachment(bulletin_docx(f), DOCX, bulletin_name(f.month))


def deck():
    as_pdf = file_format("pptx", "pdf") == "pdf"
    f = reviewed()
    return sent(deck_pptx(f, current_app.config["DUE_SOON_DAYS"]), PPTX, deck_name(f), as_pdf)


def urge_letter():
    as_pdf = file_format("docx", "pdf") == "pdf"
    view = read_view(request.args.to_dict())
    if view.problems:
        abort(400, "；".join(view.problems))
    if not (view.filters.city or view.filters.department):
        abort(400, "city: 督办单发给一个地市或一个部门，请先选择地市或部门")
    data, name = letter_for_view(view)
    return sent(data, DOCX, name, as_pdf)


def sent_letter(urge_id: int):
    as_pdf = file_format("docx", "pdf") == "pdf"
    with session_scope() as s:
        urge = s.get(Urge, urge_id) if urge_id < 2**31 else None
        if urge is None or not urge.letter:
            abort(404)
        if not reads_urge(s, current_account(), urge):
            abort(403)
        data, name = letter_for_urge(s, urge)
    return sent(data, DOCX, name, as_pdf)
