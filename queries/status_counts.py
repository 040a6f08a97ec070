"""How many milestones are in each status (queries.status) as of a date, for
the status chips above the ledger; counted in SQL (GROUP BY status)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from queries.aliases import ITEM
from queries.cache import cache
from queries.rollup import stored_status
from queries.status import DUE_SOON_DAYS, STATUSES, Filters, apply_filters
from store import session_scope


def count_by_status(session, as_of: date, filters: Filters = Filters(),
                    due_soon_days: int = DUE_SOON_DAYS) -> dict[str, int]:
    """Every status code -> its number of milestones (zero included); the
    status filter is ignored, the counts are what it chooses from."""
    st = stored_status(session, as_of, due_soon_days)
    item = ITEM
    stmt = (select(st.c.status, func.count())
            .select_from(st)
            .join(item, item.id == st.c.work_item_id)
            .group_by(st.c.status))
    stmt = apply_filters(stmt, st, item, replace(filters, statuses=()))
    counts = dict(session.execute(stmt).all())
    return {code: counts.get(code, 0) for code in STATUSES}


@cache.memoize()
def status_counts(as_of: date, filters: Filters = Filters()) -> dict[str, int]:
    with session_scope() as s:
        return count_by_status(s, as_of, filters, current_app.config["DUE_SOON_DAYS"])
