"""The audit trail as the /audit page and its export show it: newest first,
filtered by who, what kind of write and when (local days)."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from store import session_scope
from store.audit import ACTIONS, as_text
from store.clock import CST, local_text
from store.models import AuditEntry, User

AUDIT_CAP = 2_000


def _utc(day: date) -> datetime:
    """The start of a local day as a stored (naive UTC) timestamp."""
    return datetime.combine(day, time(), CST).astimezone(timezone.utc).replace(tzinfo=None)


def readable(values: str | None) -> str:
    """'{"状态": "已完成", …}' -> '状态：已完成；…' (nothing recorded: blank)."""
    return as_text(json.loads(values)) if values else ""


def audit_rows(actor: str | None = None, action: str | None = None, start: date | None = None,
               end: date | None = None, limit: int = AUDIT_CAP) -> tuple[list[dict], int]:
    """(the newest ``limit`` entries matching, how many match in all)."""
    conditions = []
    if actor:
        conditions.append(AuditEntry.actor == actor)
    if action:
        conditions.append(AuditEntry.action == action)
    if start:
        conditions.append(AuditEntry.at >= _utc(start))
    if end:
        conditions.append(AuditEntry.at < _utc(end + timedelta(days=1)))
    with session_scope() as s:
        total = s.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
        names = dict(s.execute(select(User.username, User.display_name)).all())
        entries = s.scalars(select(AuditEntry).where(*conditions)
                            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
        rows = [{"id": e.id, "at": local_text(e.at), "actor": e.actor,
                 "actor_name": names.get(e.actor, e.actor), "action": e.action,
                 "action_label": ACTIONS.get(e.action, e.action), "target": e.target,
                 "before": readable(e.before), "after": readable(e.after)} for e in entries]
    return rows, total


def actors() -> list[str]:
    with session_scope() as s:
        return list(s.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))
