"""Per-date status rollups: each work item's counts as of a date, computed once
in SQL (INSERT … SELECT over the status engine) and then summed by city, plan,
department or item for every page that asks about that date.  Writes clear them
(store.forget_derived), so they never outlive the data they were made from."""
from __future__ import annotations

from datetime import date

from sqlalchemy import literal, select, true
from sqlalchemy.dialects import postgresql, sqlite

from queries.status import COUNTS, item_counts
from store.models import StatusRollup, StatusRollupDate

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def rollup_counts(session, as_of: date, due_soon_days: int):
    """The per-item counts for ``as_of`` (a select), computing them first if needed."""
    done = session.get(StatusRollupDate, (as_of, due_soon_days))
    if done is None:
        insert = _INSERT[session.get_bind().dialect.name]
        live = item_counts(as_of, due_soon_days).subquery()
        rows = select(literal(as_of).label("as_of"), literal(due_soon_days).label("due_soon_days"),
                      live.c.work_item_id, *[live.c[name] for name in COUNTS]).where(true())
        # (the WHERE resolves SQLite's INSERT … SELECT … ON CONFLICT parsing ambiguity)
        session.execute(insert(StatusRollup).from_select(
            ["as_of", "due_soon_days", "work_item_id", *COUNTS], rows).on_conflict_do_nothing())
        session.execute(insert(StatusRollupDate).values(as_of=as_of, due_soon_days=due_soon_days)
                        .on_conflict_do_nothing())
        session.commit()
    return select(StatusRollup.work_item_id, *[getattr(StatusRollup, name) for name in COUNTS]).where(
        StatusRollup.as_of == as_of, StatusRollup.due_soon_days == due_soon_days)
