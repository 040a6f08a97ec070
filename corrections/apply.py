"""Write a correction of one work item and its milestones in one transaction,
or nothing.

Only an admin corrects a plan (the account is read again from the store).
Each edit carries the value the form showed: if the store holds another now,
someone changed it meanwhile and nothing is written.  What changes is decided
here, from the store, never from what the browser says changed.  A due moved
counts from ``effective_on`` (from the plan's issue date for an import error,
from today for an adjustment): the stored status rollups from then on are
brought up to date in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from importers.dates import UNPARSED, Due, parse_due
from importers.loader import department_of
from importers.text import split_units
from queries.rollup import refresh_rollups
from store.audit import record
from store.models import CHANGE_FIELDS as FIELD_LABELS
from store.models import (
    PROGRESS_STATES,
    ItemDepartment,
    Milestone,
    Plan,
    PlanChange,
    ProgressUpdate,
    Region,
    User,
    WorkItem,
)
from store.regions import PROVINCE

MAX_REASON = 500
MAX_TEXT = 2000


@dataclass(frozen=True)
class Edit:
    """One field of the item (``milestone_id`` None) or of one of its
    milestones: the value wanted, and the value the form showed."""

    field: str
    value: str
    seen: str
    milestone_id: int | None = None


class CorrectionError(Exception):
    """Refused, nothing written: each message says what to do."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


def admin_of(session, account, refusal: str = "只有管理员可以更正计划，未作任何修改。") -> User:
    """The account's user, read again from the store, if an active admin; else CorrectionError(refusal)."""
    user = session.get(User, account.user_id) if account is not None else None
    if user is None or not user.active or user.role != "admin":
        raise CorrectionError([refusal])
    return user


def current_values(session, item: WorkItem) -> dict[tuple[str, int | None], str]:
    """(field, milestone id or None) -> the value as the edit form shows it."""
    values = {("name", None): item.name, ("deadline", None): item.deadline_text or "",
              ("lead", None): _units(item, "lead"), ("coop", None): _units(item, "coop")}
    for m in session.scalars(select(Milestone).where(Milestone.work_item_id == item.id)):
        values[("text", m.id)] = m.text
        values[("due", m.id)] = m.due_text or ""
    return values


def _units(item: WorkItem, role: str) -> str:
    return "、".join(d.department.name for d in sorted(item.departments, key=lambda d: d.position)
                    if d.role == role)


def correct(session, account, item_id: int, edits: list[Edit], reason: str, effective_on: date,
            today: date) -> list[PlanChange]:
    """Apply ``edits`` to work item ``item_id`` as ``account``; the changes
    written (none when nothing differs: no reason needed then).
    CorrectionError: nothing written."""
    user = admin_of(session, account)
    item = session.get(WorkItem, item_id) if isinstance(item_id, int) else None
    if item is None:
        raise CorrectionError(["找不到该工作事项（可能已被重新导入），请刷新页面。"])
    plan = session.get(Plan, item.plan_id)
    problems: list[str] = []
    current = current_values(session, item)
    wanted: list[tuple[Edit, str]] = []
    for edit in edits:
        key = (edit.field, edit.milestone_id)
        if key not in current or edit.field not in FIELD_LABELS:
            problems.append("所改内容不属于该工作事项，请刷新页面。")
            continue
        value = " ".join(str(edit.value or "").split()) if edit.field != "text" else str(edit.value or "").strip()
        if edit.seen != current[key]:
            problems.append(f"「{_label(session, edit)}」已被他人修改（现为“{current[key] or '空'}”），请刷新后再改。")
        elif value != current[key]:
            wanted.append((edit, value))
    if wanted:
        problems += _check_reason_and_date(reason, effective_on, plan, today)
        problems += [p for edit, value in wanted if (p := _invalid(edit, value, plan))]
    if problems:
        raise CorrectionError(problems)
    changes = [_apply(session, item, plan, edit, value, current[(edit.field, edit.milestone_id)])
               for edit, value in wanted]
    changes = [c for group in changes for c in group]
    for change in changes:
        change.effective_on, change.reason, change.changed_by = effective_on, reason.strip(), user.username
        session.add(change)
        record(session, user.username, "plan.correct", _target(session, item, change), "work_item", item.id,
               {FIELD_LABELS[change.field]: change.before},
               {FIELD_LABELS[change.field]: change.after, "原因": change.reason, "生效日期": effective_on.isoformat()})
    session.flush()
    refresh_rollups(session, effective_on, {c.milestone_id for c in changes if c.field == "due"})
    return changes


def cancel_milestone(session, account, milestone_id: int, reason: str, effective_on: date,
                     today: date) -> PlanChange:
    """Cancel a milestone from ``effective_on``: never deleted (its reports
    stay), it is reported cancelled as of that date — open from then on,
    outside every due-by count — and the change is kept, audited, and the
    rollups from then on brought up to date.  CorrectionError: nothing written."""
    user = admin_of(session, account)
    milestone = session.get(Milestone, milestone_id) if isinstance(milestone_id, int) else None
    if milestone is None:
        raise CorrectionError(["找不到该工作节点，请刷新页面。"])
    plan = session.get(Plan, milestone.plan_id)
    problems = _check_reason_and_date(reason, effective_on, plan, today)
    latest = session.scalar(select(ProgressUpdate.state).where(ProgressUpdate.milestone_id == milestone.id)
                            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1))
    if latest == "cancelled":
        problems.append("该节点已取消。")
    if problems:
        raise CorrectionError(problems)
    milestone.report_version += 1  # (a report form loaded before sees the change: reporting.apply)
    session.add(ProgressUpdate(milestone_id=milestone.id, reported_on=effective_on, period=f"{effective_on:%Y-%m}",
                               state="cancelled", note=reason.strip(), reported_by=user.username, origin="plan",
                               version=milestone.report_version))
    change = PlanChange(plan_id=plan.id, work_item_id=milestone.work_item_id, milestone_id=milestone.id,
                        field="cancel", before=PROGRESS_STATES.get(latest, "未报送"), after="取消",
                        effective_on=effective_on, reason=reason.strip(), changed_by=user.username)
    session.add(change)
    item = session.get(WorkItem, milestone.work_item_id)
    record(session, user.username, "plan.correct", _target(session, item, change), "work_item", item.id,
           {"节点": change.before}, {"节点": "取消", "原因": change.reason, "生效日期": effective_on.isoformat()})
    session.flush()
    refresh_rollups(session, effective_on, {milestone.id})
    return change


def _check_reason_and_date(reason: str, effective_on: date, plan: Plan, today: date) -> list[str]:
    problems = []
    if not isinstance(reason, str) or not reason.strip():
        problems.append("请填写更正或调整的原因。")
    elif len(reason.strip()) > MAX_REASON:
        problems.append(f"原因不超过 {MAX_REASON} 字。")
    if not isinstance(effective_on, date) or not plan.issue_date <= effective_on <= today:
        problems.append(f"生效日期应在计划印发日（{plan.issue_date.isoformat()}）至今天之间。")
    return problems


def _invalid(edit: Edit, value: str, plan: Plan) -> str | None:
    """Why ``value`` cannot stand for ``edit.field`` (None if it can)."""
    label = FIELD_LABELS[edit.field]
    if edit.field in ("name", "text", "lead") and not value:
        return f"{label}不能为空。"
    if len(value) > (MAX_TEXT if edit.field == "text" else 200 if edit.field in ("deadline", "due") else 500):
        return f"{label}过长。"
    if edit.field in ("deadline", "due") and parse_due(value, plan.plan_year).precision == UNPARSED:
        return f"无法识别的时间「{value}」：请写明日期，如“2021年6月底前”“2021-06-30”“三季度”，或“持续推进”。"
    return None


def _apply(session, item: WorkItem, plan: Plan, edit: Edit, value: str, before: str) -> list[PlanChange]:
    """Write one edit; the PlanChange rows that record it (a deadline moved
    also moves the due of the milestones that take it as theirs)."""
    base = dict(plan_id=plan.id, work_item_id=item.id, field=edit.field, before=before or None, after=value or None)
    if edit.field == "name":
        item.name = value
    elif edit.field in ("lead", "coop"):
        _set_units(session, item, edit.field, split_units(value))
    elif edit.field == "deadline":
        due = parse_due(value, plan.plan_year)
        item.deadline, item.deadline_text, item.deadline_precision = due.due, value or None, due.precision
        inherited = session.scalars(select(Milestone).where(Milestone.work_item_id == item.id,
                                                            Milestone.due_inherited.is_(True))).all()
        return [PlanChange(**base)] + [_move(plan, item, m, value, due) for m in inherited]
    elif edit.field == "text":
        milestone = session.get(Milestone, edit.milestone_id)
        milestone.text = value
        return [PlanChange(**base, milestone_id=milestone.id)]
    elif edit.field == "due":
        milestone = session.get(Milestone, edit.milestone_id)
        change = _move(plan, item, milestone, value, parse_due(value, plan.plan_year))
        milestone.due_inherited = False
        return [change]
    return [PlanChange(**base)]


def _move(plan: Plan, item: WorkItem, milestone: Milestone, phrase: str, due: Due) -> PlanChange:
    """Set a milestone's due (as the importer reads the phrase); the change
    keeps both dates (the status before it counts reads the old one)."""
    change = PlanChange(plan_id=plan.id, work_item_id=item.id, milestone_id=milestone.id, field="due",
                        before=milestone.due_text, after=phrase or None, due_before=milestone.due,
                        due_after=due.due)
    milestone.due, milestone.due_text, milestone.due_precision, milestone.due_start = (
        due.due, phrase or None, due.precision, due.start)
    return change


def _set_units(session, item: WorkItem, role: str, names: list[str]) -> None:
    """The item's departments of ``role``, in this order (of its city, as the importer files them)."""
    city_id = item.city_id or session.scalar(select(Region.id).where(Region.name == PROVINCE))
    kept = [d for d in item.departments if d.role != role]
    item.departments[:] = kept
    session.flush()
    taken = {d.department_id for d in kept}
    for position, name in enumerate(dict.fromkeys(names), len(kept)):
        dept, _ = department_of(session, name, city_id, item.county_id)
        if dept.id in taken:
            continue  # (a unit cannot both lead and co-operate)
        item.departments.append(ItemDepartment(department_id=dept.id, role=role, position=position))


def _label(session, edit: Edit) -> str:
    """节点2的节点时间 / 完成时间: the field as the form names it."""
    return f"{_where(session, edit.milestone_id)}{FIELD_LABELS.get(edit.field, edit.field)}"


def _where(session, milestone_id: int | None) -> str:
    if milestone_id is None:
        return ""
    return f"节点{session.scalar(select(Milestone.seq).where(Milestone.id == milestone_id))}的"


def _target(session, item: WorkItem, change: PlanChange) -> str:
    return f"{item.name[:40]}：{_where(session, change.milestone_id)}{FIELD_LABELS[change.field]}"
