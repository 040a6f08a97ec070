"""提醒: who is told what today, written once (Notification, one per account
and key), whatever how often the job runs (`flask --app app send-reminders`,
e.g. every hour from cron).

- 临期: a milestone the account reports on falls due in N days or fewer, for
  N in REMINDER_DAYS (7 and 1 by default): one notice per threshold, the
  nearest one the due date has reached (a job that missed a day catches up
  with one notice, not several);
- 逾期: it has become overdue (once per due date: a due moved and missed
  again is told again);
- 报送: the month's report falls due (REPORT_DUE_DAY of the next month) and
  the account has not reported on that month: from the due day on, once;
- 审核: a reviewer (a city office, the admin) has completions waiting at its
  stage for REVIEW_WAIT_DAYS or more: once a week, so that no completion
  waits unseen (until reviewed it counts as not done).

"Falls due", "overdue" and "reports on" are the pages' own: the status as of
today (queries.status, read from the stored rollup of today) and the account's
reporting scope (accounts.scope).  Deactivated accounts and accounts with
nothing to report on are told nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from accounts.scope import Scope
from queries.approvals import waiting_totals
from queries.rollup import stored_status
from reporting.coverage import EDITORS, has_work, in_force
from store.models import Milestone, Notification, ReportSubmission, User, WorkItem
from store.periods import add_months, period_label, period_of, report_due

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@dataclass
class Tally:
    """What one run wrote: new notices by kind."""

    added: dict[str, int] = field(default_factory=lambda: {"due_soon": 0, "overdue": 0, "report_due": 0,
                                                           "review_due": 0})

    @property
    def total(self) -> int:
        return sum(self.added.values())


def reminder_days() -> tuple[int, ...]:
    """REMINDER_DAYS ("7,1"): how many days before a due date to remind, largest first."""
    raw = str(current_app.config.get("REMINDER_DAYS", "7,1"))
    days = sorted({int(d) for d in raw.split(",") if d.strip().isascii() and d.strip().isdigit()}, reverse=True)
    return tuple(d for d in days if 0 < d <= 60) or (7, 1)


def threshold(days_left: int, days: tuple[int, ...]) -> int | None:
    """The nearest reminder threshold a due date ``days_left`` away has reached (None: none yet)."""
    reached = [d for d in days if days_left <= d]
    return min(reached) if reached else None


def remind(session, today: date) -> Tally:
    """Write today's notices (none written twice); the caller commits."""
    tally = Tally()
    days = reminder_days()
    editors = session.scalars(select(User).where(User.active.is_(True), User.role.in_(EDITORS))
                              .order_by(User.id)).all()
    st = stored_status(session, today, current_app.config["DUE_SOON_DAYS"], ("due_soon", "not_due", "overdue"))
    chased = or_(st.c.status == "overdue",
                 and_(st.c.status.in_(("due_soon", "not_due")), st.c.due <= today + timedelta(days=max(days))))
    plans = in_force(session, _last_month(today))
    for user in editors:
        scope = Scope.of(user)
        rows = session.execute(
            select(st.c.milestone_id, st.c.status, st.c.due, st.c.days_overdue, Milestone.seq, Milestone.text,
                   WorkItem.id.label("item_id"), WorkItem.name.label("item"))
            .join(Milestone, Milestone.id == st.c.milestone_id).join(WorkItem, WorkItem.id == Milestone.work_item_id)
            .where(chased, scope.milestones())).all()
        for r in rows:
            notice = _milestone_notice(r, today, days)
            if notice is not None and notify(session, user, **notice):
                tally.added[notice["kind"]] += 1
        report = _report_notice(session, user, scope, today, plans)
        if report is not None and notify(session, user, **report):
            tally.added["report_due"] += 1
    for user in session.scalars(select(User).where(User.active.is_(True), User.role.in_(("admin", "city")))
                                .order_by(User.id)):
        waiting = _review_notice(session, user, today)
        if waiting is not None and notify(session, user, **waiting):
            tally.added["review_due"] += 1
    return tally


REVIEW_WAIT_DAYS = 3


def _review_notice(session, user: User, today: date) -> dict | None:
    """The completions waiting at the reviewer's stage for REVIEW_WAIT_DAYS or more (one notice a week)."""
    n, oldest = waiting_totals(session, user.role, user.city_id, today - timedelta(days=REVIEW_WAIT_DAYS))
    if not n:
        return None
    year, week, _ = today.isocalendar()
    return {"kind": "review_due", "key": f"review_due:{year}-W{week:02d}", "milestone_id": None,
            "link": "/approvals", "title": f"审核提醒：{n} 项完成情况已等待 {REVIEW_WAIT_DAYS} 天以上",
            "body": f"最早的于 {oldest.isoformat()} 报送，尚未审核；审核通过后才计入完成率和考核，请在“审核”中处理。"}


def _milestone_notice(r, today: date, days: tuple[int, ...]) -> dict | None:
    where = f"{r.item[:30]} · 节点{r.seq}：{r.text[:60]}"
    if r.status == "overdue":
        return {"kind": "overdue", "key": f"overdue:{r.milestone_id}:{r.due.isoformat()}", "milestone_id": r.milestone_id,
                "title": f"逾期提醒：{r.item[:30]} 节点{r.seq}", "link": f"/item/{r.item_id}",
                "body": f"{where}\n时限 {r.due.isoformat()}，已逾期 {r.days_overdue} 天，请尽快推进并报送进展。"}
    left = (r.due - today).days
    near = threshold(left, days)
    if near is None:
        return None
    return {"kind": "due_soon", "key": f"due_soon:{r.milestone_id}:{r.due.isoformat()}:{near}",
            "milestone_id": r.milestone_id, "title": f"临期提醒：{r.item[:30]} 节点{r.seq}（{left} 天后到期）",
            "link": f"/item/{r.item_id}",
            "body": f"{where}\n时限 {r.due.isoformat()}，{'今天到期' if left == 0 else f'还有 {left} 天'}，请按时完成并报送。"}


def _last_month(today: date) -> str:
    return period_of(add_months(today.replace(day=1), -1))


def _report_notice(session, user: User, scope: Scope, today: date, plans: tuple[int, ...]) -> dict | None:
    """The last month's report, from its due day on, if the account has not sent it
    and reports on a milestone of a plan in force then (``plans``: reporting.coverage)."""
    period = _last_month(today)
    due = report_due(period, current_app.config["REPORT_DUE_DAY"])
    if today < due or _reported(session, user, period) or not has_work(session, scope, plans):
        return None
    return {"kind": "report_due", "key": f"report_due:{period}", "milestone_id": None, "link": "/report",
            "title": f"报送提醒：{period_label(period)}进展（{due.isoformat()} 截止）",
            "body": f"{period_label(period)}的工作进展应于 {due.isoformat()} 前报送，尚未收到，请尽快在“进度填报”中报送。"}


def _reported(session, user: User, period: str) -> bool:
    """Whether the account's unit sent the month's report (itself, or its city office / department)."""
    s = ReportSubmission
    mine = s.user_id == user.id
    unit = (s.department_id == user.department_id) if user.role == "department" else \
        and_(s.city_id == user.city_id, s.department_id.is_(None))
    return session.scalar(select(s.id).where(s.period == period, or_(mine, unit)).limit(1)) is not None


def notify(session, user: User, **notice) -> bool:
    """Insert the notice unless the account has it already; whether it was new."""
    insert = _INSERT[session.get_bind().dialect.name]
    added = session.execute(insert(Notification).values(
        user_id=user.id, mail="pending" if user.email else "none", mail_attempts=0, **notice)
        .on_conflict_do_nothing().returning(Notification.id)).first()
    return added is not None
