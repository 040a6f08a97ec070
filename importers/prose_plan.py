"""Parser for a plan written as prose (工作要点, 实施方案, 行动计划): numbered
tasks at any depth (一、 / （一） / 1. / （1） / ——), each naming the units
responsible in a trailing bracket ("……（市发改委、市财政局牵头，各区、县（市）
负责）") or on lines of their own (牵头单位：…  责任单位：…).

- A numbered paragraph is a task when it (or a line under it) names its
  units; the headings above tasks are their groups; sections naming no units
  (指导思想, 保障措施 …) are not tasks.
- 牵头 and 负责 name the lead, 配合, 参与 and 协同 the co-operating units; a
  generic scope (各区、县（市）, 市级各有关部门) is the task's scope, not a
  department.
- Each dated clause of a task ("2021年6月底前完成…") is a milestone due then;
  a task without a date is one milestone due at the plan year's end, with a
  finding.  Numeric targets in the text ("达到95%", "不少于5个") become
  indicators with their sentence as the source (importers.kpi).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from importers.dates import YEAR, Due, find_due
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
from importers.table import county_of
from importers.text import normalize, split_units
from importers.units import is_scope

KIND = "work_points"  # ParsedPlan.kind, and the name a user picks it by

# The numbering of each depth, outermost first.
_LEVELS = [
    re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.*)"),
    re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)"),
    re.compile(r"^(\d{1,2})[.．、](?!\d)\s*(.*)"),
    re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)"),
    re.compile(r"^()(?:——|—|－－)\s*(.*)"),
]
_ROLE_WORDS = {"牵头": "lead", "负责": "lead", "落实": "lead", "按职责分工": "lead",
               "配合": "coop", "参与": "coop", "协同": "coop", "协助": "coop"}
_UNIT_LINE = re.compile(r"^(牵头单位|牵头部门|责任单位|责任部门|主办单位|配合单位|配合部门|协办单位|参与单位)\s*[:：]\s*(.+)")
_CLAUSE_END = "。；;"
_MIN_TASKS = 3


@dataclass
class _Node:
    level: int
    number: str
    text: str  # the paragraph as written, the lines under it joined
    line: int
    children: list["_Node"] = field(default_factory=list)
    unit_lines: list[tuple[str, str]] = field(default_factory=list)  # (label, units) lines under it


def detect(text: str, given: Given = Given()) -> bool:  # noqa: ARG001 — no columns to correct
    """Prose with at least a few numbered paragraphs naming their units."""
    nodes = _outline(text.split("\n"))
    return sum(1 for node in _walk(nodes) if _units_of(node)[0]) >= _MIN_TASKS


def parse(text: str, source_file: str, given: Given = Given()) -> ParsedPlan:
    lines = text.split("\n")
    plan, front = plan_of(lines, None, given, KIND, source_file, ("title", "issue_date"), provincial_ok=True)
    reader = _Reader(plan, front.city, source_file, lines)
    plan.items = [item for n, node in enumerate(_outline(lines), 1) for item in reader.items(node, f"g{n}")]
    if not any(True for item in plan.walk_items() if item.kind == "task"):
        raise DocumentError(f"{source_file}: 未找到写明责任单位的工作任务 (no tasks naming their units)")
    plan.indicators = scene_kpis(plan)
    return plan


def _outline(lines: list[str]) -> list[_Node]:
    """The numbered paragraphs as a tree (a deeper numbering nests under the
    paragraph above it); unnumbered lines continue the paragraph above."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    for n, raw in enumerate(lines, 1):
        line = normalize(raw).lstrip("#").strip()
        if not line:
            continue
        level, number, body = _numbered(line)
        if level is None:
            if stack:
                unit = _UNIT_LINE.match(line)
                if unit:
                    stack[-1].unit_lines.append((unit.group(1), unit.group(2)))
                else:
                    stack[-1].text += line
            continue
        node = _Node(level, number, body, n)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _numbered(line: str) -> tuple[int | None, str, str]:
    for level, pattern in enumerate(_LEVELS):
        found = pattern.match(line)
        if found:
            return level, found.group(1), found.group(2).strip()
    return None, "", line


def _walk(nodes: list[_Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _trailing_bracket(text: str) -> tuple[str, str] | None:
    """(text before, inside) of a bracket closing the text, nested brackets
    kept: "……（市发改委牵头，各区、县（市）负责）。" -> ("……", "市发改委牵头，各区、县（市）负责")."""
    body = text.rstrip("。.；; ")
    if not body.endswith(("）", ")")):
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        if body[i] in "）)":
            depth += 1
        elif body[i] in "（(":
            depth -= 1
            if depth == 0:
                return body[:i].rstrip(), body[i + 1:-1]
    return None


def _units_of(node: _Node) -> tuple[list[ParsedDepartment], list[str], str]:
    """(departments, generic scopes, the task's text without its unit bracket)."""
    departments: list[ParsedDepartment] = []
    scopes: list[str] = []
    text = node.text
    clauses: list[tuple[str, str]] = []
    bracket = _trailing_bracket(text)
    if bracket and any(word in bracket[1] for word in _ROLE_WORDS):
        text = bracket[0]
        for clause in re.split(r"[，,；;]", bracket[1]):
            role = next((r for word, r in _ROLE_WORDS.items() if clause.endswith(word)), None)
            if role:
                clauses.append((clause.removesuffix(next(w for w in _ROLE_WORDS if clause.endswith(w))), role))
    for label, units in node.unit_lines:
        clauses.append((units, "coop" if label.startswith(("配合", "协办", "参与")) else "lead"))
    for units, role in clauses:
        for unit in split_units(units):
            if is_scope(unit):
                scopes.append(unit)
            elif not any(d.name == unit for d in departments):
                departments.append(ParsedDepartment(unit, role))
    return departments, scopes, text


class _Reader:
    def __init__(self, plan: ParsedPlan, city: str | None, source_file: str, lines: list[str]):
        self.plan, self.city, self.file, self.lines = plan, city, source_file, lines
        self.tasks = 0

    def ref(self, node: _Node, text: str | None = None) -> SourceRef:
        return SourceRef(self.file, node.line, text if text is not None else self.lines[node.line - 1].strip())

    def items(self, node: _Node, key: str) -> list[ParsedItem]:
        """A task (it names its units) and the tasks numbered under it, or a
        group of tasks (``key``: its place, g1, g1.2); none for a section
        naming no units."""
        departments, scopes, text = _units_of(node)
        task = self.task(node, departments, scopes, text) if departments or scopes else None
        left_out = len(self.plan.left_out)
        children = [item for n, child in enumerate(node.children, 1) for item in self.items(child, f"{key}.{n}")]
        if task:
            return [task, *children]
        if not children:  # the section as a whole is left out, not each paragraph of it
            del self.plan.left_out[left_out:]
            self.plan.left_out.append(self.ref(node, normalize(self.lines[node.line - 1]).strip()[:60]))
            return []
        return [ParsedItem(key, "group", node.number or None, _heading(node.text), self.ref(node),
                           city=self.city, children=children)]

    def task(self, node: _Node, departments, scopes, text: str) -> ParsedItem:
        self.tasks += 1
        key = f"t{self.tasks:02d}"
        name = _heading(text)
        leads = [d.name for d in departments if d.role == "lead"]
        item = ParsedItem(key, "task", node.number or str(self.tasks), name, self.ref(node), city=self.city,
                          county=county_of(leads, self.city) if self.city else None,
                          scope="、".join(scopes)[:100] or None, departments=departments)
        if not departments:
            self.finding("no_lead", f"任务「{name}」只写了{'、'.join(scopes)}，未写牵头单位", node, key)
        item.milestones, undated = self.milestones(node, text, key, name)
        item.description = "".join(undated) or None  # (a dated clause's targets are its milestone's)
        dues = [m.due.due for m in item.milestones if m.due.due]
        item.deadline = max((m.due for m in item.milestones if m.due.due), key=lambda d: d.due) if dues else None
        return item

    def milestones(self, node: _Node, text: str, key: str, name: str) -> tuple[list[ParsedMilestone], list[str]]:
        """(each dated clause a milestone, its date phrase kept apart from its
        work; the undated clauses).  Without a date, or with a start only
        (三季度之后), due at the plan year's end, and a finding says so."""
        milestones, undated = [], []
        for clause in _clauses(text):
            due = find_due(clause, self.plan.plan_year)
            if due is None:
                undated.append(clause)
                continue
            work = clause.rstrip("。；;")
            if work.startswith(due.text):
                work = work[len(due.text):].lstrip(" ，,、：:") or work
            if due.due is None:
                self.finding("milestone_due_inherited", f"任务「{name}」只写了开始时间「{due.text}」，"
                             f"未写完成时间，按计划年度{self.plan.plan_year}年底计", node, key, len(milestones) + 1)
            milestones.append(ParsedMilestone(len(milestones) + 1, work, replace(self.year_end(), start=due.start)
                                              if due.due is None else due, self.ref(node, clause),
                                              due_inherited=due.due is None))
        if milestones:
            return milestones, undated
        self.finding("milestone_due_inherited",
                     f"任务「{name}」未写完成时间，按计划年度{self.plan.plan_year}年底计", node, key, 1)
        return [ParsedMilestone(1, name, self.year_end(), self.ref(node, text), due_inherited=True)], undated

    def year_end(self) -> Due:
        return Due(f"{self.plan.plan_year}年底（未写完成时间）", date(self.plan.plan_year, 12, 31), YEAR)

    def finding(self, kind: str, message: str, node: _Node, key: str, seq: int | None = None) -> None:
        self.plan.findings.append(ParsedFinding(kind, message, self.ref(node), key, seq))


def _heading(text: str) -> str:
    """A task's name: its lead sentence ("强化信用大数据平台建设。完善…" -> the
    first), or the text itself when short."""
    first = re.split(r"[。；;]", text, maxsplit=1)[0].strip()
    return first if first and len(first) <= 60 else text[:60].rstrip("，,、")


def _clauses(text: str) -> list[str]:
    """The sentences of a task, split at 。 and ；."""
    parts = re.split(r"(?<=[。；;])", text)
    return [part.strip() for part in parts if part.strip()]
