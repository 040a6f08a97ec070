"""Attacks on the write paths through Dash's own endpoint: the save callback's
real payload, crafted.  The server decides who is writing (the session, never
the page) and what they may write (the scope), and a refused write leaves
every table as it was."""
import json
import sys

from sqlalchemy.exc import OperationalError

from accounts.scope import Scope
from reporting.form import milestone_rows
from tests.conftest import PASSWORDS
from tests.test_reporting import PERIOD, TODAY, account, counts, form


def save_callback(client) -> dict:
    """The save callback as /_dash-dependencies declares it."""
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if any(i["id"] == "report-save" for i in d["inputs"]))


def save_payload(client, ms_rows, ind_rows=(), context=None) -> dict:
    dep = save_callback(client)
    outputs = [dict(zip(("id", "property"), o.split("."))) for o in dep["output"].strip(".").split("...")]
    return {
        "output": dep["output"], "outputs": outputs,
        "inputs": [{"id": "report-save", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["report-save.n_clicks"],
        "state": [{"id": "report-milestones", "property": "rowData", "value": list(ms_rows)},
                  {"id": "report-indicators", "property": "rowData", "value": list(ind_rows)},
                  {"id": "report-context", "property": "data", "value": context or {"period": PERIOD}}],
    }


def post(client, payload):
    """(status, the response as readable text: Dash escapes non-ASCII in its JSON)."""
    response = client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json")
    body = response.get_data(as_text=True)
    try:
        body = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        pass
    return response.status_code, body


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
        payload = save_payload(client, [])
        payload["state"][0]["value"] = rows
        status, body = post(client, payload)
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
