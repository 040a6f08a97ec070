"""Who has reported for a city (按月报送): the rule, in one place.

A city's report for a month is in when every unit that reports for it has
sent its own: its city office (which reports on the items no department with
an account leads, and for departments without one), and each of its
departments with an active account that leads a milestone of a plan in force
on the month's due day.  A unit without an account is not waited for (its
city office reports for it); a unit that reported though not waited for counts
as reported all the same.  A city with no account shows 无账号; with accounts
but nothing in force to report on, 本月无需报送.

The admin's list on 进度填报 (pages.report.submissions_table) shows, per city,
the units reported out of those expected, the first report and whether every
unit's was on time, and who is still missing; the monthly reminder
(notices.reminders) asks exactly those units.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from accounts.scope import WRITER_ROLES, Scope
from queries.scope import plan_ids
from store.models import Department, Milestone, Region, ReportSubmission, User
from store.periods import report_due

EDITORS = tuple(r for r in WRITER_ROLES if r != "admin")  # (those who report for a unit)


@dataclass
class CityReport:
    city_id: int
    city: str
    accounts: int = 0  # its active editors' accounts
    units: dict[int | None, str] = field(default_factory=dict)  # department id (None: the city office) -> name
    first: dict[int | None, tuple[datetime, bool, str]] = field(default_factory=dict)  # unit -> (at, on time, by)
    count: int = 0  # reports received, every unit's

    @property
    def reported(self) -> list[int | None]:
        return [unit for unit in self.units if unit in self.first]

    @property
    def missing(self) -> list[str]:
        return [name for unit, name in self.units.items() if unit not in self.first]

    @property
    def complete(self) -> bool:
        return bool(self.units) and not self.missing

    @property
    def first_at(self) -> datetime | None:
        return min((at for at, _, _ in self.first.values()), default=None)

    @property
    def on_time(self) -> bool:
        return self.complete and all(self.first[unit][1] for unit in self.units)


def has_work(session, scope: Scope, plans: tuple[int, ...]) -> bool:
    """Whether the scope reports on a milestone of ``plans``."""
    return session.scalar(select(Milestone.id).where(scope.milestones(), Milestone.plan_id.in_(plans))
                          .limit(1)) is not None


def in_force(session, period: str) -> tuple[int, ...]:
    """The plans a month's report covers: those in force on its due day."""
    return plan_ids(session, report_due(period, current_app.config["REPORT_DUE_DAY"]))


def city_reports(session, period: str) -> list[CityReport]:
    """Every city's report for ``period`` by the rule above, in the cities' order."""
    plans = in_force(session, period)
    cities = {r.id: CityReport(r.id, r.name) for r in session.execute(
        select(Region.id, Region.name).where(Region.level == "city").order_by(Region.sort_order))}
    names = dict(session.execute(select(Department.id, Department.name)).all())

    def name(report: CityReport, unit: int | None) -> str:
        return names.get(unit, "") if unit is not None else f"{report.city}市信用办"

    for user in session.scalars(select(User).where(User.active.is_(True), User.role.in_(EDITORS),
                                                   User.city_id.in_(cities))):
        unit = user.department_id if user.role == "department" else None
        report = cities[user.city_id]
        report.accounts += 1
        if unit not in report.units and has_work(session, Scope.of(user), plans):
            report.units[unit] = name(report, unit)
    for sub in session.scalars(select(ReportSubmission).where(ReportSubmission.period == period,
                                                              ReportSubmission.city_id.in_(cities))
                               .order_by(ReportSubmission.submitted_at)):
        report = cities[sub.city_id]
        report.count += 1
        report.first.setdefault(sub.department_id, (sub.submitted_at, sub.on_time, sub.reported_by))
        report.units.setdefault(sub.department_id, name(report, sub.department_id))
    return list(cities.values())
