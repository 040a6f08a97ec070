"""The Chinese date grammar (DESIGN §4), on the examples of the design and on
every date phrase of the bundled documents, listed by hand with the dates a
reader of the document would give them."""
from __future__ import annotations

import re
from datetime import date

import pytest

from importers import SOURCES_DIR
from importers.dates import (
    DAY,
    DONE,
    HALF_YEAR,
    MONTH,
    OPEN,
    QUARTER,
    TEN_DAYS,
    UNPARSED,
    YEAR,
    Due,
    deadline_issue,
    find_due,
    parse_due,
    written_date,
)
from importers.text import strip_html

D = date


# --- DESIGN §4 and the brief: whole cells -----------------------------------

@pytest.mark.parametrize("cell, due, precision, start", [
    ("2020年3月底前", D(2020, 3, 31), MONTH, None),
    ("2020 年 6 月底前", D(2020, 6, 30), MONTH, None),
    ("2020年4月", D(2020, 4, 30), MONTH, None),
    ("7月20号前", D(2020, 7, 20), DAY, None),
    ("2019年5月28日-2020年4月30日根据服务对象需要陆续完成", D(2020, 4, 30), DAY, D(2019, 5, 28)),
    ("一季度", D(2020, 3, 31), QUARTER, None),
    ("第二季度", D(2020, 6, 30), QUARTER, None),
    ("1-2 季度", D(2020, 6, 30), QUARTER, D(2020, 1, 1)),
    ("三季度之后", None, OPEN, D(2020, 10, 1)),  # after Q3: an open start, no due date
    ("二季度以后", None, OPEN, D(2020, 7, 1)),
    ("二季度、三季度", D(2020, 9, 30), QUARTER, D(2020, 4, 1)),
    ("三季度、四季度", D(2020, 12, 31), QUARTER, D(2020, 7, 1)),
    ("3-4 季度", D(2020, 12, 31), QUARTER, D(2020, 7, 1)),
    ("上半年", D(2020, 6, 30), HALF_YEAR, None),
    ("下半年", D(2020, 12, 31), HALF_YEAR, None),
    ("年底", D(2020, 12, 31), YEAR, None),
    ("2019年底前", D(2019, 12, 31), YEAR, None),
    ("2019年底前完成", D(2019, 12, 31), YEAR, None),
    ("全年工作", D(2020, 12, 31), YEAR, None),
    ("全年推进", D(2020, 12, 31), YEAR, None),
    ("8月-11月份", D(2020, 11, 30), MONTH, D(2020, 8, 1)),
    ("8月-9月", D(2020, 9, 30), MONTH, D(2020, 8, 1)),
    ("2019年7-9月", D(2019, 9, 30), MONTH, D(2019, 7, 1)),
    ("2019年10-12月", D(2019, 12, 31), MONTH, D(2019, 10, 1)),
    ("2020.12", D(2020, 12, 31), MONTH, None),
    ("2020年", D(2020, 12, 31), YEAR, None),
    ("6月底", D(2020, 6, 30), MONTH, None),
    ("6 月底前", D(2020, 6, 30), MONTH, None),
    ("12月份", D(2020, 12, 31), MONTH, None),
    ("4月中上旬", D(2020, 4, 20), TEN_DAYS, None),  # 上旬 by the 10th, 中旬 by the 20th
    ("12月中旬", D(2020, 12, 20), TEN_DAYS, None),
    ("10月上旬前", D(2020, 10, 10), TEN_DAYS, None),
    ("6月下旬", D(2020, 6, 30), MONTH, None),
    ("次年3月", D(2021, 3, 31), MONTH, None),
    ("次年底", D(2021, 12, 31), YEAR, None),
    ("当年9月底前", D(2020, 9, 30), MONTH, None),
    ("二〇二〇年六月底前", D(2020, 6, 30), MONTH, None),
    ("十二月底前", D(2020, 12, 31), MONTH, None),
    ("二〇二一年三月五日前", D(2021, 3, 5), DAY, None),
    ("2020-06-30", D(2020, 6, 30), DAY, None),
    ("2020/6/30", D(2020, 6, 30), DAY, None),
    ("2020-06", D(2020, 6, 30), MONTH, None),
    ("6.30前", D(2020, 6, 30), DAY, None),
    ("年内", D(2020, 12, 31), YEAR, None),
    ("年内完成", D(2020, 12, 31), YEAR, None),
    ("2021年内", D(2021, 12, 31), YEAR, None),
    ("6月以后", None, OPEN, D(2020, 7, 1)),
    ("下半年以后", None, OPEN, D(2021, 1, 1)),
    ("三年内", None, UNPARSED, None),  # a span, not a date: a finding
    ("完成时间:2019年5月", D(2019, 5, 31), MONTH, None),
    ("2019年12月底前实现平台试运行(2020年3月完成存量车、桩上线运行)", D(2019, 12, 31), MONTH, None),
    ("2019年8月底前完成相关工作", D(2019, 8, 31), MONTH, None),
    ("持续推进", None, OPEN, None),
    ("持续推进中", None, OPEN, None),
    ("无", None, OPEN, None),
    ("待个人诚信分建立后", None, OPEN, None),
    ("(完成时间:持续推进)", None, OPEN, None),
    ("已完成", None, DONE, None),
    ("10月开始", None, OPEN, D(2020, 10, 1)),
    ("", None, OPEN, None),
    ("根据服务对象需要陆续完成", None, UNPARSED, None),
])
def test_parse_due_examples(cell, due, precision, start):
    assert parse_due(cell, 2020) == Due(cell.strip(), due, precision, start)


@pytest.mark.parametrize("cell", [
    "２０２０年１２月底前",  # full-width digits
    "2020 年 12 月 底 前",  # stray spaces
    " 2020年12月底前\u3000",
    "2020.12 ",
    "２０２０．１２",
])
def test_widths_and_spaces(cell):
    found = parse_due(cell, 2019)
    assert (found.due, found.text) == (D(2020, 12, 31), cell.strip())


def test_done_keeps_a_date_it_gives():
    assert parse_due("已完成（2019年5月）", 2019) == Due("已完成（2019年5月）", D(2019, 5, 31), DONE)


# --- phrases inside milestone sentences --------------------------------------

@pytest.mark.parametrize("sentence, text, due, precision", [
    ("(1) 2020 年 6 月底前, 研究开发…", "2020 年 6 月底前", D(2020, 6, 30), MONTH),
    ("（1）2020年4月底前，研究制定", "2020年4月底前", D(2020, 4, 30), MONTH),
    ("1.一季度：完成项目方案制定", "一季度", D(2020, 3, 31), QUARTER),
    ("3.12 月底前推进 460 家企业 49 亿元贷款的授信", "12 月底前", D(2020, 12, 31), MONTH),
    ("1.制作告知承诺书(范本)(二季度)", "二季度", D(2020, 6, 30), QUARTER),
    ("3.三季度完成授信6亿元，到年底完成授信8亿元", "三季度", D(2020, 9, 30), QUARTER),
    ("到年底完成授信8亿元", "年底", D(2020, 12, 31), YEAR),
    ("1.7月20号前研究确定招标方式,按照公开招标公示期1个月的要求", "7月20号前", D(2020, 7, 20), DAY),
    ("1.2019年上半年实现辖区南太湖游船有限公司", "2019年上半年", D(2019, 6, 30), HALF_YEAR),
    ("3.2020年正式实施。", "2020年", D(2020, 12, 31), YEAR),
    ("1.建立完成信用监管平台;(完成时间:2019年5月)", "2019年5月", D(2019, 5, 31), MONTH),
    ("2.根据公共信用评价实施分类监管。(完成时间:持续推进)", "持续推进", None, OPEN),
    ("给予全年最低利率（最低月利率3.8%），2020年4月底前均可享受", "2020年4月底前",
     D(2020, 4, 30), MONTH),
    ("5.11月底前设备到位,预计2020年3月前基本完成", "11月底前", D(2020, 11, 30), MONTH),
])
def test_find_due_in_sentences(sentence, text, due, precision):
    found = find_due(sentence, 2020)
    assert (found.text, found.due, found.precision) == (text, due, precision)


def test_find_due_start_without_end():
    assert find_due("3.10月开始,推进信用应用。", 2019) == Due("10月开始", None, OPEN, D(2019, 10, 1))


@pytest.mark.parametrize("sentence", [
    "2.宣传推广阶段。一是加大线上线下宣传力度。",
    "460 家企业 49 亿元",
    "7个工作日内上网公开",
    "完成户籍 18周岁以上个人信用试评价",
    "相应商家应在3天内缴付",
    "实施提前2个月到延迟2个月不等的奖惩措施",
    "按照国家2万公里运行监管要求",
    "最低月利率3.8%",
    "完成 E 周融金融综合服务平台 2.0 改造方案",
    "利用“3.15 消费者权益日”“6.14 信用记录关爱日”“8·8 诚信日”等重要时间节点",
    "选择1-2个基础条件好的产业园区",
    "对各级劳模给予 20-50 万元纯信用授信额度",
    "《社会信用体系建设规划纲要（2014-2020年）》",
    "对已完成整改的企业减少检查",
    "给予邮储银行全年最低利率",
])
def test_false_dates(sentence):
    assert find_due(sentence, 2020) is None


# --- every date phrase of the documents --------------------------------------
# 000: milestones "(n) 2020年X月底前," and the 完成时间 column (plan year 2020).
DOC_000 = {
    "2020年3月底前": D(2020, 3, 31), "2020年4月": D(2020, 4, 30), "2020年4月底前": D(2020, 4, 30),
    "2020 年 4 月底前": D(2020, 4, 30), "2020年5月底前": D(2020, 5, 31),
    "2020 年 5 月底前": D(2020, 5, 31), "2020年6月": D(2020, 6, 30),
    "2020年6月底前": D(2020, 6, 30), "2020 年 6 月底前": D(2020, 6, 30),
    "2020年7月底前": D(2020, 7, 31), "2020 年 7 月底前": D(2020, 7, 31),
    "2020年8月": D(2020, 8, 31), "2020年8月底前": D(2020, 8, 31),
    "2020 年 8 月底前": D(2020, 8, 31), "2020年9月底前": D(2020, 9, 30),
    "2020 年 9 月底前": D(2020, 9, 30), "2020年10月底前": D(2020, 10, 31),
    "2020 年 10 月底前": D(2020, 10, 31), "2020年11月底前": D(2020, 11, 30),
    "2020 年 11 月底前": D(2020, 11, 30), "2020年12月底前": D(2020, 12, 31),
    "2020 年 12 月底前": D(2020, 12, 31),
    "2020.10": D(2020, 10, 31), "2020.11": D(2020, 11, 30), "2020.12": D(2020, 12, 31),
}
# 001: phrases in the 进度安排 column (plan year 2019), (due, precision, start).
DOC_001_SCHEDULE = {
    "一季度": (D(2019, 3, 31), QUARTER, None), "二季度": (D(2019, 6, 30), QUARTER, None),
    "三季度": (D(2019, 9, 30), QUARTER, None), "四季度": (D(2019, 12, 31), QUARTER, None),
    "第二季度": (D(2019, 6, 30), QUARTER, None), "第三季度": (D(2019, 9, 30), QUARTER, None),
    "第四季度": (D(2019, 12, 31), QUARTER, None),
    "二季度以后": (None, OPEN, D(2019, 7, 1)), "三季度之后": (None, OPEN, D(2019, 10, 1)),
    "二季度、三季度": (D(2019, 9, 30), QUARTER, D(2019, 4, 1)),
    "三季度、四季度": (D(2019, 12, 31), QUARTER, D(2019, 7, 1)),
    "1-2 季度": (D(2019, 6, 30), QUARTER, D(2019, 1, 1)),
    "3-4 季度": (D(2019, 12, 31), QUARTER, D(2019, 7, 1)),
    "上半年": (D(2019, 6, 30), HALF_YEAR, None), "2019年上半年": (D(2019, 6, 30), HALF_YEAR, None),
    "下半年": (D(2019, 12, 31), HALF_YEAR, None), "年底": (D(2019, 12, 31), YEAR, None),
    "2020年": (D(2020, 12, 31), YEAR, None),
    "2019年7-9月": (D(2019, 9, 30), MONTH, D(2019, 7, 1)),
    "2019年10-12月": (D(2019, 12, 31), MONTH, D(2019, 10, 1)),
    "8月-11月份": (D(2019, 11, 30), MONTH, D(2019, 8, 1)),
    "8月-9月": (D(2019, 9, 30), MONTH, D(2019, 8, 1)),
    "4月中上旬": (D(2019, 4, 20), TEN_DAYS, None), "7月20号前": (D(2019, 7, 20), DAY, None),
    "6月底": (D(2019, 6, 30), MONTH, None), "9月底": (D(2019, 9, 30), MONTH, None),
    "6月底前": (D(2019, 6, 30), MONTH, None), "6 月底前": (D(2019, 6, 30), MONTH, None),
    "7月底前": (D(2019, 7, 31), MONTH, None), "7 月底前": (D(2019, 7, 31), MONTH, None),
    "8月底前": (D(2019, 8, 31), MONTH, None), "9月底前": (D(2019, 9, 30), MONTH, None),
    "10月底前": (D(2019, 10, 31), MONTH, None), "11月底前": (D(2019, 11, 30), MONTH, None),
    "12月底前": (D(2019, 12, 31), MONTH, None), "12 月底前": (D(2019, 12, 31), MONTH, None),
    "12月份": (D(2019, 12, 31), MONTH, None), "2019年5月": (D(2019, 5, 31), MONTH, None),
    "2020年3月前": (D(2020, 3, 31), MONTH, None), "2020年4月底前": (D(2020, 4, 30), MONTH, None),
    "10月开始": (None, OPEN, D(2019, 10, 1)), "持续推进": (None, OPEN, None),
    "无": (None, OPEN, None),
}
# 001: the 完成时间 column.
DOC_001_DEADLINE = {
    "2019年12月底前": (D(2019, 12, 31), MONTH), "2019 年 12 月底前": (D(2019, 12, 31), MONTH),
    "2019 年 12 月底前实现平台试运行": (D(2019, 12, 31), MONTH),
    "2019年12月底前实现平台试运行(2020年3月完成存量车、桩上线运行)": (D(2019, 12, 31), MONTH),
    "2019年9月底前": (D(2019, 9, 30), MONTH), "2019年10月底前": (D(2019, 10, 31), MONTH),
    "2019年6月底前": (D(2019, 6, 30), MONTH),
    "2019年8月底前完成相关工作": (D(2019, 8, 31), MONTH), "2019年底前完成": (D(2019, 12, 31), YEAR),
    "2019年5月28日-2020年4月30日根据服务对象需要陆续完成": (D(2020, 4, 30), DAY),
    "全年推进": (D(2019, 12, 31), YEAR),
    "持续推进": (None, OPEN), "持续推进中": (None, OPEN), "待个人诚信分建立后": (None, OPEN),
    "无": (None, OPEN), "已完成": (None, DONE),
}
# 004: the 时间进度 column (plan year 2018).
DOC_004 = {
    "5月底前": (D(2018, 5, 31), MONTH), "6月底前": (D(2018, 6, 30), MONTH),
    "8月底前": (D(2018, 8, 31), MONTH), "10月底前": (D(2018, 10, 31), MONTH),
    "11月底前": (D(2018, 11, 30), MONTH), "12月底前": (D(2018, 12, 31), MONTH),
    "全年工作": (D(2018, 12, 31), YEAR),
}


@pytest.mark.parametrize("phrase, due", DOC_000.items())
def test_document_000(phrase, due):
    assert parse_due(phrase, 2020) == Due(phrase, due, MONTH)
    assert find_due(f"(1) {phrase}, 完成数据共享;", 2020) == Due(phrase, due, MONTH)


@pytest.mark.parametrize("phrase, expected", DOC_001_SCHEDULE.items())
def test_document_001_schedule(phrase, expected):
    found = find_due(phrase, 2019)
    assert (found.text, found.due, found.precision, found.start) == (phrase, *expected)


@pytest.mark.parametrize("cell, expected", DOC_001_DEADLINE.items())
def test_document_001_deadline(cell, expected):
    assert (parse_due(cell, 2019).due, parse_due(cell, 2019).precision) == expected


@pytest.mark.parametrize("cell, expected", DOC_004.items())
def test_document_004(cell, expected):
    assert (parse_due(cell, 2018).due, parse_due(cell, 2018).precision) == expected


def _table_cells(name: str, column: int) -> list[str]:
    path = next(SOURCES_DIR.glob(f"{name}_*.txt"))
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [strip_html(row[column]) for row in rows
            if len(row) > column and row[0] not in ("地市", "序号", "重点工作")]


def _every_phrase(text: str, plan_year: int) -> list[str]:
    phrases = []
    while found := find_due(text, plan_year):
        phrases.append(found.text)
        text = text[text.index(found.text) + len(found.text):]
    return phrases


def test_the_lists_cover_the_documents():
    """The hand-made lists above hold every phrase the documents use."""
    milestones = {m.strip() for cell in _table_cells("000", 4)
                  for m in re.findall(r"[(（]\d[)）]\s*(2020[^,，]*?)[,，]", cell)}
    assert milestones | (set(_table_cells("000", 6)) - {""}) <= set(DOC_000)
    schedule = {p for cell in _table_cells("001", 3) for p in _every_phrase(cell, 2019)}
    assert schedule <= set(DOC_001_SCHEDULE)
    assert {c.strip() for c in _table_cells("001", 6)} <= set(DOC_001_DEADLINE)
    assert {c.strip() for c in _table_cells("004", 4)} <= set(DOC_004)


# --- helpers -----------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("2019年6月26日", D(2019, 6, 26)),
    ("2019年6月26日印发", D(2019, 6, 26)),
    (" 2018 年 5 月 17 日 ", D(2018, 5, 17)),
    ("2019年2月30日", None),
    ("于2019年6月26日印发通知", None),
])
def test_written_date(line, expected):
    assert written_date(line) == expected


@pytest.mark.parametrize("cell, issue", [
    ("", "missing_deadline"), ("无", "missing_deadline"),
    ("持续推进", "open_deadline"), ("待个人诚信分建立后", "open_deadline"),
    ("根据需要", "unparsed_date"), ("2019年12月底前", None), ("已完成", None),
])
def test_deadline_issue(cell, issue):
    assert deadline_issue(parse_due(cell, 2019)) == issue
