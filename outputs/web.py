"""The month-end files as downloads: GET /review/bulletin?month=YYYY-MM[&plan=…|&year=…]
sends the 月度通报 of the review the page shows (same month, same plans),
behind the same login as the pages.  A month or scope it does not know is
answered 400 with why, never a file of something else."""
from __future__ import annotations

from flask import Flask, abort, request

from outputs.bulletin import bulletin_docx, figures, file_name
from plan_files import attachment
from queries import api
from queries.review import Month, first_month
from store import clock
from store.periods import parse_period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def init_app(server: Flask) -> None:
    server.add_url_rule("/review/bulletin", "review_bulletin", bulletin)


def bulletin():
    today = clock.today()
    first = parse_period(request.args.get("month"))
    if first is None or not first_month() <= first <= today:
        abort(400, "month: 应为已开始的月份（YYYY-MM）")
    options = api.choices()
    plan, year = request.args.get("plan") or None, request.args.get("year") or None
    if plan is not None and plan not in {p["value"] for p in options["plans"]}:
        abort(400, "plan: 没有该计划")
    if year is not None and year not in {str(y) for y in options["years"]}:
        abort(400, "year: 没有该年度的计划")
    month = Month.of(first, today)
    data = bulletin_docx(figures(month, api.scope(month.end, plan, int(year) if year else None)))
    return attachment(data, DOCX, file_name(month))
