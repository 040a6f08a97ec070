"""One name per department: the variants plans write for the same office read
as one name (市发改委, 市发展改革委 and 市发展和改革委员会 are 市发展改革委;
人行湖州市中心支行 and 人民银行舟山市中支 are 市人行), and the units that name
no department — 各有关部门, 各县（市、区）政府, 各成员单位 — kept as the item's
scope.  Applied to every kind of plan as it is read (``tidy_units``) and to
what an older store holds (migration 0013).
"""
from __future__ import annotations

import re

# (variant, the name it is read as) — inside a unit's name, so 市发改委 and
# 县发展和改革委员会 become 市发展改革委 and 县发展改革委.  Bureaus (县发改局) stay.
ALIASES: tuple[tuple[str, str], ...] = (
    (r"发展和改革委员会|发展改革委员会|发展改革委|发改委", "发展改革委"),
    (r"市场监督管理局", "市场监管局"),
    (r"大数据发展管理局|大数据管理局|数据资源管理局|数据资源局", "大数据局"),
    (r"卫生健康委员会|卫生健康委|卫健委", "卫生健康委"),
    (r"人力资源和社会保障局|人力资源社会保障局|人社局", "人力社保局"),
    (r"经济和信息化局|经济和信息化委员会|经信委", "经信局"),
    (r"银行保险监督管理分局|银保监局|银监分局", "银保监分局"),
)
_ALIASES = [(re.compile(variant), name) for variant, name in ALIASES]
# The city's branch of the People's Bank, however written: 人行丽水市中心支行, 人民银行湖州市中支, 人行.
_CITY_BANK = re.compile(r"^(?:中国)?(?:人民银行|人行)(?:[\u4e00-\u9fff]{1,4}市)?(?:中心支行|中支)?$|^市人行$")
CITY_BANK = "市人行"
# A unit that names no department but a set of them or of places.
_SCOPE = re.compile(r"^(?:市级|省级|全市|市|县|区)?(?:各|有关|相关|部分)|各有关|各相关|各地|各级|各成员单位|各乡镇|部分乡镇")


def canonical(name: str) -> str:
    """The name a department is filed under."""
    name = name.strip()
    if _CITY_BANK.match(name):
        return CITY_BANK
    for variant, standard in _ALIASES:
        name = variant.sub(standard, name)
    return name


def is_scope(name: str) -> bool:
    """Whether a unit names no department but a scope (各县（市、区）政府, 市各有关部门)."""
    return bool(_SCOPE.search(name.strip()))


def tidy_units(plan) -> None:
    """Each item of ``plan`` (a ParsedPlan) with its departments under one
    name each, once (a unit both leading and co-operating leads), and the
    units naming a scope moved to the item's scope."""
    for item in plan.walk_items():
        kept, scopes = [], []
        for dept in item.departments:
            if is_scope(dept.name):
                scopes.append(dept.name)
                continue
            dept.name = canonical(dept.name)
            if all(d.name != dept.name for d in kept):
                kept.append(dept)
        item.departments = kept
        if scopes:
            item.scope = with_scopes(item.scope, scopes)


def with_scopes(scope: str | None, units: list[str], size: int = 100) -> str:
    """An item's scope with the units naming one added (what the column holds)."""
    parts = [part for part in (scope or "").split("；") if part]
    parts += [unit for unit in dict.fromkeys(units) if unit not in parts]
    joined = "；".join(parts)
    return joined if len(joined) <= size else joined[:size - 1] + "…"
