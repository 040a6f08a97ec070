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

from importers.dates import deadline_issue, parse_due, written_date
from importers.parsed import (
    ParsedDepartment,
    ParsedFinding,
    ParsedItem,
    ParsedMilestone,
    ParsedPlan,
    SourceRef,
)
from importers.table import DOC_NO, county_of, detect_annex, failer, table_rows
from importers.text import clean, normalize, split_units, strip_html

HEADER = ("重点工作", "工作任务", "", "责任单位", "时间进度")
_DIGITS = {digit: value for value, digit in enumerate("一二三四五六七八九", 1)}
_GROUP = re.compile(r"([一二三四五六七八九十]+)、(.+)")
_SUB_GROUP = re.compile(r"[(（]([一二三四五六七八九十]+)[)）](.+)")
_TASK = re.compile(r"(\d+)\s*[.．、]\s*(.+)")
_TITLE = re.compile(r"关于印发(.+)的通知")


def detect(text: str) -> bool:
    """A task division table: its header row, or a 温政办 notice with a 分工表."""
    return detect_annex(text, HEADER, "温政办〔", "分工表")


def parse(text: str, source_file: str) -> ParsedPlan:
    """The plan with its groups, sub-groups and tasks; DocumentError if the
    document is truncated or garbled."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    fail = failer(source_file)
    rows = table_rows(lines, HEADER, fail)
    if not any(normalize(line).startswith("抄送") for line in lines[rows[-1][0]:]):
        fail(None, "表格之后缺少“抄送”行，文件不完整",
             "closing '抄送' line missing: the document is truncated")
    plan = _plan(lines, source_file, fail)
    group = sub_group = None
    sub_groups = 0
    for task_no, (line_no, cells) in enumerate(rows, 1):
        ref = SourceRef(source_file, line_no, lines[line_no - 1].strip())
        if clean(cells[0]):
            number, name = _numbered(_GROUP, cells[0], len(plan.items), "重点工作", line_no, fail)
            group = ParsedItem(f"g{len(plan.items) + 1}", "group", number, name,
                               replace(ref, text=cells[0].strip()), city="温州")
            plan.items.append(group)
            sub_group = None
        if clean(cells[1]):
            if group is None:
                fail(line_no, "工作任务前没有重点工作", "task group before any 重点工作")
            number, name = _numbered(_SUB_GROUP, cells[1], sub_groups, "工作任务", line_no, fail)
            sub_groups += 1
            sub_group = ParsedItem(f"{group.key}.{sub_groups}", "group", number, name.rstrip("。"),
                                   replace(ref, text=cells[1].strip()), city="温州")
            group.children.append(sub_group)
        if sub_group is None:
            fail(line_no, "任务行前没有工作任务", "task row before any task group")
        sub_group.children.append(_task(task_no, cells, ref, plan, line_no, fail))
    return plan


def _plan(lines: list[str], source_file: str, fail) -> ParsedPlan:
    """Issuer (…文件), number, title (from "关于印发…的通知"), issue date (under
    the signature); the plan year is the title's."""
    filled = [normalize(line) for line in lines if line.strip()]
    issuer = next((line.removesuffix("文件") for line in filled if line.endswith("文件")), None)
    doc_no = next((line for line in filled if DOC_NO.fullmatch(line)), None)
    title = next((m.group(1) for line in filled if (m := _TITLE.search(line))), None)
    issue_date = next((d for line in filled if (d := written_date(line))), None)
    if not (issuer and doc_no and title and issue_date):
        fail(None, "无法识别文件头（发文机关、文号、标题、成文日期）",
             "document header (issuer, number, title, date) not found")
    year = re.match(r"(\d{4})年", title)
    return ParsedPlan(
        doc_no=doc_no, title=title, issuer=issuer, issue_date=issue_date,
        plan_year=int(year.group(1)) if year else issue_date.year, kind="task_division",
        source_file=source_file,
    )


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


def _task(n: int, cells: list[str], ref: SourceRef, plan: ParsedPlan, line_no: int, fail):
    found = _TASK.fullmatch(clean(cells[2]))
    if not found or int(found.group(1)) != n:
        fail(line_no, f"任务序号应为 {n}，实为「{clean(cells[2])[:20]}」，编号不连续或行已错乱",
             f"expected task number {n}: numbering gap or garbled row")
    name = found.group(2)
    units = split_units(strip_html(cells[3]))
    if not units:
        fail(line_no, "责任单位为空", "no responsible unit")
    deadline = parse_due(strip_html(cells[4]), plan.plan_year)
    key = f"t{n:02d}"
    issue = deadline_issue(deadline)
    if issue:
        plan.findings.append(ParsedFinding(
            issue, f"任务{n}的时间进度「{deadline.text or '（空）'}」无法作为完成时间",
            replace(ref, text=cells[4].strip()), key))
    return ParsedItem(
        key=key, kind="task", number=str(n), name=name, source=ref, city="温州",
        county=county_of(units, "温州"),
        deadline=deadline, departments=[ParsedDepartment(u, "lead") for u in units],
        milestones=[ParsedMilestone(1, name, deadline, replace(ref, text=cells[2].strip()))],
    )
