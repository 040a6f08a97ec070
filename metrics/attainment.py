"""Indicator attainment (DESIGN §6), pure functions.

Higher-is-better: (actual - baseline) / (target - baseline) with a baseline,
else actual / target; lower-is-better mirrors it (企业严重失信率 1.78% -> 1.5%).
A range "1-2个" is met at its lower bound (the importer stores it as the
target); qualitative indicators are met or not.  The raw figure may exceed 1 or
fall below 0; scores use ``capped``.
"""
from __future__ import annotations

from datetime import date


def attainment(actual: float | None, target: float | None, baseline: float | None = None,
               direction: str = "higher", met: bool | None = None,
               qualitative: bool = False) -> float | None:
    """Raw attainment, or None when it cannot be computed (no actual, no target)."""
    if qualitative:
        return None if met is None else float(met)
    if actual is None or target is None:
        return None
    if baseline is not None and target != baseline:
        span = target - baseline
        return (actual - baseline) / span  # the sign of span mirrors lower-is-better
    if direction == "lower":
        return 1.0 if actual <= target else (target / actual if actual else None)
    return actual / target if target else None


def capped(value: float | None) -> float | None:
    """Attainment as it counts in scores: within 0..1."""
    return None if value is None else min(1.0, max(0.0, value))


def pace_start(baseline_year: int | None, plan_issued: date) -> date:
    """Where the required path starts: the end of the baseline year, else the
    day the plan was issued."""
    return date(baseline_year, 12, 31) if baseline_year else plan_issued


def required_share(start: date, due: date | None, on: date) -> float | None:
    """The share of the way from start to target that should be covered on ``on``
    (linear pace), 0..1."""
    if due is None or due <= start:
        return None
    return min(1.0, max(0.0, (on - start).days / (due - start).days))


def required_value(start_value: float | None, start: date, target: float | None,
                   due: date | None, on: date) -> float | None:
    """The value an indicator should have reached on ``on`` on the linear path."""
    share = required_share(start, due, on)
    if share is None or target is None:
        return None
    return (start_value or 0.0) + (target - (start_value or 0.0)) * share


PACE_LABELS = {"met": "已达标", "on_pace": "进度正常", "behind": "落后于进度", "no_data": "暂无数据"}


def pace(raw: float | None, start: date, due: date | None, as_of: date) -> str:
    """met / on_pace / behind / no_data: is the latest actual known on the
    view's date ``as_of`` where the required path says it should be on that
    date?  A figure not updated falls behind as the path rises (its age is
    shown beside it: stale_months); the last figure short of the target is
    behind from the due date on."""
    if raw is None:
        return "no_data"
    if raw >= 1:
        return "met"
    share = required_share(start, due, as_of)
    if share is None:
        return "behind"
    return "on_pace" if raw >= share else "behind"


def stale_months(observed_on: date | None, as_of: date, after: int) -> int | None:
    """Whole months between the data's date and the view's, when ``after`` or
    more (数据已 n 个月未更新); else None."""
    if observed_on is None:
        return None
    months = (as_of.year - observed_on.year) * 12 + as_of.month - observed_on.month - (as_of.day < observed_on.day)
    return months if months >= after else None
