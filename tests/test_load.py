"""A short, bounded run of bench/load.py: real gunicorn with two workers sharing
Redis, city editors and leaders at once — page views, filter changes and report
submissions through Dash's own endpoint — then no request failed, every update
answered with success is in the database exactly once (none lost, none
doubled), and no view is served stale afterwards.

(The PostgreSQL-restart variant stays in the script — ``python -m bench.load
--serve --restart-postgres-at 30`` — because a restart in the middle of the
suite also cuts the connections of the session's other fixtures on that server.)
"""
import uuid

import pytest

from bench.load import app_env, gunicorn, print_summary, run_load
from tests.conftest import copy_of
from tests.test_deploy import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.slow


def test_four_users_for_eight_seconds_lose_and_double_nothing(seeded_database, tmp_path, capsys):
    redis_or_skip()
    prefix = f"credit-test-load-{uuid.uuid4().hex[:8]}:"
    with copy_of(seeded_database, tmp_path) as url:
        with gunicorn(app_env(url, REDIS_URL, prefix), workers=2, log_path=tmp_path / "gunicorn.log") as base:
            summary = run_load(base, url, users=4, seconds=8, think=0.1, timeout=30,
                               redis_url=REDIS_URL, cache_prefix=prefix)
    with capsys.disabled():
        print()
        print_summary(summary, with_json=False)
    sub = summary["submissions"]
    assert summary["errors"] == 0, summary["error_kinds"]
    assert summary["requests"] > 20 and sub["ok"] > 0
    assert sub["rows_in_db"] == sub["rows_expected"]
    assert not (sub["lost"] or sub["duplicated"] or sub["failed_but_written"] or sub["unknown"])
    assert summary["cache_check"]["stale"] == [] and summary["cache_check"]["inconsistent"] == []
    assert summary["passed"], summary["problems"]
