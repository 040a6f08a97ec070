"""Adjustments marked 不影响考核: the annual assessment judges those milestones
on the plan as it stood before the change — the original deadline keeps
counting, a cancelled milestone stays due — while every page shows the plan
as adjusted.

The rows are few (the admin marks them one by one), so the assessment takes
its rates from the stored rollups as every page does, and corrects them by
the difference each such milestone makes: judged by the one definition
(queries.status.judged) with its original due and state, less as judged on
the pages.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased

from queries.aliases import CITY
from queries.sqlfuncs import date_param
from queries.status import STATUS_LABELS, count_terms, judged, milestone_status
from store.models import Milestone, PlanChange, ProgressUpdate, WorkItem

CORRECTED = ("on_time_due", "done_due", "due_by", "overdue", "overdue_days")  # what the assessment reads


def _kept(as_of: date, plans: tuple[int, ...]):
    """Per milestone of ``plans`` with a change marked 不影响考核 counting by
    ``as_of``: the due before its first such move (``moved``: whether there
    is one), whether such a cancellation stands (``cancelled``), and the last
    request behind them (a small subquery)."""
    c = PlanChange
    marked = (c.keeps_score.is_(True), c.milestone_id.is_not(None), c.effective_on <= date_param(as_of),
              c.plan_id.in_(plans))
    moves = (select(c.milestone_id, c.due_before, func.row_number().over(
        partition_by=c.milestone_id, order_by=(c.effective_on, c.id)).label("n"))
        .where(*marked, c.field == "due").subquery("kept_moves"))
    first_move = select(moves.c.milestone_id, moves.c.due_before).where(moves.c.n == 1).subquery("first_move")
    per_milestone = (select(c.milestone_id, func.max(case((c.field == "cancel", 1), else_=0)).label("cancelled"),
                            func.max(c.request_id).label("request_id"))
                     .where(*marked, c.field.in_(("due", "cancel"))).group_by(c.milestone_id).subquery("kept_marks"))
    return (select(per_milestone.c.milestone_id, per_milestone.c.cancelled, per_milestone.c.request_id,
                   first_move.c.milestone_id.is_not(None).label("moved"), first_move.c.due_before)
            .outerjoin(first_move, first_move.c.milestone_id == per_milestone.c.milestone_id).subquery("kept"))


def _original_update(as_of: date, kept):
    """Correlated: the milestone's latest report by ``as_of``, leaving out the
    plan's own cancellations when a cancellation is kept out of the score."""
    u = ProgressUpdate
    return (select(u.id).where(u.milestone_id == Milestone.id, u.reported_on <= as_of,
                               or_(kept.c.cancelled == 0, u.origin != "plan"))
            .order_by(u.reported_on.desc(), u.id.desc()).limit(1).correlate(Milestone, kept).scalar_subquery())


def _both_ways(as_of: date, due_soon_days: int, plans: tuple[int, ...]):
    """Each milestone of ``plans`` the assessment judges on its original plan:
    its city, the change behind it, and its status columns both ways
    (``now_*``: as the pages show it; ``kept_*``: as the assessment counts it)."""
    kept = _kept(as_of, plans)
    now = milestone_status(as_of, due_soon_days, among=select(kept.c.milestone_id))
    u = aliased(ProgressUpdate, name="original_update")
    due = case((kept.c.moved, kept.c.due_before), else_=now.c.due)
    j = judged(u, due, as_of, due_soon_days)
    return (select(kept.c.milestone_id, kept.c.request_id, kept.c.moved, kept.c.cancelled,
                   CITY.name.label("city"), due.label("kept_due"), u.state.label("kept_state"),
                   *[now.c[name].label(f"now_{name}") for name in SHOWN],
                   *[col.label(f"kept_{name}") for name, col in j.items()])
            .select_from(kept)
            .join(now, now.c.milestone_id == kept.c.milestone_id)
            .join(Milestone, Milestone.id == kept.c.milestone_id)
            .join(WorkItem, WorkItem.id == Milestone.work_item_id)
            .outerjoin(CITY, CITY.id == WorkItem.city_id)
            .outerjoin(u, u.id == _original_update(as_of, kept))
            .subquery("both_ways"))


SHOWN = ("status", "days_overdue", "active", "due_by", "state", "due")


def _terms(both, side: str) -> dict:
    return count_terms(SimpleNamespace(**{name: both.c[f"{side}_{name}"] for name in SHOWN if name != "due"}))


def any_kept(session, plans: tuple[int, ...]) -> bool:
    """Whether any change of these plans is marked 不影响考核 (most years: none)."""
    return bool(plans) and session.scalar(select(PlanChange.id).where(
        PlanChange.keeps_score.is_(True), PlanChange.plan_id.in_(plans)).limit(1)) is not None


def corrections(session, as_of: date, due_soon_days: int, plans: tuple[int, ...]) -> dict[str, dict[str, int]]:
    """city -> what to add to each of its counts (CORRECTED) for the assessment."""
    if not any_kept(session, plans):
        return {}
    both = _both_ways(as_of, due_soon_days, plans)
    kept, now = _terms(both, "kept"), _terms(both, "now")
    stmt = select(both.c.city, *[func.sum(kept[n] - now[n]).label(n) for n in CORRECTED]).group_by(both.c.city)
    return {row.city: {n: int(row[n] or 0) for n in CORRECTED} for row in session.execute(stmt).mappings()}


def kept_rows(session, as_of: date, due_soon_days: int, plans: tuple[int, ...], city: str | None = None) -> dict[int, dict]:
    """milestone id -> how the assessment judges it (its original due, status
    and days overdue) and why (the change, the request): for the breakdown."""
    if not any_kept(session, plans):
        return {}
    both = _both_ways(as_of, due_soon_days, plans)
    stmt = select(both)
    if city:
        stmt = stmt.where(both.c.city == city)
    return {row["milestone_id"]: {
        "due": row["kept_due"].isoformat() if row["kept_due"] else None, "status": row["kept_status"],
        "days_overdue": row["kept_days_overdue"],
        "why": (f"调整申请 #{row['request_id']} " if row["request_id"] else "")
        + "、".join(what for what, marked in (("调整时限", row["moved"]), ("取消", row["cancelled"])) if marked)
        + f"不影响考核，按原计划计为{STATUS_LABELS[row['kept_status']]}",
    } for row in session.execute(stmt).mappings()}
