"""The scale-tier generator (store/synthetic.py) and its CLI command: the same
seed gives the same rows, the counts follow the tier, the dates go through the
real grammar, and the pages work on what it makes."""
from datetime import date

import pytest
from sqlalchemy import func, select

from queries import api
from queries.status import Filters
from store.models import Milestone, Plan, ProgressUpdate, WorkItem
from store.synthetic import TIERS, GeneratorError, generate
from tests.conftest import fresh_database, make_test_app

SLICE = 0.02  # 100 work items of tier M


def fingerprint(store) -> list[tuple]:
    with store.session() as s:
        return s.execute(select(Milestone.key, Milestone.due, Milestone.due_text, func.count(ProgressUpdate.id),
                                func.max(ProgressUpdate.completed_on))
                         .join(ProgressUpdate, ProgressUpdate.milestone_id == Milestone.id)
                         .group_by(Milestone.id).order_by(Milestone.key)).all()


def test_counts_follow_the_tier_and_the_dates_follow_the_grammar(app):
    store = app.extensions["store"]
    counts = generate(store, "M", seed=3, fraction=SLICE)
    items = round(TIERS["M"]["items"] * SLICE)
    assert counts["work_item"] == items
    assert counts["milestone"] == 5 * items
    assert counts["progress_update"] == 5 * items * TIERS["M"]["reports"]
    assert counts["indicator"] == round(TIERS["M"]["indicators"] * SLICE)
    with store.session() as s:
        precisions = dict(s.execute(select(Milestone.due_precision, func.count())
                                   .group_by(Milestone.due_precision)).all())
        assert {"month", "quarter", "year", "open"} <= set(precisions)
        assert precisions["month"] > precisions["quarter"] > precisions["open"]
        quarter = s.scalar(select(Milestone).where(Milestone.due_precision == "quarter").limit(1))
        assert "季度" in quarter.due_text and quarter.due.month in (3, 6, 9, 12)
        assert s.scalar(select(func.count()).select_from(Milestone).where(
            Milestone.due_precision == "open", Milestone.due.is_not(None))) == 0
        years = set(s.scalars(select(Plan.plan_year)))
        assert years == set(range(2021, 2026))
        assert s.scalar(select(func.count(func.distinct(WorkItem.city_id)))) == 11


def test_the_same_seed_gives_the_same_rows(app, tmp_path):
    generate(app.extensions["store"], "M", seed=5, fraction=SLICE)
    with fresh_database(tmp_path) as url:
        other = make_test_app(url)
        generate(other.extensions["store"], "M", seed=5, fraction=SLICE)
        assert fingerprint(other.extensions["store"]) == fingerprint(app.extensions["store"])
        other.extensions["store"].engine.dispose()


def test_the_statuses_are_plausible_and_the_pages_read_them(app):
    generate(app.extensions["store"], "M", seed=7, fraction=SLICE)
    with app.app_context():
        row = api.summary(date(2025, 9, 30), Filters())
        assert row["total"] > 0 and 0 < row["done"] < row["total"]
        assert row["overdue"] > 0 and row["done_late"] > 0
        assert 0.5 < row["done_due"] / row["due_by"] < 0.95
    client = app.test_client()
    for path in ("/", "/overdue", "/city/杭州", "/milestones?status=overdue"):
        response = client.post("/_dash-update-component", json=page_request(path))
        assert response.status_code == 200, (path, response.data[:300])
        assert "逾期" in str(response.json)  # (the page as Dash sends it)


def test_a_store_with_plans_is_refused_by_the_generator_and_the_cli(app):
    generate(app.extensions["store"], "M", fraction=SLICE)
    with pytest.raises(GeneratorError, match="已有计划"):
        generate(app.extensions["store"], "M", fraction=SLICE)
    result = app.test_cli_runner().invoke(args=["generate", "--tier", "M", "--fraction", "0.02"])
    assert result.exit_code == 1 and "已有计划" in result.output and "Traceback" not in result.output
    assert app.test_cli_runner().invoke(args=["generate", "--tier", "X"]).exit_code == 2


def test_the_cli_fills_an_empty_store(app):
    result = app.test_cli_runner().invoke(args=["generate", "--tier", "M", "--fraction", "0.01", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "milestones: 250" in result.output and "progress_update 3,000" in result.output


def page_request(path: str) -> dict:
    """The body Dash's page router sends when the browser opens ``path``."""
    pathname, _, search = path.partition("?")
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": "?" + search if search else ""}],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"], "state": []}
