"""Attainment and pace (DESIGN §6), pure functions."""
from datetime import date

import pytest

from metrics.attainment import attainment, capped, pace, required_share, required_value

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


def test_pace_is_judged_on_the_observation_date():
    on_path = required_share(START, DUE, date(2022, 12, 31))
    assert pace(on_path, START, DUE, date(2022, 12, 31)) == "on_pace"
    assert pace(on_path - 0.05, START, DUE, date(2022, 12, 31)) == "behind"
    assert pace(1.0, START, DUE, date(2021, 12, 31)) == "met"
    assert pace(0.9, START, DUE, DUE) == "behind"  # final figure short of the target
    assert pace(None, START, DUE, None) == "no_data"
