"""审核: an editor's completion counts once reviewed — a department's by its
city office (then, with two levels, by the province), a city's by the
province; returned with a reason, reported again; as of a date, what had
been approved by then; a locked month takes no editor's report; and no
crafted request decides outside the reviewer's scope or on one's own report."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.users import create_user, find_user
from queries import api
from queries.cache import invalidate
from queries.approvals import returned_rows, waiting_condition, waiting_count, waiting_rows
from queries.status import Filters, milestone_status
from accounts.scope import Scope
from reporting.entries import Report
from reporting.locks import lock
from reporting.review import ReviewError, decide
from reporting.submit import submit
from store import clock, session_scope
from store.models import AuditEntry, Notification, ProgressUpdate, ReportSubmission
from tests.callbacks import dependency, payload, post
from tests.test_reporting import PERIOD, TODAY, account, entry, form
from tests.test_security import login


def with_wenzhou_office(app) -> None:
    """温州's city office, which reviews 温州 市发改委's completions."""
    with app.app_context(), session_scope() as s:
        create_user(s, "admin", "wz", "wz-pass-123", "city", display_name="温州市信用办", city="温州")


def report_done(app, username: str, status: str = "overdue", day=TODAY) -> dict:
    """``username`` reports one of its milestones (in ``status``) done yesterday; the form row."""
    ms, _ = form(app, username)
    row = next(r for r in ms if r["status"] == status)
    report = Report(PERIOD, (entry(row, state="done", completed_on=day - timedelta(days=1), note="已上线运行"),), ())
    with app.test_request_context():
        result = submit(report, account(app, username), today=day)
    assert result.ok, result.problems
    return row


def latest(app, milestone_id: int) -> ProgressUpdate:
    with app.app_context(), session_scope() as s:
        u = s.scalars(select(ProgressUpdate).where(ProgressUpdate.milestone_id == milestone_id)
                      .order_by(ProgressUpdate.id.desc())).first()
        s.expunge(u)
        return u


def review(app, username: str, ids: list, approve: bool = True, comment: str = "", day=TODAY):
    with app.test_request_context():
        with session_scope() as s:
            done = decide(s, account(app, username), ids, approve, comment, day, app.config["REVIEW_LEVELS"])
        invalidate()  # (as the 审核 page does after a decision)
        return done


def status_of(app, milestone_id: int, as_of):
    with app.app_context(), session_scope() as s:
        st = milestone_status(as_of)
        return s.scalar(select(st.c.status).where(st.c.milestone_id == milestone_id))


def wenzhou(app, as_of=TODAY) -> dict:
    with app.app_context():
        return api.summary(as_of, Filters(city="温州"))


def test_a_departments_completion_is_reviewed_by_its_city_then_counted(reporting_app):
    with_wenzhou_office(reporting_app)
    before = wenzhou(reporting_app)
    row = report_done(reporting_app, "wzfg")
    u = latest(reporting_app, row["milestone_id"])
    assert (u.review, u.review_stage) == ("pending", "city")
    pending = wenzhou(reporting_app)
    assert (pending["done"], pending["pending"], pending["overdue"]) == (
        before["done"], before["pending"] + 1, before["overdue"] - 1)
    assert status_of(reporting_app, row["milestone_id"], TODAY) == "pending"
    with reporting_app.app_context(), session_scope() as s:
        assert waiting_count(s, "city", find_user(s, "wz").city_id) == 1
        assert waiting_count(s, "admin", None) == 0  # (one level: the city decides)
        rows = waiting_rows(s, waiting_condition("city", find_user(s, "wz").city_id), today=TODAY)
        assert [r["update_id"] for r in rows] == [u.id] and rows[0]["stage"] == "待地市审核"
    done = review(reporting_app, "wz", [u.id], comment="材料齐全")
    assert (done.approved, done.returned) == (1, 0)
    after = wenzhou(reporting_app)
    assert (after["done"], after["pending"]) == (before["done"] + 1, before["pending"])
    approved = latest(reporting_app, row["milestone_id"])
    assert (approved.review, approved.reviewed_on, approved.reviewed_by) == ("approved", TODAY, "wz")
    # time travel: as of yesterday nothing was reported; approved today, it counts from today
    assert status_of(reporting_app, row["milestone_id"], TODAY - timedelta(days=1)) == "overdue"
    with reporting_app.app_context(), session_scope() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "review.approve")).one()
        assert audit.actor == "wz" and '"审核": "审核通过"' in audit.after and "待地市审核" in audit.before


def test_counted_from_the_day_it_was_approved(reporting_app):
    """Reported today, approved three days later: pending in between, done from then (what had
    been approved by D), on time when its completion date kept its due."""
    row = report_done(reporting_app, "hz")
    u = latest(reporting_app, row["milestone_id"])
    review(reporting_app, "admin", [u.id], day=TODAY + timedelta(days=3))
    assert status_of(reporting_app, row["milestone_id"], TODAY + timedelta(days=1)) == "pending"
    assert status_of(reporting_app, row["milestone_id"], TODAY + timedelta(days=3)) == "done_late"
    with reporting_app.app_context():  # the stored rollups say the same as the definition
        assert api.summary(TODAY + timedelta(days=1), Filters(city="杭州"))["pending"] >= 1
        later = api.summary(TODAY + timedelta(days=3), Filters(city="杭州"))
        now = api.summary(TODAY, Filters(city="杭州"))
    assert later["done"] == now["done"] + 1 and later["pending"] == now["pending"] - 1


def test_two_levels_the_city_passes_it_on_and_the_province_approves(reporting_app):
    reporting_app.config["REVIEW_LEVELS"] = 2
    with_wenzhou_office(reporting_app)
    row = report_done(reporting_app, "wzfg")
    u = latest(reporting_app, row["milestone_id"])
    assert review(reporting_app, "wz", [u.id]).passed_on == 1
    assert (latest(reporting_app, row["milestone_id"]).review_stage, status_of(
        reporting_app, row["milestone_id"], TODAY)) == ("province", "pending")
    with pytest.raises(ReviewError, match="不在您的审核范围内"):  # the city has had its say
        review(reporting_app, "wz", [u.id])
    with reporting_app.app_context(), session_scope() as s:
        assert waiting_count(s, "admin", None) == 1
    assert review(reporting_app, "admin", [u.id]).approved == 1
    assert status_of(reporting_app, row["milestone_id"], TODAY) in ("done_on_time", "done_late")
    # the province's 通过 is final at the city stage too
    other = next(r for r in form(reporting_app, "wzfg")[0] if r["status"] == "overdue")
    with reporting_app.test_request_context():
        assert submit(Report(PERIOD, (entry(other, state="done", completed_on=TODAY, note="已上线"),), ()),
                      account(reporting_app, "wzfg")).ok
    assert review(reporting_app, "admin", [latest(reporting_app, other["milestone_id"]).id]).approved == 1


def test_a_return_and_a_resubmission(reporting_app):
    row = report_done(reporting_app, "hz")
    u = latest(reporting_app, row["milestone_id"])
    with pytest.raises(ReviewError, match="退回时请填写理由"):
        review(reporting_app, "admin", [u.id], approve=False)
    assert review(reporting_app, "admin", [u.id], approve=False, comment="请补充验收报告").returned == 1
    with reporting_app.app_context(), session_scope() as s:  # the reporter is told, in 通知 (and by mail)
        told = s.scalars(select(Notification).where(Notification.kind == "returned")).one()
        assert told.user_id == find_user(s, "hz").id and "请补充验收报告" in told.body
    assert status_of(reporting_app, row["milestone_id"], TODAY) == "overdue"  # judged as not done again
    with reporting_app.test_request_context(), session_scope() as s:
        scope = Scope.of(account(reporting_app, "hz"))
        (back,) = returned_rows(s, scope.milestones(), TODAY)
    assert back["reason"] == "请补充验收报告" and back["milestone_id"] == row["milestone_id"]
    # the same completion entered again is a new report, reviewed again
    again = report_done(reporting_app, "hz")
    assert again["milestone_id"] == row["milestone_id"]
    resent = latest(reporting_app, row["milestone_id"])
    assert resent.id != u.id and (resent.review, resent.review_stage) == ("pending", "province")
    with reporting_app.test_request_context(), session_scope() as s:
        assert returned_rows(s, scope.milestones(), TODAY) == []


def test_a_note_edited_after_approval_keeps_it_counted(reporting_app):
    row = report_done(reporting_app, "hz")
    review(reporting_app, "admin", [latest(reporting_app, row["milestone_id"]).id])
    ms, _ = form(reporting_app, "hz")
    now = next(r for r in ms if r["milestone_id"] == row["milestone_id"])
    with reporting_app.test_request_context():
        assert submit(Report(PERIOD, (entry(now, note="已上线运行，覆盖全市"),), ()), account(reporting_app, "hz")).ok
    u = latest(reporting_app, row["milestone_id"])
    assert (u.note, u.review, u.reviewed_by) == ("已上线运行，覆盖全市", "approved", "admin")
    assert status_of(reporting_app, row["milestone_id"], TODAY) in ("done_on_time", "done_late")


def test_no_one_decides_outside_their_scope_or_on_their_own_report(reporting_app):
    with_wenzhou_office(reporting_app)
    dept = report_done(reporting_app, "wzfg")
    city = report_done(reporting_app, "hz")
    dept_u, city_u = latest(reporting_app, dept["milestone_id"]), latest(reporting_app, city["milestone_id"])
    for who, ids, why in (("hz", [dept_u.id], "不在您的审核范围内"),  # another city's department
                          ("hz", [city_u.id], "不能审核本人报送"),
                          ("hz2", [city_u.id], "不在您的审核范围内"),  # its own city's completion: the province's
                          ("leader", [city_u.id], "只有管理员和地市填报员"),
                          ("wzfg", [dept_u.id], "只有管理员和地市填报员"),
                          ("wz", [dept_u.id, city_u.id], "不在您的审核范围内"),  # all or nothing
                          ("admin", [999999], "不存在"),
                          ("admin", "1", "请勾选")):
        with pytest.raises(ReviewError, match=why):
            review(reporting_app, who, ids)
    assert latest(reporting_app, dept["milestone_id"]).review == "pending"
    # one's own report (an office that also reports for a department): never its own reviewer
    with reporting_app.app_context(), session_scope() as s:
        s.get(ReportSubmission, dept_u.submission_id).user_id = find_user(s, "wz").id
    with pytest.raises(ReviewError, match="不能审核本人报送"):
        review(reporting_app, "wz", [dept_u.id])
    with reporting_app.app_context(), session_scope() as s:
        s.get(ReportSubmission, dept_u.submission_id).user_id = find_user(s, "wzfg").id
    review(reporting_app, "wz", [dept_u.id])
    with pytest.raises(ReviewError, match="已审核"):
        review(reporting_app, "wz", [dept_u.id])


def test_a_crafted_callback_cannot_approve_outside_scope(reporting_app):
    """hz posts the 审核 callback itself with Hangzhou's own pending completion
    ticked (the province's to decide) and with one of 温州's: nothing changes."""
    with_wenzhou_office(reporting_app)
    dept = report_done(reporting_app, "wzfg")
    city = report_done(reporting_app, "hz")
    ids = [latest(reporting_app, m["milestone_id"]).id for m in (dept, city)]
    client = reporting_app.test_client()
    login(client, "hz")
    dep = dependency(client, "approval-approve")
    for ticked in ([{"update_id": ids[0]}], [{"update_id": ids[1]}], [{"update_id": "x"}], "all"):
        status, text = post(client, payload(dep, {"approval-comment": "同意",
                                                  '{"name":"approvals","type":"grid"}': ticked},
                                            clicked="approval-approve"))
        assert status == 200 and "未审核" in text
    assert [latest(reporting_app, m["milestone_id"]).review for m in (dept, city)] == ["pending", "pending"]
    # and a request no click triggered does nothing at all
    status, _ = post(client, payload(dep, {}, clicked=None))
    assert status == 204


def test_a_locked_month_takes_no_editors_report(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        assert lock(s, "admin", PERIOD, TODAY) and not lock(s, "admin", PERIOD, TODAY)
    ms, _ = form(reporting_app, "hz")
    report = Report(PERIOD, (entry(ms[0], note="本月新进展"),), ())
    with reporting_app.test_request_context():
        refused = submit(report, account(reporting_app, "hz"))
        assert not refused.ok and "已锁定" in refused.problems[0].message
        assert submit(report, account(reporting_app, "admin")).ok  # the admin's correction goes in
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "period.lock")) == 1


def test_a_month_locks_itself_on_the_lock_day(reporting_app):
    reporting_app.config["PERIOD_LOCK_DAY"] = 10
    last = (TODAY.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    ms, _ = form(reporting_app, "hz")
    report = Report(last, (entry(ms[0], note="上月补报"),), ())
    with reporting_app.test_request_context():
        early = submit(report, account(reporting_app, "hz"), dry_run=True, today=TODAY.replace(day=9))
        late = submit(report, account(reporting_app, "hz"), dry_run=True, today=TODAY.replace(day=10))
    assert early.ok and not late.ok and "已锁定" in late.problems[0].message
    assert clock.today() == TODAY


def test_a_locked_month_is_corrected_through_a_request_the_admin_approves(reporting_app):
    from corrections.apply import CorrectionError
    from corrections.requests import Correction, decide as answer, submit_request
    last = (TODAY.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    row = next(r for r in form(reporting_app, "hz")[0] if r["status"] == "overdue")
    with reporting_app.app_context(), session_scope() as s:
        hz = account(reporting_app, "hz")
        with pytest.raises(CorrectionError, match="更正只适用于已锁定的月份"):  # not locked: report it directly
            submit_request(s, hz, row["milestone_id"], "correct", None, "漏报", Correction(last, "done", str(TODAY)))
    with reporting_app.app_context(), session_scope() as s:
        lock(s, "admin", last, TODAY)
    with reporting_app.app_context(), session_scope() as s:
        for fix, why in ((Correction(last, "done", None), "请填写完成日期"),
                         (Correction(last, "done", str(TODAY + timedelta(days=1))), "完成日期应在"),
                         (Correction(last, "in_progress", str(TODAY)), "只有“已完成”"),
                         (Correction(last, "finished", None), "请选择更正后的报送状态")):
            with pytest.raises(CorrectionError, match=why):
                submit_request(s, hz, row["milestone_id"], "correct", None, "漏报", fix)
        asked = submit_request(s, hz, row["milestone_id"], "correct", None, "上月已完成验收，漏报",
                               Correction(last, "done", str(TODAY - timedelta(days=20)), "已通过验收"))
        number = asked.id
    with reporting_app.app_context(), session_scope() as s:
        answer(s, account(reporting_app, "admin"), number, True, "同意更正", TODAY)
    written = latest(reporting_app, row["milestone_id"])
    assert (written.period, written.state, written.note, written.review, written.reported_by) == (
        last, "done", "已通过验收", "approved", "杭州市信用办")
    assert status_of(reporting_app, row["milestone_id"], TODAY) in ("done_late", "done_on_time")


def tick(page, grid: str, row_text: str) -> None:
    """Tick the grid's row holding ``row_text`` (its checkbox, as a person does)."""
    row_index = page.locator(f"#{grid} .ag-center-cols-container .ag-row", has_text=row_text).first.get_attribute(
        "row-index")
    page.locator(f"#{grid} .ag-pinned-left-cols-container .ag-row[row-index='{row_index}'] input[type=checkbox], "
                 f"#{grid} .ag-center-cols-container .ag-row[row-index='{row_index}'] input[type=checkbox]").first.check()


@pytest.mark.browser
def test_in_the_browser_an_editor_attaches_evidence_and_the_province_approves_once(reporting_app, tmp_path):
    from playwright.sync_api import expect

    from tests.browser import browser_page, serve
    from tests.test_page_report import log_in, switch_to
    from tests.test_request_files import PDF

    row = report_done(reporting_app, "hz")
    (tmp_path / "验收报告.pdf").write_bytes(PDF)
    with serve(reporting_app) as url, browser_page(1400, 900) as page:
        log_in(page, url, "hz")
        page.goto(url + f"/item/{row['item_id']}")
        page.wait_for_selector("#item-evidence-form-milestone")
        page.select_option("#item-evidence-form-milestone", str(row["milestone_id"]))
        page.set_input_files("#item-evidence-form-file input[type=file]", str(tmp_path / "验收报告.pdf"))
        expect(page.locator("#evidence-said")).to_contain_text("已上传佐证材料 1 份：验收报告.pdf")
        expect(page.locator("#item-evidence-card")).to_contain_text("验收报告.pdf")
        switch_to(page, url, "admin")
        expect(page.locator("#nav-count-approvals")).to_have_text("1")
        page.goto(url + "/approvals")
        expect(page.locator("#approvals-grid")).to_contain_text("验收报告.pdf")  # the evidence beside the claim
        tick(page, "approvals-grid", row["milestone"][:12])
        page.fill("#approval-comment", "材料齐全，同意")
        page.click("#approval-approve")
        expect(page.locator("#approval-done")).to_contain_text("1 项审核通过")
        page.click("#approval-approve")  # a second click: the row is decided, nothing happens twice
        expect(page.locator("#approval-refused")).to_contain_text("已审核，不能再次审核")
        page.reload()
        expect(page.locator("#approvals-count")).to_have_text("待审核 0 项（最早报送的在前）")
        expect(page.locator("#nav-count-approvals")).to_have_count(0)
        assert page.errors == []
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "review.approve")) == 1
    assert latest(reporting_app, row["milestone_id"]).review == "approved"


def test_the_queue_lists_by_city_and_month_and_only_to_reviewers(reporting_app):
    from urllib.parse import quote

    from tests.callbacks import render_page

    with_wenzhou_office(reporting_app)
    report_done(reporting_app, "wzfg")
    report_done(reporting_app, "hz")
    admin = reporting_app.test_client()
    login(admin, "admin")
    for search, count in (("", 2), (f"?city={quote('杭州')}", 1), (f"?city={quote('温州')}&month={PERIOD}", 1),
                          ("?month=2020-01", 0), ("?city=all&month=all", 2),
                          ("?city=%00&month=x", 2)):  # (unknown values are ignored)
        status, text = render_page(admin, "/approvals", search)
        assert status == 200 and f"待审核 {count} 项" in text, (search, text[:300])
    city = reporting_app.test_client()
    assert city.post("/login", data={"username": "wz", "password": "wz-pass-123"}).status_code == 302
    # 温州's office: its departments' only, whatever the address asks
    status, text = render_page(city, "/approvals", f"?city={quote('杭州')}")
    assert status == 200 and "待审核 1 项" in text and "温州" in text
    for username in ("wzfg", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        assert "无权访问" in render_page(client, "/approvals")[1]


def test_a_pending_completion_keeps_its_date_in_the_form_and_the_page_still_saves(reporting_app):
    """The form shows the date a completion awaiting review was reported with, so
    that saving the page with another row edited is no edit of it (and no refusal)."""
    row = report_done(reporting_app, "hz")
    ms, _ = form(reporting_app, "hz")
    shown = next(r for r in ms if r["milestone_id"] == row["milestone_id"])
    assert (shown["status"], shown["state"], shown["completed_on"]) == (
        "pending", "已完成", (TODAY - timedelta(days=1)).isoformat())
    other = next(r for r in ms if r["milestone_id"] != row["milestone_id"])
    page = Report(PERIOD, (entry(shown), entry(other, note="本月召开推进会")), ())
    with reporting_app.test_request_context():
        result = submit(page, account(reporting_app, "hz"))
    assert result.ok and result.outcome.updates == 1, result.problems


def test_a_later_plan_change_takes_a_completion_out_of_the_queue(reporting_app):
    from corrections.apply import cancel_milestone

    row = report_done(reporting_app, "hz")
    with reporting_app.app_context(), session_scope() as s:
        cancel_milestone(s, account(reporting_app, "admin"), row["milestone_id"], "场景调整，不再推进", TODAY, TODAY)
    with reporting_app.app_context(), session_scope() as s:
        assert waiting_count(s, "admin", None) == 0
        assert waiting_rows(s, waiting_condition("admin", None, False)) == []


def test_an_editor_cannot_cancel_a_milestone_by_reporting_it(reporting_app):
    ms, _ = form(reporting_app, "hz")
    row = next(r for r in ms if r["status"] == "overdue")
    with reporting_app.test_request_context():
        refused = submit(Report(PERIOD, (entry(row, state="cancelled"),), ()), account(reporting_app, "hz"))
        assert not refused.ok and "取消节点须提交计划调整申请" in refused.problems[0].message
        assert submit(Report(PERIOD, (entry(row, state="cancelled"),), ()), account(reporting_app, "admin")).ok


def test_strange_text_is_stored_or_refused_never_a_server_error(reporting_app):
    from store.periods import parse_period

    assert parse_period("2024-05\n") is None and parse_period("２０２４-０５") is None
    row = report_done(reporting_app, "hz")
    u = latest(reporting_app, row["milestone_id"])
    review(reporting_app, "admin", [u.id], approve=False, comment="请补充\x00材料\ud800")
    assert latest(reporting_app, row["milestone_id"]).review_comment == "请补充材料"


def test_a_reviewer_is_reminded_once_a_week_of_what_waits(reporting_app):
    from notices.reminders import remind

    report_done(reporting_app, "hz")  # the province's to review
    day = TODAY + timedelta(days=3)
    with reporting_app.app_context(), session_scope() as s:
        assert remind(s, TODAY).added["review_due"] == 0  # (reported today: not waiting long yet)
        assert [remind(s, d).added["review_due"] for d in (day, day, day + timedelta(days=7))] == [1, 0, 1]
        notices = s.scalars(select(Notification).where(Notification.kind == "review_due")).all()
        assert {(n.user_id, n.link) for n in notices} == {(find_user(s, "admin").id, "/approvals")}
        assert notices[0].title == "审核提醒：1 项完成情况已等待 3 天以上" and TODAY.isoformat() in notices[0].body


def test_a_crafted_lock_from_a_city_account_locks_nothing(reporting_app):
    from store.models import PeriodLock

    client = reporting_app.test_client()
    login(client, "hz")
    dep = dependency(client, "lock-submit")
    status, text = post(client, payload(dep, {"lock-period": PERIOD}, clicked="lock-submit"))
    assert status == 200 and "未锁定" in text
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(PeriodLock)) == 0
