"""The assessment's writes: new rules, bonus items, publishing a year's result.

Only an admin may make them; each function checks the account it is given (the
logged-in one, read on the server), validates what it is given, writes in the
caller's transaction and leaves an audit row.  A published result is frozen:
it carries the rules and the breakdowns it was computed with.
"""
from __future__ import annotations

import json
import math
from datetime import date

from sqlalchemy import select

from metrics.scoring import COMPONENTS, RULE_LABELS, Rules, check_rules
from store.audit import record
from store.models import AssessmentBonus, AssessmentResult, AssessmentRules, Region, utcnow

MAX_REASON = 500


class AssessmentError(ValueError):
    """Refused: the message says why, in Chinese, for the page or the CLI."""


def require_admin(account) -> None:
    if account is None or account.role != "admin":
        raise AssessmentError("只有管理员可以修改考核规则、加分项和发布考核结果，未作任何修改。")


def save_rules(session, account, values: dict) -> Rules:
    """A new version of the rules (checked: weights sum to 100, values within 0–100)."""
    require_admin(account)
    rules, problems = check_rules(values)
    if problems:
        raise AssessmentError("；".join(problems))
    session.add(AssessmentRules(rules=json.dumps(rules.as_dict()), created_by=account.username))
    record(session, account.username, "assessment.rules", "年度考核规则", after=_rules_text(rules))
    return rules


def _rules_text(rules: Rules) -> dict:
    return {**{f"{label}权重": rules.weights[k] for k, label in COMPONENTS.items()},
            **{label: getattr(rules, k) for k, label in RULE_LABELS.items()}}


def add_bonus(session, account, year, city: str, points, reason) -> AssessmentBonus:
    """A bonus item for a city's year: points > 0 (at most 100), a reason."""
    require_admin(account)
    city_id = session.scalar(select(Region.id).where(Region.name == city, Region.level == "city")) \
        if isinstance(city, str) else None
    try:
        value = float(points)
    except (TypeError, ValueError, OverflowError):
        value = math.nan
    reason = reason.strip() if isinstance(reason, str) else ""
    problems = [message for bad, message in (
        (not isinstance(year, int) or not 2000 <= year <= 2100, "年度无效"),
        (city_id is None, "请选择地市"),
        (not (0 < value <= 100), "加分须为大于0、不超过100的数字"),
        (not reason, "请填写加分理由"),
        (len(reason) > MAX_REASON, f"加分理由不超过{MAX_REASON}字"),
        (reason.startswith(("=", "+", "-", "@")), "加分理由不能以 = + - @ 开头"),
    ) if bad]
    if problems:
        raise AssessmentError("；".join(problems))
    bonus = AssessmentBonus(year=year, city_id=city_id, points=value, reason=reason, created_by=account.username)
    session.add(bonus)
    session.flush()
    record(session, account.username, "assessment.bonus", f"{year}年度 {city}市", "assessment_bonus", bonus.id,
           after={"加分": value, "理由": reason})
    return bonus


def withdraw_bonus(session, account, bonus_id) -> None:
    """Withdraw a bonus item: it stays on record and no longer counts."""
    require_admin(account)
    bonus = session.get(AssessmentBonus, bonus_id) if isinstance(bonus_id, int) else None
    if bonus is None or bonus.withdrawn_at is not None:
        raise AssessmentError("该加分项不存在或已撤销")
    bonus.withdrawn_by, bonus.withdrawn_at = account.username, utcnow()
    record(session, account.username, "assessment.withdraw", f"{bonus.year}年度加分项", "assessment_bonus",
           bonus.id, before={"加分": bonus.points, "理由": bonus.reason})


def publish(session, account, year: int, as_of: date, card: dict, note: str | None = None) -> AssessmentResult:
    """Freeze ``card`` (queries.assessment.scorecard) as the final result of ``year``."""
    require_admin(account)
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > MAX_REASON:
        raise AssessmentError(f"说明不超过{MAX_REASON}字")
    if not card["cities"]:
        raise AssessmentError(f"{year}年度没有可考核的地市")
    result = AssessmentResult(year=year, as_of=as_of, rules=json.dumps(card["rules"], ensure_ascii=False),
                              scores=json.dumps(card["cities"], ensure_ascii=False), note=note or None,
                              published_by=account.username)
    session.add(result)
    session.flush()
    record(session, account.username, "assessment.publish", f"{year}年度考核结果", "assessment_result", result.id,
           after={"考核截至": as_of.isoformat(), "第一名": card["cities"][0]["city"], "说明": note})
    return result
