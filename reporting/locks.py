"""Locked reporting months: once a month's reports are reviewed the office
locks it (on /approvals), or it locks itself on PERIOD_LOCK_DAY of the month
after (0: only by hand).  No editor's report on a locked month is taken; a
change to it goes through a 计划调整申请 (更正) the admin approves.  The admin's
own corrections still go in, audited as every write."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from store.audit import record
from store.models import PeriodLock
from store.periods import add_months, parse_period, period_label


def lock_day_passed(period: str, today: date, lock_day: int) -> bool:
    start = parse_period(period)
    return bool(start and lock_day > 0 and
                today >= add_months(start, 1) + timedelta(days=min(lock_day, 28) - 1))


def locked_periods(session, periods: list[str], today: date) -> set[str]:
    """Which of ``periods`` are locked (by hand or by the lock day)."""
    day = int(current_app.config.get("PERIOD_LOCK_DAY", 0))
    by_hand = set(session.scalars(select(PeriodLock.period).where(PeriodLock.period.in_(periods)))) if periods else set()
    return by_hand | {p for p in periods if lock_day_passed(p, today, day)}


def is_locked(session, period: str, today: date) -> bool:
    return period in locked_periods(session, [period], today)


def locked_message(period: str) -> str:
    return (f"{period_label(period)}的报送已锁定，不能再修改；如需更正，请提交计划调整申请（更正已锁定月份），"
            "由管理员审批")


def lock(session, username: str, period: str, today: date) -> bool:
    """Lock ``period`` by hand (the admin); False if it already was."""
    if parse_period(period) is None or parse_period(period) > today.replace(day=1):
        raise ValueError(f"不能锁定“{str(period)[:20]}”：只能锁定已开始的月份")
    if session.get(PeriodLock, period) is not None:
        return False
    session.add(PeriodLock(period=period, locked_by=username))
    record(session, username, "period.lock", f"{period_label(period)}报送", "period", None, None,
           {"月份": period, "状态": "已锁定"})
    session.flush()
    return True
