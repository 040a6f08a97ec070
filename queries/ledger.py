"""The first rows of the status table, for grids that would otherwise ship tens
of thousands of rows to the browser (DESIGN §10 tier M: 25,000 milestones)."""
from __future__ import annotations

from datetime import date

from flask import current_app

from queries import api
from queries.cache import cache
from queries.status import Filters
from queries.status_table import status_rows
from store import session_scope


@cache.memoize()
def ledger_head(as_of: date, filters: Filters, limit: int) -> list[dict]:
    """api.status_table's first ``limit`` rows, in its order, the limit applied in SQL."""
    with session_scope() as s:
        return status_rows(s, as_of, filters, current_app.config["DUE_SOON_DAYS"], limit=limit)


# the most rows a grid receives (ten pages of 50): beyond it the page is slow to send
# and to draw (25,000 milestones are 25 MB of JSON); filters narrow, the CLI exports all
ROW_CAP = 500


def capped_status_table(as_of, filters: Filters, total: int) -> list[dict]:
    """The status table, or only its first ROW_CAP rows when it has ``total`` > ROW_CAP."""
    return api.status_table(as_of, filters) if total <= ROW_CAP else ledger_head(as_of, filters, ROW_CAP)
