"""The admin's changes of a plan as a whole: its period (in force from, to:
ending a plan is its end date), whose plan it is (the province's, which every
city is ranked on, or one city's own), and archiving it or bringing it back.
Each is audited with its reason; anyone else is refused, however asked.
The views that cover a plan follow at once (queries.scope)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from corrections.apply import MAX_REASON, CorrectionError, admin_of
from store.audit import record
from store.models import Plan, Region, utcnow

REFUSAL = "只有管理员可以设置计划的期限与状态，未作任何修改。"
PROVINCE_OWNER = "省级计划"


@dataclass(frozen=True)
class PlanSettings:
    """What the form sets: the period, and whose plan it is (a city, or None: the province's)."""

    start: date
    end: date
    city: str | None

    @classmethod
    def of(cls, session, plan: Plan) -> "PlanSettings":
        return cls(plan.period_start, plan.period_end, session.get(Region, plan.city_id).name if plan.city_id else None)

    def as_text(self) -> dict:
        return {"期限": f"{self.start}至{self.end}", "归属": f"{self.city}市" if self.city else PROVINCE_OWNER}


def _plan(session, plan_id) -> Plan:
    ok = isinstance(plan_id, int) and not isinstance(plan_id, bool) and 0 < plan_id < 2**31
    plan = session.get(Plan, plan_id) if ok else None
    if plan is None:
        raise CorrectionError(["没有该计划：它可能已被删除，请刷新页面。"])
    return plan


def _reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        raise CorrectionError([f"请填写原因（不超过 {MAX_REASON} 字）。"])
    return reason


def _date(value, label: str, problems: list[str]) -> date | None:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        problems.append(f"请填写{label}（格式 YYYY-MM-DD）。")
    return day


def set_plan(session, account, plan_id, start, end, city, reason, seen: PlanSettings | None) -> Plan:
    """Set the plan's period and owner (``start``, ``end``: ISO dates; ``city``:
    a city's name or None), unless ``seen`` — what the form showed — is no
    longer what the store holds.  CorrectionError: nothing written."""
    user = admin_of(session, account, REFUSAL)
    plan = _plan(session, plan_id)
    problems: list[str] = []
    start, end = _date(start, "开始日期", problems), _date(end, "结束日期", problems)
    if start and end and end < start:
        problems.append("结束日期不能早于开始日期。")
    owner = None
    if city not in (None, ""):
        owner = session.scalar(select(Region).where(Region.name == city, Region.level == "city")) \
            if isinstance(city, str) else None
        if owner is None:
            problems.append("请选择计划的归属：省级计划或某一地市。")
    if problems:
        raise CorrectionError(problems)
    reason = _reason(reason)
    before = PlanSettings.of(session, plan)
    if seen is not None and seen != before:
        raise CorrectionError(["该计划的期限或归属已被他人修改，请刷新页面后重试，未作任何修改。"])
    after = PlanSettings(start, end, owner.name if owner else None)
    if after == before:
        raise CorrectionError(["没有需要保存的修改。"])
    plan.period_start, plan.period_end, plan.city_id = start, end, owner.id if owner else None
    plan.period_set_by = user.username
    record(session, user.username, "plan.settings", plan.label, "plan", plan.id,
           before.as_text(), {**after.as_text(), "原因": reason})
    session.flush()
    return plan


def archive(session, account, plan_id, reason, archived: bool) -> Plan:
    """Archive the plan (out of every default view; still readable when chosen
    by name or year, and its assessment stands) or bring it back."""
    user = admin_of(session, account, REFUSAL)
    plan = _plan(session, plan_id)
    reason = _reason(reason)
    if (plan.archived_at is not None) == archived:
        raise CorrectionError(["该计划已归档。" if archived else "该计划未归档。"])
    plan.archived_at, plan.archived_by = (utcnow(), user.username) if archived else (None, None)
    record(session, user.username, "plan.archive" if archived else "plan.restore", plan.label, "plan", plan.id,
           None, {"原因": reason})
    session.flush()
    return plan
