"""An indicator as it stood on a date: a change of its definition made in the
app (corrections.indicators) counts from its date, so a date before it is
judged and shown with the values before — what ``due_then`` is to a
milestone's due (queries.status)."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from queries.aliases import CITY
from store.models import INDICATOR_FIELDS, Indicator, IndicatorChange


DIRECTION_LABELS = {"higher": "越高越好", "lower": "越低越好"}


def definitions_then(session, as_of: date, ids: set[int] | None = None) -> dict[int, dict]:
    """indicator id -> the columns whose value on ``as_of`` is not the stored
    one (a change counting from a later date), each as it stood then: the
    value before the first such change.  Few rows: the admin's changes."""
    c = IndicatorChange
    stmt = select(c.indicator_id, c.before).where(c.effective_on > as_of).order_by(c.effective_on.desc(), c.id.desc())
    if ids is not None:
        stmt = stmt.where(c.indicator_id.in_(ids))
    then: dict[int, dict] = {}
    for indicator_id, before in session.execute(stmt):  # latest first: the first change's value is set last
        then.setdefault(indicator_id, {}).update(json.loads(before))
    return then


def as_then(row, then: dict[int, dict], key: str = "id"):
    """A row of indicator columns as it stood (``then``: definitions_then);
    the row itself when nothing changed since (most rows: no copy)."""
    changed = then.get(row[key])
    return row if changed is None else {**row, **changed}


def plan_indicator_rows(session, plan_id: int) -> list[dict]:
    """A plan's indicators as they stand, for its admin page (each links to its edit page)."""
    i, city = Indicator, CITY
    stmt = (select(i.id, i.name, i.unit, i.baseline_text, i.target_text, i.attribute, i.direction,
                   city.name.label("city"))
            .outerjoin(city, city.id == i.city_id).where(i.plan_id == plan_id).order_by(i.id))
    return [{"indicator_id": r.id, "name": r.name, "city": r.city or "全省", "unit": r.unit or "",
             "baseline": r.baseline_text or "", "target": r.target_text or "", "attribute": r.attribute or "",
             "direction": DIRECTION_LABELS.get(r.direction, r.direction), "edit": "更正或调整"}
            for r in session.execute(stmt)]


def change_rows(session, indicator_ids: list[int]) -> list[dict]:
    """The changes of these indicators, newest first, as the pages list them."""
    c = IndicatorChange
    stmt = select(c).where(c.indicator_id.in_(indicator_ids)).order_by(c.effective_on.desc(), c.id.desc())
    return [{"indicator_id": ch.indicator_id, "field": INDICATOR_FIELDS[ch.field],
             "before": shown_value(ch.before), "after": shown_value(ch.after), "effective_on": ch.effective_on.isoformat(),
             "reason": ch.reason, "changed_by": ch.changed_by} for ch in session.scalars(stmt)]


def shown_value(columns: str | None) -> str:
    """The value as a person reads it: a number's text as written, else the value."""
    values = json.loads(columns or "{}")
    text = values.get("baseline_text", values.get("target_text"))
    value = text if text is not None else next(iter(values.values()), None)
    return DIRECTION_LABELS.get(value, value) if value is not None else "空"
