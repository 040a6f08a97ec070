"""The annual assessment: the scoring rules (pure), the scores of a store whose
numbers were computed by hand (tests/assessment_fixture.py), rules editing and
its validation, bonus items, a published result that does not move when the
rules change, and the refusals of everyone but an admin — also through a
crafted POST to the page's own callback."""
import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from accounts import account_of
from accounts.users import find_user
from components.scorecard import scorecard_workbook
from metrics.scoring import DEFAULT_WEIGHTS, Figures, Rules, check_rules, ranked, score
from queries import assessment as data
from queries.cache import invalidate
from store import session_scope
from store.assessment import AssessmentError, add_bonus, publish, save_rules, withdraw_bonus
from store.models import AssessmentResult, AssessmentRules, AuditEntry
from tests import assessment_fixture as fixture
from tests.conftest import ACCOUNTS
from tests.callbacks import dependency, payload, post
from tests.test_security import login

RULES = Rules()


def figures(city, on_time, progress, kpi, timeliness, overdue=0, overdue_days=0, bonus=0.0):
    return Figures(city, on_time, progress, kpi, timeliness, overdue, overdue_days, bonus)


def test_score_is_the_weighted_sum_minus_deduction_plus_bonus():
    b = score(figures("甲", (8, 10), (9, 10), (1.5, 2), (6, 8), overdue=1, overdue_days=20, bonus=2), RULES)
    assert [round(c["points"], 6) for c in b["components"].values()] == [32, 27, 15, 7.5]
    assert (b["base"], b["deduction"], b["bonus"], b["total"]) == pytest.approx((81.5, 0.5, 2, 83.0))


def test_an_empty_component_passes_its_weight_on_and_caps_hold():
    b = score(figures("乙", (5, 10), (10, 10), (0, 0), (8, 8), overdue=30, bonus=7), RULES)
    c = b["components"]
    assert c["kpi"]["points"] == 0 and c["kpi"]["rate"] is None and c["kpi"]["effective_weight"] == 0
    assert [c[k]["effective_weight"] for k in ("on_time", "progress", "timeliness")] == pytest.approx([50, 37.5, 12.5])
    assert b["base"] == pytest.approx(75.0)
    assert (b["deduction"], b["bonus"], b["total"]) == pytest.approx((10.0, 5.0, 70.0))  # 15 → cap 10; 7 → cap 5


def test_ranks_break_ties_by_fewer_overdue_days_and_share_equal_places():
    a = score(figures("甲", (8, 10), (9, 10), (1.5, 2), (6, 8), 1, 20, 2), RULES)
    c = score(figures("丙", (10, 10), (10, 10), (0.5, 1), (2, 8), 1, 5, 1), RULES)
    d = score(figures("丁", (8, 10), (9, 10), (1.5, 2), (6, 8), 1, 20, 2), RULES)
    b = score(figures("乙", (5, 10), (10, 10), (0, 0), (8, 8), 30, 0, 7), RULES)
    assert a["total"] == pytest.approx(c["total"]) == pytest.approx(83.0)
    out = ranked([b, a, d, c])
    assert [(x["city"], x["rank"]) for x in out] == [("丙", 1), ("甲", 2), ("丁", 2), ("乙", 4)]


@pytest.mark.parametrize("change, message", [
    ({"weights": {**DEFAULT_WEIGHTS, "on_time": 50}}, "各项权重之和须为100（现为110）"),
    ({"weights": {**DEFAULT_WEIGHTS, "kpi": -20, "on_time": 80}}, "指标达成度权重须在0到100之间"),
    ({"deduction_cap": -1}, "逾期扣分上限须在0到100之间"),
    ({"bonus_cap": "五"}, "加分上限须为数字"),
    ({"overdue_deduction": float("nan")}, "每个逾期节点扣分须在0到100之间"),
])
def test_bad_rules_are_refused_with_the_reason(change, message):
    rules, problems = check_rules({**RULES.as_dict(), **change})
    assert rules is None and message in problems


def test_good_rules_are_accepted_as_numbers():
    rules, problems = check_rules({"weights": {"on_time": "50", "progress": 20, "kpi": 20, "timeliness": 10},
                                   "overdue_deduction": "1", "deduction_cap": 0, "bonus_cap": 3})
    assert problems == [] and rules.weights["on_time"] == 50.0 and rules.deduction_cap == 0


# --- the hand-computed store ----------------------------------------------------

@pytest.fixture
def scored(reporting_app):
    """The bundled data plus the hand-computed 2021 plan, with 杭州's bonus item."""
    with reporting_app.app_context():
        with session_scope() as s:
            fixture.build(s)
            add_bonus(s, admin(s), fixture.YEAR, "杭州", 2, "获评省级信用示范城市")
        invalidate()
    return reporting_app


def admin(session, username="admin"):
    return account_of(session, find_user(session, username))


def cities_of(app, year=fixture.YEAR, as_of=fixture.AS_OF) -> dict:
    with app.app_context():
        return {b["city"]: b for b in data.scorecard(year, as_of)["cities"]}


def test_the_fixture_scores_what_was_computed_by_hand(scored):
    cities = cities_of(scored)
    assert {c: round(b["total"], 2) for c, b in cities.items()} == fixture.EXPECTED
    hz = cities["杭州"]
    assert {k: round(c["points"], 2) for k, c in hz["components"].items()} == fixture.HANGZHOU_POINTS
    assert [(hz["components"][k]["num"], hz["components"][k]["den"]) for k in ("on_time", "progress", "timeliness")] \
        == [(1, 3), (2, 3), (1, 3)]
    assert (hz["overdue"], hz["overdue_days"], hz["deduction"], hz["bonus"]) == (1, 31, 0.5, 2.0)
    assert [i["reason"] for i in hz["bonus_items"]] == ["获评省级信用示范城市"]
    assert (cities["宁波"]["rank"], hz["rank"]) == (1, 2)
    assert cities["宁波"]["components"]["kpi"]["den"] == 0


def test_new_rules_rescore_but_a_published_result_stays(scored):
    with scored.app_context():
        with session_scope() as s:
            card = data.scorecard(fixture.YEAR, fixture.AS_OF)
            publish(s, admin(s), fixture.YEAR, fixture.AS_OF, card, "测试发布")
        invalidate()
        frozen = data.published()[0]
        with session_scope() as s:
            save_rules(s, admin(s), {"weights": {"on_time": 70, "progress": 10, "kpi": 10, "timeliness": 10},
                                     "overdue_deduction": 2, "deduction_cap": 10, "bonus_cap": 0})
        invalidate()
        live = {b["city"]: b["total"] for b in data.scorecard(fixture.YEAR, fixture.AS_OF)["cities"]}
        again = data.published()[0]
    # 杭州 under the new rules: 70/3 + 10·2/3 + 10·0.25 + 10/3 − 2 + 0 = 33.83
    assert live["杭州"] == pytest.approx(70 / 3 + 20 / 3 + 2.5 + 10 / 3 - 2)
    assert again["scores"] == frozen["scores"] and again["rules"] == frozen["rules"] == RULES.as_dict()
    assert {b["city"]: round(b["total"], 2) for b in again["scores"]} == fixture.EXPECTED
    assert again["current"] and again["note"] == "测试发布"


def test_withdrawn_bonus_no_longer_counts_and_stays_on_record(scored):
    with scored.app_context():
        bonus_id = data.bonuses(fixture.YEAR)[0]["bonus_id"]
        with session_scope() as s:
            withdraw_bonus(s, admin(s), bonus_id)
        invalidate()
        assert round(cities_of(scored)["杭州"]["total"], 2) == 41.17
        assert data.bonuses(fixture.YEAR)[0]["withdrawn"]
        with pytest.raises(AssessmentError, match="已撤销"), session_scope() as s:
            withdraw_bonus(s, admin(s), bonus_id)


@pytest.mark.parametrize("points, reason, message", [
    (0, "理由", "加分须为大于0"), ("abc", "理由", "加分须为大于0"), (3, "  ", "请填写加分理由"),
    (3, "=HYPERLINK(1)", "不能以"), (3, "长" * 501, "不超过500字"),
])
def test_bad_bonus_items_are_refused(scored, points, reason, message):
    with scored.app_context(), pytest.raises(AssessmentError, match=message), session_scope() as s:
        add_bonus(s, admin(s), fixture.YEAR, "杭州", points, reason)


@pytest.mark.parametrize("username", [u for u in ACCOUNTS if u != "admin"])
def test_only_an_admin_may_change_the_assessment(scored, username):
    with scored.app_context():
        before = counts(scored)
        with session_scope() as s:
            someone = admin(s, username)
        for write in (lambda s: save_rules(s, someone, RULES.as_dict()),
                      lambda s: add_bonus(s, someone, fixture.YEAR, "杭州", 1, "越权加分"),
                      lambda s: withdraw_bonus(s, someone, data.bonuses(fixture.YEAR)[0]["bonus_id"]),
                      lambda s: publish(s, someone, fixture.YEAR, fixture.AS_OF,
                                        data.scorecard(fixture.YEAR, fixture.AS_OF))):
            with pytest.raises(AssessmentError, match="只有管理员"), session_scope() as s:
                write(s)
        assert counts(scored) == before


def counts(app) -> tuple[int, int, int]:
    with app.app_context(), session_scope() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (AssessmentRules, AssessmentResult,
                                                                             AuditEntry))


def callback_payload(client, button: str, states: dict) -> dict:
    """The request of the assessment callback fired by a click of ``button``."""
    return payload(dependency(client, button), states, clicked=button)


RULE_STATES = {"weight-on_time": 100, "weight-progress": 0, "weight-kpi": 0, "weight-timeliness": 0,
               "rule-overdue_deduction": 0, "rule-deduction_cap": 0, "rule-bonus_cap": 100,
               "assessment-context": {"year": fixture.YEAR, "as_of": fixture.AS_OF.isoformat()}}


@pytest.mark.parametrize("username", ["hz", "leader", None])
def test_a_crafted_post_to_the_rules_callback_is_refused(scored, username):
    client = scored.test_client()
    if username:
        login(client, username)
    before = counts(scored)
    status, body = post(client, callback_payload(client, "rules-save", RULE_STATES))
    assert status == 401 or "只有管理员" in body
    bonus = callback_payload(client, "bonus-add", {"bonus-city": "杭州", "bonus-points": 99, "bonus-reason": "越权",
                                                   "assessment-context": RULE_STATES["assessment-context"]})
    status, body = post(client, bonus)
    assert status == 401 or "只有管理员" in body
    assert counts(scored) == before


def test_the_admin_callback_writes_and_rescores(scored):
    client = scored.test_client()
    login(client, "admin")
    status, body = post(client, callback_payload(client, "rules-save", RULE_STATES))
    assert status == 200 and "已保存新的考核规则" in body
    with scored.app_context(), session_scope() as s:
        assert data.rules_in_force(s)[0].weights["on_time"] == 100
    assert round(cities_of(scored)["杭州"]["total"], 2) == round(100 / 3 + 2, 2)
    status, body = post(client, callback_payload(client, "rules-save", {**RULE_STATES, "weight-kpi": 5}))
    assert "各项权重之和须为100（现为105）" in body


@pytest.mark.parametrize("button", ["publish", "bonus-add", "rules-save", "bonus-withdraw"])
def test_an_action_fires_only_on_a_click_of_its_own_button(scored, button):
    """A redraw that makes a button appear triggers its callback with no click
    (it published 8 results from 3 clicks): nothing happens."""
    client = scored.test_client()
    login(client, "admin")
    before = counts(scored)
    states = {**RULE_STATES, "bonus-city": "杭州", "bonus-points": 1, "bonus-reason": "重绘", "bonus-withdraw-id": 1}
    for clicks in (None, 0, True, "1"):
        status, _ = post(client, payload(dependency(client, button), {**states, button: clicks}, clicked=button,
                                         clicks=clicks))
        assert status == 204
    status, _ = post(client, payload(dependency(client, button), states))  # no click at all
    assert status == 204 and counts(scored) == before


def test_publish_checks_the_caller_before_computing_anything(scored, monkeypatch):
    client = scored.test_client()
    login(client, "leader")
    pages = __import__("sys").modules["pages.assessment"]

    def computed(*_args):
        raise AssertionError("the scorecard was computed for a caller who may not publish")

    monkeypatch.setattr(pages.data, "scorecard", computed)
    status, body = post(client, callback_payload(client, "publish", RULE_STATES))
    assert status == 200 and "只有管理员" in body


def test_the_frozen_result_is_json_with_every_breakdown(scored):
    with scored.app_context():
        with session_scope() as s:
            publish(s, admin(s), fixture.YEAR, fixture.AS_OF, data.scorecard(fixture.YEAR, fixture.AS_OF))
        with session_scope() as s:
            stored = s.query(AssessmentResult).one()
            scores = json.loads(stored.scores)
    assert stored.as_of == date(2022, 1, 31) and json.loads(stored.rules) == RULES.as_dict()
    assert [b["city"] for b in scores] == ["宁波", "杭州"] and scores[1]["components"]["kpi"]["num"] == 0.5


def test_cli_exports_the_workbook_the_page_does(scored, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = scored.test_cli_runner()
    result = runner.invoke(args=["export-assessment", "--year", str(fixture.YEAR), "--as-of", str(fixture.AS_OF)])
    assert result.exit_code == 0, result.output
    cli = openpyxl.load_workbook(tmp_path / f"{fixture.YEAR}年度考核结果_{fixture.AS_OF}.xlsx")
    with scored.app_context():
        (tmp_path / "page.xlsx").write_bytes(scorecard_workbook(
            fixture.YEAR, fixture.AS_OF, data.shown(fixture.YEAR, fixture.AS_OF)))
    page = openpyxl.load_workbook(tmp_path / "page.xlsx")
    assert cli.sheetnames == page.sheetnames == ["汇总", "宁波", "杭州", "考核规则"]
    for name in cli.sheetnames:
        assert [[c.value for c in r] for r in cli[name].iter_rows()] == [[c.value for c in r] for r in page[name].iter_rows()]
    assert [r[2] for r in cli["汇总"].iter_rows(min_row=3, values_only=True)] == [100, 43.17]
    for args, message in ((["--year", "1999"], "没有1999年度的计划"), (["--year", "2021", "--result", "7"], "没有编号为 7")):
        result = runner.invoke(args=["export-assessment", *args])
        assert result.exit_code != 0 and message in result.output
