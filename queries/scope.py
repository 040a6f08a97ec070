"""Which plans a view covers: one rule for every page, export, the monthly
review and the assessment (docs/corrections.md, 计划的期限与范围).

- A plan chosen by name is that plan, whatever its state.
- Otherwise the plans every city is measured on — the province's own — and,
  when a city is chosen, that city's own plans too: 温州's 分工表 shows on
  温州's pages, never inside a ranking of cities that are not measured on it.
- Of these, a chosen plan year's (whatever their state: the annual
  assessment's), else those in force on the view's date: within their period
  and not archived.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from store.models import Milestone, Plan, ProgressUpdate, Region


PROVINCE_PLAN = Plan.city_id.is_(None)  # a plan every city is measured on


def _candidates(plan: str | None, year: int | None, city: str | None) -> list:
    """The conditions on Plan for a view's plans, but the date's."""
    if plan:
        return [Plan.key == plan]
    own = select(Region.id).where(Region.name == city, Region.level == "city").scalar_subquery()
    where = [or_(PROVINCE_PLAN, Plan.city_id == own) if city else PROVINCE_PLAN]
    return where + ([Plan.plan_year == year] if year else [Plan.archived_at.is_(None)])


def plan_ids(session, as_of: date, plan: str | None = None, year: int | None = None,
             city: str | None = None) -> tuple[int, ...]:
    """The ids of the plans a view of ``as_of`` covers (the module's rule)."""
    where = _candidates(plan, year, city)
    if not plan and not year:
        where += [Plan.period_start <= as_of, Plan.period_end >= as_of]
    return tuple(session.scalars(select(Plan.id).where(*where).order_by(Plan.id)))


def describe(session, ids: tuple[int, ...], as_of: date, plan: str | None, year: int | None,
             city: str | None) -> dict:
    """What a page says of its plans: ``label`` (统计范围：…) and the plans' names."""
    names = list(session.scalars(select(func.coalesce(Plan.doc_no, Plan.title)).where(Plan.id.in_(ids))
                                 .order_by(Plan.issue_date.desc(), Plan.id)))
    if plan:
        label = f"计划：{names[0] if names else plan}"
    else:
        which = "省级计划" + (f"和{city}市自行制定的计划" if city else "")
        when = f"{year}年度的" if year else f"{as_of.year}年{as_of.month}月{as_of.day}日执行中的"
        label = f"{when}{which}（{len(ids)}个）" if ids else f"没有{when}{which}"
    return {"label": label, "plans": names}


def default_date(session, today: date, plan: str | None = None, year: int | None = None,
                 city: str | None = None, within_period: bool = True) -> date:
    """A view's date when its URL names none: the latest progress report on
    the plans it may cover (at least the newest one's issue date, so a plan
    just issued is in view), but not past today nor the end of their periods (a late
    report on last year's plan is no view of a year with no plan; without
    ``within_period``, as for one item's page, it is); today when none has
    milestones.  A milestone cancelled by a change of the plan is no report."""
    with_milestones = select(Milestone.id).where(Milestone.plan_id == Plan.id).exists()
    plans = session.execute(select(Plan.id, Plan.issue_date, Plan.period_end)
                            .where(*_candidates(plan, year, city), with_milestones)).all()
    if not plans:
        return today
    found = latest_report(session, tuple(p.id for p in plans))
    if found and not within_period:
        return found
    latest = found or today
    issued = max((p.issue_date for p in plans if p.issue_date <= today), default=latest)
    return min(max(latest, issued), max(p.period_end for p in plans), today)


def latest_report(session, ids: tuple[int, ...]) -> date | None:
    """The date of the latest progress report on the plans ``ids``."""
    return session.scalar(select(func.max(ProgressUpdate.reported_on))
                          .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
                          .where(Milestone.plan_id.in_(ids), ProgressUpdate.origin != "plan"))
