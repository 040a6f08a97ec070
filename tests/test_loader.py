"""The loader: upserts by stable keys, changed documents, refusing to lose progress."""
from datetime import date

import pytest
from sqlalchemy import func, select

from importers import SOURCES_DIR, read_document, scene_plan
from importers.loader import load_plan
from importers.parsed import DocumentError
from store.models import Finding, ItemDepartment, Milestone, ProgressUpdate, WorkItem

SCENE = SOURCES_DIR / "000_d6ec9d57f268dd20.txt"
FIRST_STEP = "(1) 2020年3月底前,以钱江分为基础,联合家政服务企业推出本地化“信用+家政”产品;"
LAST_STEP = " <p>(5) 2020年12月底前,正式上线,并与政企合作再推出1款个性化“信用+家政”产品。</p>"


def parse(text):
    return scene_plan.parse(text, SCENE.name)


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def text():
    return read_document(SCENE)


def test_first_load_then_reload_is_unchanged(session, text):
    first = load_plan(session, parse(text), "sha")
    assert first.outcome == "imported"
    assert first.counts["milestone"]["added"] == count(session, Milestone)
    again = load_plan(session, parse(text), "sha")
    assert again.outcome == "unchanged"
    assert again.counts["milestone"]["added"] == 0 and again.counts["milestone"]["updated"] == 0


def test_a_changed_document_updates_rows_in_place(session, text):
    load_plan(session, parse(text), "sha")
    ms_id = session.scalar(select(Milestone.id).where(Milestone.key == "杭州-1#1"))
    assert FIRST_STEP in text
    changed = text.replace(FIRST_STEP, FIRST_STEP.replace("2020年3月底前", "2020年5月底前"))
    result = load_plan(session, parse(changed), "sha2")
    assert result.outcome == "updated" and result.counts["milestone"]["updated"] == 1
    ms = session.get(Milestone, ms_id)  # same row, new due date
    assert (ms.due, ms.due_text) == (date(2020, 5, 31), "2020年5月底前")


def test_dropping_a_milestone_with_progress_is_refused(session, text):
    load_plan(session, parse(text), "sha")
    ms_id = session.scalar(select(Milestone.id).where(Milestone.key == "杭州-1#5"))
    session.add(ProgressUpdate(milestone_id=ms_id, reported_on=date(2020, 4, 5), state="in_progress"))
    session.flush()
    shorter = text.replace(LAST_STEP, "")
    with pytest.raises(DocumentError, match="progress"):
        load_plan(session, parse(shorter), "sha3")


def test_dropping_a_milestone_without_progress_removes_it(session, text):
    load_plan(session, parse(text), "sha")
    before = count(session, Milestone)
    assert LAST_STEP in text
    load_plan(session, parse(text.replace(LAST_STEP, "")), "sha3")
    assert count(session, Milestone) == before - 1
    assert session.scalar(select(Milestone.id).where(Milestone.key == "杭州-1#5")) is None


def test_departments_roles_and_findings_are_stored(session, text):
    load_plan(session, parse(text), "sha")
    item = session.scalar(select(WorkItem).where(WorkItem.key == "杭州-1"))
    roles = [(d.department.name, d.role) for d in item.departments]
    assert roles[0] == ("市商务局", "lead") and ("市公安局", "coop") in roles
    kinds = set(session.scalars(select(Finding.kind)))
    assert {"missing_deadline", "due_after_deadline"} <= kinds
    # a finding links to its record
    f = session.scalar(select(Finding).where(Finding.kind == "missing_deadline"))
    assert session.get(WorkItem, f.work_item_id).name == "信用+风险防控"
    assert count(session, ItemDepartment) > 0
