"""The 十四五 credit plan (003_*.txt): 表4's indicators and the text's targets."""
from __future__ import annotations

import re
from datetime import date

import pytest

from importers import SOURCES_DIR, indicator_plan, read_document
from importers.dates import YEAR, Due
from importers.parsed import DocumentError

PATH = next(SOURCES_DIR.glob("003_*.txt"))
TEXT = read_document(PATH)
LINES = TEXT.splitlines(keepends=True)
DUE = Due("2025年", date(2025, 12, 31), YEAR)

# (key, name, comparator, value, unit, baseline, direction, attribute, target_text, line),
# read from the document by hand.
EXPECTED = [
    ("表4-1", "公共信用信息数据归集合规率", ">=", 95, "%", 93, "higher", "约束性", "95%", 239),
    ("表4-2", "纳入公共信用评价守信和不良信息数据量", ">=", 16000, "万条", 8000, "higher", "预期性", "翻一番", 245),
    ("表4-3", "公共信用评价覆盖范围", None, None, None, None, "higher", "约束性",
     "全面覆盖五类主体（含个体工商户、乡镇街道）", 251),
    ("表4-4", "信用监管重点领域数量", ">=", 74, "个", 37, "higher", "预期性", "翻一番", 257),
    ("表4-5", "企业严重失信率", "<=", 1.5, "%", 1.78, "lower", "约束性", "1.5%", 263),
    ("表4-6", "无不良信息企业占比", ">=", 92, "%", 89.9, "higher", "预期性", "92%", 269),
    ("表4-7", "信用服务产业营业收入规模", ">", 130, "亿元", 98, "higher", "预期性", ">130亿", 275),
    ("文:行政许可数据合规率", "行政许可数据合规率", ">=", 99, "%", None, "higher", None, "达99%", 220),
    ("文:行政处罚数据合规率", "行政处罚数据合规率", ">=", 98, "%", None, "higher", None, "98%", 220),
    ("文:政府部门公共信用信息年查询调用量", "政府部门公共信用信息年查询调用量", ">=", 1000, "万人次", None, "higher", None,
     "1000万人次以上", 222),
    ("文:“双随机、一公开”抽查信用关联度", "“双随机、一公开”抽查信用关联度", ">=", 80, "%", None, "higher", None, "80%以上", 224),
    ("文:全省小微企业信用贷款", "全省小微企业信用贷款", ">=", 1.5, "万亿元", None, "higher", None, "达到1.5万亿元", 225),
    ("文:全省信用惠民联盟数量", "全省信用惠民联盟数量", ">=", 11, "个", None, "higher", None, "不低于11个", 336),
    ("文:国家试点示范创建", "国家试点示范创建", ">=", 3, "个", None, "higher", None, "3个", 347),
    ("文:省级试点示范创建", "省级试点示范创建", ">=", 20, "个", None, "higher", None, "20个", 347),
]


@pytest.fixture(scope="module")
def plan():
    return indicator_plan.parse(TEXT, PATH.name)


def test_plan_header(plan):
    assert (plan.kind, plan.doc_no, plan.title, plan.issuer) == (
        "indicator_plan", None, "浙江省社会信用体系建设“十四五”规划（征求意见稿）", "浙江省")
    assert (plan.issue_date, plan.plan_year, plan.source_file) == (date(2021, 1, 1), 2021, PATH.name)
    assert plan.items == []
    # the assumed date and issuer are said, not hidden
    assert [(f.kind, f.source.line) for f in plan.findings] == [
        ("assumed_issue_date", 5), ("assumed_issuer", 1)]


def test_indicators_are_exactly_the_expected_ones(plan):
    got = [(i.key, i.target.name, i.target.comparator, i.target.value, i.target.unit, i.target.baseline,
            i.target.direction, i.attribute, i.target.target_text, i.source.line) for i in plan.indicators]
    assert got == EXPECTED


def test_every_indicator_is_a_province_one_due_2025_with_its_source(plan):
    lines = TEXT.splitlines()
    for ind in plan.indicators:
        assert (ind.scope, ind.city, ind.item_key, ind.milestone_seq) == ("province", None, None, None)
        assert ind.due == DUE
        assert ind.source.file == PATH.name
        assert ind.target.phrase
    for ind in plan.indicators[7:]:
        # a text target points at its sentence, which is on its line
        assert ind.source.text in lines[ind.source.line - 1]
        assert ind.source.text.endswith("。")


def test_table_rows_keep_baseline_year_and_text(plan):
    table = {i.key: i for i in plan.indicators[:7]}
    assert {i.target.baseline_year for i in table.values()} == {2020}
    assert table["表4-1"].target.baseline_text == "93%"
    assert table["表4-7"].target.baseline_text == "98亿"
    assert table["表4-1"].source.text == "1\t公共信用信息数据归集合规率\t93%\t95%\t约束性"


def test_doubling_is_twice_the_baseline(plan):
    by_name = {i.target.name: i.target for i in plan.indicators}
    for name, baseline, unit in (("纳入公共信用评价守信和不良信息数据量", 8000, "万条"),
                                 ("信用监管重点领域数量", 37, "个")):
        t = by_name[name]
        assert (t.target_text, t.value, t.baseline, t.unit) == ("翻一番", 2 * baseline, baseline, unit)


def test_qualitative_row(plan):
    t = plan.indicators[2].target
    assert t.qualitative and t.value is None and t.comparator is None
    assert t.baseline_text == "覆盖五类主体（不含个体工商户、乡镇街道）"


def test_text_restating_the_table_is_not_duplicated(plan):
    from_text = {i.target.name for i in plan.indicators if not i.key.startswith("表4")}
    assert {i.key for i in plan.indicators if not i.key.startswith("表4")} == {f"文:{name}" for name in from_text}
    assert not from_text & {"公共信用信息数据归集合规率", "纳入公共信用评价守信和不良信息数据量",
                            "重点领域信用监管机制覆盖数量", "全省信用服务业营业收入规模",
                            "企业严重失信率", "无不良信息企业占比"}
    # a target for every city is not a province figure
    assert "信用惠民联盟" not in from_text


def test_detect():
    assert indicator_plan.detect(TEXT)
    for other in SOURCES_DIR.glob("*.txt"):
        if other != PATH:
            assert not indicator_plan.detect(read_document(other)), other.name


def cut(upto_line: int) -> str:
    """The document's first lines, as a truncated file would hold them."""
    return "".join(LINES[:upto_line])


@pytest.mark.parametrize("text", [
    cut(250),  # inside 表4, before row 3: the text ends at its table
    cut(278),  # inside 表4's last row
    cut(357) + LINES[357][:40],  # inside the last section, mid-sentence
], ids=["in-table", "in-last-row", "mid-sentence"])
def test_truncated_document_is_refused(text):
    with pytest.raises(DocumentError):
        indicator_plan.parse(text, PATH.name)


def test_a_whole_but_shorter_document_is_read_as_it_stands():
    """A table of six rows, or a plan without a goals section, is a plan in
    its own right (the preview shows what was read before anything is written)."""
    six = indicator_plan.parse(TEXT.replace("\t7\n\t信用服务产业营业收入规模\n\t98亿\n\t>130亿\n\t预期性\n", ""),
                               PATH.name)
    assert [i.key for i in six.indicators if i.key.startswith("表4")] == [f"表4-{n}" for n in range(1, 7)]
    no_goals = indicator_plan.parse(TEXT.replace("（三）主要目标", "（三）"), PATH.name)
    assert [i.key for i in no_goals.indicators] == [f"表4-{n}" for n in range(1, 8)]


@pytest.mark.parametrize("text", [
    TEXT.encode("utf-8").decode("latin-1"),  # mojibake
    TEXT.replace("\t93%\n", "\t9\ufffd%\n"),  # a garbled figure
    TEXT.replace("\t约束性\n", "\t约\ufffd性\n", 1),  # a garbled attribute
    read_document(next(SOURCES_DIR.glob("000_*.txt"))),  # another document
])
def test_garbled_document_is_refused(text):
    with pytest.raises(DocumentError):
        indicator_plan.parse(text, PATH.name)


def test_the_table_as_a_real_word_table_gives_the_same_indicators(tmp_path):
    """表4 as Word holds it — one row per indicator, five cells — reads as
    the one-cell-per-line conversion does."""
    from importers import parse_document
    from importers.table import join_cell_lines
    from tests.documents import as_docx
    from tests.test_formats import records

    joined = join_cell_lines(TEXT.split("\n"))
    kept: list[str] = []
    for n, line in enumerate(joined):  # a table's rows with no blank lines between them: one Word table
        after = next((later for later in joined[n + 1:] if later.strip()), "")
        if line.strip() or not (kept and "\t" in kept[-1] and "\t" in after):
            kept.append(line)
    rows = "\n".join(kept)
    assert "序号\t指标名称\t2020年基期值（预估）\t2025年目标值\t指标属性\n1\t公共信用" in rows
    word = tmp_path / "十四五规划.docx"
    word.write_bytes(as_docx(rows))
    from_word = parse_document(word)
    assert records(from_word) == records(indicator_plan.parse(TEXT, PATH.name))
    assert re.fullmatch(r"表\d+第2行第2列", from_word.indicators[0].source.where)  # its 指标名称 cell


def test_a_citys_indicator_annex_in_excel_by_its_columns(tmp_path):
    """湖州's annual indicators: years as headers, a 单位 column with bare
    figures, a merged category column, a capped and a shorter-is-better row."""
    from importers import parse_document
    from tests.documents import as_xlsx
    from tests.plans import CITY_INDICATORS

    sheet = tmp_path / "主要指标.xlsx"
    sheet.write_bytes(as_xlsx(CITY_INDICATORS))
    plan = parse_document(sheet)
    assert (plan.kind, plan.doc_no, plan.title, plan.issue_date, plan.plan_year) == (
        "indicator_plan", "湖信用办〔2021〕3号", "2021年信用湖州建设主要指标", date(2021, 3, 8), 2021)
    assert plan.issuer == "湖州市信用湖州建设工作领导小组办公室" and plan.findings == []
    got = [(i.key, i.target.name, i.target.comparator, i.target.value, i.target.unit, i.target.baseline,
            i.target.baseline_year, i.target.direction, i.target.qualitative, i.attribute) for i in plan.indicators]
    assert got == [
        ("表-1", "公共信用信息归集合规率", ">=", 98, "%", 95, 2020, "higher", False, "约束性"),
        ("表-2", "“双公示”数据按时上报率", ">=", 100, "%", 99, 2020, "higher", False, "约束性"),
        ("表-3", "信用应用场景数量", ">=", 20, "个", 12, 2020, "higher", False, "预期性"),
        ("表-4", "信易贷授信金额", ">=", 300, "亿元", 150, 2020, "higher", False, "预期性"),
        ("表-5", "企业严重失信率", "<=", 1.0, "%", 1.2, 2020, "lower", False, "约束性"),
        ("表-6", "信用修复办理时限", "<=", 3, "个工作日", 5, 2020, "lower", False, "预期性"),
        ("表-7", "诚信主题宣传活动", None, None, None, None, 2020, "higher", True, "预期性"),
    ]
    assert {(i.scope, i.city, i.due.due) for i in plan.indicators} == {("city", "湖州", date(2021, 12, 31))}
    first = plan.indicators[0].target  # a bare figure is written with its 单位
    assert (first.baseline_text, first.target_text) == ("95%", "98%")
    assert re.fullmatch(r"工作表「附件」C\d+", plan.indicators[0].source.where)  # its 指标名称 cell


def test_the_provinces_targets_for_each_city():
    """A 设区市 column gives each row its city; 全省 is the province's own;
    a county is no city: said, and left out."""
    from importers import parse_text
    from tests.plans import CITY_TARGETS

    plan = parse_text(CITY_TARGETS, "目标任务.txt")
    got = [(i.key, i.scope, i.city, i.target.name, i.target.value, i.target.unit, i.due.due)
           for i in plan.indicators]
    assert got == [
        ("表1-1", "city", "杭州", "信用应用场景数量", 30, "个", date(2021, 12, 31)),
        ("表1-2", "city", "宁波", "信用应用场景数量", 25, "个", date(2021, 12, 31)),
        ("表1-3", "city", "温州", "信易贷平台注册企业数", 5, "万家", date(2021, 9, 30)),
        ("表1-4", "province", None, "公共信用信息归集合规率", 98, "%", date(2021, 12, 31)),
    ]
    assert [(f.kind, f.source.line) for f in plan.findings] == [("unknown_city", 17)]
    assert "萧山区" in plan.findings[0].message and [r.line for r in plan.left_out] == [17]


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("2021年4月2日", "").replace("2021年", "").replace("〔2021〕", ""), "规划年份"),
    (lambda t: t.replace("\t30个以上\t", "\t按第2批清单\t"), "目标值无法识别"),
    (lambda t: t.replace("\t年内\n", "\t年内\t多出的一列\n"), "列"),
], ids=["no-year", "unreadable-target", "ragged-row"])
def test_an_indicator_table_that_cannot_be_read_is_refused_saying_why(change, message):
    from importers import parse_text
    from tests.plans import CITY_TARGETS

    with pytest.raises(DocumentError, match=message):
        parse_text(change(CITY_TARGETS), "目标任务.txt", kind="indicator_plan")
