"""One name per department: variants read as one name at import, units naming
a scope kept as the item's scope, and an older store brought to the same
(migration 0013) with its accounts and reports kept."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from importers import parse_text
from importers.units import canonical, is_scope
from tests.test_variants import PROJECTS, TASKS


@pytest.mark.parametrize("written, name", [
    ("市发改委", "市发展改革委"), ("市发展和改革委员会", "市发展改革委"), ("市发展改革委", "市发展改革委"),
    ("县发改局", "县发改局"),  # a county's bureau is no commission
    ("人行湖州市中心支行", "市人行"), ("人民银行舟山市中支", "市人行"), ("市人行", "市人行"),
    ("龙游县人行", "龙游县人行"),  # a county's branch is its own
    ("市市场监督管理局", "市市场监管局"), ("市大数据发展管理局", "市大数据局"), ("市数据资源局", "市大数据局"),
    ("市卫健委", "市卫生健康委"), ("市银监分局", "市银保监分局"), ("市人力资源和社会保障局", "市人力社保局"),
])
def test_variants_of_a_department_are_read_as_one_name(written, name):
    assert canonical(written) == name


@pytest.mark.parametrize("unit, scope", [
    ("各县（市、区）政府", True), ("市各有关部门", True), ("市有关部门", True), ("各成员单位", True),
    ("市信用绍兴建设领导小组各成员单位", True), ("长兴县各乡镇政府", True), ("有关县（市、区）政府", True),
    ("市发改委", False), ("市场监管局", False), ("南太湖新区", False), ("国网湖州供电公司", False),
])
def test_a_unit_naming_a_set_of_offices_is_a_scope(unit, scope):
    assert is_scope(unit) is scope


def test_a_plan_reads_each_department_once_under_its_name_and_its_scopes_apart():
    table = TASKS.replace("\t市发改委\t5月底前", "\t市发展和改革委员会、市发改委、各县（市、区）政府\t5月底前", 1)
    assert table != TASKS
    task = next(i for i in parse_text(table, "004.txt").walk_items() if i.kind == "task")
    assert [(d.name, d.role) for d in task.departments] == [("市发展改革委", "lead")]
    assert task.scope == "各县（市、区）政府"
    units = {d.name for i in parse_text(PROJECTS, "001.txt").walk_items() for d in i.departments}
    assert "市发改委" not in units and "市发展改革委" in units


def test_an_older_store_is_brought_to_one_name_per_department(tmp_path):
    """A store of 0012 holding 湖州's 市发改委 and 市发展改革委 (one leading an
    item the other co-operates on), an account and a report naming the variant,
    and 各县（市、区）政府 as a department: after the upgrade one 市发展改革委
    holds them all, and the scope unit is its items' scope."""
    from store import Store
    from tests.test_backup import upgrade_to

    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_to(store, "0012")
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO region (id, name, level, sort_order) VALUES (1, '湖州', 'city', 5)"))
        conn.execute(text("INSERT INTO plan (id, key, title, issuer, issue_date, plan_year, kind, source_file, "
                          "source_sha256, imported_at) VALUES (1, 'p', 't', 'i', '2020-01-01', 2020, 'task_division', "
                          "'f', '0', '2020-01-01 00:00:00')"))
        for item_id in (1, 2):
            conn.execute(text("INSERT INTO work_item (id, plan_id, key, kind, name, city_id, sort_order) "
                              f"VALUES ({item_id}, 1, 'k{item_id}', 'task', 'n', 1, {item_id})"))
        for dept_id, name in ((1, "市发改委"), (2, "市发展改革委"), (3, "市发展和改革委员会"), (4, "各县（市、区）政府")):
            conn.execute(text(f"INSERT INTO department (id, city_id, name) VALUES ({dept_id}, 1, '{name}')"))
        for item_id, dept_id, role in ((1, 1, "coop"), (1, 3, "lead"), (2, 2, "lead"), (2, 1, "lead"), (2, 4, "coop")):
            conn.execute(text("INSERT INTO item_department (work_item_id, department_id, role, position) "
                              f"VALUES ({item_id}, {dept_id}, '{role}', 0)"))
        conn.execute(text("INSERT INTO app_user (id, username, display_name, password_hash, role, city_id, department_id, "
                          "active, session_token, created_at) VALUES (1, 'fg', 'fg', 'x', 'department', 1, 1, 1, 't', "
                          "'2020-01-01 00:00:00')"))
    store.upgrade()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT id, name FROM department ORDER BY id")).all() == [(2, "市发展改革委")]
        assert conn.execute(text("SELECT work_item_id, department_id, role FROM item_department "
                                 "ORDER BY work_item_id, role")).all() == [(1, 2, "lead"), (2, 2, "lead")]
        assert conn.execute(text("SELECT department_id FROM app_user")).scalar() == 2
        assert conn.execute(text("SELECT scope FROM work_item WHERE id = 2")).scalar() == "各县（市、区）政府"
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    store.engine.dispose()
