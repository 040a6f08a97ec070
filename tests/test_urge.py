"""催办: the office chases the unit that reports on overdue milestones, with a
message and a reply-by date; the unit sees it on its report page and in its
notices (and mail) until it answers or reports; the sender hears the answer;
the overdue list counts how often each milestone was chased.  Nobody sends
outside their city, to done work, twice a day, or answers for another unit."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.scope import Scope
from accounts.users import find_user
from notices.urge import UrgeError, answer_urge, chased_counts, open_urges, send_urge, urge_history
from reporting.entries import Report
from reporting.submit import submit
from store import session_scope
from store.models import AuditEntry, Notification, Urge
from tests.callbacks import dependency, payload, post
from tests.test_reporting import PERIOD, TODAY, account, entry, form
from tests.test_review import with_wenzhou_office
from tests.test_security import login


def overdue_of(app, username: str, n: int = 2) -> list[dict]:
    ms, _ = form(app, username)
    return [r for r in ms if r["status"] == "overdue"][:n]


def urge(app, username: str, ids, message="请于本周内报送进展并说明逾期原因", reply_by=None, letter=False):
    with app.test_request_context(), session_scope() as s:
        return send_urge(s, account(app, username), ids, message, reply_by or TODAY + timedelta(days=5), TODAY, 30,
                         letter)


def urges_for(app, username: str) -> list[dict]:
    with app.test_request_context(), session_scope() as s:
        return open_urges(s, Scope.of(account(app, username)))


def notices(app, username: str, kind: str) -> list[Notification]:
    with app.app_context(), session_scope() as s:
        me = find_user(s, username).id
        rows = s.scalars(select(Notification).where(Notification.kind == kind, Notification.user_id == me)).all()
        for row in rows:
            s.expunge(row)
        return rows


def test_a_department_is_chased_sees_it_answers_and_the_sender_hears(reporting_app):
    rows = overdue_of(reporting_app, "wzfg")
    sent = urge(reporting_app, "admin", [r["milestone_id"] for r in rows])
    assert (sent.urges, sent.milestones, sent.accounts, sent.without_account) == (1, len(rows), 1, [])
    (open_one,) = urges_for(reporting_app, "wzfg")
    assert open_one["message"] == "请于本周内报送进展并说明逾期原因" and len(open_one["milestones"]) == len(rows)
    assert open_one["unit"] == "温州·市发展改革委" and open_one["reply_by"] == (TODAY + timedelta(days=5)).isoformat()
    (notice,) = notices(reporting_app, "wzfg", "urge")
    assert notice.title.startswith(f"催办：{len(rows)} 个节点") and notice.link == "/report"
    with reporting_app.app_context(), session_scope() as s:
        assert chased_counts(s, {r["milestone_id"] for r in rows}) == {r["milestone_id"]: 1 for r in rows}
        (history,) = urge_history(s, rows[0]["item_id"])
        assert history["state"] == "待回复" and history["to"] == "温州·市发展改革委"
    with reporting_app.test_request_context(), session_scope() as s:
        answer_urge(s, account(reporting_app, "wzfg"), open_one["urge_id"], "已协调数据接口，下周上线")
    assert urges_for(reporting_app, "wzfg") == []
    (reply,) = notices(reporting_app, "admin", "urge_reply")
    assert reply.body == "已协调数据接口，下周上线"
    with reporting_app.app_context(), session_scope() as s:
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("urge.%"))))
        assert actions == {"urge.send", "urge.answer"}
        assert urge_history(s, rows[0]["item_id"])[0]["state"] == "已回复"


def test_reporting_on_every_milestone_closes_it(reporting_app):
    rows = overdue_of(reporting_app, "hz", 1)
    urge(reporting_app, "hz", [rows[0]["milestone_id"]])  # a city office chases its own (no department leads)
    assert len(urges_for(reporting_app, "hz")) == 1
    with reporting_app.test_request_context():
        assert submit(Report(PERIOD, (entry(rows[0], state="in_progress", note="本周完成联调"),), ()),
                      account(reporting_app, "hz")).ok
    assert urges_for(reporting_app, "hz") == []


def test_nobody_chases_outside_their_city_done_work_or_twice_a_day(reporting_app):
    wz = overdue_of(reporting_app, "wzfg", 1)[0]["milestone_id"]
    hz = overdue_of(reporting_app, "hz", 1)[0]["milestone_id"]
    for who, ids, why in (("hz", [wz], "不是本市的节点"), ("wzfg", [wz], "只有省信用办"), ("leader", [wz], "只有省信用办"),
                          ("admin", [], "请勾选"), ("admin", "1", "请勾选"), ("admin", [10**9], "不存在")):
        with pytest.raises(UrgeError, match=why):
            urge(reporting_app, who, ids)
    for message, reply_by, why in (("", None, "请填写催办内容"), ("x" * 501, None, "不超过 500 字"),
                                   ("请报送", TODAY - timedelta(days=1), "回复期限"),
                                   ("请报送", "2020-13-01", "回复期限"), ("请报送", TODAY + timedelta(days=200), "回复期限")):
        with pytest.raises(UrgeError, match=why):
            urge(reporting_app, "admin", [hz], message=message, reply_by=reply_by)
    urge(reporting_app, "admin", [hz])
    with pytest.raises(UrgeError, match="今天已催办过"):
        urge(reporting_app, "admin", [hz])
    ms, _ = form(reporting_app, "hz")
    done = next(r for r in ms if r["status"] in ("done_on_time", "done_late"))
    with pytest.raises(UrgeError, match="无需催办"):
        urge(reporting_app, "admin", [done["milestone_id"]])
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Urge)) == 1


def test_no_one_answers_for_another_unit(reporting_app):
    rows = overdue_of(reporting_app, "wzfg", 1)
    urge(reporting_app, "admin", [rows[0]["milestone_id"]])
    (open_one,) = urges_for(reporting_app, "wzfg")
    with_wenzhou_office(reporting_app)
    for who in ("hz", "nb", "admin", "leader", "wz"):  # (温州's own office included: it was sent to the department)
        with pytest.raises(UrgeError):
            with reporting_app.test_request_context(), session_scope() as s:
                answer_urge(s, account(reporting_app, who), open_one["urge_id"], "代为回复")
    assert len(urges_for(reporting_app, "wzfg")) == 1


def test_a_unit_without_an_account_is_named(reporting_app):
    """湖州 has no account here: the 催办 is kept, and the sender is told to chase it another way."""
    ms, _ = form(reporting_app, "admin")
    row = next(r for r in ms if r["status"] == "overdue" and r["city"] == "湖州")
    sent = urge(reporting_app, "admin", [row["milestone_id"]])
    assert sent.accounts == 0 and len(sent.without_account) == 1 and sent.without_account[0].startswith("湖州")


def test_a_crafted_callback_cannot_urge_another_city(reporting_app):
    wz = overdue_of(reporting_app, "wzfg", 1)[0]["milestone_id"]
    client = reporting_app.test_client()
    login(client, "hz")
    dep = dependency(client, "urge-send")
    status, text = post(client, payload(dep, {"urge-message": "请报送", "urge-reply-by": (TODAY + timedelta(days=3)).isoformat(),
                                              '{"name":"overdue","type":"grid"}': [{"milestone_id": wz}]},
                                        clicked="urge-send"))
    assert status == 200 and "未催办" in text and "不是本市的节点" in text
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Urge)) == 0


@pytest.mark.browser
def test_in_the_browser_a_urge_from_the_overdue_page_reaches_the_departments_report_page(reporting_app):
    from urllib.parse import urlencode

    from playwright.sync_api import expect

    from tests.browser import browser_page, serve
    from tests.test_page_report import log_in, switch_to
    from tests.test_review import tick

    row = overdue_of(reporting_app, "wzfg", 1)[0]
    query = urlencode({"as_of": TODAY.isoformat(), "plan": row["plan"], "city": "温州", "department": "市发展改革委",
                       "status": "overdue"})
    with serve(reporting_app) as url, browser_page(1400, 900) as page:
        log_in(page, url, "admin")
        page.goto(url + "/overdue?" + query)
        tick(page, "overdue-grid", row["milestone"][:12])
        page.fill("#urge-message", "请于本周内报送进展并说明逾期原因")
        page.click("#urge-send")
        expect(page.locator("#urge-sent")).to_contain_text("已催办 1 个单位（1 个节点），1 个账号收到通知")
        expect(page.locator("#urge-letters")).to_contain_text("温州·市发展改革委")  # 附督办单 is ticked by default
        page.click("#urge-send")  # the same milestones again today: refused, nothing sent twice
        expect(page.locator("#urge-refused")).to_contain_text("今天已催办过")
        switch_to(page, url, "wzfg")
        expect(page.locator("#notifications-count")).to_have_text("1")
        page.goto(url + "/report")
        expect(page.locator("#report-urges")).to_contain_text("请于本周内报送进展并说明逾期原因")
        with page.expect_download() as download:  # the 督办单 that came with it
            page.locator("#report-urges").get_by_role("link", name="Word").click()
        assert download.value.suggested_filename.startswith("温州_市发展改革委_督办单_")
        page.fill("#urge-answer-text", "已协调数据接口，下周上线")
        page.click("#urge-answer-send")
        expect(page.locator("#urge-answered")).to_contain_text("已回复")
        page.goto(url + "/notifications")
        expect(page.locator("#notifications-unread")).to_contain_text("未读 1 条")
        page.goto(url + f"/item/{row['item_id']}")
        expect(page.locator("#item-urges")).to_contain_text("已回复")
        assert page.errors == []
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Urge)) == 1


def test_a_urge_is_mailed_to_the_unit_by_the_next_reminder_run(reporting_app, inbox):
    from notices.mail import send_pending

    box, _ = inbox
    reporting_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=box.port, MAIL_FROM="xyb@zj.gov.cn",
                                SITE_URL="http://credit.example")
    with reporting_app.app_context(), session_scope() as s:
        find_user(s, "wzfg").email = "fgw@wenzhou.gov.cn"
    row = overdue_of(reporting_app, "wzfg", 1)[0]
    urge(reporting_app, "admin", [row["milestone_id"]], message="请于周五前报送进展")
    with reporting_app.app_context(), session_scope() as s:
        assert send_pending(s) == (1, 0)
    (mail,) = box.messages
    assert mail["To"].addresses[0].addr_spec == "fgw@wenzhou.gov.cn" and "催办" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "请于周五前报送进展" in text and "http://credit.example/report" in text


def test_a_crafted_answer_from_another_unit_answers_nothing(reporting_app):
    rows = overdue_of(reporting_app, "wzfg", 1)
    urge(reporting_app, "admin", [rows[0]["milestone_id"]])
    (open_one,) = urges_for(reporting_app, "wzfg")
    client = reporting_app.test_client()
    login(client, "hz")
    dep = dependency(client, "urge-answer-send")
    status, text = post(client, payload(dep, {"urge-answer-which": str(open_one["urge_id"]), "urge-answer-text": "代为回复"},
                                        clicked="urge-answer-send"))
    assert status == 200 and "未回复" in text
    assert len(urges_for(reporting_app, "wzfg")) == 1


def test_a_urge_sent_with_its_letter_gives_the_unit_a_letter_of_those_milestones(reporting_app):
    import io

    from docx import Document

    rows = overdue_of(reporting_app, "wzfg")
    sent = urge(reporting_app, "admin", [r["milestone_id"] for r in rows], letter=True)
    ((unit, path),) = sent.letters
    assert unit == "温州·市发展改革委" and path.startswith("/urge/") and path.endswith("/letter")
    (notice,) = notices(reporting_app, "wzfg", "urge")
    assert "附督办单：在“进度填报”页下载" in notice.body
    (open_one,) = urges_for(reporting_app, "wzfg")
    assert open_one["letter"] == path
    for username, status in (("wzfg", 200), ("admin", 200), ("leader", 200), ("hz", 404), (None, None)):
        client = reporting_app.test_client()
        if username:
            login(client, username)
        got = client.get(path)
        if status is None:
            assert got.status_code in (302, 401, 403, 404)  # not a visitor's
            continue
        assert got.status_code == status, username
    client = reporting_app.test_client()
    login(client, "wzfg")
    got = client.get(path)
    assert got.headers["Content-Disposition"].startswith("attachment")
    doc = Document(io.BytesIO(got.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "温州·市发展改革委：" in text and (TODAY + timedelta(days=5)).strftime("%Y年%-m月%-d日前") in text
    assert sorted(row.cells[3].text for row in doc.tables[0].rows[1:]) == sorted(r["milestone"] for r in rows)
    assert client.get(path + "?format=exe").status_code == 400
    plain = urge(reporting_app, "admin", [overdue_of(reporting_app, "hz", 1)[0]["milestone_id"]])
    assert plain.letters == []
    with reporting_app.app_context(), session_scope() as s:
        without = s.scalar(select(Urge.id).where(Urge.letter.is_(False)))
    for missing in (f"/urge/{without}/letter", "/urge/999999/letter", "/urge/99999999999999/letter"):
        assert client.get(missing).status_code == 404, missing


def test_a_letter_goes_with_the_mail(reporting_app, inbox):
    import io

    from docx import Document

    from notices.mail import send_pending

    box, _ = inbox
    reporting_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=box.port, MAIL_FROM="xyb@zj.gov.cn")
    with reporting_app.app_context(), session_scope() as s:
        find_user(s, "wzfg").email = "fgw@wenzhou.gov.cn"
    row = overdue_of(reporting_app, "wzfg", 1)[0]
    urge(reporting_app, "admin", [row["milestone_id"]], letter=True)
    with reporting_app.app_context(), session_scope() as s:
        assert send_pending(s) == (1, 0)
    (mail,) = box.messages
    (attached,) = list(mail.iter_attachments())
    assert attached.get_filename().startswith("温州_市发展改革委_督办单_")
    doc = Document(io.BytesIO(attached.get_content()))
    assert doc.tables[0].rows[1].cells[3].text == row["milestone"]


def test_a_crafted_letter_value_sends_no_letter(reporting_app):
    wz = overdue_of(reporting_app, "wzfg", 1)[0]["milestone_id"]
    client = reporting_app.test_client()
    login(client, "admin")
    dep = dependency(client, "urge-send")
    status, text = post(client, payload(dep, {"urge-message": "请报送", "urge-reply-by": (TODAY + timedelta(days=3)).isoformat(),
                                              '{"name":"overdue","type":"grid"}': [{"milestone_id": wz}],
                                              "urge-letter": "yes"}, clicked="urge-send"))
    assert status == 200 and "已催办 1 个单位" in text and "urge-letters" not in text
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalars(select(Urge.letter)).all() == [False]
