"""Pure pieces without a browser: ledger rows, the row cap, recent completions."""
from datetime import date, timedelta

from components.grid import cap_notice
from components.ledger import ledger_rows
from components.status import status_text
from queries import api, ledger
from queries.status import DONE, Filters

AS_OF = date(2020, 9, 30)


def test_ledger_rows_are_display_ready(loaded_app):
    with loaded_app.app_context():
        rows = api.status_table(AS_OF, Filters(city="杭州"))
    shown = ledger_rows(rows)
    assert shown[0]["lead"] == "、".join(rows[0]["lead"])
    assert [r["status_text"] for r in shown] == [status_text(r["status"]) for r in rows]
    assert all(r["status"] == raw["status"] for r, raw in zip(shown, rows))  # the code stays for colour
    unreported = next(r for r in shown if not r["last_reported_on"])
    assert unreported["latest"] == "未报送"


def test_row_cap_keeps_the_first_rows_in_order(loaded_app, monkeypatch):
    monkeypatch.setattr(ledger, "ROW_CAP", 10)
    with loaded_app.app_context():
        everything = api.status_table(AS_OF, Filters())
        capped = ledger.capped_status_table(AS_OF, Filters(), len(everything))
        small = ledger.capped_status_table(AS_OF, Filters(city="舟山"), 8)
        assert len(small) == len(api.status_table(AS_OF, Filters(city="舟山")))
        assert cap_notice("g", 5) is None and "共 1,234 条" in str(cap_notice("g", 1234).children)
    assert capped == everything[:10]


def test_recent_completions_are_the_latest_reported_done_milestones(loaded_app):
    with loaded_app.app_context():
        recent = api.recent_completions(AS_OF, Filters(), days=30, limit=5)
        everything = api.status_table(AS_OF, Filters())
    since = (AS_OF - timedelta(days=30)).isoformat()
    expected = [r for r in everything if r["status"] in DONE and r["last_reported_on"] > since]
    assert 0 < len(recent) <= 5
    assert all(r["status"] in DONE and since < r["last_reported_on"] <= AS_OF.isoformat() for r in recent)
    assert [r["last_reported_on"] for r in recent] == sorted((r["last_reported_on"] for r in recent), reverse=True)
    assert {r["milestone_id"] for r in recent} <= {r["milestone_id"] for r in expected}
    assert len(expected) >= len(recent)
