"""The per-date rollup gives exactly the live status engine's rates, and writes clear it."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from queries import api
from queries.cache import invalidate
from queries.rollup import stored_status
from queries.status import GROUPS, Filters, milestone_status, rates
from store import has_statistics, session_scope
from store.models import IndicatorRollupDate, MilestoneStatusRollup, StatusRollup, StatusRollupDate

FILTERS = [Filters(), Filters(city="温州"), Filters(plan="浙信用办〔2020〕5号"),
           Filters(department="市发展改革委"), Filters(statuses=("overdue",))]


# kept dates (month ends, the default date) and dates computed from the previous month end
@pytest.mark.parametrize("as_of", [date(2019, 9, 30), date(2020, 6, 30), date(2021, 3, 14), date(2019, 10, 9),
                                   date(2020, 7, 15), date(2020, 11, 3), date(2021, 2, 27)])
def test_rollup_rates_equal_live_rates(loaded_app, as_of):
    with loaded_app.app_context():
        for by in GROUPS:
            for f in FILTERS:
                with session_scope() as s:
                    live = rates(s, as_of, by, f, loaded_app.config["DUE_SOON_DAYS"])
                assert api.rates(as_of, by, f) == live, (by, f)
    with loaded_app.app_context(), session_scope() as s:
        days = loaded_app.config["DUE_SOON_DAYS"]
        live = s.execute(select(milestone_status(as_of, days)).order_by("milestone_id")).mappings().all()
        stored = s.execute(select(stored_status(s, as_of, days)).order_by("milestone_id")).mappings().all()
        assert ([{k: v for k, v in r.items() if k != "position"} for r in stored]
                == [{k: v for k, v in r.items() if k != "last_note"} for r in live])


def test_writes_clear_the_rollups(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        api.rates(date(2020, 6, 30), "city")
        with session_scope() as s:
            assert s.scalar(select(func.count()).select_from(StatusRollup)) > 0
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    with app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(StatusRollup)) == 0
        live = rates(s, date(2020, 6, 30), "city")
    with app.app_context():
        assert api.rates(date(2020, 6, 30), "city") == live  # recomputed from the new data


def test_a_report_refreshes_the_stored_dates_it_changes(reporting_app):
    """A progress report dated D recomputes its milestones for the stored dates
    from D on; the result equals a rollup built from scratch, and earlier dates
    keep what was known then."""
    from store.clock import today
    from store.models import Milestone, MilestoneStatusRollup, ProgressUpdate
    from queries.rollup import refresh_rollups

    day, later, earlier = today(), today() + timedelta(days=40), date(2020, 6, 30)
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        before = {d: api.rates(d, "city") for d in (earlier, day, later)}
        with session_scope() as s:
            open_ids = list(s.scalars(select(MilestoneStatusRollup.milestone_id).where(
                MilestoneStatusRollup.as_of == day, MilestoneStatusRollup.status == "overdue").limit(3)))
            assert open_ids
            for ms_id in open_ids:
                s.add(ProgressUpdate(milestone_id=ms_id, reported_on=day, state="done", completed_on=day,
                                     origin="report"))
            s.flush()
            refresh_rollups(s, day, set(open_ids))
        invalidate()
        with session_scope() as s:  # the kept date refreshed; a passing one marked, built again when read
            assert s.get(StatusRollupDate, (later, days)).stale and not s.get(StatusRollupDate, (day, days)).stale
        with session_scope() as s:
            for d in (day, later):
                stored = s.execute(select(stored_status(s, d, days)).order_by("milestone_id")).mappings().all()
                live = s.execute(select(milestone_status(d, days)).order_by("milestone_id")).mappings().all()
                assert ([{k: v for k, v in r.items() if k != "position"} for r in stored]
                        == [{k: v for k, v in r.items() if k != "last_note"} for r in live])
                assert api.rates(d, "city") == rates(s, d, "city", Filters(), days)
            assert s.scalar(select(func.count()).select_from(Milestone)) == len(live)
        assert api.rates(earlier, "city") == before[earlier]
        assert api.rates(day, "city") != before[day]


def test_the_first_stored_date_gives_the_planner_statistics(app):
    """Without statistics SQLite reads a whole date of the rollup for one city's rows."""
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        api.rates(date(2020, 6, 30), "city")
        with session_scope() as s:
            connection = s.connection()
            assert has_statistics(connection, MilestoneStatusRollup.__tablename__)
            assert has_statistics(connection, StatusRollup.__tablename__)
            assert not has_statistics(connection, "no_such_table")


def test_concurrent_builders_store_a_date_once(reporting_app):
    """Two workers asking about the same new date at once: one claims and stores
    it, the other uses it; no group is summed twice."""
    import threading

    from queries.rollup import rollup_groups
    from store.models import StatusRollupGroup

    day, days = date(2020, 8, 31), reporting_app.config["DUE_SOON_DAYS"]
    start = threading.Barrier(2)
    errors = []

    def build():
        try:
            with reporting_app.app_context(), session_scope() as s:
                start.wait()
                s.execute(rollup_groups(s, day, days)).all()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=build) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    with reporting_app.app_context(), session_scope() as s:
        groups = s.execute(select(StatusRollupGroup.plan_id, StatusRollupGroup.city_id, StatusRollupGroup.county_id)
                           .where(StatusRollupGroup.as_of == day)).all()
        assert groups and len(groups) == len(set(groups))
        assert api.rates(day, "city") == rates(s, day, "city", Filters(), days)


def test_the_dates_readers_ask_for_are_bounded_and_the_kept_ones_stay(reporting_app):
    """A reader asking for ever new dates cannot grow the store: a passing date
    stores its group sums alone, and past ROLLUP_PASSING_DATES the oldest go;
    month ends up to today are kept whole, and today (what later dates are
    judged from).  The rates and lists of any date equal the live definition's."""
    from store.clock import today

    reporting_app.config["ROLLUP_PASSING_DATES"] = 3
    kept = date(2020, 6, 30)
    asked = [today() + timedelta(days=n) for n in range(1, 13)] + [date(2020, 7, n) for n in range(1, 8)]
    with reporting_app.app_context():
        days = reporting_app.config["DUE_SOON_DAYS"]
        api.rates(kept, "city")
        api.indicator_summary(kept)
        for d in asked:
            api.rates(d, "city")
            api.indicator_summary(d)
        with session_scope() as s:
            status_dates = set(s.scalars(select(StatusRollupDate.as_of)))
            indicator_dates = set(s.scalars(select(IndicatorRollupDate.as_of)))
            rows = s.scalar(select(func.count()).select_from(MilestoneStatusRollup))
            per_date = s.scalar(select(func.count()).select_from(MilestoneStatusRollup)
                                .where(MilestoneStatusRollup.as_of == kept))
        assert status_dates == {kept, today(), *asked[-3:]}
        # indicators: each date judged on itself (pace is the view's date's), passing ones bounded alike
        assert indicator_dates == {kept, *asked[-3:]}
        assert rows == 2 * per_date  # only the kept dates' milestone statuses are stored
        with session_scope() as s:
            for d in (asked[-1], asked[0], asked[5]):  # a past date live; later ones judged from today's
                for by in ("city", "department", "item"):
                    assert rates(s, d, by, Filters(), days) == api.rates(d, by), (d, by)
                live = s.execute(select(milestone_status(d, days)).order_by("milestone_id")).mappings().all()
                computed = s.execute(select(stored_status(s, d, days)).order_by("milestone_id")).mappings().all()
                assert ([{k: v for k, v in r.items() if k != "position"} for r in computed]
                        == [{k: v for k, v in r.items() if k != "last_note"} for r in live]), d
                for among in (("overdue", "due_soon"), ("done_on_time", "done_late"), ("not_due",)):
                    narrow = stored_status(s, d, days, among)
                    picked = s.execute(select(narrow).where(narrow.c.status.in_(among))
                                       .order_by("milestone_id")).mappings().all()
                    assert ([{k: v for k, v in r.items() if k != "position"} for r in picked]
                            == [{k: v for k, v in r.items() if k != "last_note"} for r in live
                                if r["status"] in among]), (d, among)
