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

from sqlalchemy import func, select

from importers.dates import UNPARSED, Due, parse_due
from importers.loader import department_of
from importers.text import split_units
from queries.rollup import drop_all, refresh_rollups
from reporting.entries import whole_number
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
from store.plan_period import planned_end
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


@dataclass(frozen=True)
class NewMilestone:
    """A milestone the admin adds to the item: its work and its time as written."""

    text: str
    due_text: str


CANCELLED = "取消"  # the edit form's value of a cancelled milestone's 取消 field


def current_values(session, item: WorkItem) -> dict[tuple[str, int | None], str]:
    """(field, milestone id or None) -> the value as the edit form shows it."""
    county = session.get(Region, item.county_id).name if item.county_id else ""
    values = {("name", None): item.name, ("county", None): county, ("deadline", None): item.deadline_text or "",
              ("lead", None): _units(item, "lead"), ("coop", None): _units(item, "coop")}
    milestones = session.scalars(select(Milestone).where(Milestone.work_item_id == item.id)).all()
    for m in milestones:
        values[("text", m.id)] = m.text
        values[("due", m.id)] = m.due_text or ""
        values[("seq", m.id)] = str(m.seq)
        values[("cancel", m.id)] = CANCELLED if _latest_state(session, m.id) == "cancelled" else ""
    return values


def _latest_state(session, milestone_id: int) -> str | None:
    return session.scalar(select(ProgressUpdate.state).where(ProgressUpdate.milestone_id == milestone_id)
                          .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1))


def _units(item: WorkItem, role: str) -> str:
    return "、".join(d.department.name for d in sorted(item.departments, key=lambda d: d.position)
                    if d.role == role)


def correct(session, account, item_id: int, edits: list[Edit], reason: str, effective_on: date,
            today: date, added: NewMilestone | None = None, keeps_score: bool = False,
            request_id: int | None = None) -> list[PlanChange]:
    """Apply ``edits`` (and add the milestone ``added``) to work item
    ``item_id`` as ``account``; the changes written (none when nothing
    differs: no reason needed then).  ``keeps_score``: the changes of a due
    and cancellations are 不影响考核 (queries.kept_deadlines).
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
    added = added if added is not None and (added.text.strip() or added.due_text.strip()) else None
    if wanted or added:
        problems += check_reason_and_date(reason, effective_on, plan, today)
        problems += [p for edit, value in wanted if (p := _invalid(edit, value, plan))]
        problems += [p for edit, value in wanted if edit.field == "county" and (p := _county_problem(session, item, value))]
        problems += [p for edit, _ in wanted if edit.field == "cancel"
                     and (p := _cancel_problem(session, edit.milestone_id, effective_on))]
        problems += _order_problems(session, item, wanted) + (_new_problems(added, plan, current, edits) if added else [])
    if problems:
        raise CorrectionError(problems)
    changes = [_apply(session, item, plan, edit, value, current[(edit.field, edit.milestone_id)], user,
                      effective_on, reason.strip()) for edit, value in wanted]
    changes = [c for group in changes for c in group] + ([_add(session, item, plan, added, effective_on)]
                                                          if added else [])
    for change in changes:
        change.effective_on, change.reason, change.changed_by = effective_on, reason.strip(), user.username
        change.keeps_score, change.request_id = keeps_score and change.field in ("due", "cancel"), request_id
        session.add(change)
        record(session, user.username, "plan.correct", _target(session, item, change), "work_item", item.id,
               {FIELD_LABELS[change.field]: change.before},
               {FIELD_LABELS[change.field]: change.after, "原因": change.reason, "生效日期": effective_on.isoformat(),
                **({"不影响考核": "是"} if change.keeps_score else {})})
    session.flush()
    if changes and plan.period_set_by is None:  # a due moved past the plan's end keeps the plan in force
        plan.period_end = planned_end(session, plan.id, plan.plan_year, plan.issue_date)
    if any(c.field in ("add", "seq", "county") for c in changes):
        drop_all(session)  # the table's rows or their order changed: every stored date is built again
    else:
        refresh_rollups(session, effective_on, {c.milestone_id for c in changes if c.field in ("due", "cancel")})
    return changes


def cancel_milestone(session, account, milestone_id: int, reason: str, effective_on: date,
                     today: date, keeps_score: bool = False, request_id: int | None = None) -> PlanChange:
    """Cancel a milestone from ``effective_on`` (an Edit of its 取消 field:
    see _cancel).  CorrectionError: nothing written."""
    admin_of(session, account)
    milestone = session.get(Milestone, milestone_id) if isinstance(milestone_id, int) else None
    if milestone is None:
        raise CorrectionError(["找不到该工作节点，请刷新页面。"])
    if _latest_state(session, milestone.id) == "cancelled":
        raise CorrectionError(["该节点已取消。"])
    [change] = correct(session, account, milestone.work_item_id, [Edit("cancel", CANCELLED, "", milestone.id)],
                       reason, effective_on, today, keeps_score=keeps_score, request_id=request_id)
    return change


def _cancel(session, user: User, milestone: Milestone, effective_on: date, reason: str) -> PlanChange:
    """Never deleted (its reports stay): the milestone is reported cancelled as
    of ``effective_on`` — open from then on, outside every due-by count."""
    latest = _latest_state(session, milestone.id)
    milestone.report_version += 1  # (a report form loaded before sees the change: reporting.apply)
    session.add(ProgressUpdate(milestone_id=milestone.id, reported_on=effective_on, period=f"{effective_on:%Y-%m}",
                               state="cancelled", note=reason, reported_by=user.username, origin="plan",
                               version=milestone.report_version))
    return PlanChange(plan_id=milestone.plan_id, work_item_id=milestone.work_item_id, milestone_id=milestone.id,
                      field="cancel", before=PROGRESS_STATES.get(latest, "未报送"), after=CANCELLED)


def check_reason_and_date(reason: str, effective_on: date, plan: Plan, today: date) -> list[str]:
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
    if edit.field == "cancel":
        return None if value == CANCELLED else "已取消的节点不能恢复；如需继续该项工作，请新增节点。"
    if edit.field == "seq":
        return None if whole_number(value, 1000) else "节点序号应为 1 至 999 的整数。"
    if edit.field in ("name", "text", "lead") and not value:
        return f"{label}不能为空。"
    if len(value) > (MAX_TEXT if edit.field == "text" else 200 if edit.field in ("deadline", "due") else 500):
        return f"{label}过长。"
    if edit.field in ("deadline", "due") and parse_due(value, plan.plan_year).precision == UNPARSED:
        return f"无法识别的时间「{value}」：请写明日期，如“2021年6月底前”“2021-06-30”“三季度”，或“持续推进”。"
    return None


def county_names(session, item: WorkItem) -> list[str]:
    """The county-level areas the item may lie in: its city's."""
    if item.city_id is None:
        return []
    return list(session.scalars(select(Region.name).where(Region.parent_id == item.city_id, Region.level == "county")
                                .order_by(Region.sort_order, Region.id)))


def _cancel_problem(session, milestone_id: int, effective_on) -> str | None:
    """A cancellation counts from a date no report of the milestone comes after
    (a later report would stand over it)."""
    last = session.scalar(select(func.max(ProgressUpdate.reported_on)).where(ProgressUpdate.milestone_id == milestone_id))
    if last is not None and isinstance(effective_on, date) and effective_on < last:
        return f"该节点在{last.isoformat()}还有报送：取消的生效日期不能早于最近一次报送。"
    return None


def _county_problem(session, item: WorkItem, value: str) -> str | None:
    if value and value not in county_names(session, item):
        return f"「{value[:20]}」不是该事项所在地市的县（市、区）；不属于某一县（市、区）的留空。"
    return None


def _order_problems(session, item: WorkItem, wanted: list[tuple[Edit, str]]) -> list[str]:
    """A milestone renumbered may not take the number of another under the same
    sub-scene (each sub-scene numbers its own from 1) once the edits are made."""
    moved = {edit.milestone_id: whole_number(value, 1000) for edit, value in wanted if edit.field == "seq"}
    if not moved or None in moved.values():
        return []  # (a number that is not one is refused by _invalid)
    rows = session.execute(select(Milestone.id, Milestone.sub_item_id, Milestone.seq)
                           .where(Milestone.work_item_id == item.id)).all()
    place = {ms: (sub, moved.get(ms, seq)) for ms, sub, seq in rows}
    taken = [place[ms] for ms in place]
    return ["节点序号重复：同一场景（子场景）下每个节点一个序号。"] if any(
        taken.count(place[ms]) > 1 for ms in moved if ms in place) else []


def _new_problems(added: NewMilestone, plan: Plan, current: dict, edits: list[Edit]) -> list[str]:
    """What stops adding ``added``; the form must have shown every milestone
    the item has (a second click, or another admin's addition, is refused)."""
    if {e.milestone_id for e in edits if e.milestone_id} != {ms for _field, ms in current if ms}:
        return ["该事项的节点已有变化（可能刚刚新增过），请刷新页面后再新增。"]
    return [p for p in (_invalid(Edit("text", "", ""), added.text.strip(), plan),
                        _invalid(Edit("due", "", ""), " ".join(added.due_text.split()), plan)) if p]


def _add(session, item: WorkItem, plan: Plan, added: NewMilestone, effective_on: date) -> PlanChange:
    """A milestone added to the item, last in its order, counting from
    ``effective_on`` (queries.status.in_plan); a later import of the plan's
    file keeps it (importers.loader)."""
    phrase = " ".join(added.due_text.split())
    due = parse_due(phrase, plan.plan_year)
    seq = (session.scalar(select(func.max(Milestone.seq)).where(Milestone.work_item_id == item.id)) or 0) + 1
    taken = set(session.scalars(select(Milestone.key).where(Milestone.plan_id == plan.id)))
    key = next(k for n in range(seq, seq + 1000) if (k := f"{item.key}#新增{n}") not in taken)
    milestone = Milestone(plan_id=plan.id, key=key, work_item_id=item.id, seq=seq, text=added.text.strip(),
                          due=due.due, due_text=phrase or None, due_precision=due.precision, due_start=due.start,
                          added_on=effective_on)
    session.add(milestone)
    session.flush()
    return PlanChange(plan_id=plan.id, work_item_id=item.id, milestone_id=milestone.id, field="add", before=None,
                      after=f"节点{seq}：{milestone.text}（{phrase or '无时限'}）", due_after=due.due)


def _apply(session, item: WorkItem, plan: Plan, edit: Edit, value: str, before: str, user: User,
           effective_on: date, reason: str) -> list[PlanChange]:
    """Write one edit; the PlanChange rows that record it (a deadline moved
    also moves the due of the milestones that take it as theirs)."""
    base = dict(plan_id=plan.id, work_item_id=item.id, field=edit.field, before=before or None, after=value or None)
    if edit.field == "cancel":
        return [_cancel(session, user, session.get(Milestone, edit.milestone_id), effective_on, reason)]
    if edit.field == "seq":
        session.get(Milestone, edit.milestone_id).seq = int(value)
        return [PlanChange(**base, milestone_id=edit.milestone_id)]
    if edit.field == "name":
        item.name = value
    elif edit.field == "county":  # where the item is: a correction every date sees (the groups are built again)
        item.county_id = session.scalar(select(Region.id).where(
            Region.name == value, Region.level == "county", Region.parent_id == item.city_id)) if value else None
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
