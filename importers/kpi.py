"""Numeric targets (KPIs) read from plan sentences: '增加信用旅游景点达到10个以上',
'完成授信企业数超过1600家（2019年…授信企业383家）', '推出1-2款信用产品'.

Rule-based on purpose: the plans use a small, regular vocabulary of
comparators (以上, 超过, 控制在…以内) and measure words, and every rule here can
be read and checked against the sentence it was written for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from importers.dates import Due
from importers.parsed import ParsedIndicator, ParsedItem, ParsedPlan, Target
from importers.text import normalize

# Full-width digits and signs -> ASCII, so that one number pattern serves all.
_WIDTH = str.maketrans("０１２３４５６７８９．％－～＋＜＞＝", "0123456789.%-~+<>=")

# Measure words a target can be counted in, longest first so that 万人次 wins
# over 人次.  Time words (年, 月, 天, 岁, 周岁) are deliberately absent: a number
# followed by one is a date, a duration or an age, never a target.
_UNITS = sorted(
    ["万人次", "人次", "万亿元", "亿元", "万元", "元", "万条", "亿条", "条", "万家", "家",
     "万户", "户", "个百分点", "个", "款", "场", "项", "类", "次", "件", "名", "所", "套",
     "%", "亿"],
    key=len,
    reverse=True,
)
_NUM = r"\d+(?:\.\d+)?"
# "2个月", "7个工作日内" are durations: 个 followed by a time word is no unit.
_QTY = re.compile(
    rf"(?<![\d.第])(?P<lo>{_NUM})(?:\s*[-~—–至]\s*(?P<hi>{_NUM}))?\s*"
    rf"(?P<unit>{'|'.join(map(re.escape, _UNITS))})(?!月|工作日|小时|星期|季度)"
)
# A number alone, in a table whose 单位 column gives its unit.
_BARE = re.compile(rf"(?<![\d.])(?P<lo>{_NUM})(?:\s*[-~—–至]\s*(?P<hi>{_NUM}))?(?P<unit>)(?![\d.])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # "1,600家" -> "1600家"
_DOUBLE = re.compile(r"翻一番")

# Comparator words right before the number (a verb of up to two characters
# may stand between: "至少成立1个"), and right after the unit.
_PRE = re.compile(
    r"(?P<word>不少于|不低于|不超过|不高于|控制在|提升至|提升到|提高至|提高到|增加到|增长到|"
    r"超过|突破|高于|低于|至少|达到|达|到|>=|≥|>|<=|≤|<)(?P<gap>[^\d，。；、]{0,2})$"
)
_PRE_CMP = {
    "超过": ">", "突破": ">", "高于": ">", ">": ">",
    "不超过": "<=", "不高于": "<=", "控制在": "<=", "<=": "<=", "≤": "<=",
    "低于": "<", "<": "<",
}  # every other word in _PRE means "at least"
_POST = re.compile(r"^(?:及以上|以上|以内|以下)")
_POST_CMP = {"及以上": ">=", "以上": ">=", "以内": "<=", "以下": "<="}

# "住院总费用5万元以内的先出院…": a quantity that qualifies a noun is a condition.
_CONDITION = re.compile(r"^(?:及以上|以上|以内|以下)?的")
# Clauses that describe the present, not a goal.
_PRESENT = re.compile(r"目前|现已|已有|已经|截至")
# "（2019 年已注册企业 527 家，授信企业 383 家）": the same sentence's baseline.
_BASELINE_PAREN = re.compile(r"（(?P<year>\d{4})年(?P<body>[^（）]*)）")

# Words that open a clause but are not part of what is counted.
_LEAD = re.compile(
    r"^(?:\d+[.、]|[(（]\d+[)）]|并且|并|且|同时|争取|力争|确保|累计|完成|实现|提升|提高|增加|新增|推动|推出|使|将|"
    r"全面|进一步|已|以及|和|及|与)+"
)
# Where the counted noun ends: the verb or result that follows it.
_NOUN_END = re.compile(r"接入|合作|推广|全覆盖")
_NOUN_LEAD = re.compile(r"^(?:首批|第一批)")
_TRAIL = re.compile(r"(?:和|及|与|以及|等)+$")
# Administrative level of a counted noun: "实现市级8家医疗机构全覆盖".
_LEVEL_END = re.compile(r"(?:国家级?|省级|市级|县级|区级)$")
_LEVEL_START = re.compile(r"^(?:国家级?|省级|市级|县级|区级)")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as written in a cell or phrase: '>130亿', '1-2个'."""

    value: float
    value_max: float | None
    unit: str
    comparator: str | None  # None when the text states none


def parse_quantity(text: str, unit: str | None = None) -> Quantity | None:
    """The first quantity in a short text such as a table cell; None if none.
    ``unit``: the table's 单位 column, which a bare number ('95', '≥95') is in."""
    text = _prepare(text)
    m = _QTY.search(text) or (_BARE.search(text) if unit else None)
    if not m:
        return None
    pre = _PRE.search(text[: m.start()])
    post = _POST.match(text[m.end():])
    value, value_max, written = _numbers(m)
    return Quantity(value, value_max, written or normalize(unit), _comparator(pre, post, m))


def name_similarity(a: str, b: str) -> float:
    """Share of character bigrams two names have in common (0..1), for
    matching the same quantity written two ways ('授信企业' ~ '授信企业数')."""
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def extract_targets(sentence: str) -> list[Target]:
    """Every numeric target stated in one sentence, with unit, comparator,
    range and a baseline where the sentence states one.  "翻一番" is a target
    without a value: twice a baseline the caller knows.

    Text holding several sentences is read sentence by sentence (。；！？).
    """
    text = _prepare(sentence)
    targets: list[Target] = []
    for sent in _split(text, "。；;！？"):
        baselines = _baselines(sent)
        found: list[Target] = []
        for clause in _split(sent, "，,：:"):
            if not _PRESENT.search(clause):
                found += _clause_targets(clause, found[-1] if found else None)
        found = _keep_cumulative(found)
        _attach_baselines(found, baselines)
        targets += found
    return targets


def scene_kpis(plan: ParsedPlan) -> list[ParsedIndicator]:
    """KPIs of every scene and sub-scene of a scene plan, read from the
    milestone texts (due: that milestone's) and the scene introduction (due:
    the scene's deadline).

    The introduction often restates a milestone's target; then the milestone's
    indicator is kept (it has the real due date) and takes over a baseline
    stated only in the introduction.  A target that grows over the milestones
    stays several indicators of one name with different dues.
    """
    indicators: list[ParsedIndicator] = []

    def visit(item: ParsedItem, city: str | None, deadline: Due | None) -> None:
        city, deadline = item.city or city, item.deadline or deadline
        indicators.extend(_item_kpis(item, city, deadline))
        for child in item.children:
            visit(child, city, deadline)

    for item in plan.items:
        visit(item, None, None)
    return indicators


def _item_kpis(item: ParsedItem, city: str | None, deadline: Due | None) -> list[ParsedIndicator]:
    """One item's own KPIs (not its children's), one per (name, unit, value);
    the first milestone stating a target gives its due date."""
    kpis: dict[tuple, ParsedIndicator] = {}
    for ms in item.milestones:
        for n, target in enumerate(extract_targets(ms.text)):
            kpis.setdefault(
                _same(target),
                ParsedIndicator(
                    key=f"{item.key}#{ms.seq}:{n}", target=target, source=ms.source,
                    scope="item", city=city, item_key=item.key, milestone_seq=ms.seq,
                    due=ms.due,
                ),
            )
    intro = item.description or ""
    for n, target in enumerate(extract_targets(intro)):
        known = kpis.get(_same(target))
        if known is None:
            kpis[_same(target)] = ParsedIndicator(
                key=f"{item.key}#intro:{n}", target=target,
                source=replace(item.source, text=intro), scope="item", city=city,
                item_key=item.key, due=deadline,
            )
        elif known.target.baseline is None and target.baseline is not None:
            known.target = replace(
                known.target, baseline=target.baseline, baseline_year=target.baseline_year,
                baseline_text=target.baseline_text,
            )
    return list(kpis.values())


def _same(target: Target) -> tuple:
    """Targets with this key within one item are one KPI stated twice."""
    return target.name, target.unit, target.value


def _prepare(text: str) -> str:
    """Display form with ASCII digits and no thousands separators."""
    return normalize(_THOUSANDS.sub("", text.translate(_WIDTH)))


def _split(text: str, marks: str) -> list[str]:
    """Split at the given punctuation outside brackets; drop empty parts."""
    parts, depth, buf = [], 0, []
    for ch in text:
        depth += (ch in "（(") - (ch in "）)")
        if depth <= 0 and ch in marks:
            parts.append("".join(buf))
            buf, depth = [], 0
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def _clause_targets(clause: str, prev: Target | None) -> list[Target]:
    """The targets of one clause; prev is the sentence's previous target, whose
    verb an elliptical clause ('…国家试点示范创建3个，省级创建20个') shares."""
    scan = _BASELINE_PAREN.sub("", clause)
    hits = sorted([*_QTY.finditer(scan), *_DOUBLE.finditer(scan)], key=lambda m: m.start())
    shared = _distributed(scan, hits)
    targets = []
    for i, m in enumerate(hits):
        before = scan[hits[i - 1].end() if i else 0 : m.start()]
        after = scan[m.end() : hits[i + 1].start() if i + 1 < len(hits) else len(scan)]
        if _CONDITION.match(after):
            continue
        pre, post = _PRE.search(before), _POST.match(after)
        comparator = _comparator(pre, post, m)
        if shared:
            name = shared[i]
        else:
            name = _name(before[: pre.start()] if pre else before,
                         after[post.end():] if post else after)
            filled = _fill_ellipsis(name, prev.name) if prev else name
            if filled != name and not (pre or post):
                comparator = prev.comparator
            name = filled
        if not name:
            continue
        if comparator is None and i and prev and _TRAIL.fullmatch(before.strip()):
            comparator = prev.comparator  # '分别达99%和98%': one verb, two figures
        if comparator is None and "完成" in scan[: m.start()]:
            comparator = ">="
        start = m.start() if post or not pre else m.start() - len(before) + pre.start()
        end = m.end() + (post.end() if post else 0)
        if m.re is _DOUBLE:
            value = value_max = unit = None
            comparator = comparator or ">="
        else:
            value, value_max, unit = _numbers(m)
        comparator = comparator or "="
        targets.append(Target(
            name=name, unit=unit, comparator=comparator, value=value, value_max=value_max,
            direction="lower" if comparator in ("<", "<=") else "higher",
            target_text=scan[start:end], phrase=clause,
        ))
        prev = targets[-1]
    return targets


def _numbers(m: re.Match) -> tuple[float, float | None, str]:
    """(value, value_max, unit) of a quantity match; a bare 亿 is money in
    these plans ('营业收入规模98亿')."""
    unit = "亿元" if m["unit"] == "亿" else m["unit"]
    return float(m["lo"]), float(m["hi"]) if m["hi"] else None, unit


def _comparator(pre: re.Match | None, post: re.Match | None, m: re.Match) -> str | None:
    """Comparator stated around a quantity; a range '1-2个' is met at its lower bound."""
    if pre:
        return _PRE_CMP.get(pre["word"], ">=")
    if post:
        return _POST_CMP[post.group()]
    if m.re in (_QTY, _BARE) and m["hi"]:
        return ">="
    return None


def _name(before: str, after: str) -> str:
    """What is counted: the noun after the quantity ('推出1-2款信用产品'), with a
    level word before it ('市级8家医疗机构'); else the noun before it
    ('授信企业数超过1600家')."""
    noun = _NOUN_END.split(after, maxsplit=1)[0]
    noun = _trim(_TRAIL.sub("", _NOUN_LEAD.sub("", noun.replace("的", ""))))
    if noun:
        level = _LEVEL_END.search(before)
        return _trim((level.group() if level else "") + noun)
    return _trim(_LEAD.sub("", before.strip()))


def _trim(name: str) -> str:
    """Drop list punctuation, an opening quote left at the end or a closing one
    at the start ('纳入…数据量“翻一番”' -> '纳入…数据量'), and a trailing
    为/约/近 ('最高额度为30万元')."""
    name = name.strip(" 、，,").rstrip("“‘\"").lstrip("”’\"）)").strip()
    return re.sub(r"(?:为|是|约|近)$", "", name)


def _fill_ellipsis(name: str, prev_name: str) -> str:
    """'省级创建' after '国家试点示范创建' -> '省级试点示范创建': a parallel clause
    that names only another level borrows the rest of the previous name."""
    level, prev_level = _LEVEL_START.match(name), _LEVEL_START.match(prev_name)
    if not (level and prev_level) or level.group() == prev_level.group():
        return name
    tail, prev_rest = name[level.end():], prev_name[prev_level.end():]
    if tail and prev_rest.endswith(tail) and len(prev_rest) > len(tail):
        return level.group() + prev_rest
    return name


def _distributed(clause: str, hits: list[re.Match]) -> list[str] | None:
    """Names for '行政许可、行政处罚数据合规率分别达99%和98%': the listed heads
    share the last item's tail ('数据合规率'); None for any other clause."""
    if len(hits) < 2 or "分别" not in clause[: hits[0].start()]:
        return None
    heads = _LEAD.sub("", clause[: clause.index("分别")]).split("、")
    if len(heads) != len(hits) or not all(heads):
        return None
    tail = heads[-1][len(heads[0]):]
    return [h + tail for h in heads[:-1]] + [heads[-1]]


def _keep_cumulative(found: list[Target]) -> list[Target]:
    """Of one sentence's targets with the same name and unit keep the largest:
    '完成4家市级医疗机构接入…，实现市级8家医疗机构全覆盖' targets 8, not 4 and 8."""
    best: dict[tuple, float] = {}
    for t in found:
        if t.value is not None:
            key = (t.name, t.unit)
            best[key] = max(best.get(key, t.value), t.value)
    return [t for t in found if t.value is None or t.value == best[(t.name, t.unit)]]


def _baselines(sentence: str) -> list[Target]:
    """Quantities of a '（2019年已注册企业527家，…）' note, as baselines."""
    found = []
    for paren in _BASELINE_PAREN.finditer(sentence):
        for part in _split(paren["body"], "，、"):
            m = _QTY.search(part)
            if m:
                value, _, unit = _numbers(m)
                found.append(Target(
                    name=_LEAD.sub("", part[: m.start()]), unit=unit, comparator=None,
                    value=None, baseline=value, baseline_year=int(paren["year"]),
                    baseline_text=m.group(), phrase=paren.group(),
                ))
    return found


def _attach_baselines(targets: list[Target], baselines: list[Target]) -> None:
    """Give each baseline to the target of the same unit whose name is most
    alike ('授信企业' -> '授信企业数'), best matches first."""
    pairs = sorted(
        ((name_similarity(b.name, t.name), bi, ti)
         for bi, b in enumerate(baselines) for ti, t in enumerate(targets)
         if b.unit == t.unit and t.value is not None),
        reverse=True,
    )
    used_b, used_t = set(), set()
    for score, bi, ti in pairs:
        if score > 0 and bi not in used_b and ti not in used_t:
            b = baselines[bi]
            targets[ti] = replace(
                targets[ti], baseline=b.baseline, baseline_year=b.baseline_year,
                baseline_text=b.baseline_text,
            )
            used_b.add(bi)
            used_t.add(ti)


def _bigrams(name: str) -> set[str]:
    return {name[i : i + 2] for i in range(len(name) - 1)}
