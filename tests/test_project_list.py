"""The project-list parser on 湖信用办〔2019〕9号 (001), and on broken copies of it."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from importers import SOURCES_DIR, project_list
from importers.dates import DONE, HALF_YEAR, MONTH, OPEN, QUARTER, YEAR
from importers.parsed import DocumentError
from tests.corrupt import shuffled_tabs

D = date
FILE = next(SOURCES_DIR.glob("001_*.txt"))
TEXT = FILE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


@pytest.fixture(scope="module")
def plan():
    return project_list.parse(TEXT, FILE.name)


@pytest.fixture(scope="module")
def items(plan):
    return {item.number: item for item in plan.items}


def units(item, role):
    return [d.name for d in item.departments if d.role == role]


def dues(item):
    return [m.due.due for m in item.milestones]


def test_detect():
    assert project_list.detect(TEXT)
    others = [p for p in SOURCES_DIR.glob("*.txt") if p != FILE]
    assert others and not any(project_list.detect(p.read_text(encoding="utf-8")) for p in others)


def test_plan_header(plan):
    assert (plan.kind, plan.doc_no, plan.title, plan.issuer, plan.issue_date, plan.plan_year) == (
        "project_list", "湖信用办〔2019〕9号", "湖州市推进“信易+”守信激励创新工作方案",
        "湖州市信用湖州建设工作领导小组办公室", D(2019, 6, 26), 2019)
    assert plan.source_file == FILE.name


def test_35_projects(plan):
    assert [i.number for i in plan.items] == [str(n) for n in range(1, 36)]
    assert [i.key for i in plan.items][:3] == ["p01", "p02", "p03"]
    assert {(i.kind, i.city) for i in plan.items} == {("project", "湖州")}
    assert all(i.milestones for i in plan.items)


def test_sources_point_at_the_rows(plan):
    for item in plan.walk_items():
        assert LINES[item.source.line - 1].split("\t")[1].strip() in item.source.text
        for m in item.milestones:
            assert m.source.line == item.source.line
    for finding in plan.findings:
        assert finding.source.text.strip("（）() ") in LINES[finding.source.line - 1]


def test_project_1_no_schedule(items):
    p = items["1"]
    assert (p.name, units(p, "lead"), units(p, "coop")) == ("互联网+信用+公积金管理", ["市公积金中心"], [])
    assert p.description.startswith("加强公积金服务平台与市公共信用信息平台")
    [m] = p.milestones
    assert (m.seq, m.text, m.due.due, m.due_inherited) == (1, "按期完成：互联网+信用+公积金管理",
                                                          D(2019, 12, 31), True)


def test_project_2_quarters(items):
    p = items["2"]
    assert units(p, "lead") == ["市供销社", "省农信联社湖州办事处"]
    assert dues(p) == [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30)]
    assert [m.text for m in p.milestones][:2] == ["完成授信2亿元", "完成授信4亿元"]
    assert [m.due.text for m in p.milestones] == ["一季度", "二季度", "三季度"]


def test_project_3_step_without_date(items):
    p = items["3"]
    assert units(p, "lead") == ["市税务局", "湖州银行", "腾讯"]
    first, second = p.milestones
    assert (first.due.text, first.due.due, first.due_inherited) == ("4月中上旬", D(2019, 4, 20), False)  # by the 20th
    assert first.text.startswith("项目启动阶段")
    assert (second.due.due, second.due_inherited) == (D(2019, 12, 31), True)
    assert second.text.startswith("宣传推广阶段。一是加大线上线下宣传力度")


def test_project_4_html_list(items):
    p = items["4"]
    assert p.name == "信易+职工“双创贷”（劳模信用贷）"
    assert units(p, "coop") == ["湖州市工商银行", "湖州市正策担保有限公司"]
    assert dues(p) == [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)]
    assert p.milestones[0].text == "完成项目方案制定，与湖州市工商银行、湖州市正策担保有限公司达成基本意向"


def test_project_5_and_6(items):
    assert items["5"].deadline.precision == YEAR and items["5"].deadline.text == "全年推进"
    assert dues(items["5"]) == [D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)]
    assert len(items["6"].milestones) == 4  # one <p> per step


def test_project_8_runs_into_2020(items):
    p = items["8"]
    assert dues(p) == [D(2019, 9, 30), D(2019, 12, 31), D(2020, 12, 31)]
    assert [m.due.start for m in p.milestones][:2] == [D(2019, 7, 1), D(2019, 10, 1)]
    assert p.milestones[2].text == "正式实施"


def test_project_10_and_11(items):
    p10 = items["10"]
    assert units(p10, "coop") == ["市人行", "市银监分局", "市金融办", "市发改委", "各金融机构"]
    assert (p10.deadline.due, p10.deadline.precision) == (None, OPEN)
    p11 = items["11"]
    assert (p11.deadline.precision, p11.milestones[0].due.precision) == (DONE, DONE)


def test_project_16_paragraph(items):
    p = items["16"]
    assert (p.deadline.due, p.deadline.start, p.deadline.precision) == (D(2020, 4, 30), D(2019, 5, 28), "day")
    [m] = p.milestones
    assert (m.due.text, m.due.due, m.due_inherited) == ("2020年4月底前", D(2020, 4, 30), False)
    assert m.text.startswith("与市人社局、银保监分局")


def test_project_21_quarter_ranges(items):
    p = items["21"]
    assert units(p, "lead") == ["市妇联", "建行湖州分行"]
    assert [(m.due.start, m.due.due) for m in p.milestones] == [
        (D(2019, 1, 1), D(2019, 6, 30)), (D(2019, 7, 1), D(2019, 12, 31))]
    assert p.deadline.text == "2019 年 12 月底前"


def test_project_23_numbers_are_not_dates(items):
    p = items["23"]
    assert dues(p) == [D(2019, 6, 30), D(2019, 7, 31), D(2019, 12, 31)]
    assert p.milestones[2].text == "推进460家企业49亿元贷款的授信"


def test_project_24_days_and_months(items):
    p = items["24"]
    assert p.deadline.due == D(2019, 12, 31)
    assert p.deadline.text.endswith("(2020年3月完成存量车、桩上线运行)")
    assert dues(p) == [D(2019, 7, 20), D(2019, 8, 31), D(2019, 9, 30), D(2019, 10, 31),
                       D(2019, 11, 30), D(2019, 12, 31)]
    assert p.milestones[0].due.precision == "day"


def test_project_26_month_span(items):
    p = items["26"]
    assert units(p, "lead") == ["国网湖州供电公司", "市经信局"] and units(p, "coop") == []
    assert dues(p) == [D(2019, 6, 30), D(2019, 7, 31), D(2019, 11, 30), D(2019, 12, 31)]
    assert p.milestones[2].due.start == D(2019, 8, 1)


def test_project_27_inherits_every_step(items):
    p = items["27"]
    assert dues(p) == [D(2019, 8, 31)] * 4 and all(m.due_inherited for m in p.milestones)


def test_project_29_open_step(items):
    p = items["29"]
    assert (p.county, p.deadline.precision) == ("德清县", OPEN)
    assert units(p, "coop") == ["县经信局", "县政务办", "县自然资源和规划局", "县建设局"]
    assert [(m.due.due, m.due.precision) for m in p.milestones] == [(D(2019, 5, 31), MONTH), (None, OPEN)]


def test_project_30_start_without_end(items):
    p = items["30"]
    assert (p.county, units(p, "lead")) == ("长兴县", ["长兴县政务办", "县发改局"])
    third = p.milestones[2]
    assert (third.due.text, third.due.start, third.due.due, third.due_inherited) == (
        "10月开始", D(2019, 10, 1), D(2019, 12, 31), True)


def test_counties(items):
    assert {n: items[n].county for n in ("31", "32", "33", "34", "35", "1", "26")} == {
        "31": "安吉县", "32": "吴兴区", "33": "南浔区", "34": "南太湖新区", "35": "南太湖新区",
        "1": None, "26": None}


def test_project_34_35_half_years(items):
    assert [(m.due.due, m.due.precision) for m in items["35"].milestones] == [
        (D(2019, 6, 30), HALF_YEAR), (D(2019, 12, 31), HALF_YEAR)]
    assert items["28"].milestones[1].due.due == D(2019, 12, 31)
    assert items["20"].milestones[1].due.precision == QUARTER


def test_findings(plan):
    found = Counter(f.kind for f in plan.findings)
    assert found == {"no_schedule": 10, "milestone_due_inherited": 8, "due_after_deadline": 4,
                     "open_deadline": 4, "missing_deadline": 1}

    def by_kind(kind):
        return sorted((f.item_key, f.milestone_seq) for f in plan.findings if f.kind == kind)

    assert by_kind("due_after_deadline") == [("p08", 3), ("p13", 3), ("p20", 3), ("p25", 3)]
    assert by_kind("open_deadline") == [("p10", None), ("p18", None), ("p29", None), ("p33", None)]
    assert by_kind("missing_deadline") == [("p19", None)]
    assert by_kind("milestone_due_inherited") == [("p03", 2), ("p14", 4), ("p15", 2), ("p27", 1), ("p27", 2),
                                                  ("p27", 3), ("p27", 4), ("p30", 3)]
    after = next(f for f in plan.findings if (f.item_key, f.milestone_seq) == ("p14", 4))
    assert "只写了开始时间「三季度之后" in after.message  # after Q3: a start, no due date of its own
    assert [k for k, _ in by_kind("no_schedule")] == [
        "p01", "p10", "p11", "p12", "p17", "p18", "p19", "p22", "p32", "p33"]
    late = next(f for f in plan.findings if f.kind == "due_after_deadline")
    assert (late.source.line, late.source.text) == (121, "2020年正式实施。")


# --- broken copies -------------------------------------------------------------

def refused(text: str) -> str:
    with pytest.raises(DocumentError) as error:
        project_list.parse(text, FILE.name)
    return str(error.value)


def test_cut_at_60_percent():
    assert "truncated" in refused(TEXT[: int(len(TEXT) * 0.6)])


def test_last_three_lines_removed():
    assert "truncated" in refused("\n".join(TEXT.splitlines()[:-3]))


def test_cut_off_last_row():
    """The closing line kept, the last row cut in the middle."""
    lines = TEXT.split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("35\t"))
    lines[last] = lines[last][: len(lines[last]) // 2]
    assert f"第{last + 1}行" in refused("\n".join(lines))


def test_missing_rows():
    lines = [line for line in TEXT.split("\n") if not line.startswith(("14\t", "15\t"))]
    assert "序号应为 14" in refused("\n".join(lines))


def test_random_bytes():
    noise = random.Random(1).randbytes(20000).decode("latin-1")
    assert "header not found" in refused(noise)


def test_shuffled_tabs():
    """Each table row's tabs moved to random places."""
    refused(shuffled_tabs(TEXT, 6, "序号", 7))


def test_not_a_project_list():
    other = next(SOURCES_DIR.glob("004_*.txt")).read_text(encoding="utf-8")
    assert "header not found" in refused(other)
