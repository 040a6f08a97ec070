"""Correct or adjust an indicator's definition — unit, baseline, target,
direction, 约束性/预期性 — in one transaction, or nothing.

As with a work item (corrections.apply): only an admin, a reason, a date the
change counts from (the plan's issue date for an import error, today for an
adjustment), the value the form showed compared with the store's, and each
change kept (IndicatorChange) and audited.  An indicator as of an earlier date
is still judged and shown as it stood (queries.indicator_changes); the stored
judgements from the change's date on are brought up to date here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from corrections.apply import CorrectionError, admin_of, check_reason_and_date
from queries.indicator_changes import DIRECTION_LABELS
from queries.indicator_status import refresh_indicator_rollup
from reporting.entries import Reader, normalised
from store.audit import record
from store.models import INDICATOR_COLUMNS, INDICATOR_FIELDS, Indicator, IndicatorChange, Plan

ATTRIBUTES = ("约束性", "预期性")
SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}  # a comparator as the target's text writes it


@dataclass(frozen=True)
class IndicatorEdit:
    """One field of the indicator: the value wanted, and the value the form showed."""

    field: str
    value: str
    seen: str


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def shown_values(indicator: Indicator) -> dict[str, str]:
    """field -> the value as the edit form shows it."""
    return {"unit": indicator.unit or "", "baseline": _figure(indicator.baseline),
            "target": _figure(indicator.target), "direction": indicator.direction, "attribute": indicator.attribute or ""}


def correct_indicator(session, account, indicator_id: int, edits: list[IndicatorEdit], reason: str,
                      effective_on: date, today: date) -> list[IndicatorChange]:
    """Apply ``edits`` to indicator ``indicator_id`` as ``account``; the changes
    written (none when nothing differs).  CorrectionError: nothing written."""
    user = admin_of(session, account)
    indicator = session.get(Indicator, indicator_id) if isinstance(indicator_id, int) else None
    if indicator is None:
        raise CorrectionError(["找不到该指标（可能已被重新导入），请刷新页面。"])
    plan = session.get(Plan, indicator.plan_id)
    current, problems, wanted = shown_values(indicator), [], []
    for edit in edits:
        if edit.field not in current:
            problems.append("所改内容不属于该指标，请刷新页面。")
            continue
        value = " ".join(normalised(edit.value).split())
        if edit.seen != current[edit.field]:
            problems.append(f"「{INDICATOR_FIELDS[edit.field]}」已被他人修改（现为“{current[edit.field] or '空'}”），"
                            "请刷新后再改。")
        elif value != current[edit.field]:
            wanted.append((edit.field, value))
    if wanted:
        problems += check_reason_and_date(reason, effective_on, plan, today)
        problems += [p for name, value in wanted if (p := _invalid(indicator, name, value))]
    if problems:
        raise CorrectionError(problems)
    changes = []
    for name, value in wanted:
        before = {column: getattr(indicator, column) for column in INDICATOR_COLUMNS[name]}
        _set(indicator, name, value, {n: v for n, v in wanted})
        after = {column: getattr(indicator, column) for column in INDICATOR_COLUMNS[name]}
        change = IndicatorChange(plan_id=plan.id, indicator_id=indicator.id, field=name, before=json.dumps(
            before, ensure_ascii=False), after=json.dumps(after, ensure_ascii=False), effective_on=effective_on,
            reason=reason.strip(), changed_by=user.username)
        session.add(change)
        changes.append(change)
        record(session, user.username, "indicator.correct", f"{indicator.name[:40]}：{INDICATOR_FIELDS[name]}",
               "indicator", indicator.id, {INDICATOR_FIELDS[name]: current[name]},
               {INDICATOR_FIELDS[name]: value, "原因": reason.strip(), "生效日期": effective_on.isoformat()})
    session.flush()
    if changes:
        refresh_indicator_rollup(session, effective_on, {indicator.id})
    return changes


def _number(value: str) -> tuple[float | None, bool]:
    """(the number, whether ``value`` is one: blank is None)."""
    reader = Reader("指标")
    number, unit = reader.number(value, None, None)
    return number, not reader.problems and not unit


def _invalid(indicator: Indicator, name: str, value: str) -> str | None:
    label = INDICATOR_FIELDS[name]
    if name == "unit":
        return "单位不超过 20 个字。" if len(value) > 20 else None
    if name in ("baseline", "target"):
        if indicator.qualitative and name == "target":
            return "定性指标没有目标值。"
        number, ok = _number(value)
        if not ok:
            return f"{label}应为数值（不带单位），如 95 或 1600。"
        if name == "target" and number is None:
            return "目标值不能为空。"
        return None
    if name == "direction":
        return None if value in DIRECTION_LABELS else "方向应为越高越好或越低越好。"
    return None if value in ("", *ATTRIBUTES) else "属性应为约束性、预期性或不填。"


def _set(indicator: Indicator, name: str, value: str, wanted: dict[str, str]) -> None:
    """Set ``name``, and the baseline's and target's text as a person writes
    them when their number or the unit changes."""
    if name in ("baseline", "target"):
        setattr(indicator, name, _number(value)[0])
    else:
        setattr(indicator, name, value or (None if name != "direction" else indicator.direction))
    if name in ("baseline", "unit"):
        indicator.baseline_text = _written(indicator.baseline, wanted.get("unit", indicator.unit or "")) or None
    if name in ("target", "unit") and indicator.target is not None:
        unit = wanted.get("unit", indicator.unit or "")
        indicator.target_text = f"{SIGNS.get(indicator.comparator, '')}{_written(indicator.target, unit)}" \
            if indicator.target_max is None else f"{_figure(indicator.target)}–{_written(indicator.target_max, unit)}"


def _written(value: float | None, unit: str) -> str:
    return "" if value is None else _figure(value) + unit
