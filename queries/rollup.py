"""Per-date status rollups: each milestone's status as of a date, computed once
in SQL by the one definition (queries.status.milestone_status, INSERT … SELECT)
and stored; each work item's counts summed from those rows, and those summed
per plan, city and county.  Lists, status counts and rates of any city, plan,
department or item then read indexed rows instead of finding every
milestone's latest report again.

Writes keep them true: a report (dated today) recomputes the rows of the
milestones it changed for the kept dates from today on and marks the passing
ones stale (refresh_rollups; queries.rollup_dates says which dates are kept
and bounds the others); an import or the demo loader drops them all
(store.forget_derived), and the next page that asks about a date builds it
again."""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from queries import rollup_dates
from queries.aliases import CITY, ITEM, SUB_ITEM
from queries.status import COUNTS, item_counts, milestone_status, red
from store import gather_statistics_after_insert, rollup_lock
from store.models import (
    Milestone,
    MilestoneStatusRollup,
    Plan,
    StatusRollup,
    StatusRollupDate,
    StatusRollupGroup,
    WorkItem,
)

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
STORED = ("milestone_id", "work_item_id", "plan_id", "due", "update_id", "state", "completed_on",
          "last_reported_on", "status", "days_overdue", "active", "due_by")


def table_position():
    """Each milestone's place in the status table (台账): newest plan first, then
    the province's order of cities, the document's order of items, sub-items
    and milestones — a window over all milestones, stored with the statuses."""
    item, sub, city = ITEM, SUB_ITEM, CITY
    return (select(func.row_number().over(order_by=(
        Plan.issue_date.desc(), Plan.id, city.sort_order, item.sort_order, sub.sort_order, Milestone.seq))
        .label("position"), Milestone.id.label("milestone_id"))
        .join(item, item.id == Milestone.work_item_id).outerjoin(sub, sub.id == Milestone.sub_item_id)
        .join(Plan, Plan.id == Milestone.plan_id).outerjoin(city, city.id == item.city_id)
        .subquery("table_position"))


def claim_date(session, marker, **key) -> bool:
    """Insert the marker row of a rollup date (``marker``: the model, ``key``: its
    columns) before building the date, in the builder's transaction.  False when
    another process has it (PostgreSQL waits for that one's commit): the session
    is rolled back and the caller builds nothing.  Of concurrent builders of one
    date, the first stores it, once."""
    insert = _INSERT[session.get_bind().dialect.name]
    claimed = session.execute(insert(marker).values(**key).on_conflict_do_nothing()
                              .returning(*marker.__table__.primary_key.columns)).first()
    if claimed is None:
        session.rollback()
    return claimed is not None


ROLLUP_TABLES = (MilestoneStatusRollup, StatusRollup, StatusRollupGroup, StatusRollupDate)


def drop_date(session, as_of: date, due_soon_days: int) -> None:
    for table in ROLLUP_TABLES:
        session.execute(delete(table).where(table.as_of == as_of, table.due_soon_days == due_soon_days))


def ensure_rollup(session, as_of: date, due_soon_days: int) -> None:
    """Store the milestone statuses, item counts and group sums of ``as_of``
    unless they are there and current (one transaction: a date is complete or
    absent; of concurrent builders of the same date, the one that claims it
    first stores it; passing dates past the limit go in the same transaction)."""
    marker = session.get(StatusRollupDate, (as_of, due_soon_days))
    if marker is not None and not marker.stale:
        return
    rollup_lock(session, exclusive=False)
    if marker is not None:  # a report made it stale: built again, by one reader
        key = (StatusRollupDate.as_of == as_of, StatusRollupDate.due_soon_days == due_soon_days)
        if session.execute(delete(StatusRollupDate).where(*key, StatusRollupDate.stale.is_(True))).rowcount != 1:
            session.rollback()
            return
        drop_date(session, as_of, due_soon_days)
    if not claim_date(session, StatusRollupDate, as_of=as_of, due_soon_days=due_soon_days):
        return
    insert = _INSERT[session.get_bind().dialect.name]
    key = (literal(as_of).label("as_of"), literal(due_soon_days).label("due_soon_days"))
    live = milestone_status(as_of, due_soon_days)
    place = table_position()
    session.execute(insert(MilestoneStatusRollup).from_select(
        ["as_of", "due_soon_days", *STORED, "position"],
        select(*key, *[live.c[c] for c in STORED], place.c.position)
        .join(place, place.c.milestone_id == live.c.milestone_id)))
    counts = item_counts(_stored(as_of, due_soon_days)).subquery()
    session.execute(insert(StatusRollup).from_select(
        ["as_of", "due_soon_days", "work_item_id", *COUNTS],
        select(*key, counts.c.work_item_id, *[counts.c[name] for name in COUNTS])))
    _store_groups(session, as_of, due_soon_days)
    for old in rollup_dates.passing_beyond_limit(session, StatusRollupDate):
        drop_date(session, old.as_of, old.due_soon_days)
    session.commit()
    gather_statistics_after_insert(session.connection(), MilestoneStatusRollup.__tablename__,
                                   StatusRollup.__tablename__, StatusRollupGroup.__tablename__)
    session.commit()


def refresh_rollups(session, since: date, milestone_ids: set[int]) -> None:
    """After reports on ``milestone_ids`` dated ``since``: recompute those
    milestones' stored statuses, and their items' counts, for the kept dates
    from ``since`` on, and mark the passing ones stale (in the writer's
    transaction; earlier dates cannot change)."""
    if not milestone_ids:
        return
    rollup_lock(session, exclusive=True)
    dates = [(row.as_of, row.due_soon_days) for row in rollup_dates.after_report(session, StatusRollupDate, since)]
    if not dates:
        return
    insert = _INSERT[session.get_bind().dialect.name]
    items = set(session.scalars(select(Milestone.work_item_id).where(Milestone.id.in_(milestone_ids))))
    m, i = MilestoneStatusRollup, StatusRollup
    for as_of, days in dates:
        key = (literal(as_of).label("as_of"), literal(days).label("due_soon_days"))
        live = milestone_status(as_of, days)
        fresh = session.execute(select(*[live.c[c] for c in STORED]).where(
            live.c.milestone_id.in_(milestone_ids))).mappings().all()
        t = m.__table__.c  # (a Core update: executemany, no ORM bookkeeping; the place stays)
        session.execute(update(m.__table__).where(t.as_of == as_of, t.due_soon_days == days,
                                                  t.milestone_id == bindparam("b_milestone_id"))
                        .values({c: bindparam(f"b_{c}") for c in STORED if c != "milestone_id"}),
                        [{f"b_{c}": row[c] for c in STORED} for row in fresh])
        session.execute(delete(i).where(i.as_of == as_of, i.due_soon_days == days, i.work_item_id.in_(items)))
        counts = item_counts(_stored(as_of, days, items)).subquery()
        session.execute(insert(i).from_select(["as_of", "due_soon_days", "work_item_id", *COUNTS], select(
            *key, counts.c.work_item_id, *[counts.c[name] for name in COUNTS])))
        plans = set(session.scalars(select(WorkItem.plan_id).where(WorkItem.id.in_(items))))
        g = StatusRollupGroup
        session.execute(delete(g).where(g.as_of == as_of, g.due_soon_days == days, g.plan_id.in_(plans)))
        _store_groups(session, as_of, days, plans)


GROUP_COLUMNS = ("plan_id", "city_id", "county_id", *COUNTS, "items", "items_red")


def _store_groups(session, as_of: date, due_soon_days: int, plans: set[int] | None = None) -> None:
    """Sum the stored item counts of ``as_of`` per plan, city and county (of
    ``plans`` only, when given) into StatusRollupGroup."""
    i, item = StatusRollup, WorkItem
    stmt = (select(literal(as_of), literal(due_soon_days), item.plan_id, item.city_id, item.county_id,
                   *[func.sum(getattr(i, name)) for name in COUNTS], func.count(),
                   func.sum(red(i.overdue)))
            .join(item, item.id == i.work_item_id)
            .where(i.as_of == as_of, i.due_soon_days == due_soon_days)
            .group_by(item.plan_id, item.city_id, item.county_id))
    if plans is not None:
        stmt = stmt.where(item.plan_id.in_(plans))
    session.execute(StatusRollupGroup.__table__.insert().from_select(["as_of", "due_soon_days", *GROUP_COLUMNS], stmt))


def stored_status(session, as_of: date, due_soon_days: int):
    """milestone_status's rows for ``as_of``, read from the rollup (built first if
    needed): a subquery with the same columns but the note (join the update
    ``update_id`` for it: only for the rows a list shows) and with ``position``."""
    ensure_rollup(session, as_of, due_soon_days)
    return _stored(as_of, due_soon_days)


def _stored(as_of: date, due_soon_days: int, items: set[int] | None = None):
    r = MilestoneStatusRollup
    stmt = (select(*[getattr(r, c) for c in STORED], r.position)
            .where(r.as_of == as_of, r.due_soon_days == due_soon_days))
    if items is not None:
        stmt = stmt.where(r.work_item_id.in_(items))
    return stmt.subquery("ms_status")


def rollup_groups(session, as_of: date, due_soon_days: int):
    """The group sums for ``as_of`` (a select of GROUP_COLUMNS); built first if needed."""
    ensure_rollup(session, as_of, due_soon_days)
    g = StatusRollupGroup
    return select(*[getattr(g, name) for name in GROUP_COLUMNS]).where(
        g.as_of == as_of, g.due_soon_days == due_soon_days)


def rollup_counts(session, as_of: date, due_soon_days: int, statuses: tuple[str, ...] = ()):
    """The per-item counts for ``as_of`` (a select), of the milestones in
    ``statuses`` when given; built first if needed."""
    ensure_rollup(session, as_of, due_soon_days)
    if statuses:
        return item_counts(_stored(as_of, due_soon_days), statuses)
    return select(StatusRollup.work_item_id, *[getattr(StatusRollup, name) for name in COUNTS]).where(
        StatusRollup.as_of == as_of, StatusRollup.due_soon_days == due_soon_days)
