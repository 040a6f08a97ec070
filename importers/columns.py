"""A plan table's columns by what they mean, read from the header's words:
the same table with a column renamed (时间进度 → 完成时限), moved, added or
left out is read alike.

A header cell names one role through its synonyms; a blank header cell beside
a named one continues it (a header merged across two columns: 工作任务 over
the task group and the task); a header of two rows (a merged top row over its
sub-headers) reads its lower row where the upper is merged or blank.

Two kinds of table have a header: a plan table (its rows are items: tasks,
projects, scenes) and an indicator table (its rows are indicators with a
target, often a baseline, a unit and an attribute; a column headed only by a
year — 2020年 | 2025年 — is the baseline before the target).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from importers.text import normalize, strip_html

# role -> the header words that name it, most specific first
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "city": ("设区市", "地市", "地区", "城市", "县（市、区）", "县(市、区)", "区县", "县市区"),
    "group": ("重点工作", "任务类别", "工作类别", "领域", "类别", "主要任务"),
    "item": ("应用场景", "场景名称", "创新应用项目", "项目名称", "工作任务", "具体任务", "重点任务",
             "工作内容", "主要内容", "任务名称", "项目", "任务", "事项"),
    "type": ("场景类型", "类型"),
    "scope": ("推进范围", "实施范围"),
    "plan": ("场景介绍及工作计划", "工作目标及进度安排", "进度安排", "工作计划", "推进计划", "具体措施",
             "工作举措", "时间节点", "工作措施", "实施步骤"),
    "lead": ("牵头责任单位", "牵头部门", "牵头单位", "责任单位", "责任部门", "主办单位", "责任主体",
             "牵头领导及单位", "负责单位"),
    "coop": ("配合部门", "配合单位", "协办单位", "参与单位", "协同单位"),
    "deadline": ("完成时间", "完成时限", "完成期限", "时间进度", "时间要求", "时间安排", "时限", "完成节点"),
    "indicator": ("指标名称", "主要指标", "指标内容", "指标项", "指标"),
    "unit": ("计量单位", "单位"),
    "baseline": ("基期值", "基准值", "现状值", "基期", "基数", "现状"),
    "target": ("目标值", "预期值", "预期目标", "目标"),
    "attribute": ("指标属性", "指标性质", "属性", "性质"),
}
# A group word after the item column describes the item (湖州's 主要任务 beside 创新应用项目).
_DESCRIBES = "description"


@dataclass(frozen=True)
class Header:
    line: int  # 0-based index of the header's (last) line
    roles: tuple[str | None, ...]  # each column's role; "item" may appear twice (task group, task)
    words: tuple[str, ...]  # the header as written, per column

    def index(self, role: str) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r == role), None)

    def indexes(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def has(self, *roles: str) -> bool:
        return all(role in self.roles for role in roles)


def _words(cell: str) -> str:
    return re.sub(r"\s+", "", normalize(strip_html(cell)))


def role_of(word: str) -> str | None:
    """The role a header cell names: exactly, else by the synonym it contains."""
    if not word:
        return None
    for role, names in SYNONYMS.items():
        if word in names:
            return role
    found = [((len(name), word.endswith(name)), role) for role, names in SYNONYMS.items() for name in names
             if len(name) >= 2 and name in word]  # the longest; of equals, the head noun (项目类型: 类型)
    return max(found, key=lambda pair: pair[0])[1] if found else None


def read_header(cells: list[str]) -> tuple[str | None, ...] | None:
    """Each column's role from one header row; None when the row is not a plan
    table's header (it must name an item and at least two other roles, and
    name no role twice but an item spanning its blank neighbour) nor an
    indicator table's (an indicator, its target and one more role)."""
    words = [_words(cell) for cell in cells]
    roles: list[str | None] = [role_of(word) for word in words]
    if "indicator" in roles and "item" not in roles:
        return _indicator_header(words, roles)
    for i in range(1, len(roles)):  # a blank header continues a merged one
        if not words[i] and roles[i - 1] == "item":
            roles[i] = "item"
    item_at = next((i for i, r in enumerate(roles) if r == "item"), None)
    groups = [i for i, r in enumerate(roles) if r == "group" and (item_at is None or i < item_at)]
    for i in groups[1:2]:  # 重点工作 | 主要任务 | 具体任务: the second level groups the tasks
        roles[i] = "item"
    item_at = next((i for i, r in enumerate(roles) if r == "item"), None)
    for i, role in enumerate(roles):
        if role == "group" and item_at is not None and i > item_at:
            roles[i] = _DESCRIBES
    named = [r for r in roles if r]
    if item_at is None or len(set(named)) < 3:
        return None
    repeated = {r for r in named if named.count(r) > 1}
    if repeated - {"item"} or named.count("item") > 2:
        return None
    return tuple(roles)


_YEAR_ONLY = re.compile(r"((?:19|20)\d\d)年(?:[(（][^)）]*[)）])?")


def _indicator_header(words: list[str], roles: list[str | None]) -> tuple[str | None, ...] | None:
    """An indicator table's roles: columns headed only by a year are the
    baseline (the earliest) and the target (the latest) where no column
    names them; a column of a year between (2021年, 2022年 …) is left alone."""
    years = [(int(found.group(1)), i) for i, word in enumerate(words)
             if not roles[i] and (found := _YEAR_ONLY.fullmatch(word))]
    if len(years) >= 2 and "baseline" not in roles:
        roles[min(years)[1]] = "baseline"
    if years and "target" not in roles:
        roles[max(years)[1]] = "target"
    named = [r for r in roles if r]
    if "target" not in named or len(set(named)) < 3 or len(named) != len(set(named)):
        return None
    return tuple(roles)


def header_year(word: str) -> int | None:
    """The year a baseline or target column is of: 2020年基期值（预估） -> 2020."""
    found = re.search(r"((?:19|20)\d\d)年", word)
    return int(found.group(1)) if found else None


def find_header(lines: list[str], roles: tuple[str | None, ...] | None = None) -> Header | None:
    """The first table header among text lines (tab-separated cells), its
    second row joined where it has one; ``roles`` (as many as its columns)
    replace the roles read from its words (the importing user's correction)."""
    header = _first_header(lines)
    if header is None or roles is None or len(roles) != len(header.roles):
        return header
    return Header(header.line, tuple(role if role in ROLES else None for role in roles), header.words)


ROLES = (*SYNONYMS, _DESCRIBES)  # every role a column can have


def _first_header(lines: list[str], start: int = 0) -> Header | None:
    for i in range(start, len(lines)):
        if "\t" not in lines[i]:
            continue
        cells = lines[i].split("\t")
        roles = read_header(cells)
        below = lines[i + 1].split("\t") if i + 1 < len(lines) and "\t" in lines[i + 1] else None
        if below is not None and len(below) == len(cells):
            joined = [low if (low.strip() and (not top.strip() or role_of(_words(low)))) else top
                      for top, low in zip(cells, below)]
            two_rows = read_header(joined)
            if two_rows and (roles is None or len(set(filter(None, two_rows))) > len(set(filter(None, roles)))):
                return Header(i + 1, two_rows, tuple(_words(c) for c in joined))
        if roles:
            return Header(i, roles, tuple(_words(c) for c in cells))
    return None


def is_repeat(line: str, header: Header) -> bool:
    """The header repeated on a later page."""
    return tuple(_words(cell) for cell in line.split("\t")) == header.words
