"""督办单: one page the office sends a lagging department or city — its overdue
and due-soon milestones (the overdue page's own rows for that scope, worst
first: plan, item, milestone, due, days overdue, latest progress), the date
to reply by, and a signature block to sign and return."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from notices.urge import unit_name
from outputs.layout import RIGHT, heading, new_document, paragraph, saved, table, title
from queries.overdue import worst_rows
from queries.status_table import status_rows
from store import clock
from store.models import Urge, UrgeMilestone

SHORT = {"due_soon": "临期", "not_due": "未到期", "done_on_time": "已完成", "done_late": "已完成",
         "pending": "待审核", "cancelled": "已取消"}  # the 逾期天数 column of what is not overdue

LISTED = 200  # milestones on one 督办单
READ = 10_000  # milestones counted (a 督办单 lists the first LISTED)
REPLY_DAYS = 7  # the reply-by date by default: a week after it is written


class NothingToChase(ValueError):
    """A 督办单 of nothing: the unit has no overdue or due-soon milestone."""


def letter_for_view(view, reply_by: date | None = None) -> tuple[bytes, str]:
    """The 督办单 of a page's view (components.filters.View: its city, and
    department if one; its plans and date): its overdue and due-soon milestones
    as the overdue page lists them; (the .docx, its file name).  ValueError
    without a city (a department is a city's); NothingToChase."""
    f = view.filters
    if not f.city:
        raise ValueError("city: 督办单发给一个地市或地市的一个部门，请先选择地市")
    rows = worst_rows(view.as_of, replace(f, statuses=("overdue", "due_soon")), None, READ)
    unit = " · ".join(x for x in (f"{f.city}市", f.department) if x)
    if not rows:
        raise NothingToChase(f"{unit}截至{view.as_of}没有逾期或临期的节点，无需督办")
    reply_by = reply_by or clock.today() + timedelta(days=REPLY_DAYS)
    return urge_letter_docx(unit, rows, view.as_of, reply_by), file_name(unit, view.as_of)


def letter_for_urge(session, urge: Urge) -> tuple[bytes, str]:
    """The 督办单 that goes with a 催办: its milestones as they stood on the day
    it was sent (worst first), to its unit, with its reply-by date."""
    sent_on = clock.local(urge.sent_at).date()
    ids = set(session.scalars(select(UrgeMilestone.milestone_id).where(UrgeMilestone.urge_id == urge.id)))
    rows = status_rows(session, sent_on, due_soon_days=current_app.config["DUE_SOON_DAYS"], milestones=ids)
    rows.sort(key=lambda r: (r["status"] != "overdue", -(r["days_overdue"] or 0), r["due"] or "9999"))
    unit = unit_name(session, urge.city_id, urge.department_id)
    return urge_letter_docx(unit, rows, sent_on, urge.reply_by), file_name(unit, sent_on)


def urge_letter_docx(unit: str, rows: list[dict], as_of: date, reply_by: date) -> bytes:
    """The 督办单 for ``unit`` ('杭州市 · 市发展改革委') over ``rows`` (queries.overdue.worst_rows)."""
    doc = new_document()
    title(doc, "信用应用场景推进督办单")
    count = Counter(r["status"] for r in rows)
    others = len(rows) - count["overdue"] - count["due_soon"]
    paragraph(doc, f"{unit}：")
    paragraph(doc, (f"截至{as_of.year}年{as_of.month}月{as_of.day}日，涉及你单位的信用应用场景工作节点中，逾期未完成 "
                    f"{count['overdue']} 个、临期 {count['due_soon']} 个" + (f"、其他 {others} 个" if others else "") +
                    "（见下表）。请对照计划抓紧推进，于"
                    f"{reply_by.year}年{reply_by.month}月{reply_by.day}日前在监测平台报送进展和佐证材料，"
                    "并将整改情况书面反馈省信用办。"), indent=True)
    heading(doc, "逾期和临期节点")
    table(doc, ["序号", "计划", "工作事项", "工作节点", "节点时限", "逾期天数", "最新进展"],
          [[str(n), r["plan"], r["item"], r["milestone"], r["due"] or r["due_text"] or "—",
            str(r["days_overdue"]) if r["status"] == "overdue" else SHORT.get(r["status"], "—"), _latest(r)]
           for n, r in enumerate(rows[:LISTED], start=1)],
          (1.5, 4.6, 4.2, 7.2, 3.2, 2.3, 7.2), size=10.5)
    if len(rows) > LISTED:
        paragraph(doc, f"（另有 {len(rows) - LISTED} 个节点，见监测平台“逾期与临期”页。）", indent=True)
    paragraph(doc, "督办单位：浙江省信用办（盖章）", align=RIGHT)
    paragraph(doc, f"{as_of.year}年{as_of.month}月{as_of.day}日", align=RIGHT, space_after=8)
    paragraph(doc, "签收人：              联系电话：              签收日期：", size=14)
    return saved(doc)


def _latest(r: dict) -> str:
    note = r.get("last_note")
    return f"{note}（{r['last_reported_on']}）" if note and r.get("last_reported_on") else "未报送"


def file_name(unit: str, as_of: date) -> str:
    return f"{unit.replace(' · ', '_').replace('·', '_')}_督办单_{as_of.isoformat()}.docx"
