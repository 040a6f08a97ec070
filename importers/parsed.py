"""What an importer reads out of a document, before anything touches the store.

Parsers are pure functions ``text -> ParsedPlan``; ``importers.loader`` writes a
ParsedPlan into the database.  Keeping the two apart lets the parsers be tested
on the documents alone and lets one loader enforce idempotency for all of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from importers.dates import DONE, Due


class DocumentError(ValueError):
    """The document cannot be imported (unrecognised, truncated, garbled).

    Raised before anything is written, so a bad file changes nothing.
    """


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: file name, 1-based line (of the text the
    file was read as), the sentence itself, the table column it was read
    from, and for a Word, Excel or PDF file the place in it (表2第5行第3列,
    工作表「附件」C7, 第3页)."""

    file: str
    line: int
    text: str
    where: str | None = None
    column: int | None = None  # 0-based, of the table row on ``line``


@dataclass
class ParsedDepartment:
    name: str
    role: str  # "lead" (牵头/责任) or "coop" (配合)


@dataclass
class ParsedMilestone:
    seq: int
    text: str  # the work to be done, cleaned for display
    due: Due  # due date, the phrase as written, its precision
    source: SourceRef
    due_inherited: bool = False  # no date of its own: the item's deadline applies


@dataclass
class ParsedItem:
    """A scene (场景), sub-scene, project (项目), task (任务) or task group."""

    key: str  # stable within the plan: re-imports update the same row
    kind: str  # scene | sub_scene | project | task | group
    number: str | None
    name: str
    source: SourceRef
    city: str | None = None  # 杭州 … 丽水 (short names)
    county: str | None = None  # 萧山区 …
    item_type: str | None = None  # 新增 / 优化
    scope: str | None = None  # 全市推进 / 全市推广 / 县市区试点 / 全市
    description: str | None = None
    deadline: Due | None = None
    departments: list[ParsedDepartment] = field(default_factory=list)
    milestones: list[ParsedMilestone] = field(default_factory=list)
    children: list["ParsedItem"] = field(default_factory=list)


@dataclass
class Target:
    """A numeric or qualitative target as read from a sentence."""

    name: str
    unit: str | None
    comparator: str | None  # ">=", ">", "<=", "<", "="; None when qualitative
    value: float | None  # the target; for a range "1-2个" the lower bound
    value_max: float | None = None  # upper bound of a range
    baseline: float | None = None
    baseline_year: int | None = None
    direction: str = "higher"  # or "lower" (企业严重失信率)
    qualitative: bool = False
    target_text: str | None = None  # as written: "翻一番", ">130亿", "10个以上"
    baseline_text: str | None = None
    phrase: str = ""  # the words the target was read from


@dataclass
class ParsedIndicator:
    key: str
    target: Target
    source: SourceRef
    scope: str = "province"  # province | city | item
    city: str | None = None
    item_key: str | None = None  # for KPIs of a work item
    milestone_seq: int | None = None  # the milestone whose text stated it
    due: Due | None = None
    attribute: str | None = None  # 约束性 / 预期性


@dataclass
class ParsedFinding:
    """A data-quality finding: recorded, shown, never silently 'fixed'."""

    kind: str  # missing_deadline | due_after_deadline | unparsed_date | unknown_city | ...
    message: str
    source: SourceRef
    item_key: str | None = None
    milestone_seq: int | None = None


@dataclass
class ParsedPlan:
    doc_no: str | None
    title: str
    issuer: str
    issue_date: date
    plan_year: int
    kind: str  # scene_plan | project_list | task_division | indicator_plan | work_points (prose)
    source_file: str
    city: str | None = None  # the city whose own plan it is; None: the province's (every city is measured on it)
    items: list[ParsedItem] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    findings: list[ParsedFinding] = field(default_factory=list)
    left_out: list[SourceRef] = field(default_factory=list)  # read but not imported (a preview lists them)

    def locate(self, places: list) -> None:
        """Give every record's source its place in the file (``places``: one
        importers.formats.Place per line of the text the file was read as)."""
        def placed(ref: SourceRef) -> SourceRef:
            return replace(ref, where=places[ref.line - 1].at(ref.column)) if 0 < ref.line <= len(places) else ref

        for item in self.walk_items():
            item.source = placed(item.source)
            for milestone in item.milestones:
                milestone.source = placed(milestone.source)
        for record in (*self.indicators, *self.findings):
            record.source = placed(record.source)
        self.left_out = [placed(ref) for ref in self.left_out]

    def judge_early_dues(self) -> None:
        """A milestone due before its plan was issued (湖州's 一季度 in a plan of
        June) cannot have been late before the plan existed: it is judged
        from the issue date — that is its due — and a finding says so, the
        phrase kept as written."""
        for item in self.walk_items():
            for m in item.milestones:
                if m.due.due and m.due.due < self.issue_date and m.due.precision != DONE:
                    self.findings.append(ParsedFinding(
                        "due_before_issue", f"{item.key} 第{m.seq}项节点时间「{m.due.text}」（{m.due.due}）"
                        f"早于计划印发日（{self.issue_date}），按印发日判断是否逾期", m.source, item.key, m.seq))
                    m.due = replace(m.due, due=self.issue_date)

    def walk_items(self):
        """Every item, parents before children."""
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))
