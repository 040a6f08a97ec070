"""What a reporter fills in (/report and the Excel template): the milestones and
indicators in the reporter's scope, each with its status today, its latest
report and the report version the form starts from.  Never cached: a form
must start from the versions in the store."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import and_, or_, select

from accounts.scope import Scope
from components.format import number
from queries.indicators import indicator_rows
from queries.approvals import evidence_counts
from queries.status import DONE, STATUSES, Filters
from queries.status_table import status_rows
from store import session_scope
from store.models import PROGRESS_STATES, Indicator, ReportSubmission, WorkItem

NOT_DONE = tuple(s for s in STATUSES if s not in DONE)  # what the form shows unless asked for all


def milestone_rows(scope: Scope, today: date, plan: str | None = None, include_done: bool = False,
                   province_only: bool = False) -> list[dict]:
    """One row per milestone in ``scope`` (not done ones unless ``include_done``;
    with ``province_only`` those of no city): what the plan says, its status
    today, and the form fields (state, completed_on, note) pre-filled from its
    latest report, with their base_* twins and the version."""
    def where(item):
        return and_(scope.items(item), item.city_id.is_(None)) if province_only else scope.items(item)

    with session_scope() as s:
        rows = status_rows(s, today, Filters(plan=plan, statuses=() if include_done else NOT_DONE),
                           current_app.config["DUE_SOON_DAYS"], where=where)
        files = evidence_counts(s) if rows else {}
    out = []
    for r in rows:
        returned = r["review"] == "returned"  # (a returned completion is entered again, or left as it is)
        state = PROGRESS_STATES.get(r["state"], "") if r["state"] and not returned else ""
        completed_on = None if returned else r["reported_completed_on"] if r["state"] == "done" else None
        item = f"{r['item_no']}. {r['item']}" if r["item_no"] else r["item"]
        out.append({
            "milestone_id": r["milestone_id"], "version": r["version"], "plan": r["plan"],
            "city": r["city"], "item": item, "item_id": r["item_id"], "sub_item": r["sub_item"],
            "seq": r["seq"], "milestone": r["milestone"], "due": r["due"] or r["due_text"],
            "status": r["status"], "last": _latest(r), "evidence": files.get(r["milestone_id"], 0),
            "state": state, "completed_on": completed_on, "note": r["last_note"] or "",
            "base_state": state, "base_completed_on": completed_on, "base_note": r["last_note"] or "",
        })
    for i, row in enumerate(out, start=1):
        row["row"] = i
    return out


def _latest(r: dict) -> str:
    if not r["last_reported_on"]:
        return "未报送"
    state = "已完成（审核退回）" if r["review"] == "returned" else PROGRESS_STATES.get(r["state"], r["state"])
    return f"{state}：{r['last_note'] or ''}（{r['last_reported_on']}）"


def indicator_form_rows(scope: Scope, today: date, plan: str | None = None,
                        province_only: bool = False) -> list[dict]:
    """One row per indicator in ``scope`` (with ``province_only`` the province's
    own: of no city, directly or through its item): targets, the latest actual,
    and empty fields for this month's actual (value, observed_on, note)."""
    where = scope.indicators()
    if province_only:
        where = and_(where, Indicator.city_id.is_(None), or_(
            Indicator.work_item_id.is_(None),
            Indicator.work_item_id.in_(select(WorkItem.id).where(WorkItem.city_id.is_(None)))))
    with session_scope() as s:
        rows = indicator_rows(s, today, Filters(plan=plan), where=where)
    out = []
    for i, r in enumerate(rows, start=1):
        latest = "暂无"
        if r["qualitative"] and r["met"] is not None:
            latest = f"{'已达成' if r['met'] else '未达成'}（{r['latest_on']}）"
        elif r["latest_actual"] is not None:
            latest = f"{number(r['latest_actual'], r['unit'])}（{r['latest_on']}）"
        out.append({
            "row": i, "indicator_id": r["indicator_id"], "version": r["version"], "plan": r["plan"],
            "city": r["city"] or "全省", "item": r["item"], "name": r["name"], "unit": r["unit"] or "",
            "baseline": r["baseline_text"] or number(r["baseline"], r["unit"]),
            "target": r["target_text"] or number(r["target"], r["unit"]), "qualitative": r["qualitative"],
            "latest": latest, "value": "", "observed_on": None, "note": "",
        })
    return out


def submissions(period: str, city_id: int | None = None, department_id: int | None = None) -> list[dict]:
    """The reports that came in for a month (all scopes, or one), first first."""
    with session_scope() as s:
        stmt = select(ReportSubmission).where(ReportSubmission.period == period).order_by(
            ReportSubmission.submitted_at)
        if city_id is not None:
            stmt = stmt.where(ReportSubmission.city_id == city_id)
        if department_id is not None:
            stmt = stmt.where(ReportSubmission.department_id == department_id)
        return [{"submitted_at": x.submitted_at, "reported_by": x.reported_by, "on_time": x.on_time,
                 "due_on": x.due_on, "channel": x.channel, "updates": x.updates,
                 "observations": x.observations, "city_id": x.city_id, "department_id": x.department_id}
                for x in s.scalars(stmt)]
