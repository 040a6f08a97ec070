"""The month-end files as downloads: GET /review/bulletin?month=YYYY-MM[&plan=…|&year=…]
sends the 月度通报 of the review the page shows (same month, same plans),
behind the same login as the pages.  A month or scope it does not know is
answered 400 with why, never a file of something else."""
from __future__ import annotations

from flask import Flask, abort, request

from outputs.bulletin import bulletin_docx, figures, file_name
from plan_files import attachment
from queries.review import asked

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def init_app(server: Flask) -> None:
    server.add_url_rule("/review/bulletin", "review_bulletin", bulletin)


def bulletin():
    try:
        month, plans = asked(request.args.get("month"), request.args.get("plan"), request.args.get("year"))
    except ValueError as exc:
        abort(400, str(exc))
    return attachment(bulletin_docx(figures(month, plans)), DOCX, file_name(month))
