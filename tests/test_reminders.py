"""提醒: `send-reminders` tells each editor what it reports on that falls due
soon or is overdue, and a month's report it has not sent, once; mails each
account its notices through a real SMTP server (aiosmtpd on localhost), and a
server that is down delays the mail to the next run, never loses it."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select

from queries import api
from queries.status import Filters
from store import session_scope
from store.models import Notification, Region, ReportSubmission, User

TODAY = date(2020, 10, 6)  # the September report was due on 5 October


@pytest.fixture
def office(reporting_app, monkeypatch, inbox):
    """The demo store on 6 October 2020: 杭州 has not sent its September report (宁波 has), hz and
    nb have addresses, wzfg none; mail goes to the local SMTP server."""
    monkeypatch.setattr("store.clock.today", lambda: TODAY)
    box, _ = inbox
    reporting_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=box.port, MAIL_FROM="xyb@zj.gov.cn",
                                SITE_URL="http://credit.example")
    with reporting_app.app_context(), session_scope() as s:
        hangzhou = s.scalar(select(Region.id).where(Region.name == "杭州"))
        s.execute(delete(ReportSubmission).where(ReportSubmission.period == "2020-09",
                                                 ReportSubmission.city_id == hangzhou))
        for username, address in (("hz", "hz@xyb.hangzhou.gov.cn"), ("nb", "nb@xyb.ningbo.gov.cn")):
            s.scalar(select(User).where(User.username == username)).email = address
    return reporting_app


def run(app) -> str:
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def notices(app, username: str) -> list[Notification]:
    with app.app_context(), session_scope() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
        rows = s.scalars(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).all()
        s.expunge_all()
        return rows


def test_each_editor_is_told_once_what_is_due_overdue_and_unreported(office, inbox):
    box, _ = inbox
    output = run(office)
    assert "提醒：新增" in output and "邮件：发送 2 封，失败 0 封" in output, output
    told = 0
    for username, city in (("hz", "杭州"), ("nb", "宁波"), ("hz2", "杭州")):
        with office.app_context():
            rows = api.status_table(TODAY, Filters(city=city))
        overdue = {r["milestone_id"] for r in rows if r["status"] == "overdue"}
        soon = {r["milestone_id"] for r in rows if r["status"] in ("due_soon", "not_due")
                and (date.fromisoformat(r["due"]) - TODAY).days <= 7}
        mine = notices(office, username)
        assert {n.milestone_id for n in mine if n.kind == "overdue"} == overdue, username
        assert {n.milestone_id for n in mine if n.kind == "due_soon"} == soon, username
        told += len(overdue) + len(soon)
    assert told  # (宁波 has milestones overdue, 杭州 one due within the week)
    hz = notices(office, "hz")
    assert [n.key for n in hz if n.kind == "report_due"] == ["report_due:2020-09"]  # 杭州 has not reported
    assert not [n for n in notices(office, "nb") if n.kind == "report_due"]  # 宁波 has
    assert {n.mail for n in hz} == {"sent"} and {n.mail for n in notices(office, "wzfg")} <= {"none"}
    mails = {m["To"].addresses[0].addr_spec: m for m in box.messages}
    assert set(mails) == {"hz@xyb.hangzhou.gov.cn", "nb@xyb.ningbo.gov.cn"}
    mail = mails["hz@xyb.hangzhou.gov.cn"]
    assert mail["Subject"].startswith(f"【信用应用场景推进监测平台】{len(hz)} 条提醒") and mail["From"] == "xyb@zj.gov.cn"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "报送提醒：2020年9月进展（2020-10-05 截止）" in text and "http://credit.example/report" in text
    assert all(n.title in text and f'href="http://credit.example{n.link}"' in html for n in hz)
    nb_mail = mails["nb@xyb.ningbo.gov.cn"].get_body(("plain",)).get_content()
    assert "逾期提醒" in nb_mail and "已逾期" in nb_mail and "http://credit.example/item/" in nb_mail
    again = run(office)  # the same day again (cron every hour): nothing new, nothing mailed twice
    assert "提醒：新增 0 条" in again and "邮件：发送 0 封" in again and len(box.messages) == 2


def test_a_mail_server_that_is_down_delays_the_mail_to_the_next_run(office, inbox):
    box, controller = inbox
    office.config["SMTP_PORT"] = 1  # nothing listens there
    output = run(office)
    assert "邮件：发送 0 封，失败 2 封" in output, output
    waiting = notices(office, "hz")
    assert waiting and {n.mail for n in waiting} == {"pending"} and {n.mail_attempts for n in waiting} == {1}
    office.config["SMTP_PORT"] = box.port
    assert "邮件：发送 2 封，失败 0 封" in run(office)
    assert {n.mail for n in notices(office, "hz")} == {"sent"} and len(box.messages) == 2


def test_without_an_smtp_server_notices_stay_in_the_app(office, inbox):
    box, _ = inbox
    office.config["SMTP_HOST"] = ""
    assert "未设置 SMTP_HOST，仅站内提醒" in run(office)
    assert notices(office, "hz") and box.messages == []


def test_a_deactivated_account_is_told_nothing(office):
    with office.app_context(), session_scope() as s:
        s.scalar(select(User).where(User.username == "hz")).active = False
    run(office)
    assert notices(office, "hz") == []
    with office.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) > 0  # the others are


def test_the_nearest_threshold_a_due_date_has_reached_is_the_one_told(office):
    from notices.reminders import threshold

    assert [threshold(d, (7, 1)) for d in (10, 7, 5, 1, 0)] == [None, 7, 7, 1, 1]


def test_the_notification_centre_lists_ones_own_notices_and_marks_only_them_read(office):
    from tests.callbacks import dependency, payload, post, render_page
    from tests.test_security import login

    run(office)
    hz, nb = office.test_client(), office.test_client()
    login(hz, "hz")
    login(nb, "nb")
    status, body = render_page(hz, "/notifications")
    assert status == 200 and "报送提醒：2020年9月进展" in body and "未读" in body
    assert '"notifications-count"' in hz.get("/_dash-layout").get_data(as_text=True)  # the navbar's count
    unread_nb = sum(n.read_at is None for n in notices(office, "nb"))
    status, body = post(hz, payload(dependency(hz, "notifications-read"), {}, clicked="notifications-read"))
    assert f"已将 {len(notices(office, 'hz'))} 条通知标为已读" in body
    assert all(n.read_at for n in notices(office, "hz"))
    assert sum(n.read_at is None for n in notices(office, "nb")) == unread_nb > 0  # nb's untouched
    status, body = post(hz, payload(dependency(hz, "notifications-read"), {}, clicked="notifications-read"))
    assert "已将 0 条通知标为已读" in body  # a second click changes nothing
    assert '"notifications-count"' not in hz.get("/_dash-layout").get_data(as_text=True)
    visitor = office.test_client()
    status, body = post(visitor, payload(dependency(visitor, "notifications-read"), {}, clicked="notifications-read"))
    assert "请先登录" in body or status == 401


def test_an_editor_opens_its_notices_from_the_navbar(office):
    from playwright.sync_api import expect

    from tests.browser import browser_page, serve
    from tests.test_page_report import log_in

    run(office)
    with serve(office) as url, browser_page() as page:
        log_in(page, url, "nb")
        expect(page.locator("#notifications-count")).to_have_text(str(len(notices(office, "nb"))), timeout=20000)
        page.click("#notifications-link")
        expect(page.locator("#notifications-unread")).to_contain_text("未读", timeout=20000)
        expect(page.locator("body")).to_contain_text("逾期提醒")
        page.click("#notifications-read")
        expect(page.locator("#notifications-done")).to_contain_text("标为已读", timeout=20000)
        page.evaluate("window.stayed = true")  # (a move inside the app: no page load)
        page.click("#navbar a.navbar-brand")
        expect(page.locator("#city-rates")).to_be_visible(timeout=20000)
        expect(page.locator("#notifications-count")).to_have_count(0)  # the navbar's count as it is now
        assert page.evaluate("window.stayed === true")
        assert page.errors == []
        page.goto(url + "/notifications")
        expect(page.locator("#notifications-unread")).to_have_text("未读 0 条", timeout=20000)
        expect(page.locator("#notifications-count")).to_have_count(0)


def test_the_item_page_lists_the_reminders_sent_about_it(office):
    from tests.callbacks import render_page
    from tests.test_security import login

    run(office)
    told = [n for n in notices(office, "nb") if n.milestone_id]
    assert told
    with office.app_context(), session_scope() as s:
        from store.models import Milestone

        item_id = s.get(Milestone, told[0].milestone_id).work_item_id
    client = office.test_client()
    login(client, "admin")
    status, body = render_page(client, f"/item/{item_id}")
    assert status == 200 and "提醒记录（" in body and "宁波市信用办" in body and "逾期提醒" in body and "已发送" in body
