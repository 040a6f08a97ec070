"""Importer for 浙江省社会信用体系建设“十四五”规划（征求意见稿）: the province's
indicators for 2021-2025.

Two sources in the document, read differently:
- 表4 “十四五”规划主要目标表, a Word table converted one cell per line (each
  line starting with a tab; a header cell broken over lines): 7 indicators
  with a 2020 baseline, a 2025 target and the attribute 约束性/预期性;
- targets written in the text from 二（三）主要目标 on ("到2025年底…达到80%以上").
  Several restate a 表4 row in other words; the table's version is kept, as
  it carries the baseline and the attribute.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from importers.dates import YEAR, Due
from importers.kpi import extract_targets, name_similarity, parse_quantity
from importers.front import Given
from importers.parsed import (
    DocumentError,
    ParsedFinding,
    ParsedIndicator,
    ParsedPlan,
    SourceRef,
    Target,
)

KIND = "indicator_plan"  # ParsedPlan.kind, and the name a user picks it by

TITLE = "浙江省社会信用体系建设“十四五”规划（征求意见稿）"
# The draft names no issuing body (it is unsigned; "信用浙江建设联席会议" appears
# only as a mechanism to improve), so the issuer is the province itself.
ISSUER = "浙江省"
ROWS = 7  # 表4 has seven indicators
ATTRIBUTES = ("约束性", "预期性")

_TITLE_LINE = re.compile(r"^\s*浙江省社会信用体系建设[“\"]十四五[”\"]规划\s*$")
_TABLE_TITLE = re.compile(r"^\s*表\s*4\s*[“\"]十四五[”\"]规划主要目标表\s*$")
_PERIOD = re.compile(r"规划期为\s*(\d{4})\s*[-—–至]\s*(\d{4})\s*年")
_GOALS = re.compile(r"^\s*（三）\s*主要目标\s*$")
_LAST_SECTION = re.compile(r"^\s*六、\s*保障措施\s*$")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|表\s*\d)")
_BASE_YEAR = re.compile(r"(\d{4})年基期值")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
# "每个地市至少成立1个…": a target for every city, not a province figure.
_PER_REGION = re.compile(r"每个?(?:地市|设区市|市|县)")


def detect(text: str, given: Given = Given()) -> bool:  # noqa: ARG001 — no columns to correct
    """The plan's title line at the top and its 表4 “十四五”规划主要目标表."""
    lines = text.splitlines()
    head = [line for line in lines if line.strip()][:3]
    return any(_TITLE_LINE.match(line) for line in head) and any(
        _TABLE_TITLE.match(line) for line in lines
    )


def parse(text: str, source_file: str, given: Given = Given()) -> ParsedPlan:  # noqa: ARG001 — its years are its own
    """表4's indicators and the text's further targets; DocumentError if the
    document is not this plan, or is truncated or garbled."""

    def fail(zh: str, en: str) -> DocumentError:
        return DocumentError(f"{source_file}: {zh} ({en})")

    if not detect(text):
        raise fail("不是浙江省社会信用体系建设“十四五”规划，或标题、表4已损坏",
                   "not the 14th five-year credit plan, or its title/table 4 is garbled")
    lines = text.splitlines()
    period = _PERIOD.search(text)
    if not period:
        raise fail("找不到规划期“规划期为2021-2025年”", "plan period not found")
    first_year, last_year = int(period.group(1)), int(period.group(2))
    due = Due(f"{last_year}年", date(last_year, 12, 31), YEAR)
    goals = _find(lines, _GOALS)
    if goals is None:
        raise fail("找不到“（三）主要目标”", "section 二（三） main targets not found")
    table_at = _find(lines, _TABLE_TITLE)
    table_end, base_year, body = _table(lines, table_at)
    if base_year is None:
        raise fail(f"表4不完整：应有表头和{ROWS}行完整指标", f"table 4 incomplete: header and {ROWS} full rows expected")
    last_line = [line for line in lines if line.strip()][-1]
    if _find(lines, _LAST_SECTION) is None or not last_line.rstrip().endswith("。"):
        raise fail("文件不完整：缺少“六、保障措施”或末段被截断", "document truncated: section 六 missing or cut")

    table = [_row_indicator(n, row, base_year, due, source_file, fail) for n, row in enumerate(body, 1)]
    text_part = [(n, line) for n, line in enumerate(lines[goals:], goals + 1)
                 if not table_at < n <= table_end]
    title_at = _find(lines, _TITLE_LINE)
    return ParsedPlan(
        doc_no=None,  # a draft for comment has no document number
        title=TITLE,
        issuer=ISSUER,
        # The draft is undated: the start of its plan period (规划期为2021-2025年)
        # stands in for the issue date, and a finding says so.
        issue_date=date(first_year, 1, 1),
        plan_year=first_year,
        kind=KIND,
        source_file=source_file,
        indicators=table + _text_indicators(text_part, table, due, source_file),
        findings=[
            ParsedFinding(
                "assumed_issue_date",
                f"征求意见稿未写成文日期，按规划期起始记为{first_year}年1月1日",
                SourceRef(source_file, text[: period.start()].count("\n") + 1, period.group()),
            ),
            ParsedFinding(
                "assumed_issuer",
                f"征求意见稿未写发文机关，记为“{ISSUER}”",
                SourceRef(source_file, title_at + 1, lines[title_at].strip()),
            ),
        ],
    )


def _find(lines: list[str], pattern: re.Pattern) -> int | None:
    return next((i for i, line in enumerate(lines) if pattern.match(line)), None)


def _table(lines: list[str], title_at: int) -> tuple[int, int | None, list[list[tuple[int, str]]]]:
    """表4: its last line, the baseline year of its header (None unless the
    header and all rows are complete) and its rows of (line number, cell).

    One cell per tab-led line; a line without a tab continues the cell above
    ("2020年基期值" … "（预估）"); a data row starts at its 序号."""
    cells: list[list] = []
    end = title_at + 1
    for n, line in enumerate(lines[title_at + 1:], title_at + 2):
        if line.startswith("\t"):
            cells.append([n, line.strip()])
        elif not line.strip():
            continue
        elif cells and not _SECTION.match(line):
            cells[-1][1] += line.strip()
        else:
            break
        end = n
    rows: list[list[tuple[int, str]]] = [[]]
    for n, cell in cells:
        if cell.isdigit():
            rows.append([])
        rows[-1].append((n, cell))
    header, body = rows[0], rows[1:]
    base_year = len(header) == 5 and _BASE_YEAR.search(header[2][1])
    complete = base_year and len(body) == ROWS and all(
        len(row) == 5 and row[0][1] == str(n) and row[4][1] in ATTRIBUTES
        for n, row in enumerate(body, 1)
    )
    return end, int(base_year.group(1)) if complete else None, body


def _row_indicator(seq: int, row: list[tuple[int, str]], base_year: int, due: Due,
                   source_file: str, fail: Callable[[str, str], DocumentError]) -> ParsedIndicator:
    """One 表4 row.  "翻一番" is twice the baseline; a target below its
    baseline (企业严重失信率 1.78% -> 1.5%) is lower-is-better; a row without
    figures (公共信用评价覆盖范围) is qualitative."""
    (line, _), (_, name), (_, base), (_, goal), (_, attribute) = row
    phrase = "\t".join(cell for _, cell in row)
    baseline, target = parse_quantity(base), parse_quantity(goal)
    common = dict(name=name, baseline_year=base_year, baseline_text=base, target_text=goal, phrase=phrase)
    numeric = baseline is not None and (target is not None or goal == "翻一番")
    qualitative = goal != "翻一番" and not re.search(r"\d", base + goal)
    if not (numeric or qualitative):
        raise fail(f"表4第{seq}行数值无法识别：{phrase}", f"table 4 row {seq}: unreadable figures")
    if qualitative:
        t = Target(unit=None, comparator=None, value=None, qualitative=True, **common)
    elif target is None:
        t = Target(unit=baseline.unit, comparator=">=", value=2 * baseline.value,
                   baseline=baseline.value, **common)
    else:
        lower = target.value < baseline.value
        t = Target(unit=target.unit, comparator=target.comparator or ("<=" if lower else ">="),
                   value=target.value, baseline=baseline.value,
                   direction="lower" if lower else "higher", **common)
    return ParsedIndicator(key=f"表4-{seq}", target=t, source=SourceRef(source_file, line, phrase),
                           scope="province", due=due, attribute=attribute)


def _text_indicators(lines: list[tuple[int, str]], table: list[ParsedIndicator], due: Due,
                     source_file: str) -> list[ParsedIndicator]:
    """Province targets stated in the text, one per sentence found, without
    those that restate a 表4 row or an earlier sentence."""
    found: list[ParsedIndicator] = []
    for n, line in lines:
        k = 0
        for sentence in _SENTENCE.findall(line.strip()):
            for target in extract_targets(sentence):
                known = [i.target for i in table + found]
                if _PER_REGION.search(target.phrase) or any(_restates(target, t) for t in known):
                    continue
                found.append(ParsedIndicator(
                    key=f"L{n}-{k}", target=target, source=SourceRef(source_file, n, sentence.strip()),
                    scope="province", due=due,
                ))
                k += 1
    return found


def _restates(new: Target, known: Target) -> bool:
    """Same goal (value and unit, or both "翻一番") under a similar name:
    '全省信用服务业营业收入规模突破130亿元' restates 表4's '信用服务产业营业收入规模 >130亿'."""
    same_goal = (new.value is None and new.target_text == known.target_text) or (
        new.value is not None and (new.value, new.unit) == (known.value, known.unit)
    )
    return same_goal and name_similarity(new.name, known.name) >= 0.5
