"""Chinese plan-date grammar (DESIGN §4): due phrases as written -> dates.

One module, used by every importer.  The phrase as written is always kept
beside the parsed date and its precision, so that a user can check it.

Matching runs on a normalised copy of the text (full-width digits and
punctuation made half-width, spaces dropped) that remembers where each
character came from, so "2020 年 6 月底前" matches like "2020年6月底前" and is
still returned as written.  A small ordered set of rules recognises the
phrases; the leftmost phrase wins, the longest at the same place.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

# precision values
DAY, TEN_DAYS, MONTH, QUARTER, HALF_YEAR, YEAR = "day", "ten_days", "month", "quarter", "half_year", "year"
OPEN = "open"  # 持续推进, 无, 待…后: no due date, never overdue, flagged
DONE = "done"  # 已完成: complete at import
UNPARSED = "unparsed"  # a phrase the grammar does not know: flagged


@dataclass(frozen=True)
class Due:
    text: str  # the phrase as written
    due: date | None
    precision: str
    start: date | None = None  # for ranges: 2019年5月28日-2020年4月30日, 8月-11月份


def parse_due(text: str, plan_year: int) -> Due:
    """Parse a whole due cell/phrase (完成时间, 时间进度).

    The cell is kept whole as the phrase: "2019年12月底前实现平台试运行(2020年3月…)"
    is due on its first date.  A cell saying 已完成 is done (with its date, if
    it gives one); 无, 持续推进, 待…后 or an empty cell are open-ended.
    """
    written = text.strip()
    norm, _ = _normalize(written)
    found = _first_date(written, plan_year)
    if _DONE.search(norm):
        return Due(written, found.due if found else None, DONE)
    if found:
        return replace(found, text=written)
    if norm in _NONE_WORDS or _OPEN.search(norm):
        return Due(written, None, OPEN)
    return Due(written, None, UNPARSED)


def find_due(sentence: str, plan_year: int) -> Due | None:
    """Find the due phrase inside a milestone sentence; None if it has none.

    The first dated phrase wins ("三季度完成授信6亿元，到年底完成…" -> 三季度).
    Without one, an open or done marker counts only where it is plainly a time
    ("(完成时间:持续推进)", "(已完成)", a sentence that is only "持续推进"), so
    that "对已完成整改的企业…" is not read as done.
    """
    found = _first_date(sentence, plan_year)
    if found:
        return found
    norm, index = _normalize(sentence)
    mark = _MARKED.search(norm)
    if not mark:
        return None
    word = next(name for name in ("label", "bracket", "whole") if mark.group(name))
    return parse_due(_written(sentence, index, *mark.span(word)), plan_year)


def written_date(text: str) -> date | None:
    """A full date standing alone, as under a signature: "2019年6月26日" or the
    closing "2019年6月26日印发"; None for anything else."""
    norm, _ = _normalize(text)
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:印发)?", norm)
    try:
        return date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


def deadline_issue(due: Due) -> str | None:
    """The data-quality finding a deadline calls for, if any: 'missing_deadline'
    (blank, 无), 'open_deadline' (持续推进, 待…后) or 'unparsed_date'."""
    if due.precision == UNPARSED:
        return "unparsed_date"
    if due.precision == OPEN:
        return "missing_deadline" if _normalize(due.text)[0] in _NONE_WORDS else "open_deadline"
    return None


# --- normalising -----------------------------------------------------------

def _normalize(text: str) -> tuple[str, list[int]]:
    """Half-width text without spaces, Chinese numerals of a date in digits
    (二〇二〇年六月 -> 2020年6月), and each character's index in `text`."""
    chars, index = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                chars.append(c)
                index.append(i)
    norm = "".join(chars)
    for found in reversed(list(_CN_DATE_NUMBER.finditer(norm))):
        digits = _cn_digits(found.group())
        if digits is None:
            continue
        start, end = found.span()
        first, last = index[start], index[end - 1]
        norm = norm[:start] + digits + norm[end:]
        index[start:end] = [first] * (len(digits) - 1) + [last]
    return norm, index


_CN_DIGIT = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_DATE_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+(?=[年月日号])")


def _cn_digits(numeral: str) -> str | None:
    """二〇二〇 -> 2020 (digit by digit), 十二 -> 12, 二十一 -> 21, 三十 -> 30."""
    if "十" not in numeral:
        return "".join(str(_CN_DIGIT[c]) for c in numeral)
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    return str((_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0))


def _written(text: str, index: list[int], start: int, end: int) -> str:
    """The original text behind normalised positions start:end."""
    return text[index[start]: index[end - 1] + 1]


# --- the rules -------------------------------------------------------------

def _year(name: str) -> str:
    """An optional year: 2021年, or one relative to the plan's (次年, 明年, 当年…)."""
    return rf"(?:(?P<{name}>\d{{4}})年|(?P<{name}_rel>{_RELATIVE_YEAR})年)?"


_RELATIVE_YEAR = "次|明|翌|来|当|今|本"


_BY = r"(?:之前|以前|前)?"  # 6月底前: "by" adds nothing to the date
_TO = r"[-~—–至到]"  # range separators
_Q = r"[一二三四1-4]"
# Within-month words: 上旬 and 初 by the 10th, 中旬 and 中上旬 by the 20th
# (precision TEN_DAYS); 底, 末, 下旬, 中下旬 by the month's end.  Likewise
# "3月前" reads as by March's end.
_IN_MONTH = r"(?P<xun>底|末|初|中上旬|中下旬|上旬|中旬|下旬)?"
_XUN_DAY = {"初": 10, "上旬": 10, "中旬": 20, "中上旬": 20}
_AFTER = r"(?P<after>之后|以后)"  # 三季度之后 / 6月以后: an open start after that period
_FULL_YEAR_WORK = r"工作|推进|实施|开展|完成|内"
_QUARTER_NO = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _y(match: re.Match, name: str, plan_year: int) -> int:
    written = match.groupdict().get(name)
    if written:
        return int(written)
    relative = match.groupdict().get(f"{name}_rel")
    return plan_year + 1 if relative and relative in "次明翌来" else plan_year


def _range(m: re.Match, plan_year: int):
    """2019年5月28日-2020年4月30日, 2019年7-9月, 8月-11月份."""
    y1 = _y(m, "y1", plan_year)
    y2 = _y(m, "y2", y1)
    start = date(y1, int(m["m1"]), int(m["d1"] or 1))
    end = (date(y2, int(m["m2"]), int(m["d2"])) if m["d2"]
           else _month_end(y2, int(m["m2"])))
    if end < start and not m["y2"]:  # 11月-2月: into the next year
        end = end.replace(year=end.year + 1)
    return end, DAY if m["d2"] else MONTH, start


def _from(m: re.Match, plan_year: int):
    """10月开始: a start without an end."""
    return None, OPEN, date(_y(m, "y", plan_year), int(m["m"]), int(m["d"] or 1))


def _day(m: re.Match, plan_year: int):
    return date(_y(m, "y", plan_year), int(m["m"]), int(m["d"])), DAY, None


def _month(m: re.Match, plan_year: int):
    y, month = _y(m, "y", plan_year), int(m["m"])
    if m["after"]:
        return _after(_month_end(y, month))
    if m["xun"] in _XUN_DAY:
        return date(y, month, _XUN_DAY[m["xun"]]), TEN_DAYS, None
    return _month_end(y, month), MONTH, None


def _after(end: date):
    """三季度之后, 6月以后: work that starts after ``end``, with no due date (open)."""
    return None, OPEN, date.fromordinal(end.toordinal() + 1)


def _month_day(m: re.Match, plan_year: int):
    """6.30前: the plan year's 30 June."""
    return date(plan_year, int(m["m"]), int(m["d"])), DAY, None


def _within_year(m: re.Match, plan_year: int):
    """年内, 年内完成: by the plan year's end."""
    return date(plan_year, 12, 31), YEAR, None


def _dotted(m: re.Match, plan_year: int):
    """2020.12 (the 完成时间 column of the scene plan), 2020.12.31, 2020-06-30, 2020/6/30."""
    if m["d"]:
        return date(int(m["y"]), int(m["m"]), int(m["d"])), DAY, None
    return _month_end(int(m["y"]), int(m["m"])), MONTH, None


def _quarters(m: re.Match, plan_year: int):
    """一季度, 1-2 季度, 二季度、三季度: due at the last quarter's end."""
    numbers = [_QUARTER_NO[q] for q in re.findall(_Q, m["qs"])]
    y = _y(m, "y", plan_year)
    first, last = min(numbers), max(numbers)
    if m["after"]:
        return _after(_month_end(y, 3 * last))
    start = date(y, 3 * first - 2, 1) if last > first else None
    return _month_end(y, 3 * last), QUARTER, start


def _half(m: re.Match, plan_year: int):
    end = _month_end(_y(m, "y", plan_year), 6 if m["h"] == "上" else 12)
    return _after(end) if m["after"] else (end, HALF_YEAR, None)


def _year_end(m: re.Match, plan_year: int):
    """年底, 2019年底前, 次年底, 全年工作, 2020年."""
    return date(_y(m, "y", plan_year), 12, 31), YEAR, None


_RULES = [(re.compile(pattern), handler) for pattern, handler in [
    (rf"(?<!\d){_year('y1')}(?P<m1>\d{{1,2}})(?:月份?(?:(?P<d1>\d{{1,2}})[日号])?)?{_TO}"
     rf"{_year('y2')}(?P<m2>\d{{1,2}})月份?(?:(?P<d2>\d{{1,2}})[日号])?{_IN_MONTH}{_BY}", _range),
    (rf"(?:自|从)?(?<!\d){_year('y')}(?P<m>\d{{1,2}})月份?(?:(?P<d>\d{{1,2}})[日号])?(?:开始|起)",
     _from),
    (rf"(?<!\d){_year('y')}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_BY}", _day),
    (rf"(?<!\d){_year('y')}(?P<m>\d{{1,2}})月份?{_IN_MONTH}(?:{_AFTER}|{_BY})", _month),
    (rf"(?<![\d.\-/])(?P<y>(?:19|20)\d\d)(?P<sep>[./-])(?P<m>\d{{1,2}})(?:(?P=sep)(?P<d>\d{{1,2}}))?"
     rf"(?![\d.]){_BY}", _dotted),
    (rf"(?<![\d.])(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}})(?=前|之前|以前|完成|$|[,;。)])(?:{_BY})", _month_day),
    (rf"(?<!\d){_year('y')}(?P<qs>(?:第?{_Q}季度[、,和及与])*第?{_Q}(?:{_TO}第?{_Q})?季度)"
     rf"(?:末|底)?(?:{_AFTER}|{_BY})", _quarters),
    (rf"(?<!\d){_year('y')}(?P<h>[上下])半年(?:末|底)?(?:{_AFTER}|{_BY})", _half),
    (rf"(?<!\d)(?:(?P<y>\d{{4}})|(?P<y_rel>{_RELATIVE_YEAR}))?年(?:底|末){_BY}", _year_end),
    (rf"全年(?:{_FULL_YEAR_WORK}|(?=$|[,;。)]))", _year_end),
    (r"(?<![\d年])年内", _within_year),
    # a bare year, not "2014-2020年" (a span of years) nor "2019年度"
    (rf"(?<![\d\-~—–])(?P<y>\d{{4}})年(?![\d度]){_BY}", _year_end),
]]


def _first_date(text: str, plan_year: int) -> Due | None:
    """The leftmost dated phrase in `text` (longest at equal start)."""
    norm, index = _normalize(text)
    best = None
    for pattern, handler in _RULES:
        for match in pattern.finditer(norm):
            try:
                due, precision, start = handler(match, plan_year)
            except ValueError:  # 2月30日, 13月: not a date, look further
                continue
            key = (match.start(), -match.end())
            if best is None or key < best[0]:
                best = (key, Due(_written(text, index, *match.span()), due, precision, start))
            break
    return best[1] if best else None


_NONE_WORDS = {"", "无", "/", "-", "—", "——"}
_DONE = re.compile(r"已(?:经)?完成")
_OPEN = re.compile(r"持续|长期|常态化|待.+后")
_MARK_WORDS = r"持续推进中?|长期坚持|已完成|无|待[^,;。()]{1,20}后"
_MARKED = re.compile(
    rf"(?:完成时间|时间|进度):?(?P<label>{_MARK_WORDS})"
    rf"|\((?P<bracket>{_MARK_WORDS})\)"
    rf"|^(?P<whole>{_MARK_WORDS})[。.]?$"
)
