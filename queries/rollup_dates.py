"""Which dates' rollups the store keeps (README, Operations: 状态汇总的日期).

Kept for good are the rollups of the dates that deserve it: today, the month
ends up to today (the monthly review's dates), the pages' default date (the
latest report's) and the dates of published assessment results; a view of such a date stores it whole
(queries.rollup, queries.indicator_status).  Any other date is a passing one:
its milestone statuses are computed when asked, from the kept date before it
(today for a later date, else the previous month end) and the reports made in
between, and only its smaller parts are stored — its item counts and their
group sums, and its indicator judgements (each judged on the date itself:
pace is the view's date's) — for at most ROLLUP_PASSING_DATES dates, the
oldest built going first: no reader, however many dates it asks for, can grow
the store.

A report (dated today) brings the kept dates from today on up to date in its
own transaction and marks the passing ones from today on stale: a reader's
dates never slow a writer, and a stale date is built again when next read
(so is a passing date that has become kept, whole this time).
Builders and writers take the rollup lock (store.rollup_lock), so a date being
built while a report commits is never left without that report.
"""
from __future__ import annotations

import calendar
from datetime import date

from flask import current_app
from sqlalchemy import func, select, update

from store import clock
from store.models import AssessmentResult, ProgressUpdate

PASSING_DATES = 2


def is_kept(session, day: date, today: date | None = None) -> bool:
    return _kept(day, today or clock.today(), named_dates(session, day))


def named_dates(session, *days: date) -> set[date]:
    """Of ``days`` (all, when none given), those a published assessment result is
    as of; and the latest report's date (the pages' default while a plan runs, queries.scope)."""
    stmt = select(AssessmentResult.as_of).distinct()
    named = set(session.scalars(stmt.where(AssessmentResult.as_of.in_(days)) if days else stmt))
    latest = session.scalar(select(func.max(ProgressUpdate.reported_on)).where(ProgressUpdate.origin != "plan"))
    return named | ({latest} if latest else set())


def _kept(day: date, today: date, named: set[date]) -> bool:
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return day == today or (month_end and day <= today) or day in named


def limit() -> int:
    return int(current_app.config.get("ROLLUP_PASSING_DATES", PASSING_DATES))


def after_report(session, marker, since: date) -> list:
    """For a report dated ``since``: the kept, whole stored dates from then on
    (rows of ``marker``), to refresh; the others are marked stale."""
    rows = session.execute(select(marker).where(marker.as_of >= since)).scalars().all()
    named = named_dates(session, *(row.as_of for row in rows)) if rows else set()
    kept = [row for row in rows if _kept(row.as_of, since, named) and getattr(row, "whole", True)]
    stale = [row.as_of for row in rows if row not in kept and not row.stale]
    if stale:
        session.execute(update(marker).where(marker.as_of.in_(stale)).values(stale=True)
                        .execution_options(synchronize_session=False))
    return kept


def passing_beyond_limit(session, marker) -> list:
    """The passing dates (rows of ``marker``) past the limit, oldest built first."""
    rows = session.execute(select(marker).order_by(marker.built_at.desc())).scalars().all()
    today, named = clock.today(), named_dates(session)
    return [row for row in rows if not _kept(row.as_of, today, named)][limit():]
