"""What an account may report on (DESIGN §3): the one place that says so.

An admin may report for everything (optionally narrowed to one city), a city
editor for the work items of its city, a department editor for the items its
department leads; a leader and a visitor for nothing — on the plans open
for reports: every plan but an archived one (a plan past its period still
takes the report of a late completion; archiving it closes it).  Writes check
every milestone and indicator they touch against these conditions in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select

from store.models import Indicator, ItemDepartment, Milestone, Plan, WorkItem

WRITER_ROLES = ("admin", "city", "department")


def open_plan(plan_id):
    """A condition on a plan id column: the plan takes reports (it is not archived)."""
    return plan_id.in_(select(Plan.id).where(Plan.archived_at.is_(None)))


@dataclass(frozen=True)
class Scope:
    """Whose reports: ``city_id`` / ``department_id`` (None: not restricted)."""

    role: str
    city_id: int | None = None
    department_id: int | None = None

    @classmethod
    def of(cls, account, city_id: int | None = None) -> "Scope":
        """An account's scope; an admin may narrow it to ``city_id``."""
        if account is None:
            return cls("visitor")
        if account.role == "admin":
            return cls("admin", city_id)
        return cls(account.role, account.city_id, account.department_id)

    @property
    def may_write(self) -> bool:
        return self.role in WRITER_ROLES

    def items(self, item=WorkItem):
        """A condition on ``item`` (WorkItem or an alias): the items this scope reports on."""
        if not self.may_write:
            return false()
        if self.role == "department":
            return and_(open_plan(item.plan_id), item.id.in_(select(ItemDepartment.work_item_id).where(
                ItemDepartment.department_id == self.department_id, ItemDepartment.role == "lead")))
        if self.city_id is not None:
            return and_(open_plan(item.plan_id), item.city_id == self.city_id)
        return open_plan(item.plan_id)

    def milestones(self):
        """A condition on Milestone."""
        return Milestone.work_item_id.in_(select(WorkItem.id).where(self.items()))

    def indicators(self):
        """A condition on Indicator: those of its items, and (city, admin) of its city
        or (admin) of the province."""
        if not self.may_write:
            return false()
        of_items = Indicator.work_item_id.in_(select(WorkItem.id).where(self.items()))
        if self.role == "department":
            return of_items
        if self.city_id is not None:
            return or_(of_items, and_(open_plan(Indicator.plan_id), Indicator.city_id == self.city_id))
        return open_plan(Indicator.plan_id)


def writable_ids(session, scope: Scope, model, ids: set[int]) -> set[int]:
    """Which of ``ids`` (Milestone or Indicator ids) the scope may report on."""
    if not ids:
        return set()
    condition = scope.milestones() if model is Milestone else scope.indicators()
    return set(session.scalars(select(model.id).where(model.id.in_(ids), condition)))


def reads_item(session, account, work_item_id: int | None) -> bool:
    """Whether ``account`` may read a work item's files (its 佐证材料): the
    admin and leaders all, a city editor its city's items, a department
    editor the items its department leads or works on; a visitor none."""
    if account is None or work_item_id is None:
        return False
    if account.role in ("admin", "leader"):
        return True
    if account.role == "city":
        return session.scalar(select(WorkItem.id).where(
            WorkItem.id == work_item_id, WorkItem.city_id == account.city_id)) is not None
    if account.role == "department":
        return session.scalar(select(ItemDepartment.work_item_id).where(
            ItemDepartment.work_item_id == work_item_id,
            ItemDepartment.department_id == account.department_id).limit(1)) is not None
    return False
