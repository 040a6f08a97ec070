"""Cleaning the text of Word-converted tables: HTML paragraphs, mixed-width
punctuation, stray spaces; splitting department lists; recognising places.

The cleaned text is for display; each record also keeps its source sentence
as written (see ParsedItem.source / SourceRef).
"""
from __future__ import annotations

import html
import re

from importers.parsed import ParsedDepartment
from store.regions import CITIES, COUNTIES, COUNTY_ALIASES

_CJK = r"\u3400-\u9fff\uff00-\uffef\u3000-\u303f“”‘’"
_PARA = re.compile(r"</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def strip_html(cell: str) -> str:
    """Paragraph breaks become newlines, other tags vanish, entities decode."""
    text = _PARA.sub("\n", cell)
    text = _TAG.sub(" ", text)
    return html.unescape(text).strip()


def normalize(text: str) -> str:
    """Display form: one space at most, none beside Chinese characters, and
    full-width punctuation in Chinese text ("2020 年 6 月底前" -> "2020年6月底前")."""
    text = re.sub(r"[ \t\u00a0\u3000]+", " ", text.replace("\r", ""))
    text = re.sub(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])", "", text)
    # half-width punctuation next to Chinese text -> full width
    text = re.sub(
        rf"(?<=[{_CJK}\w])([,;:!?])(?=[{_CJK}\w]|$)|(?<=[{_CJK}])([,;:!?])",
        lambda m: _HALF_TO_FULL[m.group(0)],
        text,
    )
    text = re.sub(r"\((?=[^()]*[\u4e00-\u9fff])([^()]*)\)", r"（\1）", text)
    return re.sub(r" *\n *", "\n", text).strip()


def clean(cell: str) -> str:
    """strip_html + normalize, on one line."""
    return re.sub(r"\s*\n\s*", " ", normalize(strip_html(cell))).strip()


def split_units(text: str) -> list[str]:
    """'市发改委、市人行，各县（市、区）政府等' -> ['市发改委', '市人行', '各县（市、区）政府'].

    Splits on 、，,；; and 及 outside brackets; drops a trailing 等 and punctuation.
    """
    parts, depth, buf = [], 0, []
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;及":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    units = []
    for part in parts:
        part = normalize(part).strip(" 。.：:")
        if part.endswith("等") and not part.endswith("等等"):
            part = part[:-1]
        if part and part not in ("无", "/"):
            units.append(part)
    return units


_ROLE = re.compile(r"(牵头部门|牵头单位|配合部门|配合单位|责任单位|责任部门)\s*[:：]")


def parse_departments(cell: str) -> list[ParsedDepartment]:
    """'牵头部门: 市商务局 配合部门: 市发展改革委、市公安局' -> lead/coop units.

    A cell without role labels lists the responsible (lead) units.
    """
    text = normalize(strip_html(cell)).replace("\n", " ")
    pieces = _ROLE.split(text)
    if len(pieces) == 1:
        return [ParsedDepartment(u, "lead") for u in split_units(text)]
    depts = [ParsedDepartment(u, "lead") for u in split_units(pieces[0])]
    for label, body in zip(pieces[1::2], pieces[2::2]):
        role = "coop" if label.startswith("配合") else "lead"
        depts += [ParsedDepartment(u, role) for u in split_units(body)]
    return depts


def _county_stems() -> list[tuple[str, str, str]]:
    """(prefix, city, county) for full names, aliases and 2+ character stems."""
    stems = []
    for city, counties in COUNTIES.items():
        for county in counties:
            stems.append((county, city, county))
            stem = re.sub(r"(畲族自治县|新区|区|县|市)$", "", county)
            if len(stem) >= 2:
                stems.append((stem, city, county))
    for alias, county in COUNTY_ALIASES.items():
        city = next(c for c, cs in COUNTIES.items() if county in cs)
        stems.append((alias, city, county))
    return sorted(stems, key=lambda s: -len(s[0]))


_STEMS = _county_stems()


def find_county(unit: str) -> tuple[str, str] | None:
    """'萧山区发改局' -> ('杭州', '萧山区'); a unit that names no county -> None."""
    unit = unit.strip()
    for prefix, city, county in _STEMS:
        if unit.startswith(prefix):
            return city, county
    return None


def find_city(label: str) -> str | None:
    """'杭州' or '杭州市' -> '杭州'; anything else -> None."""
    label = normalize(label).removesuffix("市")
    return label if label in CITIES else None
