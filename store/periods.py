"""Reporting months (按月报送): a period is a month written YYYY-MM; the report on
it falls due on a day of the following month (REPORT_DUE_DAY, default the 5th)."""
from __future__ import annotations

import re
from datetime import date, timedelta

PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")  # (ASCII digits, the whole text: fullmatch)


def month_end(d: date) -> date:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def add_months(d: date, n: int) -> date:
    """The first day of the month ``n`` months after ``d``'s."""
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def period_of(d: date) -> str:
    return d.strftime("%Y-%m")


def parse_period(text: str | None) -> date | None:
    """'2020-09' -> date(2020, 9, 1); None for anything else."""
    m = PERIOD.fullmatch(str(text or ""))
    if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 2000:
        return None
    return date(int(m[1]), int(m[2]), 1)


def report_due(period: str, due_day: int) -> date:
    """The day the report on ``period`` is due: ``due_day`` of the next month."""
    start = parse_period(period)
    if start is None:
        raise ValueError(f"not a period: {period!r}")
    return add_months(start, 1) + timedelta(days=min(max(due_day, 1), 28) - 1)


def period_label(period: str) -> str:
    """'2020-09' -> '2020年9月'."""
    start = parse_period(period)
    return f"{start.year}年{start.month}月" if start else period


def recent_periods(today: date, first: date, limit: int = 36) -> list[str]:
    """The months one may report on, newest first: this month back to ``first``."""
    out, month = [], today.replace(day=1)
    while month >= first.replace(day=1) and len(out) < limit:
        out.append(period_of(month))
        month = add_months(month, -1)
    return out
