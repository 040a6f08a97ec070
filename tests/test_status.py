"""The status engine (DESIGN §5): every rule and its edges, on a tiny store."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from queries.status import Filters, rates
from queries.status_table import status_rows
from store.models import Department, ItemDepartment, Milestone, Plan, ProgressUpdate, Region, WorkItem

D = date(2020, 6, 30)


@pytest.fixture
def world(session):
    """Plan P with item A (杭州, lead 市商务局) and item B (宁波); milestones by name."""
    region = dict(session.execute(select(Region.name, Region.id)).all())
    plan = Plan(key="P", doc_no="P号", title="测试计划", issuer="省信用办", issue_date=date(2020, 1, 1),
                plan_year=2020, kind="scene_plan", source_file="p.txt", source_sha256="x")
    session.add(plan)
    session.flush()
    items = {}
    for key, city in (("A", "杭州"), ("B", "宁波")):
        items[key] = WorkItem(plan_id=plan.id, key=key, kind="scene", number="1", name=f"场景{key}",
                              city_id=region[city], sort_order=len(items))
        session.add(items[key])
    session.flush()
    dept = Department(city_id=region["杭州"], name="市商务局")
    session.add(dept)
    session.flush()
    session.add(ItemDepartment(work_item_id=items["A"].id, department_id=dept.id, role="lead"))
    ms = {}

    def milestone(name, due, item="A"):
        m = Milestone(plan_id=plan.id, key=name, work_item_id=items[item].id, seq=len(ms) + 1,
                      text=name, due=due, due_text=str(due), due_precision="month" if due else "open")
        session.add(m)
        session.flush()
        ms[name] = m
        return m

    def report(name, reported_on, state, completed_on=None):
        session.add(ProgressUpdate(milestone_id=ms[name].id, reported_on=reported_on, state=state,
                                   completed_on=completed_on, origin="report"))
        session.flush()

    return plan, milestone, report


def statuses(session, as_of=D):
    return {r["milestone"]: (r["status"], r["days_overdue"]) for r in status_rows(session, as_of)}


def test_unreported_milestone_due_before_as_of_is_overdue_with_days(session, world):
    _, milestone, _ = world
    milestone("m", date(2020, 5, 31))
    assert statuses(session)["m"] == ("overdue", 30)


def test_due_today_is_due_soon_not_overdue(session, world):
    _, milestone, _ = world
    milestone("m", D)
    assert statuses(session)["m"] == ("due_soon", None)
    assert rates(session, D)[0]["due_by"] == 1  # but it is due by D


def test_due_soon_window_is_inclusive_and_configurable(session, world):
    _, milestone, _ = world
    milestone("in30", D + timedelta(days=30))
    milestone("in31", D + timedelta(days=31))
    assert statuses(session)["in30"][0] == "due_soon"
    assert statuses(session)["in31"][0] == "not_due"
    rows = {r["milestone"]: r["status"] for r in status_rows(session, D, due_soon_days=10)}
    assert rows["in30"] == "not_due"


def test_completed_on_the_due_date_is_on_time(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 5, 31))
    report("m", date(2020, 6, 5), "done", date(2020, 5, 31))
    assert statuses(session)["m"] == ("done_on_time", None)


def test_completed_after_due_is_late(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 5, 31))
    report("m", date(2020, 6, 5), "done", date(2020, 6, 1))
    assert statuses(session)["m"] == ("done_late", None)


def test_report_made_after_the_as_of_date_is_not_known_yet(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 6, 15))
    report("m", date(2020, 7, 5), "done", date(2020, 6, 10))  # backdated, reported later
    assert statuses(session)["m"] == ("overdue", 15)
    assert statuses(session, date(2020, 7, 5))["m"] == ("done_on_time", None)


def test_report_on_the_as_of_date_counts(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 6, 15))
    report("m", D, "done", date(2020, 6, 14))
    assert statuses(session)["m"][0] == "done_on_time"


def test_completion_after_the_as_of_date_is_not_done(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 7, 20))
    report("m", date(2020, 6, 20), "done", date(2020, 7, 2))  # a completion date in D's future
    assert statuses(session)["m"][0] == "due_soon"
    assert statuses(session, date(2020, 7, 2))["m"][0] == "done_on_time"


def test_latest_report_wins_and_history_stays(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 5, 31))
    report("m", date(2020, 5, 20), "done", date(2020, 5, 20))
    report("m", date(2020, 6, 5), "in_progress")  # reopened
    assert statuses(session)["m"][0] == "overdue"
    assert statuses(session, date(2020, 6, 1))["m"][0] == "done_on_time"
    assert session.query(ProgressUpdate).count() == 2


def test_open_ended_milestone_is_never_overdue(session, world):
    _, milestone, report = world
    milestone("open", None)
    assert statuses(session, date(2030, 1, 1))["open"] == ("open", None)
    row = rates(session, D)[0]
    assert (row["total"], row["due_by"], row["overdue"]) == (1, 0, 0)
    report("open", date(2020, 6, 1), "done", date(2020, 6, 1))
    assert statuses(session)["open"][0] == "done_on_time"


def test_cancelled_milestone_leaves_the_schedule(session, world):
    _, milestone, report = world
    milestone("c", date(2020, 5, 31))
    milestone("m", date(2020, 5, 31))
    report("c", date(2020, 6, 1), "cancelled")
    assert statuses(session)["c"] == ("open", None)
    row = rates(session, D)[0]
    assert (row["total"], row["due_by"], row["overdue"]) == (1, 1, 1)


def test_rates_show_numerators_and_denominators(session, world):
    _, milestone, report = world
    milestone("on_time", date(2020, 3, 31))
    milestone("late", date(2020, 4, 30))
    milestone("overdue", date(2020, 5, 31))
    milestone("future_done", date(2020, 9, 30))
    milestone("future", date(2020, 12, 31), item="B")
    report("on_time", date(2020, 4, 5), "done", date(2020, 3, 30))
    report("late", date(2020, 6, 5), "done", date(2020, 5, 10))
    report("future_done", date(2020, 6, 5), "done", date(2020, 6, 1))
    row = rates(session, D)[0]
    assert (row["done_due"], row["due_by"]) == (2, 3)
    assert row["progress_rate"] == pytest.approx(2 / 3)
    assert (row["on_time_due"], row["due_by"]) == (1, 3)
    assert row["on_time_rate"] == pytest.approx(1 / 3)
    assert (row["done"], row["total"]) == (3, 5)
    assert row["overall_rate"] == pytest.approx(3 / 5)
    assert (row["overdue"], row["overdue_days"], row["done_late"]) == (1, 30, 1)
    by_city = {r["city"]: r for r in rates(session, D, by="city")}
    assert (by_city["杭州"]["total"], by_city["宁波"]["total"]) == (4, 1)
    assert by_city["宁波"]["progress_rate"] is None  # nothing due yet: no rate, not 0%
    by_dept = rates(session, D, by="department")
    assert [(r["city"], r["department"], r["total"]) for r in by_dept] == [("杭州", "市商务局", 4)]
    assert rates(session, D, by="plan")[0]["plan"] == "P"
    only_b = rates(session, D, filters=Filters(city="宁波"))[0]
    assert only_b["total"] == 1


def test_item_rollup_and_rag(session, world):
    _, milestone, report = world
    milestone("a1", date(2020, 5, 31))
    milestone("a2", date(2020, 7, 15))
    milestone("b1", date(2020, 6, 10), item="B")
    report("b1", date(2020, 6, 12), "done", date(2020, 6, 12))
    items = {r["item"]: r for r in rates(session, D, by="item")}
    assert (items["场景A"]["item_status"], items["场景A"]["rag"]) == ("overdue", "red")
    assert (items["场景B"]["item_status"], items["场景B"]["rag"]) == ("done", "amber")  # done late
    report("a1", date(2020, 6, 20), "done", date(2020, 5, 30))
    items = {r["item"]: r for r in rates(session, D, by="item")}
    assert (items["场景A"]["item_status"], items["场景A"]["rag"]) == ("in_progress", "amber")  # a2 due soon
    items = {r["item"]: r for r in rates(session, date(2020, 6, 1), by="item")}
    assert items["场景A"]["rag"] == "red"  # a1 was overdue then, before the report came in


def test_status_filter(session, world):
    _, milestone, _ = world
    milestone("a", date(2020, 5, 31))
    milestone("b", date(2020, 12, 31))
    rows = status_rows(session, D, Filters(statuses=("overdue",)))
    assert [r["milestone"] for r in rows] == ["a"]


def test_progress_updates_are_append_only(session, world):
    _, milestone, report = world
    milestone("m", date(2020, 5, 31))
    report("m", date(2020, 6, 1), "in_progress")
    update = session.scalars(select(ProgressUpdate)).one()
    update.state = "done"
    with pytest.raises(ValueError, match="append-only"):
        session.flush()


def test_item_counts_and_the_worst_items(session, world):
    _, milestone, _ = world
    milestone("a1", date(2020, 5, 31))  # A: 30 days overdue
    milestone("b1", date(2020, 4, 30), item="B")  # B: 61 days overdue
    milestone("b2", date(2020, 12, 31), item="B")
    row = rates(session, D)[0]
    assert (row["items"], row["items_red"]) == (2, 2)
    worst = rates(session, D, by="item", worst=1)
    assert [(r["item"], r["overdue_days"]) for r in worst] == [("场景B", 61)]
