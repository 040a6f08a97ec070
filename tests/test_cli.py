"""The admin CLI end to end on a fresh database: init-db, import, demo,
exports (JSON contract, CSV with BOM, xlsx opened again with openpyxl), errors."""
import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from importers import SOURCES_DIR, parse_document
from queries.indicators import INDICATOR_KEYS
from queries.status import STATUSES
from queries.status_table import STATUS_KEYS
from store.models import Base

SCENE, PROJECTS, INDICATORS, TASKS = (SOURCES_DIR / n for n in (
    "000_d6ec9d57f268dd20.txt", "001_5f5cd5b07740290f.txt", "003_04ce1ff8b1db6b75.txt",
    "004_e7034d2a5e6c7c44.txt"))


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def table_counts(app) -> dict[str, int]:
    store = app.extensions["store"]
    with store.session() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


@pytest.fixture
def imported(app):
    result = run(app, "init-db")
    assert result.exit_code == 0, result.output
    return app


def parsed_milestones(path) -> int:
    return sum(len(i.milestones) for i in parse_document(path).walk_items())


def test_init_db_imports_the_four_documents_and_is_idempotent(imported):
    before = table_counts(imported)
    assert before["plan"] == 4
    assert before["milestone"] == sum(parsed_milestones(p) for p in (SCENE, PROJECTS, TASKS))
    again = run(imported, "init-db")
    assert again.exit_code == 0, again.output
    assert again.output.count(": unchanged") == 4
    after = table_counts(imported)
    after.pop("import_run"), before.pop("import_run")
    assert after == before


@pytest.mark.parametrize("path", [SCENE, PROJECTS, INDICATORS, TASKS], ids=lambda p: p.name[:3])
def test_importing_a_document_twice_leaves_the_same_counts(app, path):
    first = run(app, "import", str(path))
    assert first.exit_code == 0, first.output
    counts = table_counts(app)
    second = run(app, "import", str(path))
    assert second.exit_code == 0 and "unchanged" in second.output, second.output
    counts2 = table_counts(app)
    assert counts2.pop("import_run") == counts.pop("import_run") + 1
    assert counts2 == counts


@pytest.mark.parametrize("path", [SCENE, PROJECTS, INDICATORS, TASKS], ids=lambda p: p.name[:3])
def test_a_truncated_document_is_rejected_and_nothing_is_written(imported, tmp_path, path):
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / path.name
    cut.write_text(text[: int(len(text) * 0.6)], encoding="utf-8")
    before = table_counts(imported)
    result = run(imported, "import", str(cut))
    assert result.exit_code != 0
    assert "Error" in result.output
    assert table_counts(imported) == before


def test_garbled_and_unknown_documents_are_rejected(imported, tmp_path):
    before = table_counts(imported)
    garbled = tmp_path / "garbled.txt"
    garbled.write_bytes(SCENE.read_bytes()[:5000].decode("utf-8", "ignore").encode("gbk", "ignore") + b"\xff\xfe")
    unknown = tmp_path / "magazine.txt"
    unknown.write_text("信用浙江 2019年第3期\n\n特别报道\n浙江省信用县创建亮点特色工作\n", encoding="utf-8")
    for path, message in ((garbled, "UTF-8"), (unknown, "无法识别")):
        result = run(imported, "import", str(path))
        assert result.exit_code != 0
        assert message in result.output
    assert table_counts(imported) == before


def test_plans_lists_every_imported_plan(imported):
    out = run(imported, "plans").output
    for label in ("浙信用办〔2020〕5号", "湖信用办〔2019〕9号", "温政办〔2018〕50号", "十四五"):
        assert label in out


def test_findings_are_viewable(imported):
    out = run(imported, "findings").output
    assert "missing_deadline" in out and "due_after_deadline" in out
    assert "000_d6ec9d57f268dd20.txt:" in out


def export_json(app, *args):
    result = run(app, "export-status", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_export_status_json_contract(imported):
    rows = export_json(imported, "--as-of", "2020-06-30")
    for row in rows:
        assert tuple(row) == STATUS_KEYS
        assert row["status"] in STATUSES
        assert isinstance(row["lead"], list) and isinstance(row["coop"], list)
        assert (row["days_overdue"] is None) == (row["status"] != "overdue")
    # the plans a page of that day covers: the province's in force (温州's 2018 plan has ended, 湖州's
    # 2019 plan is 湖州's own); a city's own plans with the city, an ended plan by name
    assert {r["plan"] for r in rows} == {"浙信用办〔2020〕5号"}
    assert {r["plan"] for r in export_json(imported, "--as-of", "2020-06-30", "--city", "湖州")} == {
        "浙信用办〔2020〕5号", "湖信用办〔2019〕9号"}
    assert {r["plan"] for r in export_json(imported, "--as-of", "2020-06-30", "--plan", "温政办〔2018〕50号")} == {
        "温政办〔2018〕50号"}
    every = [export_json(imported, "--as-of", "2020-06-30", "--plan", p) for p in (
        "浙信用办〔2020〕5号", "湖信用办〔2019〕9号", "温政办〔2018〕50号")]
    assert sum(map(len, every)) == table_counts(imported)["milestone"] and len(rows) == len(every[0])
    hz = [r for r in rows if r["city"] == "杭州" and r["item_no"] == "1" and r["county"] is None]
    assert hz[0]["item"] == "钱江分应用" and hz[0]["lead"] == ["市商务局"]
    # 2020年3月底前 in a plan issued on 2020-04-16: judged from the issue date; nothing reported yet
    assert (hz[0]["due_text"], hz[0]["due"], hz[0]["status"]) == ("2020年3月底前", "2020-04-16", "overdue")


def test_export_status_filters(imported):
    rows = export_json(imported, "--as-of", "2020-06-30", "--city", "舟山", "--plan", "浙信用办〔2020〕5号")
    assert rows and {r["city"] for r in rows} == {"舟山"}
    overdue = export_json(imported, "--as-of", "2020-06-30", "--status", "overdue")
    assert overdue and {r["status"] for r in overdue} == {"overdue"}
    dept = export_json(imported, "--as-of", "2020-06-30", "--city", "杭州", "--department", "市商务局")
    assert dept and all("市商务局" in r["lead"] + r["coop"] for r in dept)


def test_export_status_csv_has_bom_and_the_official_columns(imported, tmp_path):
    out = tmp_path / "status.csv"
    result = run(imported, "export-status", "--as-of", "2020-06-30", "--city", "湖州", "--output", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    # rows of several plans: the scene plan's columns led by the plan
    assert header == "计划文件,地市,场景类型,工作事项,推进范围,工作计划,责任部门,完成时间,状态,实际完成,逾期天数,最新进展"
    assert "逾期未完成" in data.decode("utf-8-sig")


def test_export_status_xlsx_in_the_official_layout(imported, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # without --output the file gets its Chinese name in the working directory
    result = run(imported, "export-status", "--as-of", "2020-06-30", "--city", "杭州", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    out = tmp_path / "杭州市_进度台账_2020-06-30.xlsx"
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value.startswith("浙信用办〔2020〕5号《2020年市县信用应用重点场景工作推进计划》 杭州市")
    assert "2020年6月30日" in ws["A1"].value
    headers = [c.value for c in ws[2]]
    assert headers == ["地市", "场景类型", "应用场景", "推进范围", "工作计划", "责任部门", "完成时间",
                       "状态", "实际完成", "逾期天数", "最新进展"]
    body = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(body) == len(export_json(imported, "--as-of", "2020-06-30", "--city", "杭州"))
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:K{ws.max_row}"
    assert all(c.font.bold for c in ws[2])
    assert body[0][2] == "1.钱江分应用" and body[0][4].startswith("（1）2020年3月底前，")
    assert body[0][5].startswith("牵头部门：市商务局\n配合部门：市发展改革委")
    assert ws.column_dimensions["E"].width >= 30 and ws.column_dimensions["A"].width < 10
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"
@pytest.mark.parametrize("args, message", [
    (["--city", "不存在"], "未知的地市"),
    (["--as-of", "2020-13-45"], "2020-13-45"),
    (["--plan", "无此文件"], "未知的计划"),
    (["--department", "无此部门"], "未知的部门"),
    (["--status", "late"], "late"),
])
def test_export_status_bad_arguments_exit_non_zero(imported, args, message):
    result = run(imported, "export-status", "--format", "json", *args)
    assert result.exit_code != 0
    assert message in result.output


def test_export_indicators_lists_the_plan_indicators_and_kpis(imported):
    rows = []
    for as_of in ("2021-06-30", "2020-09-30"):  # the 十四五 plan's indicators, then the scene plan's KPIs
        result = run(imported, "export-indicators", "--format", "json", "--as-of", as_of)
        assert result.exit_code == 0, result.output
        rows += json.loads(result.output)
    assert all(tuple(r) == INDICATOR_KEYS for r in rows)
    province = [r for r in rows if r["scope"] == "province"]
    assert {"公共信用信息数据归集合规率", "企业严重失信率"} <= {r["name"] for r in province}
    lower = next(r for r in province if r["name"] == "企业严重失信率")
    assert (lower["direction"], lower["baseline"], lower["target"]) == ("lower", 1.78, 1.5)
    items = [r for r in rows if r["scope"] == "item"]
    assert {"舟山", "温州", "台州"} <= {r["city"] for r in items}
    assert all(r["latest_actual"] is None and r["attainment"] is None for r in rows)


def test_demo_progress_is_deterministic_and_removable(imported):
    assert run(imported, "load-demo").exit_code == 0
    first = export_json(imported, "--as-of", "2020-12-31")
    assert run(imported, "load-demo").exit_code == 0
    assert export_json(imported, "--as-of", "2020-12-31") == first
    statuses = [r["status"] for r in first if r["plan"] == "浙信用办〔2020〕5号"]
    share = {s: statuses.count(s) / len(statuses) for s in STATUSES}
    assert share["done_on_time"] > 0.5 and share["done_late"] > 0.05 and share["overdue"] > 0.02
    kpis = json.loads(run(imported, "export-indicators", "--format", "json", "--as-of", "2025-06-30").output)
    assert sum(r["latest_actual"] is not None for r in kpis) > len(kpis) * 0.8
    result = run(imported, "clear-demo")
    assert result.exit_code == 0
    after = [r for plan in ("浙信用办〔2020〕5号", "湖信用办〔2019〕9号", "温政办〔2018〕50号")
             for r in export_json(imported, "--as-of", "2020-12-31", "--plan", plan)]
    assert not any(r["status"].startswith("done") for r in after if r["plan"] != "湖信用办〔2019〕9号")
    # the completion stated in the document itself (已完成) is not demo data and stays
    assert [r["item"] for r in after if r["status"].startswith("done")] == ["医信付"]


def test_writes_invalidate_the_query_cache(imported):
    """Every write moves the data generation on, so nothing cached before it is
    read again (in Redis when CACHE_REDIS_URL is set, so all workers see it)."""
    from queries import api
    from queries.cache import generation
    from queries.status import rates
    from store import session_scope

    day = date(2020, 12, 31)
    for command in (["load-demo"], ["clear-demo"], ["import", str(SCENE)]):
        with imported.app_context():
            before, cached = generation(), api.summary(day)
        assert run(imported, *command).exit_code == 0
        with imported.app_context(), session_scope() as s:
            assert generation() > before, command
            assert api.summary(day) == rates(s, day)[0], command  # computed again, not the cached value
            if command == ["load-demo"]:
                assert api.summary(day)["done"] != cached["done"]  # (the demo's reports)
