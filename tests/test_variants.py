"""Plans the office really receives, made from the bundled ones the way they
come: next year's edition of a notice, a column renamed or a merged header
cell filled in, another city's table in the same layout, a date signed in
Chinese numerals.  Each is read like the original, with what it changed."""
from __future__ import annotations

import pytest

from importers import SOURCES_DIR, parse_text
from importers.parsed import DocumentError
from tests.test_formats import records


def seed(prefix: str) -> str:
    return next(SOURCES_DIR.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


SCENES, PROJECTS, TASKS = seed("000"), seed("001"), seed("004")


def milestones(plan):
    return [m for item in plan.walk_items() for m in item.milestones]


def test_next_years_edition_of_the_scene_plan():
    """浙信用办〔2021〕5号: the same annex with every date a year on."""
    edition = parse_text(SCENES.replace("2020", "2021"), "2021.txt")
    original = parse_text(SCENES, "2020.txt")
    assert (edition.doc_no, edition.plan_year, edition.issue_date.year) == ("浙信用办〔2021〕5号", 2021, 2021)
    assert len(edition.items) == len(original.items) and len(milestones(edition)) == len(milestones(original))
    moved = [(m.due.due.replace(year=m.due.due.year + 1) if m.due.due else None) for m in milestones(original)]
    assert [m.due.due for m in milestones(edition)] == moved
    assert sorted(i.city for i in edition.items) == sorted(i.city for i in original.items)


@pytest.mark.parametrize("header", [
    "重点工作\t工作任务\t\t责任单位\t完成时限",  # 时间进度 renamed
    "重点工作\t工作任务\t具体任务\t责任单位\t时间进度",  # the merged header's blank cell filled
    "重点工作\t工作任务\t工作任务\t责任单位\t时间进度",  # the merge undone, its word copied
    "重点工作\t主要任务\t具体任务\t责任部门\t完成时间",  # every column in other words
])
def test_a_task_table_with_its_header_reworded(header):
    reworded = TASKS.replace("重点工作\t工作任务\t\t责任单位\t时间进度", header)
    assert header in reworded
    assert records(parse_text(reworded, "004.txt")) == records(parse_text(TASKS, "004.txt"))


def test_a_project_list_with_its_columns_renamed():
    renamed = PROJECTS.replace("序号\t创新应用项目\t主要任务\t进度安排\t牵头单位\t配合单位\t完成时间",
                               "编号\t项目名称\t主要任务\t进度安排\t牵头部门\t配合部门\t完成时限")
    assert records(parse_text(renamed, "001.txt")) == records(parse_text(PROJECTS, "001.txt"))


def other_city(text: str, old: str, new: str, old_mark: str, new_mark: str) -> str:
    return text.replace(f"{old_mark}〔", f"{new_mark}〔").replace(old, new)


def test_another_citys_project_list_in_huzhous_layout():
    """嘉兴's list: the issuer, the number (嘉信用办) and the title name 嘉兴."""
    plan = parse_text(other_city(PROJECTS, "湖州", "嘉兴", "湖信用办", "嘉信用办"), "嘉兴.txt")
    assert plan.doc_no == "嘉信用办〔2019〕9号" and plan.issuer.startswith("嘉兴市")
    assert {item.city for item in plan.walk_items()} == {"嘉兴"}
    assert not {item.county for item in plan.walk_items()} - {None, "南湖区", "秀洲区", "嘉善县", "海盐县",
                                                                "海宁市", "平湖市", "桐乡市"}


def test_another_citys_task_table_in_wenzhous_layout():
    """宁波's 工作要点: 甬政办 is 宁波's number."""
    plan = parse_text(other_city(TASKS, "温州", "宁波", "温政办", "甬政办"), "宁波.txt")
    assert plan.doc_no == "甬政办〔2018〕50号"
    assert {item.city for item in plan.walk_items()} == {"宁波"}
    assert len(milestones(plan)) == len(milestones(parse_text(TASKS, "004.txt")))


def test_the_city_comes_from_the_number_when_the_issuer_does_not_name_it():
    text = other_city(PROJECTS, "湖州市信用湖州建设工作领导小组办公室", "信用建设工作领导小组办公室",
                      "湖信用办", "嘉信用办").replace("湖州市推进", "推进")
    assert {item.city for item in parse_text(text, "嘉兴.txt").walk_items()} == {"嘉兴"}


def test_a_plan_whose_city_cannot_be_told_is_refused_asking_for_it():
    text = (PROJECTS.replace("湖信用办〔", "信用办〔").replace("湖州市信用湖州建设工作领导小组办公室", "信用办")
            .replace("湖州市", "本市"))
    with pytest.raises(DocumentError, match="确定所属地市"):
        parse_text(text, "无地市.txt")


def test_a_signature_date_in_chinese_numerals():
    plan = parse_text(TASKS.replace("2018年5月17日", "二〇一八年五月十七日", 1), "004.txt")
    assert plan.issue_date.isoformat() == "2018-05-17"


def test_the_cli_imports_with_what_the_user_states_and_dry_runs_write_nothing(app, tmp_path):
    from tests.test_cli import table_counts

    nameless = tmp_path / "无地市.txt"
    nameless.write_text(PROJECTS.replace("湖信用办〔", "信用办〔").replace("湖州市信用湖州建设工作领导小组办公室", "信用办")
                        .replace("湖州市", "本市"), encoding="utf-8")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["import", str(nameless)])
    assert refused.exit_code != 0 and "确定所属地市" in refused.output
    with app.app_context():
        empty = table_counts(app)
    dry = runner.invoke(args=["import", str(nameless), "--city", "衢州", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "imported" in dry.output and "dry run: nothing written" in dry.output
    with app.app_context():
        assert table_counts(app) == empty
    done = runner.invoke(args=["import", str(nameless), "--city", "衢州", "--year", "2020"])
    assert done.exit_code == 0, done.output
    store = app.extensions["store"]
    with store.session() as s:
        from sqlalchemy import select

        from store.models import Plan, Region, WorkItem
        plan = s.scalar(select(Plan).where(Plan.doc_no == "信用办〔2019〕9号"))
        assert plan.plan_year == 2020
        cities = set(s.scalars(select(Region.name).join(WorkItem, WorkItem.city_id == Region.id)
                               .where(WorkItem.plan_id == plan.id)))
        assert cities == {"衢州"}
    for args, message in ((["--city", "上海"], "上海"), (["--kind", "magazine"], "magazine")):
        bad = runner.invoke(args=["import", str(nameless), *args])
        assert bad.exit_code != 0 and message in bad.output


def test_a_kind_named_by_the_user_is_the_parser_used():
    with pytest.raises(DocumentError, match="未找到附件表头"):
        parse_text(PROJECTS, "001.txt", kind="task_division")  # a project list is no task table
    assert parse_text(TASKS, "004.txt", kind="task_division").kind == "task_division"


def page_split(text: str, after: str) -> str:
    """The table row holding ``after`` broken over two lines right after it,
    as a page break leaves a Word table converted to text: the rest of that
    cell on a line of its own, the row's other cells empty there."""
    line = next(line for line in text.split("\n") if after in line and "\t" in line)
    cells = line.split("\t")
    at = next(k for k, cell in enumerate(cells) if after in cell)
    cut = cells[at].index(after) + len(after)
    first = [*cells[:at], cells[at][:cut], *cells[at + 1:]]
    rest = ["" if k != at else cells[at][cut:] for k in range(len(cells))]
    assert rest[at].strip(), "nothing left to carry over"
    return text.replace(line, "\t".join(first) + "\n" + "\t".join(rest), 1)


@pytest.mark.parametrize("text, after", [
    (TASKS, "1. 完善温州市信用信息综合服务平台建设,"),  # mid-sentence, in the task cell
    (TASKS, "5月底前"[:2]),  # the time cell, 5月 | 底前
    (PROJECTS, "1.一季度完成授信2亿元；"),  # between two steps, in a project's schedule
], ids=["task-mid-sentence", "task-time", "project-steps"])
def test_a_row_split_by_a_page_break_is_one_row(text, after):
    split = page_split(text, after)
    assert split.count("\n") == text.count("\n") + 1
    assert records(parse_text(split, "split.txt")) == records(parse_text(text, "split.txt"))


def test_an_indicator_row_split_by_a_page_break_is_one_row():
    from tests.plans import CITY_INDICATORS

    split = page_split(CITY_INDICATORS, "“双公示”数据")
    assert records(parse_text(split, "指标.txt")) == records(parse_text(CITY_INDICATORS, "指标.txt"))


def test_a_heading_row_spanning_a_table_is_not_taken_for_a_continuation():
    from tests.plans import CITY_INDICATORS

    headed = CITY_INDICATORS.replace("3\t信用应用\t", "\t\t二、信用应用\t\t\t\t\t\n3\t信用应用\t")
    plan = parse_text(headed, "指标.txt")
    assert [i.target.name for i in plan.indicators][1:3] == ["“双公示”数据按时上报率", "信用应用场景数量"]


def test_a_milestone_due_before_its_plan_was_issued_is_judged_from_the_issue_date():
    """湖州's 一季度 in a plan issued on 2019-06-26: due on the issue date (it
    cannot have been late before the plan existed), the phrase kept, a finding."""
    from datetime import date

    plan = parse_text(PROJECTS, "001.txt")
    first = next(i for i in plan.items if i.key == "p02").milestones[0]
    assert (first.due.text, first.due.due, plan.issue_date) == ("一季度", date(2019, 6, 26), date(2019, 6, 26))
    early = [f for f in plan.findings if f.kind == "due_before_issue"]
    assert len(early) == 8 and ("p02", 1) in {(f.item_key, f.milestone_seq) for f in early}
    assert "一季度" in early[0].message and "按印发日判断" in early[0].message
