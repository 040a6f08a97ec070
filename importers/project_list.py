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

from importers.dates import Due, deadline_issue, find_due, parse_due, written_date
from importers.parsed import (
    DocumentError, ParsedDepartment, ParsedFinding, ParsedItem, ParsedMilestone, ParsedPlan,
    SourceRef,
)
from importers.text import clean, find_county, normalize, split_units, strip_html

HEADER = ("序号", "创新应用项目", "主要任务", "进度安排", "牵头单位", "配合单位", "完成时间")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
_NUMBER = re.compile(r"(\d+)\s*[、.．]?")
_STEP_NO = re.compile(r"\d+\s*[.、．]\s*")
_SEPARATOR = " \t:：,，、;；"
_NONE = ("", "无")


def detect(text: str) -> bool:
    """A project list: its annex header, or a 湖信用办 notice with a 项目清单."""
    lines = text.split("\n")
    if any(is_header(line, HEADER) for line in lines):
        return True
    return "湖信用办〔" in "\n".join(lines[:12]) and "项目清单" in text


def parse(text: str, source_file: str) -> ParsedPlan:
    """The plan and its projects; DocumentError if truncated or garbled."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    fail = failer(source_file)
    rows = table_rows(lines, HEADER, fail)
    plan = _plan(lines, source_file, fail)
    for line_no, cells in rows:
        number = _NUMBER.fullmatch(cells[0].strip())
        expected = len(plan.items) + 1
        if not number or int(number.group(1)) != expected:
            fail(line_no, f"序号应为 {expected}，实为「{cells[0].strip()}」，编号不连续或行已错乱",
                 f"expected project number {expected}: numbering gap or garbled row")
        if not clean(cells[1]):
            fail(line_no, "项目名称为空", "project name is empty")
        ref = SourceRef(source_file, line_no, lines[line_no - 1].strip())
        plan.items.append(_project(expected, cells, ref, plan))
    return plan


# --- also used by task_division: the annex tables of notices -----------------

def failer(source_file: str):
    """fail(line, zh, en) raises a DocumentError naming the file and line."""
    def fail(line_no: int | None, zh: str, en: str):
        where = f"第{line_no}行：" if line_no else ""
        raise DocumentError(f"{source_file}: {where}{zh} ({en})")
    return fail


def is_header(line: str, header: tuple[str, ...]) -> bool:
    """Cell by cell after normalising, so stray spaces in a header still match."""
    return tuple(normalize(cell) for cell in line.split("\t")) == header


def table_rows(lines: list[str], header: tuple[str, ...], fail) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the annex table's data rows, each checked to
    have the header's columns.  The header repeats on every page; the table
    ends at the first line of prose after it."""
    start = next((i for i, line in enumerate(lines) if is_header(line, header)), None)
    if start is None:
        fail(None, f"未找到附件表头（{'、'.join(filter(None, header))}）",
             "annex table header not found: not this kind of document, or garbled")
    rows, ended = [], False
    for i, line in enumerate(lines[start + 1:], start + 2):
        if not line.strip() or is_header(line, header):
            continue
        if "\t" not in line:
            ended = True
            continue
        cells = line.split("\t")
        if ended or len(cells) != len(header):
            fail(i, f"表格行应有 {len(header)} 列，实有 {len(cells)} 列，文件可能被截断或损坏",
                 f"table row has {len(cells)} columns, expected {len(header)}: truncated or garbled")
        rows.append((i, cells))
    if not rows:
        fail(None, "附件表格没有数据行，文件不完整", "the annex table has no rows: truncated")
    return rows


def county_of(units: list[str], city: str) -> str | None:
    """The county the first unit naming one of `city`'s counties names."""
    return next((place[1] for unit in units
                 if (place := find_county(unit)) and place[0] == city), None)


def _plan(lines: list[str], source_file: str, fail) -> ParsedPlan:
    """Issuer (…文件), number, title (the line after the number), issue date
    (under the signature); the closing "…印发" line proves the file is whole."""
    filled = [normalize(line) for line in lines if line.strip()]
    if written_date(filled[-1]) is None or not filled[-1].endswith("印发"):
        fail(None, "文末缺少“××××年×月×日印发”，文件不完整",
             "closing '…印发' line missing: the document is truncated")
    issuer = next((line.removesuffix("文件") for line in filled if line.endswith("文件")), None)
    doc_no_at = next((k for k, line in enumerate(filled) if _DOC_NO.fullmatch(line)), None)
    issue_date = next(d for line in filled if (d := written_date(line)))
    if not issuer or doc_no_at is None:
        fail(None, "无法识别文件头（发文机关、文号）", "document header (issuer, number) not found")
    return ParsedPlan(
        doc_no=filled[doc_no_at], title=filled[doc_no_at + 1], issuer=issuer,
        issue_date=issue_date, plan_year=issue_date.year, kind="project_list",
        source_file=source_file,
    )


def _units(cell: str) -> list[str]:
    """Units of a 牵头/配合 cell; "市发改委及各金融机构" lists two."""
    return split_units(strip_html(cell).replace("及", "、"))


def _project(n: int, cells: list[str], ref: SourceRef, plan: ParsedPlan) -> ParsedItem:
    _, name_cell, task, schedule, lead, coop, deadline_cell = cells
    name = clean(name_cell)
    key = f"p{n:02d}"
    leads = _units(lead)
    county = county_of(leads, "湖州")
    deadline = parse_due(strip_html(deadline_cell), plan.plan_year)
    item = ParsedItem(
        key=key, kind="project", number=str(n), name=name, source=ref, city="湖州",
        county=county, description=clean(task), deadline=deadline,
        departments=[ParsedDepartment(u, "lead") for u in leads]
        + [ParsedDepartment(u, "coop") for u in _units(coop)],
    )

    def finding(kind: str, message: str, text: str, seq: int | None = None):
        plan.findings.append(ParsedFinding(kind, f"项目{n}「{name}」{message}",
                                           replace(ref, text=text), key, seq))

    issue = deadline_issue(deadline)
    if issue:
        words = {"missing_deadline": "未填完成时间", "open_deadline": "完成时间不确定",
                 "unparsed_date": "完成时间无法识别"}[issue]
        finding(issue, f"{words}：{deadline.text or '（空）'}", deadline.text)

    if clean(schedule) in _NONE:
        source = replace(ref, text=schedule.strip())
        item.milestones.append(ParsedMilestone(1, f"按期完成：{name}", deadline, source, True))
        finding("no_schedule", "未列进度安排，以完成时间作为唯一节点", schedule.strip())
        return item
    for seq, step in enumerate(_steps(strip_html(schedule)), 1):
        item.milestones.append(_milestone(seq, step, deadline, ref, plan.plan_year, finding))
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
    text = text.rstrip(_SEPARATOR)
    if due is None or (due.due is None and due.start):  # no date, or "10月开始": no end
        due = replace(deadline, text=due.text, start=due.start) if due else deadline
        finding("milestone_due_inherited",
                f"第{seq}步未写完成时间，采用项目完成时间：{deadline.text or '（空）'}", step, seq)
        return ParsedMilestone(seq, text, due, source, due_inherited=True)
    if due.due and deadline.due and due.due > deadline.due:
        finding("due_after_deadline",
                f"第{seq}步时间「{due.text}」({due.due:%Y-%m-%d}) 晚于项目完成时间"
                f"「{deadline.text}」({deadline.due:%Y-%m-%d})", step, seq)
    return ParsedMilestone(seq, text, due, source)
