"""The Excel report template: built, reopened with openpyxl, filled in as a
person would, read back; damaged and hostile workbooks give a clear error
and write nothing (hypothesis feeds it many)."""
import io
from datetime import timedelta

import openpyxl
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError
from sqlalchemy import func, select

from reporting.submit import submit
from reporting.template import IND_SHEET, META_SHEET, MS_COLUMNS, MS_SHEET, build_template, read_template
from store import session_scope
from store.models import ProgressUpdate
from tests.test_reporting import PERIOD, TODAY, account, counts, form


def template(app, username="hz") -> bytes:
    ms, ind = form(app, username)
    return build_template(ms, ind, period=PERIOD, scope="杭州市", username=username, today=TODAY)


def column(name: str) -> int:
    return next(i for i, c in enumerate(MS_COLUMNS, start=1) if c.header == name)


def edited(data: bytes, edit) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_is_locked_listed_and_dated(reporting_app):
    wb = openpyxl.load_workbook(io.BytesIO(template(reporting_app)))
    assert wb.sheetnames == ["填报说明", MS_SHEET, IND_SHEET, META_SHEET]
    ms = wb[MS_SHEET]
    assert ms.freeze_panes == "B3" and ms.protection.sheet and ms["A2"].font.bold
    assert [c.value for c in ms[2]] == [c.header for c in MS_COLUMNS]
    state, done_on = column("报送状态"), column("完成日期")
    assert not ms.cell(3, state).protection.locked and ms.cell(3, 1).protection.locked
    assert ms.column_dimensions[openpyxl.utils.get_column_letter(column("版本"))].hidden
    lists = [dv for dv in ms.data_validations.dataValidation if dv.type == "list"]
    assert lists and "已完成" in lists[0].formula1
    assert any(dv.type == "date" for dv in ms.data_validations.dataValidation)
    assert ms.cell(3, done_on).number_format == "yyyy-mm-dd"
    assert wb[META_SHEET].sheet_state == "hidden" and wb[META_SHEET]["B2"].value == PERIOD


def test_a_filled_template_round_trips_into_the_store(reporting_app):
    ms, _ = form(reporting_app, "hz")
    target = next(r for r in ms if r["status"] == "overdue")
    row = 3 + ms.index(target)

    def fill(wb):
        sheet = wb[MS_SHEET]
        sheet.cell(row, column("报送状态")).value = "已完成"
        sheet.cell(row, column("完成日期")).value = TODAY - timedelta(days=2)
        sheet.cell(row, column("进展说明")).value = "经验材料已报省信用办"
        ind = wb[IND_SHEET]
        ind.cell(3, 10).value = "2款"
        ind.cell(3, 11).value = TODAY

    report, problems = read_template(edited(template(reporting_app), fill), "杭州.xlsx")
    assert problems == [] and report.period == PERIOD
    history = counts(reporting_app)
    with reporting_app.test_request_context():
        preview = submit(report, account(reporting_app, "hz"), dry_run=True)
        assert counts(reporting_app) == history  # a preview writes nothing
        assert [p["row"] for p in preview.preview] == [row, 3]
        assert "状态：已完成" in preview.preview[0]["after"]
        written = submit(report, account(reporting_app, "hz"))
    assert written.ok and (written.outcome.updates, written.outcome.observations) == (1, 1)
    with reporting_app.app_context(), session_scope() as s:
        sub = s.scalar(select(ProgressUpdate.submission_id).where(
            ProgressUpdate.milestone_id == target["milestone_id"]).order_by(ProgressUpdate.id.desc()).limit(1))
    assert sub is not None


def test_every_problem_is_listed_with_row_and_column(reporting_app):
    def spoil(wb):
        sheet = wb[MS_SHEET]
        sheet.cell(3, column("报送状态")).value = "完成了"
        sheet.cell(4, column("完成日期")).value = "明天"
        sheet.cell(5, column("进展说明")).value = "x" * 501
        sheet.cell(6, column("进展说明")).value = "=1+1"  # kept as text: every export writes it as text
        wb[IND_SHEET].cell(3, 10).value = "很多"

    report, problems = read_template(edited(template(reporting_app), spoil), "x.xlsx")
    assert problems == []  # the file is a template: its rows are judged against the store
    history = counts(reporting_app)
    with reporting_app.test_request_context():
        problems = submit(report, account(reporting_app, "hz"), dry_run=True).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        (MS_SHEET, 3, "报送状态"), (MS_SHEET, 4, "完成日期"), (MS_SHEET, 5, "进展说明"), (IND_SHEET, 3, "本期实际值")]
    assert counts(reporting_app) == history


def test_other_workbooks_are_refused_clearly(reporting_app):
    good = template(reporting_app)
    blank = io.BytesIO()
    openpyxl.Workbook().save(blank)
    cases = {
        b"not a workbook": "不是有效的 Excel",
        good[: len(good) // 2]: "不是有效的 Excel",
        blank.getvalue(): "缺少工作表",
        edited(good, lambda wb: wb[MS_SHEET].cell(2, 20, "备注")): "多出列“备注”",
        edited(good, lambda wb: wb.remove(wb[IND_SHEET])): "缺少工作表“指标”",
        edited(good, lambda wb: wb[META_SHEET].cell(1, 2, "别的模板")): "不是本平台生成的填报模板",
        b"x" * (6 * 1024 * 1024): "文件过大",
    }
    for data, message in cases.items():
        report, problems = read_template(data, "x.xlsx")
        assert report is None and message in str(problems[0]), (message, problems)


def test_another_citys_template_writes_nothing(reporting_app):
    def fill(wb):
        wb[MS_SHEET].cell(3, column("进展说明")).value = "宁波的节点，杭州来填"

    report, problems = read_template(edited(template(reporting_app, "nb"), fill), "宁波.xlsx")
    assert not problems
    history = counts(reporting_app)
    with reporting_app.test_request_context():
        result = submit(report, account(reporting_app, "hz"))
    assert any("不在您的填报范围内" in p.message for p in result.problems)
    assert counts(reporting_app) == history


CELL_VALUES = st.one_of(
    st.none(), st.text(max_size=40), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.dates(),
    st.sampled_from(["已完成", "推进中", "=SUM(A1:A9)", "=HYPERLINK(\"http://x\")", "2020-13-45", "1,600家",
                     "9" * 400, "", " ", "已达成", "未达成", "-5", "1e308"]),
)


_GOOD: dict[int, bytes] = {}  # the template of each app, built once for all examples


@settings(max_examples=50, deadline=None, derandomize=True,  # the same examples on every run of CI
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_workbooks_give_an_error_or_a_clean_import_never_a_traceback(reporting_app, data):
    good = _GOOD.setdefault(id(reporting_app), template(reporting_app))
    edits = data.draw(st.lists(st.tuples(st.sampled_from([MS_SHEET, IND_SHEET, META_SHEET]),
                                         st.integers(1, 30), st.integers(1, 22), CELL_VALUES), max_size=8))
    drop = data.draw(st.sampled_from([None, MS_SHEET, IND_SHEET, META_SHEET]))

    def spoil(wb):
        for sheet, r, c, value in edits:
            try:
                wb[sheet].cell(r, c).value = value
            except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some values outright
                pass
        if drop:
            wb.remove(wb[drop])

    try:
        blob = edited(good, spoil)
    except (AttributeError, TypeError, ValueError):  # openpyxl itself cannot write such a workbook:
        reject()  # no one could upload it
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(0, 10**6)) % len(blob)
        blob = blob[:cut] + data.draw(st.binary(max_size=64)) + blob[cut + 1:]
    history = counts(reporting_app)
    report, problems = read_template(blob, "x.xlsx")
    assert (report is None) == bool(problems)
    assert all(str(p) for p in problems)
    if report is not None:
        with reporting_app.test_request_context():
            result = submit(report, account(reporting_app, "hz"))
        if not result.ok:
            assert counts(reporting_app) == history  # refused: nothing at all was written
    with reporting_app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) >= history[0]


def test_the_cli_imports_a_template_with_a_preview(reporting_app, tmp_path):
    ms, _ = form(reporting_app, "hz")
    row = 3 + ms.index(next(r for r in ms if r["status"] == "overdue"))

    def fill(wb):
        wb[MS_SHEET].cell(row, column("报送状态")).value = "受阻"
        wb[MS_SHEET].cell(row, column("进展说明")).value = "等待接口"

    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(edited(template(reporting_app), fill))
    bad.write_bytes(edited(good.read_bytes(), lambda wb: wb[MS_SHEET].cell(row, column("报送状态"), "完成了")))
    runner = reporting_app.test_cli_runner()
    history = counts(reporting_app)
    refused = runner.invoke(args=["import-report", str(bad), "--user", "hz", "--yes"])
    assert refused.exit_code != 0 and f"工作节点 第{row}行 “报送状态”" in refused.output
    other = runner.invoke(args=["import-report", str(good), "--user", "nb", "--yes"])
    assert other.exit_code != 0 and "不在您的填报范围内" in other.output
    dry = runner.invoke(args=["import-report", str(good), "--user", "hz", "--dry-run"])
    assert dry.exit_code == 0 and "1 项变化" in dry.output and "状态：受阻" in dry.output
    assert counts(reporting_app) == history
    done = runner.invoke(args=["import-report", str(good), "--user", "hz", "--yes"])
    assert done.exit_code == 0 and "1 个节点进度" in done.output, done.output
    assert counts(reporting_app)[0] == history[0] + 1
