"""A report from any channel (web form, uploaded template, CLI) through the same
steps: check it all, then preview it or write it in one transaction, then
drop the cached query results so every page shows it at once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from accounts.scope import Scope
from queries.cache import invalidate
from reporting.apply import Conflict, ConflictError, Outcome, apply, changes
from reporting.check import check
from reporting.entries import Problem, Report
from store import clock, session_scope
from store.audit import as_text


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
                            current_app.config["REPORT_DUE_DAY"], current_app.config["REVIEW_LEVELS"])
    except ConflictError as exc:  # raised inside the transaction: it rolled back
        return Result(conflicts=exc.conflicts)
    invalidate()
    return Result(outcome=outcome)


def preview(session, report: Report, checked) -> list[dict]:
    """Each change as before -> after, in the report's order."""
    return [{"row": c.entry.row, "kind": KIND_LABELS[c.kind], "label": c.label,
             "before": as_text(c.before), "after": as_text(c.after)}
            for c in changes(session, report, checked, clock.today())]


KIND_LABELS = {"milestone": "工作节点", "indicator": "指标"}
