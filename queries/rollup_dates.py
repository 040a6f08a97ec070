"""Which dates' rollups the store keeps (README, Operations: 状态汇总的日期).

Viewing a date builds its rollups (queries.rollup, queries.indicator_status).
Kept for good are the dates that deserve it: today, the month ends up to
today (the monthly review's and the default views' dates) and the dates of
published assessment results.  Every other date is a passing one: at most
ROLLUP_PASSING_DATES of them stay, the oldest built going first, so no reader,
however many dates it asks for, can grow the store.

A report (dated today) brings the kept dates from today on up to date in its
own transaction and marks the passing ones from today on stale: a reader's
dates never slow a writer, and a stale date is built again when next read.
Builders and writers take the rollup lock (store.rollup_lock), so a date being
built while a report commits is never left without that report.
"""
from __future__ import annotations

import calendar
from datetime import date

from flask import current_app
from sqlalchemy import select, update

from store import clock
from store.models import AssessmentResult

PASSING_DATES = 8


def is_kept(session, day: date, today: date | None = None) -> bool:
    today = today or clock.today()
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return day == today or (month_end and day <= today) or session.scalar(
        select(AssessmentResult.id).where(AssessmentResult.as_of == day).limit(1)) is not None


def limit() -> int:
    return int(current_app.config.get("ROLLUP_PASSING_DATES", PASSING_DATES))


def after_report(session, marker, since: date) -> list:
    """For a report dated ``since``: the kept stored dates from then on (rows of
    ``marker``), to refresh; the passing ones are marked stale."""
    rows = session.execute(select(marker).where(marker.as_of >= since)).scalars().all()
    kept = [row for row in rows if is_kept(session, row.as_of, since)]
    passing = [row.as_of for row in rows if row not in kept]
    if passing:
        session.execute(update(marker).where(marker.as_of.in_(passing)).values(stale=True)
                        .execution_options(synchronize_session=False))
    return kept


def passing_beyond_limit(session, marker) -> list:
    """The passing dates (rows of ``marker``) past the limit, oldest built first."""
    rows = session.execute(select(marker).order_by(marker.built_at.desc())).scalars().all()
    passing = [row for row in rows if not is_kept(session, row.as_of)]
    return passing[limit():]
