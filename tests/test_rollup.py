"""The per-date rollup gives exactly the live status engine's rates, and writes clear it."""
from datetime import date

import pytest
from sqlalchemy import func, select

from queries import api
from queries.status import GROUPS, Filters, rates
from store import session_scope
from store.models import StatusRollup

FILTERS = [Filters(), Filters(city="温州"), Filters(plan="浙信用办〔2020〕5号"),
           Filters(department="市发展改革委"), Filters(statuses=("overdue",))]


@pytest.mark.parametrize("as_of", [date(2019, 9, 30), date(2020, 6, 30), date(2021, 3, 14)])
def test_rollup_rates_equal_live_rates(loaded_app, as_of):
    with loaded_app.app_context():
        for by in GROUPS:
            for f in FILTERS:
                with session_scope() as s:
                    live = rates(s, as_of, by, f, loaded_app.config["DUE_SOON_DAYS"])
                assert api.rates(as_of, by, f) == live, (by, f)


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
