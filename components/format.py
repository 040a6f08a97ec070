"""Numbers and dates as Chinese readers expect them on screen."""
from __future__ import annotations

from datetime import date


def number(value: float | None, unit: str | None = None) -> str:
    """1,600家 · 1.78% · 15,360万条: thousands separators, at most two decimals."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".") + (unit or "")


def share(value: float | None) -> str:
    """0.642 -> '64.2%'."""
    return "—" if value is None else f"{value:.1%}"


def cn_date(value: date | str | None) -> str:
    """2020年6月30日."""
    if not value:
        return "—"
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.year}年{d.month}月{d.day}日"
