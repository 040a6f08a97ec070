"""进度计划（甘特图）: the work items of a plan, a city or a department over time —
each from its start (its plan's period start, else its issue date) to its
deadline (else its last milestone's), its milestones with their due dates and
their status as of the view's date (the status table's rows: one definition),
grouped by city or by lead department."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from queries.status import Filters
from queries.status_table import status_rows
from store import session_scope
from store.models import Plan

MAX_MILESTONES = 3000  # read for one schedule (a plan's, a city's, a department's: far fewer)
GROUPS = {"city": "按地市", "department": "按牵头部门"}


def schedule(as_of: date, filters: Filters, group: str) -> dict:
    """{"items": [item, …] in group order, "cut": whether MAX_MILESTONES cut it}: an item
    is its group, id, label, plan, start, end (ISO dates) and its milestones."""
    with session_scope() as s:
        rows = status_rows(s, as_of, filters, current_app.config["DUE_SOON_DAYS"], limit=MAX_MILESTONES + 1)
        starts = {key: (start or issued) for key, start, issued in s.execute(
            select(Plan.key, Plan.period_start, Plan.issue_date)).all()}
    cut = len(rows) > MAX_MILESTONES
    items: dict[int, dict] = {}
    for r in rows[:MAX_MILESTONES]:
        item = items.setdefault(r["item_id"], {
            "group": group_of(r, group), "item_id": r["item_id"], "plan": r["plan"],
            "label": r["item"] + (f"（{r['county']}）" if r["county"] else "")
                     + (f"（{r['city']}）" if group == "department" and r["city"] and not r["county"] else ""),
            "start": starts.get(r["plan_key"]).isoformat() if starts.get(r["plan_key"]) else None,
            "deadline": r["deadline"], "milestones": []})
        item["milestones"].append({"seq": r["seq"], "text": r["milestone"], "due": r["due"], "status": r["status"],
                                   "milestone_id": r["milestone_id"], "lead": "、".join(r["lead"])})
    for item in items.values():
        dues = [m["due"] for m in item["milestones"] if m["due"]]
        item["end"] = item["deadline"] or (max(dues) if dues else None)
        if item["start"] and item["end"] and item["start"] > item["end"]:
            item["start"] = min(dues) if dues else item["end"]
    ordered = sorted(items.values(), key=lambda i: (i["group"] == "—", i["group"], i["start"] or "", i["item_id"]))
    return {"items": ordered, "cut": cut}


def group_of(row: dict, group: str) -> str:
    if group == "department":
        return row["lead"][0] if row["lead"] else "—"
    return row["city"] or "省级"


def table_rows(items: list[dict]) -> list[dict]:
    """The schedule as a table (one row per milestone), for the grid and its export."""
    return [{"group": i["group"], "item": i["label"], "item_id": i["item_id"], "plan": i["plan"],
             "start": i["start"], "end": i["end"], "seq": m["seq"], "milestone": m["text"], "due": m["due"],
             "status": m["status"], "lead": m["lead"]}
            for i in items for m in i["milestones"]]
