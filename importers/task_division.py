"""Parser for a task division table (重点任务职责分工表), such as the annex of
温政办〔2018〕50号: 重点工作 (一、…) hold 工作任务 groups ((一)…), which hold
numbered tasks with their responsible units and 时间进度.

The table comes from Word with merged cells: a row continuing a group leaves
the first two columns empty, and the header repeats on every page.  Each task
is its own single milestone, due on its 时间进度.
"""
from __future__ import annotations

import re
from dataclasses import replace

from importers.columns import Header, find_header
from importers.dates import deadline_issue, parse_due
from importers.front import Given, plan_of
from importers.parsed import (
    ParsedDepartment,
    ParsedFinding,
    ParsedItem,
    ParsedMilestone,
    ParsedPlan,
    SourceRef,
)
from importers.table import county_of, failer, table_rows
from importers.text import clean, normalize, split_units, strip_html

KIND = "task_division"  # ParsedPlan.kind, and the name a user picks it by

_DIGITS = {digit: value for value, digit in enumerate("一二三四五六七八九", 1)}
_GROUP = re.compile(r"([一二三四五六七八九十]+)、(.+)")
_SUB_GROUP = re.compile(r"[(（]([一二三四五六七八九十]+)[)）](.+)")
_TASK = re.compile(r"(\d+)\s*[.．、]\s*(.+)")


def fits(header: Header) -> bool:
    """A task table: tasks under 重点工作 with their responsible units and
    time, and no schedule of steps (that is a project list)."""
    return header.has("group", "item", "lead", "deadline") and not header.has("plan")


def detect(text: str, given: Given = Given()) -> bool:
    header = find_header(text.split("\n"), given.roles)
    return header is not None and fits(header)


def parse(text: str, source_file: str, given: Given = Given()) -> ParsedPlan:
    """The plan with its groups, sub-groups and tasks; DocumentError if the
    document is truncated or garbled."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    fail = failer(source_file)
    header = find_header(lines, given.roles)
    rows = table_rows(lines, header if header and fits(header) else None, fail)
    if not any(normalize(line).startswith("抄送") for line in lines[rows[-1][0]:]):
        fail(None, "表格之后缺少“抄送”行，文件不完整",
             "closing '抄送' line missing: the document is truncated")
    plan, front = plan_of(lines, header.line, given, KIND, source_file)
    city = front.city
    group_col = header.index("group")
    *sub_cols, task_col = header.indexes("item")
    sub_col = sub_cols[0] if sub_cols else None
    group = sub_group = None
    sub_groups = 0
    for task_no, (line_no, cells) in enumerate(rows, 1):
        ref = SourceRef(source_file, line_no, lines[line_no - 1].strip())
        if clean(cells[group_col]):
            number, name = _numbered(_GROUP, cells[group_col], len(plan.items), "重点工作", line_no, fail)
            group = ParsedItem(f"g{len(plan.items) + 1}", "group", number, name,
                               replace(ref, text=cells[group_col].strip(), column=group_col), city=city)
            plan.items.append(group)
            sub_group = None if sub_col is not None else group
        if sub_col is not None and clean(cells[sub_col]):
            if group is None:
                fail(line_no, "工作任务前没有重点工作", "task group before any 重点工作")
            number, name = _numbered(_SUB_GROUP, cells[sub_col], sub_groups, "工作任务", line_no, fail)
            sub_groups += 1
            sub_group = ParsedItem(f"{group.key}.{sub_groups}", "group", number, name.rstrip("。"),
                                   replace(ref, text=cells[sub_col].strip(), column=sub_col), city=city)
            group.children.append(sub_group)
        if sub_group is None:
            fail(line_no, "任务行前没有工作任务", "task row before any task group")
        sub_group.children.append(_task(task_no, cells, header, task_col, ref, plan, city, line_no, fail))
    return plan


def _numbered(pattern: re.Pattern, cell: str, count: int, label: str, line_no: int, fail):
    """(number, name) of "一、…" / "(一)…", checked to follow the previous one."""
    found = pattern.fullmatch(clean(cell))
    if not found or _cn_number(found.group(1)) != count + 1:
        fail(line_no, f"{label}编号应为第 {count + 1} 个，实为「{clean(cell)[:20]}」，编号不连续或行已错乱",
             f"expected {label} number {count + 1}: numbering gap or garbled row")
    return found.group(1), found.group(2).strip()


def _cn_number(numeral: str) -> int | None:
    """一 -> 1, 十 -> 10, 十八 -> 18, 二十一 -> 21; None if malformed."""
    tens, ten, units = numeral.rpartition("十")
    try:
        return (_DIGITS[tens] if tens else len(ten)) * 10 + (_DIGITS[units] if units else 0)
    except KeyError:
        return None


def _task(n: int, cells: list[str], header: Header, task_col: int, ref: SourceRef, plan: ParsedPlan,
          city: str, line_no: int, fail):
    found = _TASK.fullmatch(clean(cells[task_col]))
    if not found or int(found.group(1)) != n:
        fail(line_no, f"任务序号应为 {n}，实为「{clean(cells[task_col])[:20]}」，编号不连续或行已错乱",
             f"expected task number {n}: numbering gap or garbled row")
    name = found.group(2)
    units = split_units(strip_html(cells[header.index("lead")]))
    if not units:
        fail(line_no, "责任单位为空", "no responsible unit")
    deadline_cell = cells[header.index("deadline")]
    deadline = parse_due(strip_html(deadline_cell), plan.plan_year)
    key = f"t{n:02d}"
    issue = deadline_issue(deadline)
    if issue:
        plan.findings.append(ParsedFinding(
            issue, f"任务{n}的时间进度「{deadline.text or '（空）'}」无法作为完成时间",
            replace(ref, text=deadline_cell.strip(), column=header.index("deadline")), key))
    coop = header.index("coop")
    task = replace(ref, text=cells[task_col].strip(), column=task_col)
    return ParsedItem(
        key=key, kind="task", number=str(n), name=name, source=replace(ref, column=task_col), city=city,
        county=county_of(units, city),
        deadline=deadline, departments=[ParsedDepartment(u, "lead") for u in units]
        + [ParsedDepartment(u, "coop") for u in (split_units(strip_html(cells[coop])) if coop is not None else [])],
        milestones=[ParsedMilestone(1, name, deadline, task)],
    )
