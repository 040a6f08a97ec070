"""What a notice says about itself, read from its text as any issuer writes it:
the document number (any issuer's 〔YYYY〕N号), the issuer (the red header's
"…文件", else the signature), the title, the issue date (the signature's, in
digits or in Chinese numerals), the plan year and the city it belongs to
(named in the issuer, by the number's abbreviation — 嘉信用办 is 嘉兴's — or in
the title).  Nothing is hard-coded to one document; what cannot be read is
None, and the importer asks for it instead of guessing."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from importers.dates import written_date
from importers.parsed import DocumentError, ParsedPlan
from importers.text import normalize
from store.regions import CITIES

DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,12})[〔\[［(（]((?:19|20)\d\d)[〕\]］)）](\d{1,4})号")
# The one-character names cities' document numbers begin with (甬 is 宁波's).
CITY_MARKS = {"杭": "杭州", "甬": "宁波", "温": "温州", "嘉": "嘉兴", "湖": "湖州", "绍": "绍兴", "金": "金华",
              "衢": "衢州", "舟": "舟山", "台": "台州", "丽": "丽水"}
PROVINCE_MARKS = ("浙", "省")
_TITLE_QUOTED = re.compile(r"关于印发《(.+?)》的通知")
_TITLE_PLAIN = re.compile(r"关于印发(.+?)的通知")
_PLAN_WORDS = re.compile(r"(方案|计划|要点|清单|分工|规划|任务|措施)")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
# The line under a title that says which edition it is: （征求意见稿）, （试行）.
_EDITION = re.compile(r"[（(](?:征求意见稿|送审稿|讨论稿|修订稿|代拟稿|草案|试行)[)）]")


@dataclass(frozen=True)
class Given:
    """What the importing user says where the document does not (or says
    otherwise): the city it belongs to, its plan year."""

    city: str | None = None
    year: int | None = None
    roles: tuple[str | None, ...] | None = None  # each column's role, where the header was misread


@dataclass(frozen=True)
class Front:
    doc_no: str | None
    issuer: str | None
    title: str | None
    issue_date: date | None
    plan_year: int | None
    city: str | None  # 杭州 … 丽水; None for the province's own plans or when not named
    provincial: bool  # issued by the province (浙…, 省…): its rows name their cities


def read_front(lines: list[str], before: int | None = None, given: Given = Given()) -> Front:
    """The front matter of a notice from its text lines (up to ``before``, the
    table's header, for the number, issuer and title; the date may follow the
    table in an annex-only file); the city and year ``given`` take precedence."""
    top = [normalize(line).lstrip("#").strip() for line in lines[:before]]
    filled = [line for line in top if line]
    head = filled[:12]  # the red header, the number and the title; the body cites other numbers
    doc_no = next((found.group(0) for line in head if (found := DOC_NO.match(line))), None)
    issuer = next((line.removesuffix("文件") for line in head[:5] if line.endswith("文件") and len(line) > 4), None)
    title = _title(filled, doc_no)
    every = [normalize(line).strip() for line in lines if line.strip()]
    dated = [(k, d) for k, line in enumerate(every) if (d := written_date(line))]
    issue_date = dated[0][1] if dated else None
    if issuer is None and dated:  # the signature: the line above the date
        k = dated[0][0]
        issuer = every[k - 1] if k > 0 and len(every[k - 1]) <= 40 else None
    year = _YEAR.match(title or "")
    plan_year = int(year.group(1)) if year else (issue_date.year if issue_date else
                                                 (int(DOC_NO.search(doc_no).group(2)) if doc_no else None))
    city, provincial = whose(issuer, doc_no, title)
    return Front(doc_no, issuer, title, issue_date, given.year or plan_year, given.city or city,
                 provincial and not given.city)


def whose(issuer: str | None, doc_no: str | None, title: str | None) -> tuple[str | None, bool]:
    """The city a notice belongs to (named in the issuer, by its number's
    abbreviation or in the title), and whether the province issued it (浙…, 省…)."""
    mark = DOC_NO.search(doc_no).group(1) if doc_no and DOC_NO.search(doc_no) else ""
    provincial = bool(mark.startswith(PROVINCE_MARKS) or (issuer or "").startswith(("浙江省", "省")))
    return (None if provincial else _city(issuer, mark, title)), provincial


PARTS = {"issuer": "发文机关", "doc_no": "文号", "title": "标题", "issue_date": "成文日期"}


def plan_of(lines: list[str], before: int | None, given: Given, kind: str, source_file: str,
            required: tuple[str, ...] = tuple(PARTS), provincial_ok: bool = False,
            rows_name_cities: bool = False) -> tuple[ParsedPlan, Front]:
    """The plan a notice heads, as the notice states it (read_front), with no
    item yet; DocumentError when a ``required`` part cannot be read, the
    plan year cannot be told, or the city it belongs to cannot be (unless
    ``rows_name_cities``, or ``provincial_ok`` and the province issued it)."""
    front = read_front(lines, before, given)
    missing = [name for name in required if not getattr(front, name)]
    if missing:
        raise DocumentError(f"{source_file}: 无法识别文件头（{'、'.join(PARTS[name] for name in missing)}） "
                            f"(document header not found: {', '.join(missing)})")
    if front.plan_year is None:
        raise DocumentError(f"{source_file}: 无法从标题、成文日期或文号确定计划年度，请指定年度后再导入 "
                            "(the plan year is not stated: give it)")
    if front.city is None and not rows_name_cities and not (provincial_ok and front.provincial):
        raise DocumentError(f"{source_file}: 无法从发文机关、文号或标题确定所属地市，请指定地市后再导入 "
                            "(the city this plan belongs to is not named: give it)")
    return ParsedPlan(doc_no=front.doc_no, title=front.title, issuer=front.issuer or "",
                      issue_date=front.issue_date, plan_year=front.plan_year, kind=kind,
                      source_file=source_file, city=None if front.provincial else front.city), front


def _title(filled: list[str], doc_no: str | None) -> str | None:
    """The plan's name in "关于印发《…》的通知", else the title line itself
    with its edition (（征求意见稿）) where the next line says one: among the
    short lines after the number (the body cites other notices)."""
    after = next((k + 1 for k, line in enumerate(filled[:12]) if doc_no and line.startswith(doc_no)), 0)
    near = [line for line in filled[after:after + 6] if len(line) <= 80]
    for pattern in (_TITLE_QUOTED, _TITLE_PLAIN):
        found = next((m.group(1) for line in near if (m := pattern.search(line))), None)
        if found:
            return found
    at = next((k for k, line in enumerate(near) if _PLAN_WORDS.search(line)), None)
    if at is None:
        return None
    edition = near[at + 1] if at + 1 < len(near) and _EDITION.fullmatch(near[at + 1]) else ""
    return near[at] + edition


def _city(issuer: str | None, mark: str, title: str | None) -> str | None:
    """The city the issuer starts with, else the one the number's first
    character stands for (the issuer's own abbreviation), else one the title names."""
    found = next((city for city in CITIES if (issuer or "").startswith(city)), None)
    if found:
        return found
    if mark and mark[0] in CITY_MARKS:
        return CITY_MARKS[mark[0]]
    return next((city for city in CITIES if (title or "").startswith(city) or f"{city}市" in (title or "")), None)
