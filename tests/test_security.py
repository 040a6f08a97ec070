"""Attacks on the write paths through Dash's own endpoint: the save callback's
real payload, crafted.  The server decides who is writing (the session, never
the page) and what they may write (the scope), and a refused write leaves
every table as it was."""
import io
import json
import sys

import openpyxl
import pytest
from sqlalchemy.exc import OperationalError

from accounts.scope import Scope
from reporting.form import milestone_rows
from reporting.submit import submit
from reporting.template import MS_SHEET, build_template, read_template
from tests.callbacks import dependency, payload, post
from tests.conftest import PASSWORDS
from tests.test_reporting import PERIOD, TODAY, account, counts, form


def save_payload(client, ms_rows, ind_rows=(), context=None) -> dict:
    """The save callback's request as the browser sends it, with these rows."""
    return payload(dependency(client, "report-save"), {
        "report-milestones": list(ms_rows), "report-indicators": list(ind_rows),
        "report-context": context or {"period": PERIOD}}, clicked="report-save")


def login(client, username):
    assert client.post("/login", data={"username": username, "password": PASSWORDS[username]}).status_code == 302


def crafted_rows(app):
    """Ningbo's milestone marked done, dressed as a row of Hangzhou's form."""
    hz, _ = form(app, "hz")
    nb, _ = form(app, "nb")
    theirs = {**nb[0], "state": "已完成", "completed_on": TODAY.isoformat(), "note": "杭州越权填报"}
    return hz[:1] + [theirs]


def test_a_city_editor_cannot_write_another_citys_milestone(reporting_app):
    client = reporting_app.test_client()
    login(client, "hz")
    history = counts(reporting_app)
    status, body = post(client, save_payload(client, crafted_rows(reporting_app)))
    assert status == 200 and "不在您的填报范围内" in body and "未写入任何数据" in body
    assert counts(reporting_app) == history


def test_the_page_context_cannot_widen_a_scope(reporting_app):
    """An admin-only field (the city an admin reports for) is ignored for an editor."""
    client = reporting_app.test_client()
    login(client, "hz")
    history = counts(reporting_app)
    status, body = post(client, save_payload(client, crafted_rows(reporting_app),
                                             context={"period": PERIOD, "city": "宁波"}))
    assert "不在您的填报范围内" in body and counts(reporting_app) == history


def test_visitors_and_leaders_cannot_write(reporting_app):
    rows = form(reporting_app, "hz")[0][:1]
    rows = [{**rows[0], "note": "未登录的写入"}]
    history = counts(reporting_app)
    visitor = reporting_app.test_client()
    status, body = post(visitor, save_payload(visitor, rows))
    assert "没有填报权限" in body or status in (401, 403)
    leader = reporting_app.test_client()
    login(leader, "leader")
    status, body = post(leader, save_payload(leader, rows))
    assert status == 200 and "没有填报权限" in body
    assert counts(reporting_app) == history


def test_a_forged_version_is_a_conflict_not_an_overwrite(reporting_app):
    client = reporting_app.test_client()
    login(client, "hz")
    row = form(reporting_app, "hz")[0][0]
    history = counts(reporting_app)
    status, body = post(client, save_payload(client, [{**row, "version": row["version"] + 7, "note": "伪造版本"}]))
    assert "已被他人更新" in body and counts(reporting_app) == history, body[:600]


def test_garbage_in_the_payload_is_a_message_not_a_crash(reporting_app):
    client = reporting_app.test_client()
    login(client, "hz")
    history = counts(reporting_app)
    for rows in ([{"milestone_id": "1; DROP TABLE milestone", "version": 0, "state": "已完成"}],
                 [{"milestone_id": 10**30, "version": -1}], ["not a row", 7, None], "not a list"):
        body = save_payload(client, [])
        body["state"][0]["value"] = rows
        status, body = post(client, body)
        assert status in (200, 204), body
    assert counts(reporting_app) == history


def test_the_form_shows_only_the_editors_scope(reporting_app):
    with reporting_app.test_request_context():
        rows = milestone_rows(Scope.of(account(reporting_app, "hz")), TODAY, include_done=True)
    assert rows and {r["city"] for r in rows} == {"杭州"}


def test_a_saved_report_says_so_when_the_store_fails_right_after(reporting_app, monkeypatch):
    """Written and committed, then the store cannot be read (PostgreSQL restarting):
    the answer says it was saved and the grid was not refreshed, never an error
    that would tell the editor nothing was saved."""
    client = reporting_app.test_client()
    login(client, "hz")
    row = form(reporting_app, "hz")[0][0]
    history = counts(reporting_app)
    report_page = sys.modules["pages.report"]

    def store_gone(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(report_page, "form_rows", store_gone)
    status, body = post(client, save_payload(client, [{**row, "note": "写入后数据库重启"}]))
    assert status == 200 and "report-saved" in body and "下方表格未刷新" in body, body[:600]
    assert counts(reporting_app)[0] == history[0] + 1


def saved_ok(body: str) -> bool:
    return "report-saved" in body and "report-problems" not in body


def test_a_stored_formula_like_note_never_blocks_a_save(reporting_app, tmp_path):
    """A department editor's note ' =HYPERLINK(…)' was stored as a formula and
    then refused every later save of its city's form, untouched rows too, the
    template's upload and the admin's 代报.  Normalised first, kept as text, and
    only edits are judged: the city goes on reporting."""
    evil = ' =HYPERLINK("http://evil.example","click")'
    dept = reporting_app.test_client()
    login(dept, "wzfg")
    mine = form(reporting_app, "wzfg")[0][0]
    status, body = post(dept, save_payload(dept, [{**mine, "note": evil}]))
    assert status == 200 and saved_ok(body), body[:600]
    city_rows = form(reporting_app, "wzfg")[0]
    stored = next(r for r in city_rows if r["milestone_id"] == mine["milestone_id"])
    assert stored["note"] == evil.strip()
    for username in ("wzfg", "admin"):  # the whole form sent back, one other row edited
        client = reporting_app.test_client()
        login(client, username)
        rows = form(reporting_app, "wzfg")[0]
        other = next(r for r in rows if r["milestone_id"] != mine["milestone_id"])
        rows = [{**r, "note": f"{username}本月推进"} if r is other else r for r in rows]
        context = {"period": PERIOD, "city": "温州"} if username == "admin" else None
        status, body = post(client, save_payload(client, rows, context=context))
        assert status == 200 and saved_ok(body), (username, body[:600])
    # the template carries the note as text, and comes back without a problem
    template = build_template(*form(reporting_app, "wzfg"), period=PERIOD, scope="温州市", username="wzfg",
                              today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(template))[MS_SHEET]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == evil.strip()]
    assert cells and all(c.data_type == "s" for c in cells)
    report, problems = read_template(template, "温州.xlsx")
    with reporting_app.test_request_context():
        assert not problems and submit(report, account(reporting_app, "wzfg"), dry_run=True).ok


@pytest.mark.parametrize("completed_on", ["9999-12-31", "1900-01-01"])
def test_the_browser_cannot_say_which_checks_to_skip(reporting_app, completed_on):
    """The date rules were skipped when completed_on equalled the browser's
    base_completed_on: the base is the store's, whatever the row says."""
    client = reporting_app.test_client()
    login(client, "hz")
    row = next(r for r in form(reporting_app, "hz")[0] if r["status"] == "overdue")
    history = counts(reporting_app)
    forged = {**row, "state": "已完成", "completed_on": completed_on, "base_state": "推进中",
              "base_completed_on": completed_on}
    status, body = post(client, save_payload(client, [forged]))
    assert status == 200 and "report-problems" in body and ("晚于今天" in body or "早于计划印发日期" in body)
    assert counts(reporting_app) == history


def test_a_row_the_browser_calls_untouched_is_judged_by_the_store(reporting_app):
    """Base values equal to the new ones do not hide an edit from the check."""
    client = reporting_app.test_client()
    login(client, "hz")
    row = next(r for r in form(reporting_app, "hz")[0] if r["status"] == "overdue")
    history = counts(reporting_app)
    forged = {**row, "state": "已完成", "completed_on": None, "base_state": "已完成", "base_completed_on": None}
    status, body = post(client, save_payload(client, [forged]))
    assert "必须填写完成日期" in body and counts(reporting_app) == history


@pytest.mark.parametrize("period", ["2999-01", "2020-13", "soon", None])
def test_a_month_the_server_does_not_accept_is_refused_not_replaced(reporting_app, period):
    client = reporting_app.test_client()
    login(client, "hz")
    row = form(reporting_app, "hz")[0][0]
    history = counts(reporting_app)
    status, body = post(client, save_payload(client, [{**row, "note": "未来月份"}], context={"period": period}))
    assert status == 200 and "不是可报送的月份" in body and counts(reporting_app) == history


def test_a_save_takes_no_more_rows_than_the_form_holds(reporting_app):
    client = reporting_app.test_client()
    login(client, "hz")
    row = form(reporting_app, "hz")[0][0]
    history = counts(reporting_app)
    status, body = post(client, save_payload(client, [row] * 1001))
    assert status == 200 and "一次最多提交" in body and counts(reporting_app) == history


def test_the_reproduced_500s_are_clear_answers(reporting_app):
    """Each of these answered HTTP 500: a lone surrogate in a note, an actual of
    10^400, a milestone id or version of "²"."""
    client = reporting_app.test_client()
    login(client, "hz")
    ms, ind = form(reporting_app, "hz")
    history = counts(reporting_app)
    cases = [([{**ms[0], "note": "推进中\ud800"}], []),
             ([], [{**ind[0], "value": 10**400, "observed_on": TODAY.isoformat()}]),
             ([{**ms[0], "milestone_id": "²", "note": "x"}], []),
             ([{**ms[0], "version": "²", "note": "x"}], [])]
    for ms_rows, ind_rows in cases:
        body = json.dumps(save_payload(client, ms_rows, ind_rows))  # (json writes 10**400 as digits)
        status, text = post(client, body)
        assert status == 200, text[:300]
    assert "超出合理范围" in post(client, json.dumps(save_payload(client, [], cases[1][1])))[1]
    assert "不是有效的编号" in post(client, json.dumps(save_payload(client, cases[2][0])))[1]
    assert counts(reporting_app)[0] == history[0] + 1  # only the note was written, its surrogate replaced
    assert form(reporting_app, "hz")[0][0]["note"] == "推进中\ufffd"
