"""Parser for a city's project list notice (项目清单), such as 湖信用办〔2019〕9号:
the 湖州市"信易+"创新应用项目清单 annex, one project per row with its main
task, schedule (进度安排), lead and co-operating units and completion time.

Only the annex table is imported; the notice's prose gives the header
(issuer, number, title, date).  Every schedule step becomes a milestone; a
step without a date of its own falls due with the project, and every such
gap, open deadline or late step is recorded as a finding, never "fixed".
"""
from __future__ import annotations

import re
from dataclasses import replace

from importers.columns import Header, find_header
from importers.dates import Due, deadline_issue, find_due, parse_due, written_date
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

KIND = "project_list"  # ParsedPlan.kind, and the name a user picks it by

_NUMBER = re.compile(r"(\d+)\s*[、.．]?")
_STEP_NO = re.compile(r"\d+\s*[.、．]\s*")
_SEPARATOR = " \t:：,，、;；"
_NONE = ("", "无")


def fits(header: Header) -> bool:
    """A project list: projects, each with its schedule (进度安排) and units;
    no city or scene columns (that is a scene plan)."""
    return header.has("item", "plan", "lead") and not header.has("city") and not header.has("group")


def detect(text: str, given: Given = Given()) -> bool:
    header = find_header(text.split("\n"), given.roles)
    return header is not None and fits(header)


def parse(text: str, source_file: str, given: Given = Given()) -> ParsedPlan:
    """The plan and its projects; DocumentError if truncated or garbled."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    fail = failer(source_file)
    header = find_header(lines, given.roles)
    rows = table_rows(lines, header if header and fits(header) else None, fail)
    plan, city = _plan(lines, header, source_file, fail, given)
    number_col, name_col = header.index("number"), header.index("item")
    for line_no, cells in rows:
        expected = len(plan.items) + 1
        if number_col is not None:
            number = _NUMBER.fullmatch(cells[number_col].strip())
            if not number or int(number.group(1)) != expected:
                fail(line_no, f"序号应为 {expected}，实为「{cells[number_col].strip()}」，编号不连续或行已错乱",
                     f"expected project number {expected}: numbering gap or garbled row")
        if not clean(cells[name_col]):
            fail(line_no, "项目名称为空", "project name is empty")
        ref = SourceRef(source_file, line_no, lines[line_no - 1].strip())
        plan.items.append(_project(expected, cells, header, ref, plan, city))
    return plan


def _plan(lines: list[str], header: Header, source_file: str, fail, given: Given) -> tuple[ParsedPlan, str]:
    """The notice's plan (importers.front); the closing "…印发" line proves the file is whole."""
    filled = [normalize(line) for line in lines if line.strip()]
    if written_date(filled[-1]) is None or not filled[-1].endswith("印发"):
        fail(None, "文末缺少“××××年×月×日印发”，文件不完整",
             "closing '…印发' line missing: the document is truncated")
    plan, front = plan_of(lines, header.line, given, KIND, source_file)
    return plan, front.city


def _cell(cells: list[str], header: Header, role: str) -> str:
    at = header.index(role)
    return cells[at] if at is not None else ""


def _project(n: int, cells: list[str], header: Header, ref: SourceRef, plan: ParsedPlan, city: str) -> ParsedItem:
    name = clean(_cell(cells, header, "item"))
    schedule = _cell(cells, header, "plan")
    key = f"p{n:02d}"
    leads = split_units(strip_html(_cell(cells, header, "lead")))
    deadline = parse_due(strip_html(_cell(cells, header, "deadline")), plan.plan_year)
    item = ParsedItem(
        key=key, kind="project", number=str(n), name=name, source=ref, city=city,
        county=county_of(leads, city),
        description=clean(_cell(cells, header, "description")) if header.has("description") else None,
        deadline=deadline,
        departments=[ParsedDepartment(u, "lead") for u in leads]
        + [ParsedDepartment(u, "coop") for u in split_units(strip_html(_cell(cells, header, "coop")))],
    )

    def finding(kind: str, message: str, text: str, seq: int | None = None, role: str = "plan"):
        plan.findings.append(ParsedFinding(kind, f"项目{n}「{name}」{message}",
                                           replace(ref, text=text, column=header.index(role)), key, seq))

    issue = deadline_issue(deadline)
    if issue:
        words = {"missing_deadline": "未填完成时间", "open_deadline": "完成时间不确定",
                 "unparsed_date": "完成时间无法识别"}[issue]
        finding(issue, f"{words}：{deadline.text or '（空）'}", deadline.text, role="deadline")

    in_plan = replace(ref, column=header.index("plan"))
    if clean(schedule) in _NONE:
        source = replace(in_plan, text=schedule.strip())
        item.milestones.append(ParsedMilestone(1, f"按期完成：{name}", deadline, source, True))
        finding("no_schedule", "未列进度安排，以完成时间作为唯一节点", schedule.strip())
        return item
    for seq, step in enumerate(_steps(strip_html(schedule)), 1):
        item.milestones.append(_milestone(seq, step, deadline, in_plan, plan.plan_year, finding))
    return item


def _steps(schedule: str) -> list[str]:
    """"1.… 2.…" (or 1、, or one <p> each) -> the steps, numbers dropped; a
    paragraph without numbering is one step.  Numbers are looked for in
    sequence, so "3.12 月底前" or "2.0 改造" inside a step cannot split it."""
    schedule = schedule.strip()
    if not re.match(r"1\s*[.、．]", schedule):
        return [schedule]
    starts = [0]
    while found := re.compile(rf"(?<=[\s;；。)）]){len(starts) + 1}\s*[.、．]").search(
            schedule, starts[-1] + 1):
        starts.append(found.start())
    return [_STEP_NO.sub("", schedule[a:b].strip(), count=1)
            for a, b in zip(starts, starts[1:] + [len(schedule)])]


def _milestone(seq: int, step: str, deadline: Due, ref: SourceRef, plan_year: int,
               finding) -> ParsedMilestone:
    source = replace(ref, text=step)
    due = find_due(step, plan_year)
    text = clean(step)
    if due and step.startswith(due.text):  # the date is kept in due.text
        text = clean(step[len(due.text):].lstrip(_SEPARATOR)) or text
    text = text.rstrip(_SEPARATOR + "。.")
    if due is None or (due.due is None and due.start):  # no date, or "10月开始"/"三季度之后": no end
        began = f"只写了开始时间「{due.text}」，" if due else ""
        due = replace(deadline, text=due.text, start=due.start) if due else deadline
        finding("milestone_due_inherited",
                f"第{seq}步{began}未写完成时间，采用项目完成时间：{deadline.text or '（空）'}", step, seq)
        return ParsedMilestone(seq, text, due, source, due_inherited=True)
    if due.due and deadline.due and due.due > deadline.due:
        finding("due_after_deadline",
                f"第{seq}步时间「{due.text}」({due.due:%Y-%m-%d}) 晚于项目完成时间"
                f"「{deadline.text}」({deadline.due:%Y-%m-%d})", step, seq)
    return ParsedMilestone(seq, text, due, source)
