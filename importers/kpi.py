"""Numeric targets (KPIs) read from plan sentences: '增加信用旅游景点达到10个以上',
'完成授信企业数超过1600家（2019年…授信企业383家）', '推出1-2款信用产品'."""
from __future__ import annotations

from importers.parsed import Target


def extract_targets(sentence: str) -> list[Target]:
    """Every numeric target stated in one sentence, with unit, comparator,
    range and a baseline where the sentence states one."""
    raise NotImplementedError
