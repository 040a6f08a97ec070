"""The stored indicator judgements equal the live ones (metrics.attainment on the
latest observation known on the date), reports refresh them, writes clear them."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from queries import api
from queries.cache import invalidate
from queries.indicator_status import ensure_indicator_rollup, judged_rows, refresh_indicator_rollup
from queries.indicators import indicator_rows, indicator_summary
from queries.status import Filters
from store import session_scope
from store.models import Indicator, IndicatorObservation, IndicatorRollup, IndicatorRollupDate


def stored(s, as_of: date) -> list[dict]:
    r = IndicatorRollup
    return [dict(row) for row in s.execute(
        select(r.as_of, r.indicator_id, r.city_id, r.observation_id, r.attainment_raw, r.attainment, r.pace, r.binding,
               r.position).where(r.as_of == as_of).order_by(r.indicator_id)).mappings()]


def live(s, as_of: date) -> list[dict]:
    return sorted(judged_rows(s, as_of), key=lambda row: row["indicator_id"])


@pytest.mark.parametrize("as_of", [date(2019, 9, 30), date(2020, 6, 30), date(2021, 12, 31)])
def test_stored_judgements_equal_live_ones(loaded_app, as_of):
    with loaded_app.app_context(), session_scope() as s:
        rows = indicator_rows(s, as_of)
        assert stored(s, as_of) == live(s, as_of)
        assert [r["indicator_id"] for r in rows] == [r["indicator_id"] for r in sorted(
            stored(s, as_of), key=lambda row: row["position"])]
        assert any(r["pace"] != "no_data" for r in rows) == (as_of >= date(2020, 6, 30))


def test_summary_counts_the_rows(loaded_app):
    as_of = date(2020, 9, 30)
    with loaded_app.app_context(), session_scope() as s:
        for f in (Filters(), Filters(city="杭州"), Filters(plan="浙信用办〔2020〕5号")):
            rows = indicator_rows(s, as_of, f)
            by_city = indicator_summary(s, as_of, f)
            assert sum(g["indicators"] for g in by_city.values()) == len(rows)
            for city, g in by_city.items():
                mine = [r for r in rows if r["city"] == city]
                assert g["indicators"] == len(mine)
                assert g["judged"] == sum(r["pace"] != "no_data" for r in mine)
                assert g["on_track"] == sum(r["pace"] in ("met", "on_pace") for r in mine)
                assert g["attained"] == sum(r["attainment"] is not None for r in mine)
                assert g["attainment_sum"] == pytest.approx(sum(r["attainment"] or 0 for r in mine))
            by_scope = indicator_summary(s, as_of, f, by="scope")
            province = [r for r in rows if r["scope"] == "province"]
            assert by_scope.get("province", {}).get("indicators", 0) == len(province)
            assert by_scope.get("province", {}).get("binding", 0) == sum(r["attribute"] == "约束性" for r in province)


def test_a_report_refreshes_the_stored_dates_from_its_day(reporting_app):
    from store.clock import today

    day, later, earlier = today(), today() + timedelta(days=40), date(2020, 6, 30)
    with reporting_app.app_context():
        before = {d: api.indicator_table(d) for d in (earlier, day, later)}
        with session_scope() as s:
            ids = list(s.scalars(select(Indicator.id).where(Indicator.target.is_not(None),
                                                            Indicator.qualitative.is_(False))
                                 .order_by(Indicator.id).limit(2)))
            targets = dict(s.execute(select(Indicator.id, Indicator.target).where(Indicator.id.in_(ids))).all())
            for i in ids:
                s.add(IndicatorObservation(indicator_id=i, value=targets[i] * 2, observed_on=day, reported_on=day,
                                           origin="report"))
            s.flush()
            refresh_indicator_rollup(s, day, set(ids))
            s.commit()
        invalidate()
        with session_scope() as s:  # a later date is judged on itself (pace is the view's date's)
            assert ensure_indicator_rollup(s, later) == later and not s.get(IndicatorRollupDate, later).stale
            assert not s.get(IndicatorRollupDate, day).stale
        with session_scope() as s:
            assert stored(s, day) == live(s, day)
            assert stored(s, later) == live(s, later)
        after = {r["indicator_id"]: r for r in api.indicator_table(day)}
        assert all(after[i]["pace"] == "met" and after[i]["attainment"] == 1.0 for i in ids)
        assert api.indicator_table(earlier) == before[earlier]
        assert api.indicator_table(day) != before[day]


def test_writes_clear_the_indicator_rollup(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        api.indicator_summary(date(2021, 6, 30))
        with session_scope() as s:
            assert s.scalar(select(func.count()).select_from(IndicatorRollup)) > 0
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    with app.app_context(), session_scope() as s:
        assert s.scalar(select(func.count()).select_from(IndicatorRollup)) == 0
        assert indicator_summary(s, date(2021, 6, 30)) != {}  # judged again on the demo's actuals
        assert stored(s, date(2021, 6, 30)) == live(s, date(2021, 6, 30))
