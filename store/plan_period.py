"""A plan's period (DESIGN §11): from its issue date to the last date it
names — a milestone's due, an item's deadline, an indicator's target date —,
else to the end of its plan year.  The importer sets it, the migration
that introduced it, and a correction of the plan's dates (corrections.apply)
moves it with them; unless the admin set it otherwise (corrections.plans)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import text

_LAST = text("""
SELECT max(d) FROM (
  SELECT max(due) AS d FROM milestone WHERE plan_id = :plan
  UNION ALL SELECT max(deadline) FROM work_item WHERE plan_id = :plan
  UNION ALL SELECT max(due) FROM indicator WHERE plan_id = :plan
) AS named
""")


def planned_end(bind, plan_id: int, plan_year: int, issue_date: date) -> date:
    """The last date the plan names (never before its issue date), else 31 December of its year."""
    last = bind.execute(_LAST, {"plan": plan_id}).scalar()
    if isinstance(last, str):  # (SQLite through a plain text query)
        last = date.fromisoformat(last[:10])
    return max(last or date(plan_year, 12, 31), issue_date)
