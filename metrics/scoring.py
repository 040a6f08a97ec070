"""The annual assessment scorecard (DESIGN §7), pure functions.

Each city's score (0–100) is the weighted sum of four rates — 按时完成率,
进度完成率, KPI attainment, reporting timeliness — minus a deduction per overdue
milestone (capped), plus bonus items an admin recorded (capped).  A component
with nothing to measure (a zero denominator: no indicator, no report due) does
not count, and its weight goes to the others in proportion, so that a city is
neither rewarded nor punished for what it was not given to do.  Ranks: higher
total first, ties broken by fewer overdue days; still equal, equal rank.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

COMPONENTS = {  # key: label
    "on_time": "按时完成率",
    "progress": "进度完成率",
    "kpi": "指标达成度",
    "timeliness": "报送及时率",
}
DEFAULT_WEIGHTS = {"on_time": 40.0, "progress": 30.0, "kpi": 20.0, "timeliness": 10.0}


@dataclass(frozen=True)
class Rules:
    """The weights and rules a score is computed with (stored with each published result)."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    overdue_deduction: float = 0.5  # points per milestone overdue on the assessment date
    deduction_cap: float = 10.0
    bonus_cap: float = 5.0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Rules":
        return cls(weights={k: float(data["weights"][k]) for k in COMPONENTS},
                   overdue_deduction=float(data["overdue_deduction"]),
                   deduction_cap=float(data["deduction_cap"]), bonus_cap=float(data["bonus_cap"]))


RULE_LABELS = {"overdue_deduction": "每个逾期节点扣分", "deduction_cap": "逾期扣分上限", "bonus_cap": "加分上限"}


def check_rules(values: dict) -> tuple[Rules | None, list[str]]:
    """Rules from what an admin entered, or the problems with it (weights are
    numbers ≥ 0 summing to 100; the deduction and the caps are numbers ≥ 0)."""
    problems = []

    def number(label: str, raw) -> float | None:
        try:
            value = float(raw) if not isinstance(raw, bool) else None
        except (TypeError, ValueError, OverflowError):
            value = None
        if value is None:
            problems.append(f"{label}须为数字")
            return None
        if value != value or value in (float("inf"), float("-inf")) or value < 0 or value > 100:
            problems.append(f"{label}须在0到100之间")
            return None
        return value

    weights = {k: number(f"{label}权重", (values.get("weights") or {}).get(k)) for k, label in COMPONENTS.items()}
    others = {k: number(label, values.get(k)) for k, label in RULE_LABELS.items()}
    if not problems and abs(sum(weights.values()) - 100) > 1e-6:
        problems.append(f"各项权重之和须为100（现为{sum(weights.values()):g}）")
    if problems:
        return None, problems
    return Rules(weights=weights, **others), []


@dataclass(frozen=True)
class Figures:
    """A city's raw figures for the year: each component's numerator and denominator."""

    city: str
    on_time: tuple[float, int]  # milestones done on time, milestones due by the date
    progress: tuple[float, int]  # milestones done among those due, milestones due
    kpi: tuple[float, int]  # sum of capped attainments, indicators assessed
    timeliness: tuple[float, int]  # monthly reports in on time, reports due
    overdue: int
    overdue_days: int
    bonus: float = 0.0  # the admin's bonus items, summed


def score(f: Figures, rules: Rules) -> dict:
    """One city's breakdown: each component's rate, effective weight and points;
    the deduction, the bonus and the total."""
    measured = {k: getattr(f, k) for k in COMPONENTS if getattr(f, k)[1] > 0}
    weight_measured = sum(rules.weights[k] for k in measured)
    scale = 100 / weight_measured if weight_measured else 0.0
    components = {}
    for key in COMPONENTS:
        num, den = getattr(f, key)
        rate = num / den if den else None
        weight = rules.weights[key] * scale if key in measured else 0.0
        components[key] = {"num": num, "den": den, "rate": rate, "weight": rules.weights[key],
                           "effective_weight": weight, "points": weight * rate if rate is not None else 0.0}
    deduction = min(rules.deduction_cap, rules.overdue_deduction * f.overdue)
    bonus = min(rules.bonus_cap, f.bonus)
    base = sum(c["points"] for c in components.values())
    return {"city": f.city, "components": components, "base": base, "overdue": f.overdue,
            "overdue_days": f.overdue_days, "deduction": deduction, "bonus_recorded": f.bonus, "bonus": bonus,
            "total": min(100.0, max(0.0, base - deduction + bonus))}


def ranked(breakdowns: list[dict]) -> list[dict]:
    """Best first (total, then fewer overdue days), each with its rank (1, 2, 2, 4 for
    ties, which keep the order given: the province's order of cities)."""
    order = sorted(breakdowns, key=lambda b: (-round(b["total"], 6), b["overdue_days"]))
    out = []
    for i, b in enumerate(order):
        tied = out and (round(out[-1]["total"], 6), out[-1]["overdue_days"]) == (round(b["total"], 6),
                                                                               b["overdue_days"])
        out.append({**b, "rank": out[-1]["rank"] if tied else i + 1})
    return out
