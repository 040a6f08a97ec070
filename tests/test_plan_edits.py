"""The rest of a plan's upkeep: a milestone added (counting from its date, left
out of every earlier view), milestones put in another order or cancelled
from the edit form, and a change of plan marked 不影响考核 — the pages show the
plan as adjusted, the annual assessment keeps scoring the original one and
says so in the city's breakdown; an indicator's definition changed, from its
date on."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from corrections.apply import CANCELLED, CorrectionError, Edit, NewMilestone, correct, current_values
from corrections.requests import decide, submit_request
from queries import api
from queries.assessment import city_figures, kept_milestones
from queries.cache import invalidate
from queries.status import Filters, milestone_status
from store import clock, session_scope
from corrections.indicators import IndicatorEdit, correct_indicator, shown_values
from queries.indicator_changes import change_rows
from store.models import (
    AuditEntry,
    Indicator,
    IndicatorChange,
    Milestone,
    Plan,
    PlanChange,
    ProgressUpdate,
    Region,
    WorkItem,
)
from tests.test_corrections import TODAY, account, assert_stored_equals_live
from tests.callbacks import render_page
from tests.test_requests import account as editor
from tests.test_security import login

SCENE_PLAN = "浙信用办〔2020〕5号"
ADDED_ON = date(2020, 10, 12)


def scene_item(session, city_key: str = "杭州-1") -> WorkItem:
    return session.scalar(select(WorkItem).join(Plan, Plan.id == WorkItem.plan_id)
                          .where(WorkItem.key == city_key, Plan.doc_no == SCENE_PLAN))


def add(session, item: WorkItem, text: str, due: str, effective_on: date, edits: list[Edit] | None = None):
    seen = current_values(session, item)
    edits = edits if edits is not None else [Edit("text", v, v, ms) for (f, ms), v in seen.items() if f == "text"]
    return correct(session, account(session, "admin"), item.id, edits, "市政府新增建设任务（某某函〔2020〕9号）",
                   effective_on, TODAY, NewMilestone(text, due))


def test_an_added_milestone_counts_from_its_date_and_not_before(reporting_app, monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        before = {d: api.rates(d, "city", Filters(city="杭州"))[0] for d in (date(2020, 9, 30), date(2020, 12, 31))}
        with session_scope() as s:
            item = scene_item(s)
            [change] = add(s, item, "完成信用承诺应用场景的市级推广", "2020年11月底前", ADDED_ON)
            ms = s.get(Milestone, change.milestone_id)
            assert (ms.added_on, ms.due, ms.seq) == (ADDED_ON, date(2020, 11, 30), max(
                s.scalars(select(Milestone.seq).where(Milestone.work_item_id == item.id))))
            assert change.field == "add" and "完成信用承诺应用场景的市级推广" in change.after
            assert s.scalar(select(AuditEntry.after).where(AuditEntry.action == "plan.correct")).count("新增节点")
            ms_id = ms.id
        invalidate()
        with session_scope() as s:
            shown = {r["milestone_id"]: r for r in api.status_table(date(2020, 12, 5), Filters(item_id=item.id))}
            assert (shown[ms_id]["status"], shown[ms_id]["days_overdue"]) == ("overdue", 5)
            assert ms_id not in {r["milestone_id"] for r in api.status_table(date(2020, 10, 1), Filters(item_id=item.id))}
            assert ms_id not in {r["milestone_id"] for r in s.execute(select(milestone_status(date(2020, 10, 11), days)))
                                 .mappings()}
            # a kept date, a date computed from the month end before the addition, and later ones
            for d in (date(2020, 9, 30), date(2020, 10, 11), date(2020, 10, 20), date(2020, 12, 31), date(2021, 2, 3)):
                assert_stored_equals_live(s, d, days)
        september, december = (api.rates(d, "city", Filters(city="杭州"))[0]
                               for d in (date(2020, 9, 30), date(2020, 12, 31)))
        assert september["total"] == before[date(2020, 9, 30)]["total"]  # not there yet
        assert december["total"] == before[date(2020, 12, 31)]["total"] + 1
        assert december["due_by"] == before[date(2020, 12, 31)]["due_by"] + 1  # due 30 November, not done


def test_a_second_click_does_not_add_the_milestone_twice(reporting_app, monkeypatch):
    """The form sends the milestones it showed: once one was added they differ, and the same add is refused."""
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        item = scene_item(s)
        shown = [Edit("text", v, v, ms) for (f, ms), v in current_values(s, item).items() if f == "text"]
        add(s, item, "新增节点", "2020年12月底前", ADDED_ON, shown)
        with pytest.raises(CorrectionError, match="节点已有变化"):
            add(s, item, "新增节点", "2020年12月底前", ADDED_ON, shown)
        with pytest.raises(CorrectionError, match="节点内容不能为空"):
            add(s, item, "", "2020年12月底前", ADDED_ON)
        with pytest.raises(CorrectionError, match="无法识别的时间"):
            add(s, item, "再新增一个", "等条件成熟时", ADDED_ON)
        assert s.scalar(select(func.count()).select_from(PlanChange).where(PlanChange.field == "add")) == 1


def test_milestones_are_put_in_another_order_and_a_later_import_keeps_order_and_additions(reporting_app,
                                                                                           monkeypatch):
    from importers import parse_text
    from importers.loader import load_plan
    from tests.test_variants import TASKS

    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        item = s.scalar(select(WorkItem).join(Milestone, Milestone.work_item_id == WorkItem.id)
                        .join(Plan, Plan.id == WorkItem.plan_id).where(Plan.doc_no == "温政办〔2018〕50号")
                        .order_by(WorkItem.id).limit(1))
        issued = s.get(Plan, item.plan_id).issue_date
        [added] = add(s, item, "召开推进会", "2018年12月底前", issued)
        first, second = s.scalars(select(Milestone).where(Milestone.work_item_id == item.id)
                                  .order_by(Milestone.seq)).all()
        assert second.id == added.milestone_id
        seen = current_values(s, item)
        with pytest.raises(CorrectionError, match="节点序号重复"):
            correct(s, account(s, "admin"), item.id, [Edit("seq", str(second.seq), seen[("seq", first.id)], first.id)],
                    "调整顺序", issued, TODAY)
        with pytest.raises(CorrectionError, match="1 至 999"):
            correct(s, account(s, "admin"), item.id, [Edit("seq", "第一", seen[("seq", first.id)], first.id)],
                    "调整顺序", issued, TODAY)
        changes = correct(s, account(s, "admin"), item.id, [
            Edit("seq", str(second.seq), seen[("seq", first.id)], first.id),
            Edit("seq", str(first.seq), seen[("seq", second.id)], second.id)], "按工作先后调整顺序", issued, TODAY)
        assert [c.field for c in changes] == ["seq", "seq"]
        order = [m.id for m in s.scalars(select(Milestone).where(Milestone.work_item_id == item.id)
                                         .order_by(Milestone.seq))]
        assert order == [second.id, first.id]
        result = load_plan(s, parse_text(TASKS, "温州（再次导入）.txt"), "2" * 64)
        assert result.kept_corrections >= 1
        again = [m.id for m in s.scalars(select(Milestone).where(Milestone.work_item_id == item.id)
                                         .order_by(Milestone.seq))]
        assert again == order  # the order set in the app and the added milestone hold


def test_cancelled_from_the_edit_form_once_and_never_restored(reporting_app, monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        item = scene_item(s, "宁波-1")
        ms = s.scalar(select(Milestone).where(Milestone.work_item_id == item.id).order_by(Milestone.seq))
        seen = current_values(s, item)
        reports = s.scalar(select(func.count()).select_from(ProgressUpdate).where(ProgressUpdate.milestone_id == ms.id))
        [change] = correct(s, account(s, "admin"), item.id, [Edit("cancel", CANCELLED, seen[("cancel", ms.id)], ms.id)],
                           "该节点并入市级平台建设", date(2020, 11, 1), TODAY)
        assert (change.field, change.after) == ("cancel", CANCELLED)
        assert current_values(s, item)[("cancel", ms.id)] == CANCELLED
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)
                        .where(ProgressUpdate.milestone_id == ms.id)) == reports + 1  # kept, one more: 取消
        with pytest.raises(CorrectionError, match="不能恢复"):
            correct(s, account(s, "admin"), item.id, [Edit("cancel", "", CANCELLED, ms.id)], "恢复", date(2020, 11, 2),
                    TODAY)
        with pytest.raises(CorrectionError, match="只有管理员"):
            correct(s, editor(s, "nb"), item.id, [Edit("cancel", CANCELLED, "", ms.id)], "越权", date(2020, 11, 1),
                    TODAY)


def overdue_at(session, as_of: date, days: int, city: str) -> Milestone:
    """A milestone of the scene plan in ``city`` overdue on ``as_of``."""
    st = milestone_status(as_of, days)
    ms_id = session.scalar(select(st.c.milestone_id).join(WorkItem, WorkItem.id == st.c.work_item_id)
                           .join(Plan, Plan.id == WorkItem.plan_id).join(Region, Region.id == WorkItem.city_id)
                           .where(st.c.status == "overdue", Region.name == city, Plan.doc_no == SCENE_PLAN)
                           .order_by(st.c.milestone_id).limit(1))
    assert ms_id, f"{city}: no milestone overdue on {as_of}"
    return session.get(Milestone, ms_id)


def test_a_move_marked_not_affecting_the_assessment_keeps_the_original_deadline_in_the_score(reporting_app,
                                                                                            monkeypatch):
    """杭州's overdue milestone moved into 2021 from 1 October 2020: the pages no
    longer count it overdue at the year's end; marked 不影响考核 the score still
    does, and the breakdown says why; unmarked, the score follows the pages."""
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    as_of = date(2020, 12, 31)
    with reporting_app.app_context():
        days, due_day = reporting_app.config["DUE_SOON_DAYS"], reporting_app.config["REPORT_DUE_DAY"]

        def figures():
            invalidate()
            with session_scope() as s:
                return {f.city: f for f in city_figures(s, 2020, as_of, days, due_day, [])}

        start = figures()
        with session_scope() as s:
            kept, followed = overdue_at(s, as_of, days, "杭州"), overdue_at(s, as_of, days, "宁波")
            for ms, keeps in ((kept, True), (followed, False)):
                seen = current_values(s, s.get(WorkItem, ms.work_item_id))[("due", ms.id)]
                correct(s, account(s, "admin"), ms.work_item_id, [Edit("due", "2021年6月底前", seen, ms.id)],
                        "市政府同意延期", date(2020, 10, 1), TODAY, keeps_score=keeps)
            kept_id, kept_due = kept.id, s.scalar(select(PlanChange.due_before).where(PlanChange.milestone_id == kept.id))
        after = figures()
        pages = {r["city"]: r for r in api.rates(as_of, "city", Filters(plan=SCENE_PLAN))}
        assert pages["杭州"]["overdue"] == start["杭州"].overdue - 1  # the pages show the plan as adjusted
        hz, nb = after["杭州"], after["宁波"]
        assert (hz.overdue, hz.overdue_days, hz.on_time, hz.progress) == (
            start["杭州"].overdue, start["杭州"].overdue_days, start["杭州"].on_time, start["杭州"].progress)
        assert nb.overdue == start["宁波"].overdue - 1 and nb.on_time[1] == start["宁波"].on_time[1] - 1
        with session_scope() as s:
            shown = kept_milestones(s, 2020, as_of, "杭州")
        assert list(shown) == [kept_id]
        assert (shown[kept_id]["due"], shown[kept_id]["status"]) == (kept_due.isoformat(), "overdue")
        assert shown[kept_id]["days_overdue"] == (as_of - kept_due).days
        assert "不影响考核" in shown[kept_id]["why"]
        with session_scope() as s:
            assert kept_milestones(s, 2020, date(2020, 9, 30), "杭州") == {}  # not counting yet then
        client = reporting_app.test_client()
        login(client, "admin")
        status, body = render_page(client, "/assessment", "?year=2020&as_of=2020-12-31&city=杭州")
        assert status == 200 and "调整时限不影响考核，按原计划计为逾期未完成" in body


def test_a_cancellation_approved_as_not_affecting_the_assessment_still_counts_the_milestone(reporting_app):
    today = clock.today()
    with reporting_app.app_context():
        days, due_day = reporting_app.config["DUE_SOON_DAYS"], reporting_app.config["REPORT_DUE_DAY"]
        with session_scope() as s:
            start = {f.city: f for f in city_figures(s, 2020, today, days, due_day, [])}["杭州"]
            ms = overdue_at(s, today, days, "杭州")
            request = submit_request(s, editor(s, "hz"), ms.id, "cancel", None, "该节点不再实施")
            decide(s, editor(s, "admin"), request.id, True, "同意取消，考核仍按原计划", today, keeps_score=True)
            change = s.scalar(select(PlanChange).where(PlanChange.milestone_id == ms.id))
            assert (change.field, change.keeps_score, change.request_id) == ("cancel", True, request.id)
            audit = s.scalar(select(AuditEntry.after).where(AuditEntry.action == "request.approve"))
            assert "不影响考核" in audit
        invalidate()
        with session_scope() as s:
            pages = api.rates(today, "city", Filters(city="杭州", plans=(ms.plan_id,)))[0]
            assert (pages["overdue"], pages["due_by"]) == (start.overdue - 1, start.on_time[1] - 1)  # cancelled
            now = {f.city: f for f in city_figures(s, 2020, today, days, due_day, [])}["杭州"]
            assert (now.overdue, now.on_time, now.progress) == (start.overdue, start.on_time, start.progress)
            from queries.requests import request_rows
            assert request_rows(s, requested_by="hz")[0]["score_text"] == "不影响考核"


def loan_indicator(session) -> Indicator:
    """小微企业新增信用贷款 3亿元, a scene's KPI with monthly actuals."""
    return session.scalar(select(Indicator).join(Plan, Plan.id == Indicator.plan_id)
                          .where(Indicator.name == "小微企业新增信用贷款", Plan.doc_no == SCENE_PLAN))


def judged(indicator_id: int, as_of: date) -> dict:
    return next(r for r in api.indicator_table(as_of) if r["indicator_id"] == indicator_id)


def test_an_indicator_target_raised_counts_from_its_date_and_earlier_views_keep_the_old_one(reporting_app,
                                                                                          monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    september, december = date(2020, 9, 30), date(2020, 12, 31)
    with reporting_app.app_context():
        with session_scope() as s:
            indicator = loan_indicator(s)
            ident, seen = indicator.id, shown_values(indicator)
        before = {d: judged(ident, d) for d in (september, december)}  # stored before the change
        assert before[december]["target"] == 3.0
        with session_scope() as s:
            changes = correct_indicator(s, account(s, "admin"), ident, [
                IndicatorEdit("target", "6", seen["target"]), IndicatorEdit("attribute", "约束性", seen["attribute"]),
                IndicatorEdit("unit", "亿元", seen["unit"])], "省政府提高年度目标（某某函〔2020〕8号）",
                date(2020, 10, 1), TODAY)
            assert sorted(c.field for c in changes) == ["attribute", "target"]  # the unit did not change
            assert (s.get(Indicator, ident).target, s.get(Indicator, ident).target_text) == (6.0, "6亿元")
            assert s.scalar(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.action == "indicator.correct")) == 2
        invalidate()
        then, now = judged(ident, september), judged(ident, december)
        assert (then["target"], then["attribute"], then["attainment_raw"]) == (
            3.0, None, before[september]["attainment_raw"])
        assert (now["target"], now["target_text"], now["attribute"]) == (6.0, "6亿元", "约束性")
        assert now["attainment_raw"] == pytest.approx(before[december]["attainment_raw"] / 2)
        binding = {d: api.indicator_summary(d).get(then["city"], {}).get("binding", 0) for d in (september, december)}
        assert binding[december] == binding[september] + 1  # 约束性 from October on, counted as the rows show it
        with session_scope() as s:  # the stored judgement equals the definition's
            from queries.indicator_status import judged_rows
            fresh = {r["indicator_id"]: r for r in judged_rows(s, december, {ident})}
            assert fresh[ident]["attainment_raw"] == pytest.approx(now["attainment_raw"])
            history = change_rows(s, [ident])
        assert {(h["field"], h["before"], h["after"]) for h in history} == {("目标值", "3亿元", "6亿元"),
                                                                             ("属性", "空", "约束性")}


@pytest.mark.parametrize("who, field, value, message", [
    ("hz", "target", "6", "只有管理员"),
    ("admin", "target", "95%", "应为数值"),
    ("admin", "target", "1,2,3,", "应为数值"),
    ("admin", "target", "", "目标值不能为空"),
    ("admin", "direction", "sideways", "方向应为"),
    ("admin", "attribute", "重要", "属性应为"),
    ("admin", "baseline", "1e400", "应为数值"),
])
def test_a_refused_indicator_edit_writes_nothing(reporting_app, who, field, value, message):
    with reporting_app.app_context(), session_scope() as s:
        indicator = loan_indicator(s)
        seen = shown_values(indicator)
        with pytest.raises(CorrectionError, match=message):
            correct_indicator(s, editor(s, who), indicator.id, [IndicatorEdit(field, value, seen[field])], "原因",
                              date(2020, 10, 1), clock.today())
        s.rollback()
        with pytest.raises(CorrectionError, match="已被他人修改"):
            correct_indicator(s, editor(s, "admin"), indicator.id, [IndicatorEdit("target", "6", "4")], "原因",
                              date(2020, 10, 1), clock.today())
        s.rollback()
        assert s.scalar(select(func.count()).select_from(IndicatorChange)) == 0
        assert loan_indicator(s).target == 3.0


def test_a_later_import_keeps_a_corrected_indicator(reporting_app, monkeypatch):
    from importers import SOURCES_DIR, parse_text
    from importers.loader import load_plan

    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        indicator = loan_indicator(s)
        plan = s.get(Plan, indicator.plan_id)
        correct_indicator(s, account(s, "admin"), indicator.id,
                          [IndicatorEdit("target", "5", shown_values(indicator)["target"])], "导入时读错",
                          plan.issue_date, TODAY)
        text = (SOURCES_DIR / plan.source_file).read_text(encoding="utf-8")
        result = load_plan(s, parse_text(text, plan.source_file), "4" * 64)
        assert result.kept_corrections >= 1
        s.refresh(indicator)
        assert (indicator.target, indicator.target_text) == (5.0, "5亿元")


def test_an_items_county_is_corrected_to_one_of_its_citys_and_the_county_sums_follow(reporting_app, monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    as_of = date(2020, 12, 31)
    with reporting_app.app_context():
        before = api.rates(as_of, "city", Filters(county="余杭区"))
        with session_scope() as s:
            item = scene_item(s)
            seen = current_values(s, item)[("county", None)]
            with pytest.raises(CorrectionError, match="不是该事项所在地市的县"):
                correct(s, account(s, "admin"), item.id, [Edit("county", "鄞州区", seen)], "导入时漏读县区",
                        s.get(Plan, item.plan_id).issue_date, TODAY)
            s.rollback()
            [change] = correct(s, account(s, "admin"), item.id, [Edit("county", "余杭区", seen)], "导入时漏读县区",
                               s.get(Plan, item.plan_id).issue_date, TODAY)
            assert (change.field, change.before, change.after) == ("county", None, "余杭区")
            item_id = item.id
        invalidate()
        with session_scope() as s:
            assert current_values(s, s.get(WorkItem, item_id))[("county", None)] == "余杭区"
            counts = api.rates(as_of, "item", Filters(county="余杭区"))
            assert item_id in {r["item_id"] for r in counts}
            assert_stored_equals_live(s, as_of, reporting_app.config["DUE_SOON_DAYS"])
        after = api.rates(as_of, "city", Filters(county="余杭区"))  # the county's sums (stored per county) follow
        assert sum(r["items"] for r in after) == sum(r["items"] for r in before) + 1


def test_a_kept_move_then_a_kept_cancellation_still_scores_the_original_deadline(reporting_app, monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        with session_scope() as s:
            ms = overdue_at(s, date(2020, 12, 31), days, "杭州")
            item = s.get(WorkItem, ms.work_item_id)
            original = ms.due
            last = s.scalar(select(func.max(ProgressUpdate.reported_on)).where(ProgressUpdate.milestone_id == ms.id))
            cancel_on = max(last or date(2020, 11, 1), date(2020, 11, 1))  # (not before its last report)
            as_of = max(cancel_on, date(2020, 12, 31))
            seen = current_values(s, item)
            correct(s, account(s, "admin"), item.id, [Edit("due", "2021年6月底前", seen[("due", ms.id)], ms.id)],
                    "延期", date(2020, 10, 1), TODAY, keeps_score=True)
            correct(s, account(s, "admin"), item.id, [Edit("cancel", CANCELLED, "", ms.id)], "不再实施",
                    cancel_on, TODAY, keeps_score=True)
            shown, ms_id, item_id = kept_milestones(s, 2020, as_of, "杭州")[ms.id], ms.id, item.id
        invalidate()
        page = next(r for r in api.status_table(as_of, Filters(item_id=item_id)) if r["milestone_id"] == ms_id)
        assert page["status"] == "open"  # the pages: cancelled
        assert shown["due"] == original.isoformat() and shown["status"] in ("overdue", "done_late")  # still counted
        assert "调整时限、取消不影响考核" in shown["why"]


def test_a_unit_changed_alone_rewrites_the_written_target(reporting_app, monkeypatch):
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        indicator = loan_indicator(s)
        correct_indicator(s, account(s, "admin"), indicator.id,
                          [IndicatorEdit("unit", "万元", shown_values(indicator)["unit"])], "单位读错",
                          s.get(Plan, indicator.plan_id).issue_date, TODAY)
        assert (indicator.unit, indicator.target_text) == ("万元", "3万元")


def test_a_milestone_the_plan_cancelled_takes_no_report_and_is_not_cancelled_behind_a_later_one(reporting_app,
                                                                                              monkeypatch):
    from accounts import account_of
    from accounts.users import find_user
    from reporting.entries import MilestoneEntry, Report
    from reporting.submit import submit
    from store.periods import period_of

    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), reporting_app.test_request_context("/"):
        with session_scope() as s:
            ms = s.scalar(select(Milestone).join(ProgressUpdate, ProgressUpdate.milestone_id == Milestone.id)
                          .where(Milestone.work_item_id == scene_item(s).id).order_by(Milestone.id).limit(1))
            last = s.scalar(select(func.max(ProgressUpdate.reported_on)).where(ProgressUpdate.milestone_id == ms.id))
            with pytest.raises(CorrectionError, match="取消的生效日期不能早于最近一次报送"):
                correct(s, account(s, "admin"), ms.work_item_id, [Edit("cancel", CANCELLED, "", ms.id)], "不再实施",
                        last - timedelta(days=1), TODAY)
            s.rollback()
            correct(s, account(s, "admin"), ms.work_item_id, [Edit("cancel", CANCELLED, "", ms.id)], "不再实施",
                    TODAY, TODAY)
            ms_id, version = ms.id, ms.report_version
        with session_scope() as s:
            hz = account_of(s, find_user(s, "hz"))
        result = submit(Report(period_of(TODAY), (MilestoneEntry(ms_id, version, "in_progress", None, "继续推进"),)), hz)
        assert not result.ok and "已按计划调整取消" in " ".join(str(p) for p in result.problems)
        with session_scope() as s:
            assert s.scalar(select(ProgressUpdate.state).where(ProgressUpdate.milestone_id == ms_id)
                            .order_by(ProgressUpdate.id.desc()).limit(1)) == "cancelled"


def test_a_scene_whose_sub_scenes_number_their_own_milestones_is_corrected_and_renumbered(reporting_app,
                                                                                         monkeypatch):
    """Each sub-scene numbers its milestones from 1, so a scene holds two 节点1: a save of
    the scene (its name, a request's approval) is not refused for that; a number taken
    within the same sub-scene is."""
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    with reporting_app.app_context(), session_scope() as s:
        item_id = s.scalar(select(Milestone.work_item_id).group_by(Milestone.work_item_id, Milestone.seq)
                           .having(func.count() > 1).limit(1))
        item = s.get(WorkItem, item_id)
        seen = current_values(s, item)
        [change] = correct(s, account(s, "admin"), item.id, [Edit("name", item.name + "（更正）", seen[("name", None)])],
                           "名称更正", TODAY, TODAY)
        assert change.field == "name"
        first, second = s.scalars(select(Milestone).where(Milestone.work_item_id == item.id)
                                  .order_by(Milestone.sub_item_id, Milestone.seq)).all()[:2]
        assert first.sub_item_id == second.sub_item_id
        with pytest.raises(CorrectionError, match="节点序号重复"):
            correct(s, account(s, "admin"), item.id, [Edit("seq", str(second.seq), str(first.seq), first.id)],
                    "调整顺序", TODAY, TODAY)
