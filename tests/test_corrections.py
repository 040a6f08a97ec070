"""Corrections and adjustments of a plan in the app: written by an admin only,
with a reason, audited, kept as the plan's history, and counting from their
date — the status as of an earlier date still sees the plan as it stood."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from corrections.apply import CorrectionError, Edit, correct, current_values
from queries import api
from queries.cache import invalidate
from queries.rollup import stored_status
from queries.status import Filters, milestone_status, rates
from store import clock, session_scope
from store.models import AuditEntry, ItemDepartment, Milestone, Plan, PlanChange, User, WorkItem

TODAY = date(2021, 3, 14)  # the demo's latest report: "today" for these tests
JUNE, BEFORE, AFTER, JULY = date(2020, 6, 30), date(2020, 7, 10), date(2020, 7, 20), date(2020, 7, 31)


def account(session, username: str):
    return SimpleNamespace(user_id=session.scalar(select(User.id).where(User.username == username)))


def overdue_in_july(session, days: int) -> Milestone:
    """A milestone due 2020-06-30 and still open on 2020-07-20."""
    st = milestone_status(AFTER, days)
    ms_id = session.scalar(select(st.c.milestone_id).where(st.c.status == "overdue", st.c.due == JUNE)
                           .order_by(st.c.milestone_id).limit(1))
    return session.get(Milestone, ms_id)


def statuses(session, as_of: date, days: int) -> list[dict]:
    return [dict(r) for r in session.execute(select(milestone_status(as_of, days)).order_by("milestone_id"))
            .mappings()]


def assert_stored_equals_live(session, as_of: date, days: int) -> None:
    stored = session.execute(select(stored_status(session, as_of, days)).order_by("milestone_id")).mappings().all()
    live = statuses(session, as_of, days)
    assert [{k: v for k, v in r.items() if k != "position"} for r in stored] == \
        [{k: v for k, v in r.items() if k != "last_note"} for r in live], as_of
    assert api.rates(as_of, "city") == rates(session, as_of, "city", Filters(), days)


def test_a_moved_due_counts_from_its_date_and_earlier_views_keep_what_they_showed(reporting_app, monkeypatch):
    """Moved on 2020-07-15 from 6月底 to 8月底: on 10 July the milestone was
    overdue and stays so in that view; from the 15th it is not overdue; every
    stored or computed date agrees with the definition."""
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        for d in (JUNE, BEFORE, AFTER, JULY, TODAY):  # stored before the change: the change must bring them up to date
            api.rates(d, "city")
        with session_scope() as s:
            milestone = overdue_in_july(s, days)
            item_id, ms_id = milestone.work_item_id, milestone.id
            seen = current_values(s, s.get(WorkItem, item_id))[("due", ms_id)]
            changes = correct(s, account(s, "admin"), item_id, [Edit("due", "2020年8月底前", seen, ms_id)],
                              "市政府同意延期（市信用办函〔2020〕12号）", date(2020, 7, 15), TODAY)
        invalidate()
        assert [(c.field, c.due_before, c.due_after) for c in changes] == [("due", JUNE, date(2020, 8, 31))]
        with session_scope() as s:
            def status(as_of):
                return next(r for r in statuses(s, as_of, days) if r["milestone_id"] == ms_id)

            assert (status(BEFORE)["status"], status(BEFORE)["due"]) == ("overdue", JUNE)
            assert status(AFTER)["status"] in ("not_due", "due_soon") and status(AFTER)["due"] == date(2020, 8, 31)
            for d in (JUNE, BEFORE, AFTER, JULY, TODAY, date(2020, 8, 10)):
                assert_stored_equals_live(s, d, days)
            item = api.rates(BEFORE, "item", Filters(item_id=item_id))[0]
            assert item["overdue"] >= 1
            from queries.status_table import status_rows
            row = next(r for r in status_rows(s, BEFORE, Filters(item_id=item_id)) if r["milestone_id"] == ms_id)
            assert (row["due"], row["status"]) == ("2020-06-30", "overdue")  # the due as the plan stood then
            row = next(r for r in status_rows(s, AFTER, Filters(item_id=item_id)) if r["milestone_id"] == ms_id)
            assert (row["due"], row["due_text"]) == ("2020-08-31", "2020年8月底前")
            change = s.scalar(select(PlanChange))
            assert (change.reason, change.changed_by, change.effective_on, change.before) == (
                "市政府同意延期（市信用办函〔2020〕12号）", "admin", date(2020, 7, 15), seen)
            audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "plan.correct"))
            assert "市政府同意延期" in audit.after and "2020年8月底前" in audit.after and seen in audit.before


def test_an_import_error_corrected_from_the_issue_date_counts_everywhere(reporting_app, monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        with session_scope() as s:
            milestone = overdue_in_july(s, days)
            item = s.get(WorkItem, milestone.work_item_id)
            issued = s.get(Plan, item.plan_id).issue_date
            seen = current_values(s, item)[("due", milestone.id)]
            correct(s, account(s, "admin"), item.id, [Edit("due", "2020年12月底前", seen, milestone.id)],
                    "导入时读错：原文为12月底前", issued, TODAY)
            ms_id = milestone.id
        with session_scope() as s:
            for d in (BEFORE, AFTER):
                row = next(r for r in statuses(s, d, days) if r["milestone_id"] == ms_id)
                assert row["due"] == date(2020, 12, 31) and row["status"] != "overdue"


def test_the_deadline_of_an_item_moves_the_milestones_that_take_it_and_units_are_replaced(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        inherited = s.scalar(select(Milestone).where(Milestone.due_inherited.is_(True)).order_by(Milestone.id))
        item = s.get(WorkItem, inherited.work_item_id)
        seen = current_values(s, item)
        edits = [Edit("deadline", "2020年11月底前", seen[("deadline", None)]),
                 Edit("lead", "市发展改革委、市大数据局", seen[("lead", None)]),
                 Edit("name", item.name + "（调整）", seen[("name", None)]),
                 Edit("coop", seen[("coop", None)], seen[("coop", None)])]  # unchanged: no change written
        changes = correct(s, account(s, "admin"), item.id, edits, "计划调整", s.get(Plan, item.plan_id).issue_date,
                          clock.today())
        assert sorted(c.field for c in changes) == ["deadline", "due", "lead", "name"]
        s.refresh(inherited)
        assert (inherited.due, inherited.due_text) == (date(2020, 11, 30), "2020年11月底前")
        leads = s.scalars(select(ItemDepartment).where(ItemDepartment.work_item_id == item.id,
                                                       ItemDepartment.role == "lead")).all()
        assert [d.department.name for d in sorted(leads, key=lambda d: d.position)] == ["市发展改革委", "市大数据局"]
        assert current_values(s, item)[("lead", None)] == "市发展改革委、市大数据局"


@pytest.mark.parametrize("who, edit, reason, effective, message", [
    ("hz", None, "理由", TODAY, "只有管理员"),  # a city editor
    ("leader", None, "理由", TODAY, "只有管理员"),
    ("admin", None, "  ", TODAY, "原因"),
    ("admin", None, "理由", date(2019, 1, 1), "生效日期"),  # before the plan was issued
    ("admin", None, "理由", date(2030, 1, 1), "生效日期"),  # in the future
    ("admin", "下个阶段再说", "理由", TODAY, "无法识别的时间"),
    ("admin", "stale", "理由", TODAY, "已被他人修改"),
    ("admin", "other-item", "理由", TODAY, "不属于该工作事项"),
], ids=["city", "leader", "no-reason", "too-early", "future", "bad-date", "stale", "other-item"])
def test_a_refused_correction_writes_nothing(reporting_app, monkeypatch, who, edit, reason, effective, message):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        with session_scope() as s:
            milestone = overdue_in_july(s, days)
            seen = current_values(s, s.get(WorkItem, milestone.work_item_id))[("due", milestone.id)]
            other = s.scalar(select(Milestone.id).where(Milestone.work_item_id != milestone.work_item_id).limit(1))
            target = {"stale": Edit("due", "2020年9月底前", "2020年5月底前", milestone.id),
                      "other-item": Edit("due", "2020年9月底前", seen, other)}.get(
                edit, Edit("due", edit or "2020年9月底前", seen, milestone.id))
            ms_id, before = milestone.id, (milestone.due, milestone.due_text)
            with pytest.raises(CorrectionError, match=message):
                correct(s, account(s, who), milestone.work_item_id, [target], reason, effective, TODAY)
            s.rollback()
        with session_scope() as s:
            assert s.scalar(select(func.count()).select_from(PlanChange)) == 0
            assert (s.get(Milestone, ms_id).due, s.get(Milestone, ms_id).due_text) == before


def test_a_later_import_keeps_what_was_corrected_in_the_app_and_says_so(reporting_app, monkeypatch):
    """温州's task table imported again with its times rewritten: the milestone
    whose time the admin moved keeps the moved time, the other times follow
    the file, and the import says how many corrections it kept."""
    from importers import parse_text
    from importers.loader import load_plan
    from tests.test_variants import TASKS

    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        moved, *others = s.scalars(select(Milestone).join(Plan, Plan.id == Milestone.plan_id)
                                   .where(Milestone.due_text == "5月底前", Plan.doc_no == "温政办〔2018〕50号")
                                   .order_by(Milestone.id)).all()
        assert others  # other milestones due 5月底前, not corrected
        item = s.get(WorkItem, moved.work_item_id)
        seen = current_values(s, item)
        correct(s, account(s, "admin"), item.id, [Edit("due", "2018年8月底前", seen[("due", moved.id)], moved.id),
                                                   Edit("lead", "市发展改革委、市大数据局", seen[("lead", None)])],
                "市政府同意延期", s.get(Plan, item.plan_id).issue_date, TODAY)
        edition = parse_text(TASKS.replace("\t5月底前", "\t6月底前"), "温州（修订）.txt")
        result = load_plan(s, edition, "1" * 64)
        assert result.kept_corrections == 2
        for milestone in (moved, *others):
            s.refresh(milestone)
        assert (moved.due_text, moved.due) == ("2018年8月底前", date(2018, 8, 31))  # the correction holds
        assert current_values(s, item)[("lead", None)] == "市发展改革委、市大数据局"
        assert {m.due_text for m in others} == {"6月底前"}  # the file's new time, where nothing was corrected
