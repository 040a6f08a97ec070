"""What a reporter entered, read from raw cells (a web grid row or a template
row) into typed entries; every problem is kept with its sheet, row and column.

Pure: no store.  Values are read as a person writes them: 已完成 or done,
2020-09-30 / 2020/9/30 / 2020年9月30日 or an Excel date, 1,600 or 1600家 or 85%.
Text is normalised first (control characters, unpaired surrogates and the
spaces around it removed), then judged.  A note that looks like a formula
(=HYPERLINK(…), +cmd, @SUM, -2+3) is kept as the text it is: every output
that a spreadsheet opens writes it as text (components.export), so no channel
refuses it and no stored note can make a later save fail.

A milestone row is judged only when it differs from what the editor loaded
(reporting.check), so a value already in the store never blocks a save: its
unreadable cells stay with its entry, and a note's length is judged there.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from store.models import PROGRESS_STATES

STATE_BY_LABEL = {label: key for key, label in PROGRESS_STATES.items()}
MAX_NOTE = 500
MAX_VALUE = 1e12
MET_WORDS = {"已达成": True, "达成": True, "是": True, "未达成": False, "否": False}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # (and unpaired surrogates)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_NUMBER = re.compile(r"^([-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)\s*((?![\d,，.]).*)$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an entry, where a person finds it."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet] + ([f"第{self.row}行"] if self.row else []) + (
            [f"“{self.column}”"] if self.column else [])
        return f"{' '.join(where)}：{self.message}"


@dataclass(frozen=True)
class MilestoneEntry:
    """A milestone's reported state, the report version the reporter loaded, and
    the cells that could not be read (such a row is an edit: no stored value is
    unreadable)."""

    milestone_id: int
    version: int
    state: str | None
    completed_on: date | None
    note: str
    row: int | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def values(self) -> tuple:
        return self.state, self.completed_on, self.note


@dataclass(frozen=True)
class IndicatorEntry:
    """A new actual of an indicator: a number (with the unit as written) or met/not met."""

    indicator_id: int
    version: int
    value: float | None
    unit_written: str
    met: bool | None
    observed_on: date | None
    note: str
    row: int | None = None


@dataclass
class Reader:
    """Collects the problems of one sheet while its cells are read."""

    sheet: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row, column, message) -> None:
        self.problems.append(Problem(self.sheet, row, column, message))

    def integer(self, value, row, column) -> int | None:
        if isinstance(value, bool) or value in (None, ""):
            self.problem(row, column, "不能为空")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value) < 12:
            value = int(value)
        if isinstance(value, int) and 0 <= value < 2**31:
            return value
        self.problem(row, column, f"“{_shown(value)}”不是有效的编号")
        return None

    def text(self, value, row, column, limit: int | None = MAX_NOTE) -> str:
        """The text, normalised (what is stored and compared); too long is a problem
        (``limit=None``: the caller judges the length, of edits only)."""
        value = normalised(value)
        if limit is not None and len(value) > limit:
            self.problem(row, column, f"不超过 {limit} 字（现为 {len(value)} 字）")
        return value

    def state(self, value, row, column) -> str | None:
        text = self.text(value, row, column)
        if not text:
            return None
        key = STATE_BY_LABEL.get(text) or (text if text in PROGRESS_STATES else None)
        if key is None:
            self.problem(row, column, f"“{text}”不是可选的状态（{'、'.join(STATE_BY_LABEL)}）")
        return key

    def date(self, value, row, column) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            m = _DATE_TEXT.match(normalised(value))
            if m:
                try:
                    return date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    pass
        self.problem(row, column, f"“{_shown(value)}”不是日期（格式：2020-09-30）")
        return None

    def number(self, value, row, column) -> tuple[float | None, str]:
        """A number and the unit written after it ('1,600家' -> 1600.0, '家')."""
        if value in (None, ""):
            return None, ""
        if isinstance(value, bool):
            self.problem(row, column, "应为数值")
            return None, ""
        if isinstance(value, int) and abs(value) > MAX_VALUE:  # (10**400 has no float)
            number, unit = math.inf, ""
        elif isinstance(value, (int, float)):
            number, unit = float(value), ""
        else:
            text = self.text(value, row, column)
            m = _NUMBER.match(text)
            if not m:
                if text:
                    self.problem(row, column, f"“{_shown(text)}”不是数值")
                return None, ""
            number, unit = float(m[1].replace(",", "")), m[2].strip()
        if not math.isfinite(number) or abs(number) > MAX_VALUE:
            self.problem(row, column, f"数值“{_shown(value)}”超出合理范围")
            return None, ""
        return number, unit


def whole_number(value, below: int) -> int | None:
    """``value`` (text of ASCII digits, from a URL or a form) as an integer from
    1 up to ``below``, else None: "²" and "٣" are digits to str.isdigit, not to int."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= len(str(below)) \
        and 0 < int(text) < below else None


def normalised(value) -> str:
    """Text as it is stored: control characters and unpaired surrogates dropped,
    surrounding spaces (full-width ones too) stripped."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else _shown(value)
    return _CONTROL.sub("", text).strip()


def _shown(value) -> str:
    """A value quoted back in a message, shortened."""
    if isinstance(value, int) and abs(value) >= 10**30:
        return "位数过多的数"
    text = _CONTROL.sub("", str(value))
    return text if len(text) <= 30 else text[:30] + "…"


def read_milestone(reader: Reader, cells: dict, row: int | None) -> MilestoneEntry | None:
    """cells: milestone_id, version, state, completed_on, note (anything else, such
    as what the form showed before the edit, is not read: the store says that)."""
    ms_id = reader.integer(cells.get("milestone_id"), row, "节点编号")
    version = reader.integer(cells.get("version"), row, "版本")
    cell_reader = Reader(reader.sheet)
    values = dict(state=cell_reader.state(cells.get("state"), row, "报送状态"),
                  completed_on=cell_reader.date(cells.get("completed_on"), row, "完成日期"),
                  note=cell_reader.text(cells.get("note"), row, "进展说明", limit=None))
    if ms_id is None or version is None:
        return None
    return MilestoneEntry(ms_id, version, row=row, problems=tuple(cell_reader.problems), **values)


def read_indicator(reader: Reader, cells: dict, row: int | None) -> IndicatorEntry | None:
    """cells: indicator_id, version, value, observed_on, note; None when no value was entered."""
    ind_id = reader.integer(cells.get("indicator_id"), row, "指标编号")
    version = reader.integer(cells.get("version"), row, "版本")
    raw = cells.get("value")
    met = MET_WORDS.get(raw.strip()) if isinstance(raw, str) else None
    value, unit = (None, "") if met is not None else reader.number(raw, row, "本期实际值")
    observed_on = reader.date(cells.get("observed_on"), row, "数据截至日期")
    note = reader.text(cells.get("note"), row, "说明")
    if ind_id is None or version is None or (value is None and met is None):
        if (observed_on or note) and ind_id is not None and raw in (None, ""):
            reader.problem(row, "本期实际值", "填写了日期或说明，但没有填写实际值")
        return None
    return IndicatorEntry(ind_id, version, value, unit, met, observed_on, note, row)


@dataclass(frozen=True)
class Report:
    """One monthly report of a scope: the period, what was entered, how it came."""

    period: str
    milestones: tuple[MilestoneEntry, ...] = ()
    indicators: tuple[IndicatorEntry, ...] = ()
    channel: str = "web"  # web | excel | cli
    file_name: str | None = None
    problems: tuple[Problem, ...] = ()  # found while reading it (the check adds those of the edited rows)
