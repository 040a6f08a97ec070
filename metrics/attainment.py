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


def required_value(baseline: float | None, baseline_year: int | None, target: float | None,
                   due: date | None, on: date) -> float | None:
    """The linear path from the baseline (end of its year) to the target (its due
    date): the value an indicator should have reached on ``on``."""
    if None in (baseline, baseline_year, target, due):
        return None
    start = date(baseline_year, 12, 31)
    if on <= start:
        return baseline
    if on >= due:
        return target
    share = (on - start).days / (due - start).days
    return baseline + (target - baseline) * share
