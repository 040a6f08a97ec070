"""The scene-plan importer against 浙信用办〔2020〕5号 as shipped, and against
damaged copies of it: every count below was taken from the document by hand."""
from __future__ import annotations

import calendar
import random
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from importers import SOURCES_DIR, read_document
from importers.dates import OPEN, Due
from importers.parsed import DocumentError
from importers.scene_plan import detect, parse
from importers.text import strip_html

FILE = "000_d6ec9d57f268dd20.txt"
TEXT = (SOURCES_DIR / FILE).read_text(encoding="utf-8")
LINES = TEXT.split("\n")


@cache
def plan():
    return parse(TEXT, FILE)


def items():
    return {item.key: item for item in plan().walk_items()}


def month_end(month: int) -> date:
    return date(2020, month, calendar.monthrange(2020, month)[1])


def edited(*edits: tuple[int, str, str]) -> str:
    """The document with text replaced on given 1-based lines."""
    lines = list(LINES)
    for line, old, new in edits:
        assert old in lines[line - 1], (line, old)
        lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines)


# key, kind, number, name, county, type, scope, deadline month, source line, milestone due months
EXPECTED = [
    ("杭州-1", "scene", "1", "钱江分应用", None, "新增", "全市推进", 12, 25, [3, 7, 8, 11, 12]),
    ("杭州-1-萧山区", "scene", "1", "钱江分应用", "萧山区", "优化", "县市区试点", 11, 26, [6, 9, 11]),
    ("杭州-2", "scene", "2", "信用+金融服务", None, "优化", "全市推进", 12, 27, [7, 9, 10, 12]),
    ("宁波-1", "scene", "1", "天一应用", None, "新增", "全市推进", 12, 29, [6, 12]),
    ("宁波-2", "scene", "2", "信用+公共资源交易", None, "优化", "全市推广", 11, 30, [6, 10, 11]),
    ("宁波-3", "scene", "3", "信用+金融服务", "慈溪市", "优化", "县市区试点", 12, 31, [6, 12]),
    ("宁波-4", "scene", "4", "信用+旅游", "奉化区", "优化", "县市区试点", 11, 32, [6, 9, 11]),
    ("温州-1", "scene", "1", "瓯江分应用", None, "新增", "全市推进", 12, 33, []),
    ("温州-1-场景一", "sub_scene", "一", "场景一", None, None, None, None, 33, [4, 6, 9, 12]),
    ("温州-1-场景二", "sub_scene", "二", "场景二", None, None, None, None, 35, [4, 6, 12]),
    ("温州-2", "scene", "2", "信用+医保", None, "新增", "全市推进", 10, 36, []),
    ("温州-2-场景一", "sub_scene", "一", "场景一", None, None, None, None, 36, [6, 8, 10]),
    ("温州-2-场景二", "sub_scene", "二", "场景二", None, None, None, None, 36, [6, 8, 10]),
    ("温州-3", "scene", "3", "信用+农民（小微）融资", "瓯海区", "新增", "县市区试点", 12, 37, [6, 12]),
    ("温州-4", "scene", "4", "信用+执法监管", "龙湾区", "优化", "县市区试点", 11, 38, [7, 11]),
    ("温州-5", "scene", "5", "信用+风险防控", None, "优化", "全市推广", None, 41, [9, 12]),
    ("嘉兴-1", "scene", "1", "城市信用分应用", None, "新增", "全市推进", 11, 42, []),
    ("嘉兴-1-场景一", "sub_scene", "一", "场景一", None, None, None, None, 42, [4, 6, 8]),
    ("嘉兴-1-场景二", "sub_scene", "二", "场景二", None, None, None, None, 42, [4, 6, 8]),
    ("嘉兴-2", "scene", "2", "信用+房产交易市场监管", None, "新增", "全市推进", 11, 43, [4, 6, 8]),
    ("湖州-1", "scene", "1", "信用+基层治理", "长兴县", "优化", "县市区试点", 12, 44, [6, 8, 12]),
    ("湖州-2", "scene", "2", "信用+金融服务", None, "优化", "全市推进", 12, 45, [7, 10, 12]),
    ("湖州-3", "scene", "3", "信用+“标准地”建设", "德清县", "优化", "县市区试点", 12, 48, [7, 8, 10, 12]),
    ("绍兴-1", "scene", "1", "信用+文明交通", None, "新增", "全市推进", 12, 49, [5, 7, 9, 12]),
    ("绍兴-2", "scene", "2", "信用+无废城市", None, "新增", "全市推进", 12, 50, [7, 9, 12]),
    ("绍兴-3", "scene", "3", "信用+基层治理", "诸暨市", "新增", "县市区试点", 12, 51, [5, 8, 10, 12]),
    ("金华-1", "scene", "1", "信用+担保服务", "东阳市", "新增", "县市区试点", 11, 53, [6, 7, 8, 11]),
    ("金华-2", "scene", "2", "信用+执法监管", "义乌市", "优化", "县市区试点", 10, 54, [6, 8, 10, 12]),
    ("金华-3", "scene", "3", "信义金应用", None, "优化", "全市推广", 10, 55, [5, 6, 12]),
    ("衢州-1", "scene", "1", "信安分场景应用", None, "新增", "全市推进", 11, 56, [6, 8, 10]),
    ("衢州-2", "scene", "2", "信用+基层治理", "龙游县", "优化", "县市区试点", 12, 58, [5, 7, 8, 9, 11]),
    ("舟山-1", "scene", "1", "城市信用分应用", None, "新增", "全市推进", 10, 59, [5, 6, 7, 10]),
    ("舟山-2", "scene", "2", "信用+油气监管", None, "新增", "全市推进", 12, 60, [4, 6, 10, 12]),
    ("舟山-3", "scene", "3", "信用+金融服务", None, "优化", "全市推进", 12, 61, [4, 6, 10, 12]),
    ("台州-1", "scene", "1", "城市信用分应用", None, "新增", "全市推进", 12, 65, [6, 7, 9, 12]),
    ("台州-2", "scene", "2", "信用+金融服务", None, "优化", "全市推进", 12, 66, [6, 12]),
    ("丽水-1", "scene", "1", "城市信用分应用", None, "新增", "全市推广", 10, 67, []),
    ("丽水-1-场景一", "sub_scene", "一", "场景一", None, None, None, None, 67, [5, 6, 9, 10]),
    ("丽水-1-场景二", "sub_scene", "二", "场景二", None, None, None, None, 67, [4, 6, 7, 8, 10]),
    ("丽水-2", "scene", "2", "信用+行政监管", None, "新增", "全市", 10, 68, [6, 8, 9]),
]

# city: (scenes, county variants, sub-scenes, milestones)
PER_CITY = {
    "杭州": (2, 1, 0, 12),
    "宁波": (4, 0, 0, 10),
    "温州": (5, 0, 4, 19),
    "嘉兴": (2, 0, 2, 9),
    "湖州": (3, 0, 0, 10),
    "绍兴": (3, 0, 0, 11),
    "金华": (3, 0, 0, 11),
    "衢州": (2, 0, 0, 8),
    "舟山": (3, 0, 0, 12),
    "台州": (2, 0, 0, 6),
    "丽水": (2, 0, 2, 12),
}


def test_plan_metadata():
    p = plan()
    assert (p.kind, p.doc_no, p.title, p.issuer, p.issue_date, p.plan_year, p.source_file) == (
        "scene_plan", "浙信用办〔2020〕5号", "2020年市县信用应用重点场景工作推进计划",
        "浙江省信用浙江建设工作联席会议办公室", date(2020, 4, 16), 2020, FILE,
    )
    assert len(p.indicators) == 24  # the KPIs read from its text (tests/test_kpi.py)


def test_every_item_as_in_the_document():
    got = []
    for item in plan().walk_items():
        deadline = item.deadline and item.deadline.due
        got.append((item.key, item.kind, item.number, item.name, item.county, item.item_type,
                    item.scope, deadline, item.source.line, [m.due.due for m in item.milestones]))
    expected = [(*row[:7], row[7] and month_end(row[7]), row[8], [month_end(m) for m in row[9]])
                for row in EXPECTED]
    assert got == expected


def test_counts_per_city():
    got = {}
    for city in PER_CITY:
        scenes = [i for i in plan().items if i.city == city]
        children = [c for s in scenes for c in s.children]
        got[city] = (
            len(scenes),
            sum(c.kind == "scene" for c in children),
            sum(c.kind == "sub_scene" for c in children),
            sum(len(i.milestones) for i in scenes + children),
        )
    assert got == PER_CITY
    assert [i.city for i in plan().items] == [k.split("-")[0] for k, *_ in EXPECTED
                                              if k.count("-") == 1]
    assert sum(len(i.milestones) for i in plan().walk_items()) == 120


def test_tree_shape():
    """Sub-scenes and the 萧山 variant hang under their scene; such a scene
    has no milestones of its own; keys are unique."""
    by_key = items()
    assert [c.key for c in by_key["杭州-1"].children] == ["杭州-1-萧山区"]
    for key in ("温州-1", "温州-2", "嘉兴-1", "丽水-1"):
        scene = by_key[key]
        assert [c.key for c in scene.children] == [f"{key}-场景一", f"{key}-场景二"]
        assert scene.milestones == [] and scene.description is None
        for sub in scene.children:
            assert (sub.city, sub.county, sub.departments) == (scene.city, scene.county, [])
    assert len(by_key) == len(list(plan().walk_items()))
    assert all(not i.children for i in plan().walk_items() if i.kind == "sub_scene")


def depts(key):
    item = items()[key]
    return ([d.name for d in item.departments if d.role == "lead"],
            [d.name for d in item.departments if d.role == "coop"])


def test_departments():
    assert depts("杭州-1") == (["市商务局"], ["市发展改革委", "市公安局", "市人社局", "市卫健委", "市市场监管局"])
    assert depts("杭州-1-萧山区") == (["萧山区发改局"], ["萧山经济技术开发区管委会", "市金融投资集团"])
    assert depts("台州-2") == (["市发展改革委", "人民银行台州市中心支行"], [])
    assert depts("嘉兴-2") == (["市发展改革委", "市建设局"], [])
    assert depts("宁波-2") == (["市政务办"], [])  # a cell without <p>
    assert depts("宁波-1")[1][-1] == "宁波市民卡运营管理有限公司"  # trailing 等 dropped
    assert depts("湖州-3") == (["市发展改革委", "德清县发改局"], [])
    assert depts("温州-1") == (["市文化广电旅游局", "各县市区信用办"], ["市图书馆", "各定点景区"])
    assert depts("温州-5") == (["市金融办"], ["市发展改革委"])
    assert depts("丽水-1") == (
        ["市人行", "市交通运输局", "市发展改革委"],
        ["市银保监局", "市金融办", "市大数据管理局", "浙江丽水驿动新能源汽车运营服务有限公司"],
    )


def test_descriptions_without_labels():
    by_key = items()
    assert by_key["杭州-1"].description.startswith("进一步整合家政行业资源数据，按照“服务人员无遗漏")
    assert by_key["宁波-4"].description.startswith("继续完善企业酒店")  # "(1) 场景介绍" is no milestone
    assert by_key["温州-1-场景二"].description.startswith("拓展信用旅游实施景区")
    assert by_key["丽水-1-场景二"].description.endswith("享受出行福利。")
    assert by_key["湖州-2"].description.endswith("在全市进行深化推广应用。")
    assert by_key["宁波-1"].description == (
        "依托宁波个人信用分“天一”研究开发“信易行”守信激励应用，持续优化操作细则和流程，推出1-2个信易行应用场景。"
    )


def test_milestone_texts_and_due_phrases():
    by_key = items()
    first = by_key["杭州-1"].milestones[0]
    assert (first.seq, first.text, first.due.text) == (
        1, "以钱江分为基础，联合家政服务企业推出本地化“信用+家政”产品", "2020年3月底前")
    spaced = by_key["宁波-1"].milestones[0]
    assert spaced.due.text == "2020 年 6 月底前"  # the phrase as written
    assert spaced.text == "研究开发信易行产品，落实优惠额度和操作细则，同时与相关合作单位进行技术对接"
    assert by_key["嘉兴-2"].milestones[0].due.text == "2020年4月"
    assert by_key["舟山-3"].milestones[3].text == "完成2000家企业的注册和实名认证，完成授信企业数超过1600家"
    assert [m.seq for m in by_key["衢州-2"].milestones] == [1, 2, 3, 4, 5]
    for item in plan().walk_items():
        for m in item.milestones:
            assert m.text and not m.text.startswith(("2020", "，", "(")) and m.text[-1] not in "；;。"
            assert not m.due_inherited and m.due.due.year == 2020


def test_page_break_joins_the_split_milestone():
    ms = items()["温州-4"].milestones
    assert ms[0].text == (
        "对企业信用数据进行采集、分析和监测，探索建立企业风险指标体系，"
        "完善企业信用分类监管机制，按照企业信用状况开展抽查"
    )
    assert ms[0].source.line == 38
    assert ms[0].source.text == (
        "（1）2020年7月底前，对企业信用数据进行采集、分析和监测，探索建立企业风险指标体系，"
        "完善企业信用分类监管机制，按照企业信用状况开展抽查；"
    )
    assert ms[1].source.line == 40 and ms[1].due.due == date(2020, 11, 30)
    assert [m.source.line for m in items()["湖州-2"].milestones] == [47, 47, 47]


def test_sources_point_at_the_sentence():
    for item in plan().walk_items():
        assert item.source.file == FILE
        for m in item.milestones:
            assert m.source.file == FILE
            assert m.source.text.startswith(("(", "（"))
            assert m.source.text[:12] in strip_html(LINES[m.source.line - 1]), m.source
    assert items()["杭州-1"].source.text == "1.钱江分应用"
    assert items()["杭州-1-萧山区"].source.text.startswith("1.场景介绍: 萧山区推动信息港小镇")
    assert items()["温州-1-场景二"].source.text.startswith("场景二：1.场景介绍：拓展信用旅游")


def test_findings():
    got = [(f.kind, f.item_key, f.milestone_seq, f.source.line) for f in plan().findings]
    assert got == [
        ("missing_deadline", "温州-5", None, 41),
        ("due_after_deadline", "金华-2", 4, 54),
        ("due_after_deadline", "金华-3", 3, 55),
    ]
    assert items()["温州-5"].deadline == Due("", None, OPEN)
    # the document's values are kept, not "fixed"
    assert items()["金华-2"].deadline.due == date(2020, 10, 31)
    assert items()["金华-2"].milestones[-1].due.due == date(2020, 12, 31)
    assert all(f.message for f in plan().findings)


def test_detect():
    assert detect(TEXT)
    others = [p for p in Path(SOURCES_DIR).glob("*.txt") if p.name != FILE]
    assert others
    for path in others:
        assert not detect(path.read_text(encoding="utf-8")), path.name
    assert not detect(TEXT.replace(LINES[23], ""))  # no header row


# -- damaged copies -------------------------------------------------------

def cut_tail(n: int) -> str:
    return "\n".join(LINES[:-n])


def drop_column(line: int) -> str:
    lines = list(LINES)
    cells = lines[line - 1].split("\t")
    lines[line - 1] = "\t".join(cells[:5] + cells[6:])
    return "\n".join(lines)


def random_splice(seed: int) -> str:
    rng = random.Random(seed)
    junk = bytes(rng.randrange(256) for _ in range(2000)).decode("utf-8", errors="replace")
    at = TEXT.index(LINES[40])
    return TEXT[:at + 300] + junk + TEXT[at + 300:]


@pytest.mark.parametrize("text, message", [
    (TEXT[: len(TEXT) // 2], "columns|印发"),
    (cut_tail(4), "印发"),
    (cut_tail(12), "印发"),
    (drop_column(31), "line 31 has 6 columns"),
    (drop_column(40), "line 40 has 6 columns"),
    (TEXT.replace(LINES[23], ""), "header"),
    (TEXT.replace("浙信用办〔2020〕5号\n", ""), "文号"),
    (TEXT.replace("2020年4月16日\n", "", 1).replace("2020年4月16日印发", "印发"), "成文日期"),
    (edited((25, "1.钱江分应用", "钱江分应用")), "unnumbered scene"),
    (edited((31, "3.信用+金融服务", "2.信用+金融服务")), "duplicate scenes: 宁波-2"),
    (edited((65, "2.工作计划", "2.工作安排"), (66, "2.工作计划", "2.工作安排")),
     "block at line 65 has no milestones"),
    ("\n".join(LINES[:24] + LINES[25:]), "line 25: table does not start at scene 1"),
    (edited((25, "\t新增\t1.钱江分应用\t", "\t\t\t")), "line 25 continues no row"),
    ("\n".join(LINES[:24] + LINES[69:]), "annex table is empty"),
    (TEXT.replace("2020年4月16日", "2020年2月30日"), "成文日期"),  # no such day, under the signature or at the close
    (bytes(random.Random(1).randrange(256) for _ in range(5000)).decode("latin-1"), "header"),
    *[(random_splice(seed), "columns") for seed in range(5)],
])
def test_damaged_documents_are_refused(text, message):
    with pytest.raises(DocumentError, match=message) as raised:
        parse(text, FILE)
    assert str(raised.value).startswith(f"{FILE}: ")


def test_a_title_without_its_year_takes_the_year_of_the_issue_date():
    assert parse(TEXT.replace("印发《2020年", "印发《"), FILE).plan_year == 2020


def test_random_bytes_are_not_read(tmp_path):
    path = tmp_path / "random.txt"
    path.write_bytes(bytes(random.Random(2).randrange(256) for _ in range(5000)))
    with pytest.raises(DocumentError):
        parse(read_document(path), path.name)


def test_unknown_city_when_a_block_has_no_label():
    p = parse(edited((35, "温州\t", "\t")), FILE)
    unknown = [f for f in p.findings if f.kind == "unknown_city"]
    assert [(f.source.line, f.item_key) for f in unknown] == [(33, None)]
    block = [i for i in p.walk_items() if i.city is None]
    assert [i.key for i in block if i.kind == "scene"] == [f"block3-{n}" for n in range(1, 6)]
    assert Counter(i.city for i in p.items)["宁波"] == 4


def test_unknown_city_when_a_block_has_two_labels():
    p = parse(edited((27, "\t优化\t2.", "宁波\t优化\t2.")), FILE)
    unknown = [f for f in p.findings if f.kind == "unknown_city"]
    assert len(unknown) == 1 and "杭州" in unknown[0].message and "宁波" in unknown[0].message
    assert [i.key for i in p.items[:2]] == ["block1-1", "block1-2"]
    assert p.items[0].children[0].key == "block1-1-萧山区"


def test_milestone_without_a_date_takes_the_deadline():
    p = parse(edited((25, "(3) 2020年8月底前,完成数据共享;", "(3) 完成数据共享;")), FILE)
    m = next(i for i in p.items if i.key == "杭州-1").milestones[2]
    assert (m.text, m.due.due, m.due_inherited) == ("完成数据共享", date(2020, 12, 31), True)
    assert [(f.kind, f.item_key, f.milestone_seq) for f in p.findings] == [
        ("unparsed_date", "杭州-1", 3),
        ("missing_deadline", "温州-5", None),
        ("due_after_deadline", "金华-2", 4),
        ("due_after_deadline", "金华-3", 3),
    ]


def test_scene_without_plan_and_unnumbered_plan_text_are_findings():
    p = parse(edited((27, "2.工作计划", "2.工作安排"),
                     (30, "2.工作计划:</p> <p>(1)", "2.工作计划:</p> <p>按季度推进。</p> <p>(1)")), FILE)
    found = [(f.kind, f.item_key) for f in p.findings]
    assert ("no_milestones", "杭州-2") in found and ("unnumbered_step", "宁波-2") in found
    assert len(next(i for i in p.items if i.key == "宁波-2").milestones) == 3
