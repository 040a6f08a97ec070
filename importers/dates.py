"""Chinese plan-date grammar (DESIGN §4): due phrases as written -> dates.

One module, used by every importer.  The phrase as written is always kept
beside the parsed date and its precision, so that a user can check it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# precision values
DAY, MONTH, QUARTER, HALF_YEAR, YEAR = "day", "month", "quarter", "half_year", "year"
OPEN = "open"  # 持续推进, 无, 待…后: no due date, never overdue, flagged
DONE = "done"  # 已完成: complete at import
UNPARSED = "unparsed"  # a phrase the grammar does not know: flagged


@dataclass(frozen=True)
class Due:
    text: str  # the phrase as written
    due: date | None
    precision: str
    start: date | None = None  # for ranges: 2019年5月28日-2020年4月30日, 8月-11月份


def parse_due(text: str, plan_year: int) -> Due:
    """Parse a whole due cell/phrase (完成时间, 时间进度)."""
    raise NotImplementedError


def find_due(sentence: str, plan_year: int) -> Due | None:
    """Find the due phrase inside a milestone sentence; None if it has none."""
    raise NotImplementedError
