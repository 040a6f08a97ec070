"""Importer for a scene plan such as 浙信用办〔2020〕5号,
《2020年市县信用应用重点场景工作推进计划》 (and its later editions).

The annex is a Word table converted to tab-separated text, one line per table
row: 地市 场景类型 应用场景 推进范围 场景介绍及工作计划 责任部门 完成时间
(the columns found by their meaning, importers.columns).  The
converter's quirks (DESIGN §2) shape this module:
- a page break splits a scene over two lines, so lines are first merged into
  rows as the document means them (a line with neither type nor scene
  continues the one above);
- city labels sit on whichever line the converter chose, so rows are grouped
  into city blocks by the scene numbering restarting at "1.", and each block
  is named by the one label found inside it;
- a scene's cell may hold sub-scenes ("场景一：… 场景二：…"), each with its own
  introduction and numbered steps;
- a row without a scene name is a county variant of the scene above it.
Document values are kept as written; doubtful ones become ParsedFindings.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from importers.columns import Header, find_header, is_repeat
from importers.dates import UNPARSED, Due, deadline_issue, find_due, parse_due
from importers.front import Given, plan_of
from importers.kpi import scene_kpis
from importers.parsed import (
    DocumentError,
    ParsedDepartment,
    ParsedFinding,
    ParsedItem,
    ParsedMilestone,
    ParsedPlan,
    SourceRef,
)
from importers.text import find_city, find_county, normalize, parse_departments, strip_html

KIND = "scene_plan"  # ParsedPlan.kind, and the name a user picks it by

# The columns read, by role (importers.columns), in the order the rows keep them.
ROLES = ("city", "type", "item", "scope", "plan", "lead", "deadline")
CITY, TYPE, SCENE, SCOPE, DESC, DEPTS, DEADLINE = range(len(ROLES))

_CLOSING = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发")

_SCENE = re.compile(r"(\d+)\s*[.．、]\s*(\S.*)")  # "1.钱江分应用"
_SUB = re.compile(r"(?:^|(?<=[\s。；;]))场景([一二三四五六七八九十]+)\s*[:：]")  # "场景二："
_INTRO = re.compile(r"\s*(?:\d+\s*[.．、]|[(（]\s*\d+\s*[)）])\s*场景介绍\s*[:：]")  # "1.场景介绍:", "(1) 场景介绍:"
_PLAN = re.compile(r"\d+\s*[.．、]\s*工作计划\s*[:：]")  # "2.工作计划:"
_STEP = re.compile(r"[(（]\s*(\d+)\s*[)）]")  # "(1)", "（1）"
_SENTENCE_END = "。；;：:！!？?"  # a piece ending otherwise was cut mid-sentence
_AFTER_DUE = " ，,、：:"  # separators between a step's due phrase and its work
_STEP_END = " ；;。"
_DEADLINE_ISSUES = {
    "missing_deadline": "未填写完成时间",
    "open_deadline": "完成时间未定",
    "unparsed_date": "完成时间无法识别",
}


def fits(header: Header) -> bool:
    """A scene plan: cities' scenes (a city column, a type or scope) with their
    introduction and plan, departments and completion time."""
    return header.has("city", "item", "plan", "lead") and (header.has("type") or header.has("scope"))


def detect(text: str, given: Given = Given()) -> bool:
    """A notice whose annex table is a scene plan, whoever issued it, whatever year."""
    header = find_header(text.split("\n"), given.roles)
    return header is not None and fits(header)


def parse(text: str, source_file: str, given: Given = Given()) -> ParsedPlan:
    """The plan with one item per city scene (the cities its rows name; a year
    ``given`` replaces the title's); DocumentError if truncated or garbled."""
    return _Parser(text, source_file, given).plan()


@dataclass
class _Text:
    """A cell's text (HTML stripped) joined across page breaks; remembers each
    piece's file line so that every sentence can point back to its line."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add(self, line: int, piece: str) -> None:
        if not piece:
            return
        if self.text and self.text[-1] in _SENTENCE_END:
            self.text += "\n"
        self.offsets.append(len(self.text))
        self.lines.append(line)
        self.text += piece

    def line_at(self, pos: int) -> int:
        return self.lines[max(bisect_right(self.offsets, pos) - 1, 0)]


@dataclass
class _Row:
    """A table row as the document means it: one line plus its continuation lines."""

    line: int
    cells: list[_Text] = field(default_factory=lambda: [_Text() for _ in ROLES])
    labels: list[str] = field(default_factory=list)  # 地市 cells, one per line

    def add(self, line: int, raw_cells: list[str]) -> None:
        for cell, raw in zip(self.cells, raw_cells):
            cell.add(line, strip_html(raw))
        if label := normalize(strip_html(raw_cells[CITY])):
            self.labels.append(label)

    def value(self, col: int) -> str:
        return normalize(self.cells[col].text).replace("\n", "")


def _lead_county(departments: list[ParsedDepartment]) -> str | None:
    """The county named by the first lead department that names one."""
    return next(
        (found[1] for d in departments if d.role == "lead" and (found := find_county(d.name))),
        None,
    )


class _Parser:
    """One parse: collects findings while it reads, raises DocumentError on damage."""

    def __init__(self, text: str, source_file: str, given: Given = Given()):
        self.text = text
        self.file = source_file
        self.findings: list[ParsedFinding] = []
        self.plan_year = 0
        self.given = given
        self.column: list[int | None] = []  # each role's column in the file's table

    def fail(self, zh: str, en: str) -> DocumentError:
        return DocumentError(f"{self.file}: {zh} ({en})")

    def plan(self) -> ParsedPlan:
        lines = self.text.split("\n")  # numbered as editors number them
        header = find_header(lines, self.given.roles)
        if header is None or not fits(header):
            raise self.fail("找不到附件表头“地市 场景类型 应用场景…”", "annex table header not found")
        plan, _ = plan_of(lines, header.line, self.given, KIND, self.file, rows_name_cities=True)
        self.plan_year = plan.plan_year
        rows = self.rows(lines, header)
        if not any(_CLOSING.search(line) for line in lines[rows[-1].line:]):
            raise self.fail(
                "文件不完整：表格后缺少“…印发”行", "document truncated: closing '…印发' line missing"
            )
        plan.items = [
            item for n, block in enumerate(self.blocks(rows), 1) for item in self.block(block, n)
        ]
        plan.findings = self.findings
        plan.indicators = scene_kpis(plan)  # the numeric targets in its text
        keys = [item.key for item in plan.walk_items()]
        if dupes := sorted({k for k in keys if keys.count(k) > 1}):
            raise self.fail(f"场景编号重复：{'、'.join(dupes)}", f"duplicate scenes: {', '.join(dupes)}")
        return plan

    def rows(self, lines: list[str], header: Header) -> list[_Row]:
        """Table lines (those with tabs) merged into rows; continuation lines
        (no type, no scene) are appended to the row above.  Each row's cells
        in ROLES order, whatever the table's (a column it lacks reads empty)."""
        rows: list[_Row] = []
        width, order = len(header.roles), [header.index(role) for role in ROLES]
        self.column = order
        for number, line in enumerate(lines[header.line + 1:], start=header.line + 2):
            if "\t" not in line or is_repeat(line, header):
                continue
            cells = line.split("\t")
            if len(cells) != width:
                raise self.fail(
                    f"第{number}行有{len(cells)}列，应为{width}列，表格已损坏",
                    f"line {number} has {len(cells)} columns, expected {width}",
                )
            cells = [cells[at] if at is not None else "" for at in order]
            if strip_html(cells[TYPE]) or strip_html(cells[SCENE]):
                rows.append(_Row(number))
            elif not rows:
                raise self.fail(f"第{number}行是续行，但表格尚未开始", f"line {number} continues no row")
            rows[-1].add(number, cells)
        if not rows:
            raise self.fail("附件表格没有内容", "annex table is empty")
        return rows

    def blocks(self, rows: list[_Row]) -> list[list[tuple[_Row, tuple[str, str] | None]]]:
        """Rows grouped by city: numbering restarting at "1." opens a block."""
        blocks: list[list[tuple[_Row, tuple[str, str] | None]]] = []
        for row in rows:
            scene = None
            if cell := row.value(SCENE):
                found = _SCENE.fullmatch(cell)
                if not found:
                    raise self.fail(
                        f"第{row.line}行场景“{cell}”没有编号", f"line {row.line}: unnumbered scene"
                    )
                scene = found.group(1), found.group(2)
            if scene and scene[0] == "1":
                blocks.append([])
            elif not blocks:
                raise self.fail(
                    f"第{row.line}行：表格不是从场景1开始", f"line {row.line}: table does not start at scene 1"
                )
            blocks[-1].append((row, scene))
        return blocks

    def block(self, rows: list[tuple[_Row, tuple[str, str] | None]],
              index: int) -> list[ParsedItem]:
        """One city's scenes; a county variant row becomes a child of the scene above."""
        labels = [label for row, _ in rows for label in row.labels]
        cities = {find_city(label) for label in labels}
        city = cities.pop() if len(cities) == 1 else None
        first = rows[0][0]
        if city is None:
            shown = "、".join(labels) or "无"
            self.finding(
                "unknown_city",
                f"第{index}组场景（第{first.line}行起）地市不明，标注为：{shown}",
                SourceRef(self.file, first.line, shown, column=self.column[CITY]),
            )
        prefix = city or f"block{index}"
        scenes: list[ParsedItem] = []
        for row, scene in rows:
            departments = parse_departments(row.cells[DEPTS].text)
            county = _lead_county(departments)
            if scene:
                item = self.item(row, f"{prefix}-{scene[0]}", *scene, city, county, departments)
                scenes.append(item)
            else:
                parent = scenes[-1]
                key = f"{parent.key}-{county}"
                parent.children.append(
                    self.item(row, key, parent.number, parent.name, city, county, departments)
                )
        items = [i for scene in scenes for i in (scene, *scene.children)]
        for item in items:
            if not item.milestones and not any(c.kind == "sub_scene" for c in item.children):
                self.finding(
                    "no_milestones", f"{item.key} 没有工作计划节点", item.source, item.key
                )
        if not any(item.milestones for item in items):
            raise self.fail(
                f"第{first.line}行起的{city or '某'}市场景没有任何工作计划节点，文件可能不完整",
                f"city block at line {first.line} has no milestones",
            )
        return scenes

    def item(self, row: _Row, key: str, number: str, name: str, city: str | None,
             county: str | None, departments: list[ParsedDepartment]) -> ParsedItem:
        """A scene or county variant with its sub-scenes and milestones."""
        desc = row.cells[DESC]
        subs = list(_SUB.finditer(desc.text))
        head_end = subs[0].start() if subs else len(desc.text)
        deadline = parse_due(row.cells[DEADLINE].text, self.plan_year)
        intro_end, description, milestones = self.section(desc, 0, head_end, key, deadline)
        item = ParsedItem(
            key=key, kind="scene", number=number, name=name,
            source=SourceRef(
                self.file, row.line, row.value(SCENE) or desc.text[:intro_end].strip(),
                column=self.column[SCENE if row.value(SCENE) else DESC],
            ),
            city=city, county=county, item_type=row.value(TYPE) or None,
            scope=row.value(SCOPE) or None, description=description, deadline=deadline,
            departments=departments, milestones=milestones,
        )
        if issue := deadline_issue(deadline):
            self.finding(
                issue, f"{key}：{_DEADLINE_ISSUES[issue]}（完成时间栏为“{deadline.text}”）", item.source, key
            )
        for sub, following in zip(subs, subs[1:] + [None]):
            end = following.start() if following else len(desc.text)
            sub_key = f"{key}-场景{sub.group(1)}"
            intro_end, description, milestones = self.section(
                desc, sub.end(), end, sub_key, deadline
            )
            item.children.append(ParsedItem(
                key=sub_key, kind="sub_scene", number=sub.group(1), name=f"场景{sub.group(1)}",
                source=SourceRef(
                    self.file, desc.line_at(sub.start()), desc.text[sub.start():intro_end].strip(),
                    column=self.column[DESC],
                ),
                city=city, county=county, description=description, milestones=milestones,
            ))
        return item

    def section(self, desc: _Text, start: int, end: int, key: str,
                deadline: Due) -> tuple[int, str | None, list[ParsedMilestone]]:
        """An introduction and its numbered steps: (end of the intro, the intro
        without its label, milestones)."""
        body = desc.text[start:end]
        plan = _PLAN.search(body)
        intro = body[: plan.start() if plan else len(body)]
        label = _INTRO.match(intro)
        description = normalize(intro[label.end() if label else 0:]) or None
        milestones = self.steps(desc, start + plan.end(), end, key, deadline) if plan else []
        return start + len(intro), description, milestones

    def steps(self, desc: _Text, start: int, end: int, key: str,
              deadline: Due) -> list[ParsedMilestone]:
        """Milestones from "(n) 2020年X月底前, …" steps numbered 1, 2, 3 …; a
        bracketed number out of sequence is part of the step's text."""
        plan = desc.text[start:end]
        marks: list[re.Match] = []
        for mark in _STEP.finditer(plan):
            if int(mark.group(1)) == len(marks) + 1:
                marks.append(mark)
        lead = plan[: marks[0].start() if marks else len(plan)].strip()
        if lead:
            self.finding(
                "unnumbered_step", f"{key} 工作计划中有未编号的内容：{lead}",
                SourceRef(self.file, desc.line_at(start), lead, column=self.column[DESC]), key,
            )
        milestones = []
        for mark, following in zip(marks, marks[1:] + [None]):
            stop = following.start() if following else len(plan)
            sentence = plan[mark.start():stop].strip()
            source = SourceRef(self.file, desc.line_at(start + mark.start()), sentence, column=self.column[DESC])
            milestones.append(
                self.milestone(len(milestones) + 1, plan[mark.end():stop], source, key, deadline)
            )
        return milestones

    def milestone(self, seq: int, body: str, source: SourceRef, key: str,
                  deadline: Due) -> ParsedMilestone:
        """One step: its due phrase parsed, the work without the phrase."""
        due = find_due(body, self.plan_year)
        work = normalize(body).replace("\n", "")
        if due and work.startswith(phrase := normalize(due.text)):
            work = work[len(phrase):].lstrip(_AFTER_DUE)
        milestone = ParsedMilestone(seq, work.rstrip(_STEP_END), due, source)
        if due is None or (due.due is None and due.precision == UNPARSED):
            self.finding(
                "unparsed_date",
                f"{key} 第{seq}项节点没有可识别的时间",
                source, key, seq,
            )
        if due is None:
            milestone.due, milestone.due_inherited = deadline, True
        elif due.due and deadline.due and due.due > deadline.due:
            self.finding(
                "due_after_deadline",
                f"{key} 第{seq}项节点“{due.text}”（{due.due}）晚于完成时间“{deadline.text}”（{deadline.due}）",
                source, key, seq,
            )
        return milestone

    def finding(self, kind: str, message: str, source: SourceRef,
                item_key: str | None = None, seq: int | None = None) -> None:
        self.findings.append(ParsedFinding(kind, message, source, item_key, seq))
