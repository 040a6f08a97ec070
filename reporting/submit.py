"""A report from any channel (web form, uploaded template, CLI) through the same
steps: check it all, then preview it or write it in one transaction, then
drop the cached query results so every page shows it at once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from accounts.scope import Scope
from queries.cache import invalidate
from reporting.apply import (
    Conflict,
    ConflictError,
    Outcome,
    apply,
    latest_observations,
    latest_updates,
    obs_dict,
    state_dict,
)
from reporting.check import check
from reporting.entries import Problem, Report
from store import clock, session_scope


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)  # what would change (dry run)
    outcome: Outcome | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.conflicts


def submit(report: Report, account, city_id: int | None = None, dry_run: bool = False,
           today: date | None = None) -> Result:
    """Check ``report`` as ``account`` (an admin may narrow to ``city_id``); with
    ``dry_run`` list what would change, else write it all or nothing."""
    today = today or clock.today()
    scope = Scope.of(account, city_id)
    try:
        with session_scope() as s:
            checked = check(s, report, scope, today)
            if checked.problems:
                return Result(problems=checked.problems)
            if dry_run:
                return Result(preview=preview(s, report, checked))
            outcome = apply(s, report, checked, account, scope, today,
                            current_app.config["REPORT_DUE_DAY"])
    except ConflictError as exc:  # raised inside the transaction: it rolled back
        return Result(conflicts=exc.conflicts)
    invalidate()
    return Result(outcome=outcome)


def preview(session, report: Report, checked) -> list[dict]:
    """Each change as before -> after, in the report's order."""
    edited = [e for e in report.milestones if e.edited]
    before = latest_updates(session, {e.milestone_id for e in edited})
    before_obs = latest_observations(session, {e.indicator_id for e in report.indicators})
    rows = []
    for e in edited:
        old = before.get(e.milestone_id)
        rows.append({"row": e.row, "kind": "工作节点", "label": checked.milestones[e.milestone_id].label,
                     "before": _text(state_dict(old.state, old.completed_on, old.note) if old else None),
                     "after": _text(state_dict(e.state, e.completed_on, e.note))})
    for e in report.indicators:
        old = before_obs.get(e.indicator_id)
        rows.append({"row": e.row, "kind": "指标", "label": checked.indicators[e.indicator_id].label,
                     "before": _text(obs_dict(old.value, old.met, old.observed_on, old.note) if old else None),
                     "after": _text(obs_dict(e.value, e.met, e.observed_on, e.note))})
    return rows


def _text(values: dict | None) -> str:
    """{'状态': '已完成', '完成日期': '2020-09-28'} -> '状态：已完成；完成日期：2020-09-28'."""
    if not values:
        return "（无）"
    return "；".join(f"{k}：{v}" for k, v in values.items() if v not in (None, ""))
