"""审核 as the pages see it: the completions waiting for a reviewer (oldest
first, with their evidence), how many wait per city and month, what the
navbar counts, and the returned ones an editor is to report again."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from queries.aliases import CITY
from queries.status import latest_update_id
from store.models import REVIEW_STAGES, Milestone, ProgressUpdate, StoredFile, User, WorkItem
from store.periods import period_label

SHOWN = 1000  # waiting completions listed at once (the rest by filter)


LATER = aliased(ProgressUpdate, name="later")


def still_latest():
    """A condition on ProgressUpdate: no later report on its milestone (a
    completion reported again, or a plan change since, takes it out of review)."""
    return ~exists().where(LATER.milestone_id == ProgressUpdate.milestone_id, or_(
        LATER.reported_on > ProgressUpdate.reported_on,
        and_(LATER.reported_on == ProgressUpdate.reported_on, LATER.id > ProgressUpdate.id)))


def waiting_condition(role: str, city_id: int | None, mine_only: bool = True):
    """The pending completions an account decides (``mine_only``: at its own
    stage; the admin may also see the cities' stage), each its milestone's
    latest report: a condition on ProgressUpdate joined to WorkItem."""
    pending = and_(ProgressUpdate.review == "pending", still_latest())
    if role == "admin":
        return and_(pending, ProgressUpdate.review_stage == "province") if mine_only else pending
    if role == "city" and city_id is not None:
        return and_(pending, ProgressUpdate.review_stage == "city", WorkItem.city_id == city_id)
    return None


def waiting_count(session, role: str, city_id: int | None) -> int:
    """What the navbar counts for a reviewer: the completions waiting at its stage."""
    return waiting_totals(session, role, city_id)[0]


def waiting_totals(session, role: str, city_id: int | None,
                   reported_by: date | None = None) -> tuple[int, date | None]:
    """(how many, the oldest report day) of the completions waiting at a
    reviewer's stage (reported by ``reported_by``, when given)."""
    condition = waiting_condition(role, city_id)
    if condition is None:
        return 0, None
    stmt = select(func.count(), func.min(ProgressUpdate.reported_on)).select_from(ProgressUpdate)
    if role != "admin":
        stmt = (stmt.join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
                .join(WorkItem, WorkItem.id == Milestone.work_item_id))
    if reported_by is not None:
        stmt = stmt.where(ProgressUpdate.reported_on <= reported_by)
    n, oldest = session.execute(stmt.where(condition)).one()
    return n or 0, oldest


def _base(condition):
    city = CITY
    return (select(ProgressUpdate, Milestone.seq, Milestone.text, Milestone.due_text, WorkItem.id.label("item_id"),
                   WorkItem.name.label("item"), city.name.label("city"))
            .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
            .join(WorkItem, WorkItem.id == Milestone.work_item_id)
            .outerjoin(city, city.id == WorkItem.city_id).where(condition))



def waiting_rows(session, condition, city: str | None = None, period: str | None = None,
                 today: date | None = None) -> list[dict]:
    """The pending completions ``condition`` allows, oldest first, each with its
    milestone's evidence files."""
    stmt = _base(condition).order_by(ProgressUpdate.reported_on, ProgressUpdate.id).limit(SHOWN)
    if city:
        stmt = stmt.where(CITY.name == city)
    if period:
        stmt = stmt.where(ProgressUpdate.period == period)
    rows = session.execute(stmt).all()
    files = evidence_by_milestone(session, {r.ProgressUpdate.milestone_id for r in rows})
    out = []
    for r in rows:
        u = r.ProgressUpdate
        out.append({
            "update_id": u.id, "milestone_id": u.milestone_id, "item_id": r.item_id, "city": r.city or "全省",
            "item": r.item, "seq": r.seq, "milestone": r.text, "due_text": r.due_text or "",
            "completed_on": u.completed_on.isoformat() if u.completed_on else "", "note": u.note or "",
            "period": period_label(u.period) if u.period else "", "reported_by": u.reported_by or "",
            "reported_on": u.reported_on.isoformat(), "stage": REVIEW_STAGES.get(u.review_stage, ""),
            "waiting_days": (today - u.reported_on).days if today else None,
            "files": files.get(u.milestone_id, []), "file_count": len(files.get(u.milestone_id, [])),
        })
    return out


def waiting_summary(session, condition) -> list[dict]:
    """How many wait, per city and reporting month (the queue's head)."""
    city = CITY
    stmt = (select(city.name.label("city"), ProgressUpdate.period, func.count().label("n"))
            .select_from(ProgressUpdate).join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
            .join(WorkItem, WorkItem.id == Milestone.work_item_id).outerjoin(city, city.id == WorkItem.city_id)
            .where(condition).group_by(city.sort_order, city.name, ProgressUpdate.period)
            .order_by(city.sort_order, ProgressUpdate.period))
    return [{"city": r.city or "全省", "period": r.period or "", "n": r.n} for r in session.execute(stmt)]


def evidence_by_milestone(session, milestone_ids: set[int]) -> dict[int, list[dict]]:
    """Each milestone's 佐证材料, in upload order: [{id, name, size, uploaded_by, uploaded_at}]."""
    if not milestone_ids:
        return {}
    out: dict[int, list[dict]] = {}
    for f in session.execute(select(StoredFile.id, StoredFile.milestone_id, StoredFile.name, StoredFile.size,
                                    func.coalesce(User.display_name, StoredFile.uploaded_by).label("uploaded_by"),
                                    StoredFile.uploaded_at)
                             .outerjoin(User, User.username == StoredFile.uploaded_by)
                             .where(StoredFile.milestone_id.in_(milestone_ids)).order_by(StoredFile.id)):
        out.setdefault(f.milestone_id, []).append({"id": f.id, "name": f.name, "size": f.size,
                                                   "uploaded_by": f.uploaded_by, "uploaded_at": f.uploaded_at})
    return out


def evidence_counts(session) -> dict[int, int]:
    """How many 佐证材料 each milestone that has any has (a few thousand at most:
    read whole rather than naming every milestone of a long form)."""
    return dict(session.execute(select(StoredFile.milestone_id, func.count()).where(
        StoredFile.milestone_id.is_not(None)).group_by(StoredFile.milestone_id)).all())


def returned_rows(session, milestones_condition, today: date) -> list[dict]:
    """The editor's completions returned by review and not yet reported again
    (their latest report is the returned one), newest first."""
    stmt = (_base(and_(ProgressUpdate.review == "returned", milestones_condition,
                       ProgressUpdate.id == latest_update_id(today)))
            .add_columns(User.display_name.label("reviewer"))
            .outerjoin(User, User.username == ProgressUpdate.reviewed_by)
            .order_by(ProgressUpdate.reviewed_on.desc(), ProgressUpdate.id.desc()).limit(200))
    return [{"milestone_id": r.ProgressUpdate.milestone_id, "item_id": r.item_id, "city": r.city or "全省",
             "item": r.item, "seq": r.seq, "milestone": r.text,
             "returned_on": r.ProgressUpdate.reviewed_on.isoformat() if r.ProgressUpdate.reviewed_on else "",
             "returned_by": r.reviewer or r.ProgressUpdate.reviewed_by or "", "reason": r.ProgressUpdate.review_comment or ""}
            for r in session.execute(stmt)]
