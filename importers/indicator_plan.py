"""Indicator plans: a plan whose targets stand in a table of indicators —
指标名称 | 单位 | 基期值 | 目标值 | 属性, in any order and in the words any office
uses (importers.columns), a column per city or none — and the targets its
text states from its goals section (主要目标, 发展目标 …) on.  The 十四五
credit plan's 表4 is one such table, converted one cell per line
(importers.table.join_cell_lines reads it as rows).

A text target restating a table row in other words is left out: the table's
version carries the baseline and the attribute.  What the plan does not
state about itself (an undated draft, an unsigned one) is assumed from what
it does state, and a finding says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from importers.columns import Header, find_header, header_year
from importers.dates import YEAR, Due, parse_due
from importers.front import Front, Given, read_front
from importers.kpi import Quantity, extract_targets, name_similarity, parse_quantity
from importers.parsed import (
    DocumentError,
    ParsedFinding,
    ParsedIndicator,
    ParsedPlan,
    SourceRef,
    Target,
)
from importers.table import failer, join_cell_lines, table_rows
from importers.text import clean, find_city

KIND = "indicator_plan"  # ParsedPlan.kind, and the name a user picks it by

_TABLE_LABEL = re.compile(r"表\s*(\d+)")
_GOALS = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节])"
                    r"\s*(?:主要|发展|总体|工作|规划|预期)?目标")
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+、")
_PERIOD = re.compile(r"((?:19|20)\d\d)\s*[-—–~至到]\s*((?:19|20)\d\d)\s*年")
_FIVE_YEAR = {"十三五": 2016, "十四五": 2021, "十五五": 2026}
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,3}市)")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_ENDS_SENTENCE = re.compile(r"[。！？；）)”]$")
_BARE_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_DOUBLING = {"翻一番": 2, "翻番": 2, "翻两番": 4}
_WHOLE_PROVINCE = ("全省", "合计", "总计", "省级", "")
# "每个地市至少成立1个…": a target for every city, not the plan's own figure.
_PER_REGION = re.compile(r"每个?(?:地市|设区市|市|县)")


def fits(header: Header) -> bool:
    return header.has("indicator", "target") and not header.has("item")


def detect(text: str, given: Given = Given()) -> bool:
    """A table of indicators with their targets."""
    header = find_header(join_cell_lines(text.split("\n")), given.roles)
    return header is not None and fits(header)


@dataclass(frozen=True)
class _Period:
    first: int
    last: int
    source: SourceRef | None  # where the document states it


def parse(text: str, source_file: str, given: Given = Given()) -> ParsedPlan:
    """The table's indicators and the text's further targets; DocumentError
    when there is no indicator table, or the document is truncated or garbled."""
    fail = failer(source_file)
    lines = join_cell_lines([line.rstrip("\r") for line in text.split("\n")])
    header = find_header(lines, given.roles)
    if header is None or not fits(header):
        fail(None, "未找到指标表表头（应有指标名称、目标值等列）", "no indicator table header")
    if "\ufffd" in text:
        fail(None, "文件含无法识别的字符（乱码），请用原文件重新导出后上传", "the text holds undecodable characters")
    end = next((i for i in range(header.line + 1, len(lines)) if lines[i].strip() and "\t" not in lines[i]),
               len(lines))
    rows = table_rows(lines[:end], header, fail)
    _check_complete(lines, header, end, fail)
    front = read_front(lines, header.line, given)
    period = _period(front, lines, source_file, given)
    if period is None:
        fail(None, "无法从标题或正文确定规划年份，请指定年份后再导入", "the plan year is not stated: give it")
    plan = ParsedPlan(doc_no=front.doc_no, title=front.title or "指标表", issuer=front.issuer or "",
                      issue_date=front.issue_date or date(period.first, 1, 1), plan_year=period.first,
                      kind=KIND, source_file=source_file, city=None if front.provincial else front.city)
    _assume_what_is_unstated(plan, front, lines, period, source_file)
    table = _Table(plan, header, lines, period, front, source_file, fail)
    for line_no, cells in rows:
        table.read_row(line_no, cells)
    goals = next((i for i, line in enumerate(lines) if _GOALS.match(line)), None)
    if goals is not None:
        text_part = [(n, line) for n, line in enumerate(lines[goals:], goals + 1)
                     if not header.line < n <= end]  # (the table's rows are read above)
        plan.indicators += _text_indicators(text_part, plan.indicators, table.due, table.scope, source_file)
    return plan


def _check_complete(lines: list[str], header: Header, end: int, fail) -> None:
    """A plan cut short: its last paragraph stops mid-sentence, or a table
    inside its numbered sections (not an annex) has nothing after it."""
    after = [line.strip() for line in lines[end:] if line.strip()]
    if after:
        last = after[-1]
        if len(last) > 30 and not _ENDS_SENTENCE.search(last):
            fail(None, "文件末段在句中截断，文件不完整", "the last paragraph is cut mid-sentence: truncated")
        return
    before = lines[:header.line]
    in_body = any(_SECTION.match(line) for line in before) and not any(
        line.strip().startswith("附件") for line in before)
    if in_body:
        fail(None, "正文在指标表处结束，表格之后的内容缺失，文件不完整",
             "the text ends at its table: the rest of the document is missing")


def _period(front: Front, lines: list[str], source_file: str, given: Given) -> _Period | None:
    """The years the plan runs: a range in its title (2021—2023年), else a
    sentence naming its 规划期, else a five-year plan its title names (十四五),
    else the plan year (its title's, its number's or date's, or given)."""
    title_at = next((n for n, line in enumerate(lines, 1) if front.title and front.title in line), 1)
    title = front.title or ""
    found = _PERIOD.search(title)
    if found:
        years = int(found.group(1)), int(found.group(2))
        return _Period(given.year or years[0], years[1], SourceRef(source_file, title_at, found.group()))
    for n, line in enumerate(lines, 1):
        if "规划期" in line and (found := _PERIOD.search(line[line.index("规划期"):])):
            start = line.index("规划期")
            return _Period(given.year or int(found.group(1)), int(found.group(2)),
                           SourceRef(source_file, n, line[start:start + found.end()]))
    five = next((year for name, year in _FIVE_YEAR.items() if name in title), None)
    if five:
        return _Period(given.year or five, five + 4, SourceRef(source_file, title_at, title))
    if front.plan_year:
        return _Period(front.plan_year, front.plan_year, None)
    return None


def _assume_what_is_unstated(plan: ParsedPlan, front: Front, lines: list[str], period: _Period,
                             source_file: str) -> None:
    """An undated plan is dated at the start of its period, an unsigned one is
    the place its title begins with (浙江省…): each said by a finding."""
    if front.issue_date is None:
        plan.findings.append(ParsedFinding(
            "assumed_issue_date", f"文件未写成文日期，按规划期起始记为{period.first}年1月1日",
            period.source or SourceRef(source_file, 1, plan.title)))
    if front.issuer is None:
        place = _PLACE.match(plan.title)
        if place is None:
            raise DocumentError(f"{source_file}: 无法识别发文机关：文件头、落款和标题都没有写明 "
                                "(the issuer is not stated)")
        plan.issuer = place.group(1)
        title_at = next((n for n, line in enumerate(lines, 1) if plan.title.split("（")[0] in line), 1)
        plan.findings.append(ParsedFinding(
            "assumed_issuer", f"文件未写发文机关，按标题记为“{plan.issuer}”",
            SourceRef(source_file, title_at, lines[title_at - 1].strip())))


class _Table:
    """Reading the indicator table's rows: each row's target against its
    baseline, in the unit its 单位 column gives, for the city its 地市 column
    or the plan names, due at its own time or the table's target year."""

    def __init__(self, plan: ParsedPlan, header: Header, lines: list[str], period: _Period,
                 front: Front, source_file: str, fail):
        self.plan, self.header, self.lines, self.source_file, self.fail = plan, header, lines, source_file, fail
        label = next((found.group() for line in reversed(lines[max(0, header.line - 3):header.line])
                      if (found := _TABLE_LABEL.search(line))), "表")
        self.label = label.replace(" ", "")
        target_year = header_year(header.words[header.index("target")]) or period.last
        self.due = Due(f"{target_year}年", date(target_year, 12, 31), YEAR)
        baseline = header.index("baseline")
        self.baseline_year = header_year(header.words[baseline]) if baseline is not None else None
        self.scope = ("city", front.city) if front.city else ("province", None)
        self.count = 0

    def cell(self, cells: list[str], role: str) -> str:
        at = self.header.index(role)
        return clean(cells[at]) if at is not None else ""

    def read_row(self, line_no: int, cells: list[str]) -> None:
        name = self.cell(cells, "indicator")
        if not name or sum(bool(cell.strip()) for cell in cells) == 1:
            return  # a heading row (一、信用基础设施) spanning the table
        phrase = "\t".join(cell.strip() for cell in cells)
        source = SourceRef(self.source_file, line_no, self.lines[line_no - 1].strip(),
                           column=self.header.index("indicator"))
        scope = self._scope(cells, source)
        if scope is None:
            return
        self.count += 1
        deadline = self.cell(cells, "deadline")
        due = parse_due(deadline, self.plan.plan_year) if deadline else None
        self.plan.indicators.append(ParsedIndicator(
            key=f"{self.label}-{self.count}", target=self._target(name, cells, phrase, line_no), source=source,
            scope=scope[0], city=scope[1], due=due if due and due.due else self.due,
            attribute=self.cell(cells, "attribute") or None,
        ))

    def _scope(self, cells: list[str], source: SourceRef) -> tuple[str, str | None] | None:
        """("city", 湖州) or ("province", None); None, with a finding, for a
        row of a place that is not one of the cities."""
        if self.header.index("city") is None:
            return self.scope
        place = self.cell(cells, "city")
        city = find_city(place)
        if city:
            return "city", city
        if place in _WHOLE_PROVINCE:
            return self.scope
        self.plan.findings.append(ParsedFinding(
            "unknown_city", f"指标行的地市「{place}」不是设区市，未导入",
            replace(source, column=self.header.index("city"))))
        self.plan.left_out.append(source)
        return None

    def _target(self, name: str, cells: list[str], phrase: str, line_no: int) -> Target:
        """"翻一番" is twice the baseline; a target below its baseline
        (企业严重失信率 1.78% -> 1.5%) or capped (以内, 控制在) is lower-is-better;
        a row without figures (全面覆盖五类主体) is qualitative."""
        unit = self.cell(cells, "unit") or None
        base, goal = self.cell(cells, "baseline"), self.cell(cells, "target")
        baseline, target = parse_quantity(base, unit), parse_quantity(goal, unit)
        common = dict(name=name, baseline_year=self.baseline_year, baseline_text=_in_unit(base, unit) or None,
                      target_text=_in_unit(goal, unit), phrase=phrase)
        times = next((k for word, k in _DOUBLING.items() if word in goal), None)
        if times and baseline is not None:
            return Target(unit=baseline.unit, comparator=">=", value=times * baseline.value,
                          baseline=baseline.value, **common)
        if target is not None:
            return _against(target, baseline, common)
        if not times and not re.search(r"\d", base + goal) and goal:
            return Target(unit=unit, comparator=None, value=None, qualitative=True, **common)
        self.fail(line_no, f"指标「{name}」的目标值无法识别：{goal or '（空）'}",
                  f"indicator {name}: unreadable target")


def _in_unit(figure: str, unit: str | None) -> str:
    """A bare figure as the row states it, with its 单位 column: 98 | % -> 98%."""
    return f"{figure}{unit}" if unit and _BARE_FIGURE.fullmatch(figure) else figure


def _against(target: Quantity, baseline: Quantity | None, common: dict) -> Target:
    lower = target.comparator in ("<=", "<") or (
        target.comparator is None and baseline is not None and target.value < baseline.value)
    return Target(unit=target.unit, comparator=target.comparator or ("<=" if lower else ">="),
                  value=target.value, value_max=target.value_max,
                  baseline=baseline.value if baseline else None,
                  direction="lower" if lower else "higher", **common)


def _text_indicators(lines: list[tuple[int, str]], known: list[ParsedIndicator], due: Due,
                     scope: tuple[str, str | None], source_file: str) -> list[ParsedIndicator]:
    """Targets stated in the text, one per sentence found, without those that
    restate a table row or an earlier sentence."""
    found: list[ParsedIndicator] = []
    for n, line in lines:
        for sentence in _SENTENCE.findall(line.strip()):
            for target in extract_targets(sentence):
                if _PER_REGION.search(target.phrase) or any(_restates(target, i.target) for i in known + found):
                    continue
                found.append(ParsedIndicator(
                    key=_text_key(target.name, found), target=target,
                    source=SourceRef(source_file, n, sentence.strip()), scope=scope[0], city=scope[1], due=due,
                ))
    return found


def _text_key(name: str, found: list[ParsedIndicator]) -> str:
    """A text target's key is its name (a corrected edition that moves the
    sentence keeps it), numbered when the name comes again."""
    key = f"文:{name}"[:130]
    taken = {i.key for i in found}
    return next(k for n in range(1, len(found) + 2) if (k := key if n == 1 else f"{key}#{n}") not in taken)


def _restates(new: Target, known: Target) -> bool:
    """Same goal (value and unit, or both "翻一番") under a similar name:
    '全省信用服务业营业收入规模突破130亿元' restates 表4's '信用服务产业营业收入规模 >130亿'."""
    same_goal = (new.value is None and new.target_text == known.target_text) or (
        new.value is not None and (new.value, new.unit) == (known.value, known.unit)
    )
    return same_goal and name_similarity(new.name, known.name) >= 0.5
