"""Attainment and pace (DESIGN §6), pure functions."""
from datetime import date, timedelta

import pytest

from metrics.attainment import attainment, capped, pace, required_share, required_value, stale_months

START, DUE = date(2020, 12, 31), date(2025, 12, 31)


@pytest.mark.parametrize("args, expected", [
    ((95, 95, 93), 1.0),                      # 归集合规率 reached
    ((94, 95, 93), 0.5),
    ((1.6, 1.5, 1.78, "lower"), pytest.approx(0.642857, rel=1e-4)),  # 严重失信率 mirrors
    ((1.4, 1.5, 1.78, "lower"), pytest.approx(1.357, rel=1e-3)),     # beyond the target: raw > 1
    ((8, 10), 0.8),                           # no baseline: actual / target
    ((0.9, 1.0, None, "lower"), 1.0),         # lower, no baseline, met
    ((None, 10), None),
])
def test_attainment(args, expected):
    assert attainment(*args) == expected


def test_qualitative_and_capping():
    assert attainment(None, None, qualitative=True, met=True) == 1.0
    assert attainment(None, None, qualitative=True, met=None) is None
    assert (capped(1.4), capped(-0.2), capped(0.5), capped(None)) == (1.0, 0.0, 0.5, None)


def test_required_path_is_linear_from_baseline_to_target():
    mid = date(2023, 7, 2)
    share = required_share(START, DUE, mid)
    assert share == pytest.approx(0.5, abs=0.01)
    assert required_value(93, START, 95, DUE, mid) == pytest.approx(94, abs=0.02)
    assert required_value(93, START, 95, DUE, date(2030, 1, 1)) == 95
    assert required_value(93, START, 95, DUE, date(2019, 1, 1)) == 93


def test_pace_against_the_required_path():
    on_path = required_share(START, DUE, date(2022, 12, 31))
    assert pace(on_path, START, DUE, date(2022, 12, 31)) == "on_pace"
    assert pace(on_path - 0.05, START, DUE, date(2022, 12, 31)) == "behind"
    assert pace(1.0, START, DUE, date(2021, 12, 31)) == "met"
    assert pace(0.9, START, DUE, DUE) == "behind"  # final figure short of the target
    assert pace(None, START, DUE, date(2022, 12, 31)) == "no_data"


def test_pace_is_judged_at_the_views_date_and_old_figures_fall_behind():
    """93.84% of the way, 94% required on the view's date: behind (it was on its path when reported)."""
    required = required_share(START, DUE, date(2023, 6, 30))
    reported_on = date(2022, 12, 31)
    assert required_share(START, DUE, reported_on) < required - 0.0001 < required
    assert pace(required - 0.0001, START, DUE, reported_on) == "on_pace"  # on the data's own date
    assert pace(required - 0.0001, START, DUE, date(2023, 6, 30)) == "behind"  # on the view's
    assert pace(required, START, DUE, date(2023, 6, 30)) == "on_pace"
    assert pace(0.5, START, DUE, DUE + timedelta(days=365)) == "behind"  # a year-old figure short of it


def test_a_figure_older_than_the_threshold_says_how_old():
    assert stale_months(date(2023, 1, 31), date(2023, 6, 30), 3) == 4
    assert stale_months(date(2023, 1, 31), date(2023, 3, 31), 3) is None
    assert stale_months(date(2022, 6, 30), date(2023, 6, 30), 3) == 12
    assert stale_months(None, date(2023, 6, 30), 3) is None


def test_binding_indicators_behind_are_warned_on_the_overview_the_city_page_and_the_review(loaded_app):
    from queries import api
    from queries.status import Filters
    from tests.callbacks import render_page

    with loaded_app.test_request_context():
        behind = api.indicator_totals(date(2023, 12, 31), Filters())["binding_behind"]
        assert api.indicator_totals(date(2021, 12, 31), Filters())["binding_behind"] == 0
    assert behind > 0  # (the 十四五 plan's 约束性 targets, short of their path at the end of 2023)
    client = loaded_app.test_client()
    _, text = render_page(client, "/", "?as_of=2023-12-31")
    assert f"约束性指标落后于进度：{behind} 项" in text
    _, text = render_page(client, "/", "?as_of=2021-12-31")
    assert "binding-behind" not in text
    _, text = render_page(client, "/review", "?month=2023-12")
    assert "review-binding-behind" in text and f"约束性指标落后于进度：{behind} 项" in text
