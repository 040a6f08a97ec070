"""The status table (台账) in the layout of the official tables, for every export
of milestone rows — the pages' grids and the CLI's export-status alike.

The columns are those of the plan's own annex (the 2020 scene plan: 地市 / 场景类型 /
应用场景 / 推进范围 / 工作计划 / 责任部门 / 完成时间; the project list and the task
division have theirs), then 状态 / 实际完成 / 逾期天数 / 最新进展.  Rows of several
plans get a generic layout led by 计划文件.  The title row names the plan when
the rows come from one.
"""
from __future__ import annotations

from components.export import to_csv, to_xlsx

PROGRESS = {"status": "状态", "completed_on": "实际完成", "days_overdue": "逾期天数", "latest": "最新进展"}
LAYOUTS = {
    "scene_plan": {"city": "地市", "item_type": "场景类型", "scene": "应用场景", "scope": "推进范围",
                   "work_plan": "工作计划", "departments": "责任部门", "deadline_shown": "完成时间"},
    "project_list": {"item_no": "序号", "item": "创新应用项目", "work_plan": "进度安排", "lead_text": "牵头单位",
                     "coop_text": "配合单位", "deadline_shown": "完成时间"},
    "task_division": {"item_no": "序号", "item": "工作任务", "lead_text": "责任单位", "due_text": "时间进度"},
}
LAYOUTS["work_points"] = LAYOUTS["task_division"]  # a prose 工作要点: its tasks as a task table
MIXED = {"plan": "计划文件", "city": "地市", "item_type": "场景类型", "scene": "工作事项", "scope": "推进范围",
         "work_plan": "工作计划", "departments": "责任部门", "deadline_shown": "完成时间"}


def official_headers(rows: list[dict]) -> dict[str, str]:
    """The columns for these rows: their plan's layout when they share one plan."""
    kinds = {r.get("plan_kind") for r in rows}
    plans = {r.get("plan") for r in rows}
    layout = LAYOUTS.get(kinds.pop()) if len(kinds) == 1 and len(plans) == 1 else None
    return {**(layout or MIXED), **PROGRESS}


def official_row(row: dict) -> dict:
    """A status row (queries.status_table, or a grid's row of it) with the cells
    the official layout shows, written as the documents write them."""
    lead, coop = _names(row.get("lead")), _names(row.get("coop"))
    item = row.get("item") or ""
    scene = f"{row['item_no']}.{item}" if row.get("item_no") else item
    if row.get("county"):
        scene += f"（{row['county']}）"
    if row.get("sub_item"):
        scene += f" · {row['sub_item']}"
    step = f"（{row['seq']}）" if row.get("seq") is not None else ""
    due = f"{row['due_text']}，" if row.get("due_text") else ""
    work_plan = f"{step}{due}{row.get('milestone') or ''}"
    departments = "\n".join(x for x in (f"牵头部门：{lead}" if lead else "", f"配合部门：{coop}" if coop else "") if x)
    return {
        **row, "scene": scene, "work_plan": work_plan, "departments": departments,
        "lead_text": lead, "coop_text": coop,
        "deadline_shown": row.get("deadline_text") or row.get("deadline") or "",
        "latest": latest_progress(row),
    }


def latest_progress(row: dict) -> str:
    """'受疫情影响，进度有所滞后（2021-03-06报送）'; '未报送' before the first report."""
    if not row.get("last_reported_on"):
        return "未报送"
    return f"{row.get('last_note') or ''}（{row['last_reported_on']}报送）"


def _names(value) -> str:
    """A department list (or the grid's already joined text) as '市商务局、市公安局'."""
    return "、".join(value) if isinstance(value, list) else (value or "")


def official_title(rows: list[dict], title: str) -> str:
    """The export's title, led by the plan — '浙信用办〔2020〕5号《…》' — when the rows come from one plan."""
    plans = {(r.get("plan"), r.get("plan_title")) for r in rows}
    if len(plans) != 1:
        return title
    label, name = plans.pop()
    lead = f"{label}《{name}》" if name and name != label else label
    return f"{lead} {title}" if lead else title


def status_xlsx(rows: list[dict], title: str) -> bytes:
    """The status table as the office's workbook (components.export.to_xlsx)."""
    shown = [official_row(r) for r in rows]
    return to_xlsx(shown, official_headers(rows), official_title(rows, title), sheet="进度台账")


def status_csv(rows: list[dict]) -> bytes:
    shown = [official_row(r) for r in rows]
    return to_csv(shown, official_headers(rows))
