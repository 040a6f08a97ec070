"""Per-date status rollups: each milestone's status as of a date, computed once
in SQL by the one definition (queries.status.milestone_status, INSERT … SELECT)
and stored; each work item's counts summed from those rows, and those summed
per plan, city and county.  Lists, status counts and rates of any city, plan,
department or item then read indexed rows instead of finding every
milestone's latest report again.

Writes keep them true: a report (dated today) or a change of the plan (from
the date it counts) recomputes the rows of the milestones it changed for the
kept dates from then on and marks the passing ones stale (refresh_rollups; queries.rollup_dates says which dates are kept
and bounds the others); an import or the demo loader drops them all
(store.forget_derived), a milestone added or put in another order drops the
status rollups (drop_all), and the next page that asks about a date builds it
again."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, case, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from queries import rollup_dates
from queries.aliases import CITY, ITEM, SUB_ITEM
from queries.sqlfuncs import date_param
from queries.status import COUNTS, count_terms, due_as_of, due_then, item_counts, judged, milestone_status, red
from store import clock, gather_statistics_after_insert, rollup_lock
from store.models import (
    Milestone,
    MilestoneStatusRollup,
    Plan,
    PlanChange,
    ProgressUpdate,
    StatusRollup,
    StatusRollupDate,
    StatusRollupGroup,
    WorkItem,
)

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
STORED = ("milestone_id", "work_item_id", "plan_id", "due", "update_id", "state", "completed_on",
          "last_reported_on", "review", "reviewed_on", "status", "days_overdue", "active", "due_by")


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


PATCH_UPDATE = aliased(ProgressUpdate, name="patch_update")
def reclaim_date(session, marker, drop) -> bool:
    """Take back a stored date's ``marker`` row to build the date again (a report
    made it stale, or a passing date is now kept): the marker as it was read
    goes, and its rows with it (``drop()``), in the builder's transaction.
    False when another reader took it first: the session is rolled back and
    the caller builds nothing."""
    model = type(marker)
    unchanged = [column == getattr(marker, column.key) for column in model.__table__.columns]
    if session.execute(delete(model).where(*unchanged)).rowcount != 1:
        session.rollback()
        return False
    drop()
    return True


ROLLUP_TABLES = (MilestoneStatusRollup, StatusRollup, StatusRollupGroup, StatusRollupDate)


def drop_date(session, as_of: date, due_soon_days: int) -> None:
    for table in ROLLUP_TABLES:
        session.execute(delete(table).where(table.as_of == as_of, table.due_soon_days == due_soon_days))


def drop_all(session) -> None:
    """Every stored date's status rollup (a milestone added or put in another
    order: the rows and their places change); built again when next read."""
    rollup_lock(session, exclusive=True)
    for table in ROLLUP_TABLES:
        session.execute(delete(table))


def ensure_rollup(session, as_of: date, due_soon_days: int, whole: bool = True) -> None:
    """Store the rollup of ``as_of`` unless it is there and current: whole (the
    milestone statuses, item counts and group sums) for a kept date, the item
    counts and group sums for a passing one (queries.rollup_dates).  One transaction: a
    date is complete or absent; of concurrent builders of the same date, the
    one that claims it first stores it; passing dates past the limit go in the
    same transaction."""
    if not whole:  # what a passing date is computed from, stored first (in its own transaction)
        ensure_rollup(session, base_date(as_of), due_soon_days)
    marker = session.get(StatusRollupDate, (as_of, due_soon_days))
    if marker is not None and not marker.stale and (marker.whole or not whole):
        return
    rollup_lock(session, exclusive=False)
    if marker is not None and not reclaim_date(session, marker, lambda: drop_date(session, as_of, due_soon_days)):
        return
    if not claim_date(session, StatusRollupDate, as_of=as_of, due_soon_days=due_soon_days, whole=whole):
        return
    _store_statuses(session, as_of, due_soon_days, whole)
    _store_groups(session, as_of, due_soon_days, _stored_counts(as_of, due_soon_days))
    for old in rollup_dates.passing_beyond_limit(session, StatusRollupDate):
        drop_date(session, old.as_of, old.due_soon_days)
    session.commit()
    gather_statistics_after_insert(session.connection(), *(
        [MilestoneStatusRollup.__tablename__, StatusRollup.__tablename__] if whole else []),
        StatusRollupGroup.__tablename__)
    session.commit()


def _store_statuses(session, as_of: date, due_soon_days: int, whole: bool) -> None:
    """Each item's counts of the milestone statuses of ``as_of``; for a kept
    date (``whole``) the statuses too, in their table order; a passing date's
    counts are computed now (``_computed_counts``)."""
    insert = _INSERT[session.get_bind().dialect.name]
    key = (literal(as_of).label("as_of"), literal(due_soon_days).label("due_soon_days"))
    if whole:
        live = _live(as_of, due_soon_days)
        session.execute(insert(MilestoneStatusRollup).from_select(
            ["as_of", "due_soon_days", *STORED, "position"], select(*key, *[live.c[c] for c in (*STORED, "position")])))
    if whole:
        counts = item_counts(_stored(as_of, due_soon_days))
    elif added_between(session, base_date(as_of), as_of):
        counts = item_counts(milestone_status(as_of, due_soon_days))
    else:
        counts = _computed_counts(session, as_of, due_soon_days)
    counts = counts.subquery()
    session.execute(insert(StatusRollup).from_select(
        ["as_of", "due_soon_days", "work_item_id", *COUNTS],
        select(*key, counts.c.work_item_id, *[counts.c[name] for name in COUNTS])))


def refresh_rollups(session, since: date, milestone_ids: set[int]) -> None:
    """After reports on ``milestone_ids`` dated ``since`` (or changes of their
    due counting from ``since``): recompute those
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
        _store_groups(session, as_of, days, _stored_counts(as_of, days), plans)


GROUP_COLUMNS = ("plan_id", "city_id", "county_id", *COUNTS, "items", "items_red")


def _store_groups(session, as_of: date, due_soon_days: int, counts, plans: set[int] | None = None) -> None:
    """Sum the item counts ``counts`` (a select of work_item_id and COUNTS) of
    ``as_of`` per plan, city and county (of ``plans`` only, when given) into
    StatusRollupGroup."""
    i, item = counts.subquery(), WorkItem
    stmt = (select(literal(as_of), literal(due_soon_days), item.plan_id, item.city_id, item.county_id,
                   *[func.sum(i.c[name]) for name in COUNTS], func.count(), func.sum(red(i.c.overdue)))
            .join(item, item.id == i.c.work_item_id)
            .group_by(item.plan_id, item.city_id, item.county_id))
    if plans is not None:
        stmt = stmt.where(item.plan_id.in_(plans))
    session.execute(StatusRollupGroup.__table__.insert().from_select(["as_of", "due_soon_days", *GROUP_COLUMNS], stmt))


def _stored_counts(as_of: date, due_soon_days: int):
    r = StatusRollup
    return select(r.work_item_id, *[getattr(r, name) for name in COUNTS]).where(
        r.as_of == as_of, r.due_soon_days == due_soon_days)


def base_date(as_of: date) -> date:
    """The kept date a date not kept is computed from: today for a later date,
    else the month end before it."""
    today = clock.today()
    return today if as_of > today else as_of.replace(day=1) - timedelta(days=1)


def added_between(session, base: date, as_of: date) -> bool:
    """Whether a milestone was added to a plan after ``base`` up to ``as_of``:
    the base date's stored rows lack it, so that date is computed by the
    definition itself (rare: only in the weeks after an addition)."""
    return session.scalar(select(Milestone.id).where(Milestone.added_on > base, Milestone.added_on <= as_of)
                          .limit(1)) is not None


def _computed(session, as_of: date, due_soon_days: int, among: tuple[str, ...] | None = None):
    """milestone_status's rows as the rollup stores them, for a date the store
    does not keep, computed now from a kept date's stored statuses: today's for a
    later date, else the previous month end's (stored first if needed).  Only the
    milestones reported on between that date and ``as_of`` take their latest
    report then (latest as the definition orders them), and those whose due
    was moved from a date between take their due then; every row is
    judged again for ``as_of`` (queries.status.judged) and keeps its place in the
    table; so do those reported done with a completion date still to come
    then.  The same rows as milestone_status's (tests/test_rollup.py), without
    a search of every milestone's reports.  ``among``: see stored_status."""
    rows, now, _ = _patched(session, as_of, due_soon_days)
    return rows(*now.values(), among=among).subquery("ms_status")


def _patched(session, as_of: date, due_soon_days: int):
    """What _computed reads: (``rows(*columns)``, a select of the base date's
    stored rows joined to their latest report between; the columns as of
    ``as_of``; the columns as the base date stored them), each by STORED name
    and position."""
    base = base_date(as_of)
    ensure_rollup(session, base, due_soon_days)
    r, u, pu = MilestoneStatusRollup, PATCH_UPDATE, ProgressUpdate
    since = (select(pu.milestone_id, pu.id, func.row_number().over(  # the latest report between, per milestone
        partition_by=pu.milestone_id, order_by=(pu.reported_on.desc(), pu.id.desc())).label("n"))
        .where(pu.reported_on > base, pu.reported_on <= as_of).subquery("since"))
    patch = select(since.c.milestone_id, since.c.id.label("update_id")).where(since.c.n == 1).subquery("patch")
    moved = _moved(base, as_of)
    # read again: a completion date to come, and a completion awaiting review (approved or returned since)
    done_later = or_(and_(r.state == "done", r.completed_on.is_(None)), r.status == "pending")
    reread = func.coalesce(patch.c.update_id, case((done_later, r.update_id)))
    reported, due_moved = reread.is_not(None), moved.c.milestone_id.is_not(None)
    patched = or_(reported, due_moved)

    def latest(column, stored):
        return case((reported, column), else_=stored)

    update = SimpleNamespace(**{c: latest(getattr(u, c), getattr(r, c))
                                for c in ("state", "completed_on", "review", "reviewed_on")})
    due = case((due_moved, moved.c.due), else_=r.due)
    columns = {"update_id": latest(u.id, r.update_id).label("update_id"), "state": update.state.label("state"),
               "last_reported_on": latest(u.reported_on, r.last_reported_on).label("last_reported_on"),
               "review": update.review.label("review"), "reviewed_on": update.reviewed_on.label("reviewed_on"),
               "due": due.label("due"), **judged(update, due, as_of, due_soon_days)}
    names = (*STORED, "position")

    def rows(*selected, among: tuple[str, ...] | None = None):
        """``among``: only the rows that may change, and those that had one of
        these statuses (and keep it)."""
        stmt = (select(*selected).select_from(r).outerjoin(patch, patch.c.milestone_id == r.milestone_id)
                .outerjoin(moved, moved.c.milestone_id == r.milestone_id)
                .outerjoin(u, u.id == reread).where(r.as_of == base, r.due_soon_days == due_soon_days))
        if among is not None:
            stmt = stmt.where(or_(r.status.in_(among), patched, _may_change(r.due, base, as_of, due_soon_days)))
        return stmt

    return (rows, {c: columns.get(c, getattr(r, c)) for c in names},
            {c: getattr(r, c) for c in names})


def _moved(base: date, as_of: date):
    """The milestones whose due was changed in the app counting from a date
    after ``base`` up to ``as_of``, each with its due as of ``as_of`` (a small
    subquery: milestone_id, due)."""
    c, then = PlanChange, due_then(as_of)
    changed = select(c.milestone_id).where(c.field == "due", c.effective_on > date_param(base),
                                           c.effective_on <= date_param(as_of))
    return (select(Milestone.id.label("milestone_id"), due_as_of(then).label("due"))
            .outerjoin(then, then.c.milestone_id == Milestone.id)
            .where(Milestone.id.in_(changed)).subquery("moved"))


def _may_change(due, base: date, as_of: date, due_soon_days: int):
    """Of a milestone not reported on between ``base`` and ``as_of`` (nor done
    with a completion date to come), whether its status as of ``as_of`` may
    differ from ``base``'s: only one due from ``base`` to ``as_of``'s due-soon
    horizon can change (become due, due soon or overdue); the others keep their
    status, an overdue one only counting the days between more."""
    return and_(due >= date_param(base), due <= date_param(as_of + timedelta(days=due_soon_days)))


def _computed_counts(session, as_of: date, due_soon_days: int):
    """Each item's counts for a date the store does not keep: the base date's
    stored counts, its overdue days moved on to ``as_of``, plus what the rows
    that may change add as of ``as_of`` less what they counted then.  Equal
    to counting every row of _computed (tests/test_rollup.py), in one pass
    over the base date's rows that does little for those that cannot change."""
    gap = (as_of - base_date(as_of)).days
    rows, now, then = _patched(session, as_of, due_soon_days)
    now_terms = count_terms(SimpleNamespace(**now))
    then_terms = count_terms(SimpleNamespace(**then))
    then_terms["overdue_days"] = then_terms["overdue_days"] + gap * then_terms["overdue"]
    delta = rows(then["work_item_id"].label("work_item_id"),
                 *[func.sum(now_terms[n] - then_terms[n]).label(n) for n in COUNTS],
                 among=()).group_by(then["work_item_id"]).subquery("delta")
    base = _stored_counts(base_date(as_of), due_soon_days).subquery("base")
    moved = {"overdue_days": base.c.overdue_days + gap * base.c.overdue}
    return (select(base.c.work_item_id, *[
        (moved.get(n, base.c[n]) + func.coalesce(delta.c[n], 0)).label(n) for n in COUNTS])
        .outerjoin(delta, delta.c.work_item_id == base.c.work_item_id))


def _live(as_of: date, due_soon_days: int):
    """milestone_status's rows as the rollup stores them, with their place in
    the table, computed by the definition (what a kept date stores)."""
    live = milestone_status(as_of, due_soon_days)
    place = table_position()
    return (select(*[live.c[c] for c in STORED], place.c.position)
            .join(place, place.c.milestone_id == live.c.milestone_id).subquery("ms_status"))


def stored_status(session, as_of: date, due_soon_days: int, among: tuple[str, ...] | None = None):
    """milestone_status's rows for ``as_of`` with ``position``, but the note (join
    the update ``update_id`` for it: only for the rows a list shows): read from
    the rollup of a kept date (built first if needed), computed on the fly for
    any other date (queries.rollup_dates: no reader can grow the store).
    ``among``: the statuses the caller keeps (it filters on them itself); a
    computed date then judges only the rows that may have one."""
    if not rollup_dates.is_kept(session, as_of):
        if added_between(session, base_date(as_of), as_of):
            return _live(as_of, due_soon_days)
        return _computed(session, as_of, due_soon_days, among)
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
    """The group sums for ``as_of`` (a select of GROUP_COLUMNS); stored first if needed."""
    ensure_rollup(session, as_of, due_soon_days, whole=rollup_dates.is_kept(session, as_of))
    g = StatusRollupGroup
    return select(*[getattr(g, name) for name in GROUP_COLUMNS]).where(
        g.as_of == as_of, g.due_soon_days == due_soon_days)


def rollup_counts(session, as_of: date, due_soon_days: int, statuses: tuple[str, ...] = ()):
    """The per-item counts for ``as_of`` (a select), of the milestones in
    ``statuses`` when given (counted from stored_status then); stored first if
    needed."""
    ensure_rollup(session, as_of, due_soon_days, whole=rollup_dates.is_kept(session, as_of))
    if statuses:
        return item_counts(stored_status(session, as_of, due_soon_days, statuses), statuses)
    return _stored_counts(as_of, due_soon_days)
