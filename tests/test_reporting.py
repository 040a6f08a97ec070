"""Monthly reporting without a browser: reading entries, the checks, the
all-or-nothing write with its version check, the audit rows, the submission
and its timeliness, and the dashboards seeing a report at once."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from accounts import account_of
from accounts.scope import Scope
from accounts.users import find_user
from queries import api
from queries.status import Filters
from reporting.entries import MilestoneEntry, Reader, Report, read_indicator, read_milestone
from reporting.form import indicator_form_rows, milestone_rows
from reporting.submit import submit
from store import clock, session_scope
from store.models import AuditEntry, IndicatorObservation, Milestone, ProgressUpdate, ReportSubmission

TODAY = clock.today()
PERIOD = TODAY.replace(day=1).strftime("%Y-%m")


def account(app, username):
    with app.app_context(), session_scope() as s:
        return account_of(s, find_user(s, username))


def counts(app) -> tuple[int, int, int, int]:
    with app.app_context(), session_scope() as s:
        return tuple(s.scalar(select(func.count()).select_from(model)) for model in (
            ProgressUpdate, IndicatorObservation, ReportSubmission, AuditEntry))


def form(app, username, **options):
    with app.test_request_context():
        scope = Scope.of(account(app, username))
        return milestone_rows(scope, TODAY, include_done=True, **options), indicator_form_rows(scope, TODAY)


def entry(row: dict, **changes) -> MilestoneEntry:
    """A form row as the reporter left it, with ``changes`` typed in."""
    values = {"state": row["base_state"], "completed_on": row["base_completed_on"], "note": row["base_note"],
              **changes}
    reader = Reader("工作节点")
    made = read_milestone(reader, {**row, **values}, row["row"])
    assert not reader.problems and not made.problems, (reader.problems, made.problems)
    return made


def test_reader_takes_values_as_people_write_them():
    reader = Reader("指标")
    assert reader.date("2020年9月30日", 3, "d") == date(2020, 9, 30) == reader.date("2020/9/30", 3, "d")
    assert reader.number("1,600家", 3, "v") == (1600.0, "家")
    assert reader.number(" 85.5 %", 3, "v") == (85.5, "%")
    assert reader.state("已完成", 3, "s") == "done" and not reader.problems
    # normalised first, then judged; formula-like text is kept as text (every export writes it as text)
    for typed, kept in ((' =HYPERLINK("x")', '=HYPERLINK("x")'), ("+cmd", "+cmd"), ("@SUM", "@SUM"),
                        ("-2+3", "-2+3"), ("\u3000已完成\x07初稿\ud800 ", "已完成初稿")):
        assert reader.text(typed, 4, "说明") == kept
    assert not reader.problems
    assert reader.number("1e400", 5, "v") == (None, "") and reader.number(float("nan"), 6, "v") == (None, "")
    assert reader.date("2020-02-30", 7, "d") is None and reader.state("完成了", 8, "s") is None
    assert reader.integer(True, 9, "编号") is None and reader.integer("12a", 10, "编号") is None
    assert reader.number("1,2,3,", 11, "v") == (None, "") and reader.number("12,34", 12, "v") == (None, "")
    assert reader.number("1,234,567.5万", 13, "v") == (1234567.5, "万")
    assert reader.number(10**400, 14, "v") == (None, "") and reader.integer("²", 15, "编号") is None
    assert reader.integer(10**400, 16, "编号") is None
    assert [str(p) for p in reader.problems] == [
        "指标 第5行 “v”：数值“1e400”超出合理范围",
        "指标 第6行 “v”：数值“nan”超出合理范围",
        "指标 第7行 “d”：“2020-02-30”不是日期（格式：2020-09-30）",
        "指标 第8行 “s”：“完成了”不是可选的状态（未开始、推进中、已完成、受阻、取消）",
        "指标 第9行 “编号”：不能为空",
        "指标 第10行 “编号”：“12a”不是有效的编号",
        "指标 第11行 “v”：“1,2,3,”不是数值",
        "指标 第12行 “v”：“12,34”不是数值",
        "指标 第14行 “v”：数值“位数过多的数”超出合理范围",
        "指标 第15行 “编号”：“²”不是有效的编号",
        "指标 第16行 “编号”：“位数过多的数”不是有效的编号",
    ]
    assert read_indicator(Reader("指标"), {"indicator_id": 1, "version": 0, "value": ""}, 3) is None


def test_a_report_appends_history_audits_and_shows_at_once(reporting_app):
    """A city's completion shows at once as 已完成（待审核）: no longer overdue,
    not yet done (reporting.review; tests/test_review.py has the review)."""
    ms, _ = form(reporting_app, "hz")
    target = next(r for r in ms if r["status"] == "overdue")
    with reporting_app.app_context():
        before = api.summary(TODAY, Filters(city="杭州"))
    history = counts(reporting_app)
    report = Report(PERIOD, (entry(target, state="done", completed_on=TODAY - timedelta(days=1),
                                   note="已完成经验总结并在全市推广"),), ())
    with reporting_app.test_request_context():
        result = submit(report, account(reporting_app, "hz"))
    assert result.ok and result.outcome.updates == 1 and result.outcome.on_time
    assert counts(reporting_app) == (history[0] + 1, history[1], history[2] + 1, history[3] + 2)
    with reporting_app.app_context():
        after = api.summary(TODAY, Filters(city="杭州"))  # the cache was dropped: the new state counts
        with session_scope() as s:
            latest = s.scalars(select(ProgressUpdate).where(ProgressUpdate.milestone_id == target["milestone_id"])
                               .order_by(ProgressUpdate.id.desc())).first()
            version = s.get(Milestone, target["milestone_id"]).report_version
            audit = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)).all()
            sub = s.scalars(select(ReportSubmission).order_by(ReportSubmission.id.desc())).first()
    assert (after["done"], after["overdue"], after["pending"]) == (
        before["done"], before["overdue"] - 1, before["pending"] + 1)
    assert (latest.state, latest.reported_on, latest.reported_by) == ("done", TODAY, "杭州市信用办")
    assert (latest.review, latest.review_stage) == ("pending", "province")
    assert version == target["version"] + 1
    assert [a.action for a in audit] == ["report.submit", "progress.report"]
    assert '"状态": "已完成"' in audit[1].after and '"审核": "待审核"' in audit[1].after
    assert '"状态": "推进中"' in audit[1].before
    assert audit[1].actor == "hz" and "杭州" in audit[1].target
    assert (sub.period, sub.channel, sub.updates, sub.on_time) == (PERIOD, "web", 1, True)


def test_the_second_of_two_editors_is_refused_and_sees_what_changed(reporting_app):
    ms, _ = form(reporting_app, "hz")
    row = next(r for r in ms if r["status"] == "overdue")
    first = Report(PERIOD, (entry(row, state="blocked", note="等待省里接口"),), ())
    second = Report(PERIOD, (entry(row, state="in_progress", note="本月已召开推进会"),), ())
    with reporting_app.test_request_context():
        assert submit(first, account(reporting_app, "hz")).ok
        history = counts(reporting_app)
        refused = submit(second, account(reporting_app, "hz2"))
    assert not refused.ok and counts(reporting_app) == history
    (conflict,) = refused.conflicts
    assert conflict.theirs["状态"] == "受阻" and conflict.theirs["报送人"] == "杭州市信用办"
    assert conflict.yours["进展说明"] == "本月已召开推进会"


def test_untouched_rows_write_nothing_but_the_month_is_recorded(reporting_app):
    ms, ind = form(reporting_app, "hz")
    history = counts(reporting_app)
    with reporting_app.test_request_context():
        result = submit(Report(PERIOD, tuple(entry(r) for r in ms), ()), account(reporting_app, "hz"))
    assert result.ok and result.outcome.updates == 0 and "没有变化" in result.outcome.summary()
    assert counts(reporting_app) == (history[0], history[1], history[2] + 1, history[3] + 1)


@pytest.mark.parametrize("changes, message", [
    ({"state": "done", "completed_on": None}, "必须填写完成日期"),
    ({"state": "in_progress", "completed_on": date(2020, 9, 1)}, "只有“已完成”的节点才填写完成日期"),
    ({"state": "done", "completed_on": TODAY + timedelta(days=1)}, "晚于今天"),
    ({"state": "done", "completed_on": date(2019, 1, 1)}, "早于计划印发日期 2020-04-16"),
])
def test_milestone_values_are_checked(reporting_app, changes, message):
    ms, _ = form(reporting_app, "hz")
    row = next(r for r in ms if r["plan"] == "浙信用办〔2020〕5号")
    history = counts(reporting_app)
    with reporting_app.test_request_context():
        result = submit(Report(PERIOD, (entry(row, **changes),), ()), account(reporting_app, "hz"))
    assert [p.message for p in result.problems if message in p.message], result.problems
    assert result.problems[0].row == row["row"] and counts(reporting_app) == history


def test_another_citys_rows_and_leaders_are_refused(reporting_app):
    hz, _ = form(reporting_app, "hz")
    nb, _ = form(reporting_app, "nb")
    mine, theirs = hz[0], nb[0]
    history = counts(reporting_app)
    with reporting_app.test_request_context():
        crafted = Report(PERIOD, (entry(mine, note="本月推进"), entry(theirs, state="done", completed_on=TODAY)), ())
        refused = submit(crafted, account(reporting_app, "hz"))
        leader = submit(Report(PERIOD, (entry(mine, note="x"),), ()), account(reporting_app, "leader"))
        visitor = submit(Report(PERIOD, (entry(mine, note="x"),), ()), None)
        future = submit(Report((TODAY.replace(day=28) + timedelta(days=5)).strftime("%Y-%m")), account(reporting_app, "hz"))
    assert any("不在您的填报范围内" in p.message and "宁波" in p.message for p in refused.problems)
    assert any("没有填报权限" in p.message for p in leader.problems)
    assert any("没有填报权限" in p.message for p in visitor.problems)
    assert any("尚未开始" in p.message for p in future.problems)
    assert counts(reporting_app) == history


def test_a_department_editor_reports_only_what_it_leads(reporting_app):
    ms, _ = form(reporting_app, "wzfg")
    with reporting_app.app_context():
        led = {r["item_id"] for r in api.status_table(TODAY, Filters(city="温州")) if "市发展改革委" in r["lead"]}
    assert ms and {r["item_id"] for r in ms} == led


def test_indicator_actuals_are_checked_for_unit_sign_and_date(reporting_app):
    _, ind = form(reporting_app, "hz")
    row = next(r for r in ind if r["unit"] == "款")

    def report(value, observed_on=TODAY):
        reader = Reader("指标")
        made = read_indicator(reader, {**row, "value": value, "observed_on": observed_on, "note": ""}, row["row"])
        return Report(PERIOD, (), (made,) if made else ())

    with reporting_app.test_request_context():
        hz = account(reporting_app, "hz")
        wrong_unit = submit(report("3个"), hz)
        negative = submit(report(-2), hz)
        no_date = submit(report(3, None), hz)
        history = counts(reporting_app)
        ok = submit(report("3款"), hz)
    assert "单位应为“款”" in wrong_unit.problems[0].message
    assert "不能为负数" in negative.problems[0].message
    assert "必须填写数据截至日期" in no_date.problems[0].message
    assert ok.ok and counts(reporting_app)[1] == history[1] + 1
    with reporting_app.app_context():  # today's stored judgements (the form read them) are judged again
        shown = next(i for i in api.indicator_table(TODAY) if i["indicator_id"] == row["indicator_id"])
    assert (shown["latest_actual"], shown["latest_on"]) == (3, TODAY.isoformat())


def test_simultaneous_saves_of_one_milestone_write_exactly_one(reporting_app):
    """Eight editors press save at the same moment on the same loaded version:
    one report is written, seven are told of the conflict, none fails."""
    import threading

    ms, _ = form(reporting_app, "hz")
    row = next(r for r in ms if r["status"] == "overdue")
    history = counts(reporting_app)
    barrier, results = threading.Barrier(8), []

    def save(i):
        with reporting_app.test_request_context():
            report = Report(PERIOD, (entry(row, state="in_progress", note=f"第{i}位编辑的报送"),), ())
            who = account(reporting_app, "hz" if i % 2 else "hz2")
            barrier.wait()
            try:
                results.append(submit(report, who))
            except Exception as exc:  # noqa: BLE001 - a failure is what this test looks for
                results.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(bool(r.outcome) for r in results) == [False] * 7 + [True]
    assert all(r.conflicts for r in results if not r.outcome)
    assert counts(reporting_app)[0] == history[0] + 1
