"""The task-division parser on 温政办〔2018〕50号 (004), and on broken copies of it."""
from __future__ import annotations

import random
from datetime import date

import pytest

from importers import SOURCES_DIR, task_division
from importers.dates import MONTH, YEAR
from importers.parsed import DocumentError
from tests.corrupt import shuffled_tabs

D = date
FILE = next(SOURCES_DIR.glob("004_*.txt"))
TEXT = FILE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


@pytest.fixture(scope="module")
def plan():
    return task_division.parse(TEXT, FILE.name)


@pytest.fixture(scope="module")
def tasks(plan):
    return {item.number: item for item in plan.walk_items() if item.kind == "task"}


def lead(item):
    assert {d.role for d in item.departments} == {"lead"}
    return [d.name for d in item.departments]


def test_detect():
    assert task_division.detect(TEXT)
    others = [p for p in SOURCES_DIR.glob("*.txt") if p != FILE]
    assert others and not any(task_division.detect(p.read_text(encoding="utf-8")) for p in others)


def test_plan_header(plan):
    assert (plan.kind, plan.doc_no, plan.title, plan.issuer, plan.issue_date, plan.plan_year) == (
        "task_division", "温政办〔2018〕50号", "2018年温州市社会信用体系建设工作要点",
        "温州市人民政府办公室", D(2018, 5, 17), 2018)
    assert plan.findings == []


def test_tree(plan, tasks):
    groups = plan.items
    sub_groups = [s for g in groups for s in g.children]
    assert [g.number for g in groups] == ["一", "二", "三", "四", "五", "六"]
    assert [g.key for g in groups] == ["g1", "g2", "g3", "g4", "g5", "g6"]
    assert len(sub_groups) == 18 and sub_groups[-1].number == "十八"
    assert [len(g.children) for g in groups] == [4, 4, 4, 2, 2, 2]
    assert {s.kind for s in groups + sub_groups} == {"group"}
    assert list(tasks) == [str(n) for n in range(1, 36)]
    assert [t.key for t in tasks.values()][:2] == ["t01", "t02"]
    assert {(t.city, t.county) for t in plan.walk_items()} == {("温州", None)}


def test_names_without_numbers(plan):
    first = plan.items[0]
    assert first.name == "推进平台建设，提升信用信息归集服务能力"
    assert (first.children[0].key, first.children[0].name) == ("g1.1", "强化信用大数据平台建设")
    twelfth = plan.items[2].children[3]
    assert (twelfth.number, twelfth.key, twelfth.name) == ("十二", "g3.12", "探索与第三方共同推动创新应用")


def test_task_1(tasks):
    t = tasks["1"]
    assert t.name.startswith("完善温州市信用信息综合服务平台建设")
    assert lead(t) == ["市发改委"]
    assert (t.deadline.text, t.deadline.due, t.deadline.precision) == ("5月底前", D(2018, 5, 31), MONTH)
    [m] = t.milestones
    assert (m.seq, m.text, m.due, m.due_inherited) == (1, t.name, t.deadline, False)
    assert (t.source.line, m.source.line) == (86, 86)


def test_task_2(tasks):
    t = tasks["2"]
    assert lead(t) == ["市发改委", "各县（市、区）政府"]
    assert (t.deadline.text, t.deadline.due, t.deadline.precision) == ("全年工作", D(2018, 12, 31), YEAR)
    assert t.source.line == 87


@pytest.mark.parametrize("number, due", [
    ("4", D(2018, 12, 31)), ("5", D(2018, 6, 30)), ("14", D(2018, 10, 31)),
    ("15", D(2018, 5, 31)), ("18", D(2018, 10, 31)), ("19", D(2018, 11, 30)),
    ("21", D(2018, 11, 30)), ("26", D(2018, 8, 31)), ("31", D(2018, 8, 31)),
    ("34", D(2018, 5, 31)), ("35", D(2018, 12, 31)),
])
def test_deadlines(tasks, number, due):
    assert tasks[number].deadline.due == due == tasks[number].milestones[0].due.due


def test_units(tasks):
    assert lead(tasks["19"]) == ["市发改委", "市各有关部门"]
    assert lead(tasks["22"]) == ["市发改委", "市审管办（市公共资源管委办）", "市各有关部门"]
    assert lead(tasks["24"]) == ["市发改委", "市人力社保局", "市交通运输局", "市卫计委", "市金融办"]
    assert lead(tasks["25"]) == ["市人行", "市农办（市农业局）"]


def test_group_8(plan, tasks):
    eighth = plan.items[1].children[3]
    assert (eighth.number, eighth.name) == ("八", "重点领域失信问题专项治理")
    [t20] = eighth.children
    assert t20 is tasks["20"]
    assert lead(t20) == ["市中院", "市金融办", "市人行", "温州银监分局", "各县（市、区）政府"]
    assert t20.deadline.due == D(2018, 12, 31)


def test_page_break_starts_new_group(plan):
    """Line 99 (after the repeated header) opens 二 and (五) on one row."""
    second = plan.items[1]
    assert (second.source.line, second.children[0].number, second.children[0].source.line) == (99, "五", 99)
    assert [t.number for t in second.children[0].children] == ["12", "13", "14"]


def test_false_dates_in_task_text(tasks):
    assert "7个工作日内" in tasks["8"].name and tasks["8"].deadline.text == "全年工作"
    assert tasks["31"].deadline.due == D(2018, 8, 31)


def test_unparsed_progress_is_a_finding():
    lines = list(LINES)
    lines[87] = lines[87].replace("全年工作", "视情况而定")
    plan = task_division.parse("\n".join(lines), FILE.name)
    [finding] = plan.findings
    assert (finding.kind, finding.item_key, finding.source.line, finding.source.text) == (
        "unparsed_date", "t03", 88, "视情况而定")


# --- broken copies -------------------------------------------------------------

def refused(text: str) -> str:
    with pytest.raises(DocumentError) as error:
        task_division.parse(text, FILE.name)
    return str(error.value)


def test_cut_at_60_percent():
    assert "truncated" in refused(TEXT[: int(len(TEXT) * 0.6)])


def test_last_three_lines_removed():
    assert "抄送" in refused("\n".join(TEXT.splitlines()[:-3]))


def test_cut_off_last_row():
    lines = list(LINES)
    lines[125] = lines[125][:40]
    assert "第126行" in refused("\n".join(lines))


def test_missing_task_row():
    lines = [line for line in LINES if "\t17. " not in line]
    assert "任务序号应为 17" in refused("\n".join(lines))


def test_missing_group_row():
    """A whole group's first row lost: its sub-group numbering breaks."""
    lines = [line for line in LINES if "(九)" not in line]
    assert "number 9" in refused("\n".join(lines))


def test_random_bytes():
    noise = random.Random(3).randbytes(8000).decode("latin-1")
    assert "header not found" in refused(noise)


def test_shuffled_tabs():
    """Each table row's tabs moved to random places."""
    refused(shuffled_tabs("\n".join(LINES), 4, "重点工作", 11))


def test_merged_cells_shifted():
    """A continuation row whose task moved into the 工作任务 column."""
    lines = list(LINES)
    lines[87] = "\t" + lines[87].lstrip("\t") + "\t"
    refused("\n".join(lines))
