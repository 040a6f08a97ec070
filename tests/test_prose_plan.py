"""A plan written as prose (工作要点): numbered tasks with their units in
brackets or on lines of their own, dates and targets inside the sentences."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from importers import parse_text, prose_plan
from importers.dates import YEAR
from importers.parsed import DocumentError
from store.models import Department, ItemDepartment, Milestone, Plan, WorkItem
from tests.documents import as_docx
from tests.plans import WORK_POINTS
from tests.test_formats import records

D = date


@pytest.fixture(scope="module")
def plan():
    return parse_text(WORK_POINTS, "丽水.txt")


@pytest.fixture(scope="module")
def tasks(plan):
    return {item.key: item for item in plan.walk_items() if item.kind == "task"}


def units(task, role):
    return [d.name for d in task.departments if d.role == role]


def test_the_notice_says_what_it_is(plan):
    assert (plan.kind, plan.doc_no, plan.issuer, plan.title, plan.issue_date, plan.plan_year) == (
        "work_points", "丽政办发〔2021〕12号", "丽水市人民政府办公室", "2021年丽水市社会信用体系建设工作要点",
        D(2021, 3, 5), 2021)  # the date signed in Chinese numerals
    assert {item.city for item in plan.walk_items()} == {"丽水"}


def test_numbered_paragraphs_naming_units_are_tasks_under_their_headings(plan, tasks):
    assert [(g.key, g.name) for g in plan.items] == [("g2", "重点任务")]  # 总体要求, 保障措施: no units
    assert [(g.number, g.name, [t.key for t in g.children]) for g in plan.items[0].children] == [
        ("一", "夯实信用信息基础", ["t01", "t02"]), ("二", "深化信用应用场景", ["t03", "t04", "t05"])]
    assert [t.name for t in tasks.values()] == [
        "完善公共信用信息平台", "全面推行信用承诺制", "推进“信易贷”扩面增量", "开展诚信主题宣传教育",
        "打造“信用+旅游”应用场景，三季度之后在重点景区推广"]


def test_units_in_brackets_and_on_their_own_lines(tasks):
    t1, t2, t3, t4, t5 = tasks.values()
    assert (units(t1, "lead"), units(t1, "coop"), t1.scope) == (["市发展改革委", "市大数据局"], [], "各县（市、区）")
    assert (units(t2, "lead"), units(t2, "coop"), t2.scope) == (["市市场监管局"], [], "市级各有关部门")
    assert units(t3, "lead") == ["市人行"]  # 人行丽水市中心支行, under its one name
    assert (units(t4, "lead"), t4.scope) == (["市委宣传部"], "各县（市、区）政府")
    assert (units(t5, "lead"), units(t5, "coop")) == (["市文广旅体局"], ["市发展改革委"])


def test_dated_clauses_are_milestones(tasks):
    t1, t2, t3, t4, t5 = tasks.values()
    assert [(m.text, m.due.text, m.due.due) for m in t3.milestones] == [
        ("上线“信易贷”服务专区", "2021年9月底前", D(2021, 9, 30)), ("授信企业不少于500家", "12月底前", D(2021, 12, 31))]
    assert (t1.milestones[0].due.due, t2.milestones[0].due.text, t2.milestones[0].due.due) == (
        D(2021, 6, 30), "年内", D(2021, 12, 31))
    assert t3.deadline.due == D(2021, 12, 31)


def test_a_task_without_a_date_or_with_a_start_only_is_a_finding(plan, tasks):
    t4, t5 = tasks["t04"], tasks["t05"]
    for task in (t4, t5):
        [m] = task.milestones
        assert (m.due.due, m.due.precision, m.due_inherited) == (D(2021, 12, 31), YEAR, True)
    assert t5.milestones[0].due.start == D(2021, 10, 1)  # 三季度之后
    found = {(f.kind, f.item_key) for f in plan.findings}
    assert found == {("milestone_due_inherited", "t04"), ("milestone_due_inherited", "t05")}


def test_numeric_targets_are_indicators_with_their_sentence(plan):
    assert [(i.target.name, i.target.value, i.target.unit, i.item_key, i.due.due) for i in plan.indicators] == [
        ("信用信息归集率", 95.0, "%", "t01", D(2021, 6, 30)), ("授信企业", 500.0, "家", "t03", D(2021, 12, 31))]
    assert "授信企业不少于500家" in plan.indicators[1].source.text


def test_the_same_plan_as_a_word_file(tmp_path, plan):
    from importers import parse_document

    path = tmp_path / "工作要点.docx"
    path.write_bytes(as_docx(WORK_POINTS))
    assert records(parse_document(path)) == records(plan)


def test_prose_without_units_is_not_a_plan():
    text = WORK_POINTS.split("二、重点任务")[0] + "二、重点任务\n（一）加强组织领导。各地要高度重视。\n"
    assert not prose_plan.detect(text)
    with pytest.raises(DocumentError, match="无法识别"):
        parse_text(text, "通知.txt")


def test_a_prose_plan_whose_city_cannot_be_told_is_refused():
    text = WORK_POINTS.replace("丽水市", "本市").replace("丽政办发", "政办发").replace("丽水", "本地")
    with pytest.raises(DocumentError, match="确定所属地市"):
        parse_text(text, "通知.txt")


def test_the_cli_imports_a_prose_plan_into_the_store(app, tmp_path):
    path = tmp_path / "工作要点.docx"
    path.write_bytes(as_docx(WORK_POINTS))
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    store = app.extensions["store"]
    with store.session() as s:
        plan_id = s.scalar(select(Plan.id).where(Plan.doc_no == "丽政办发〔2021〕12号"))
        assert s.scalar(select(func.count()).select_from(WorkItem).where(
            WorkItem.plan_id == plan_id, WorkItem.kind == "task")) == 5
        assert s.scalar(select(func.count()).select_from(Milestone).where(Milestone.plan_id == plan_id)) == 6
        leads = s.scalars(select(Department.name).join(ItemDepartment).where(ItemDepartment.role == "lead")
                          .order_by(Department.name)).all()
        assert "市人行" in leads and not any(name.startswith("各") for name in leads)


def test_what_is_left_out_is_listed(plan):
    """Sections naming no units are not tasks: the preview lists them."""
    assert [(ref.line, ref.text) for ref in plan.left_out] == [(18, "一、总体要求"), (32, "三、保障措施")]
