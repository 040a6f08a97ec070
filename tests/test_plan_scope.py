"""Plans that start and end: each plan has a period and an owner (the
province's, or one city's own), read at import and kept by the admin; every
view covers the plans queries.scope says for its date — the 2020-09 review
ranks the cities on the province's plan in force in September 2020 only —,
the default date stays within the plans' periods, and only the admin sets a
plan's period or archives it, however asked."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from corrections.apply import CorrectionError
from corrections.plans import PlanSettings, archive, set_plan
from queries import api, scope
from queries.review import Month, city_ranking
from queries.status import Filters
from store import session_scope
from store.models import AuditEntry, Milestone, Plan, Region, User, WorkItem
from tests.browser import browser_page, serve
from tests.callbacks import dependency, payload, post, render_page
from tests.test_page_report import log_in
from tests.test_security import login

SCENE, HUZHOU, WENZHOU, FIVE_YEAR = ("浙信用办〔2020〕5号", "湖信用办〔2019〕9号", "温政办〔2018〕50号",
                                     "浙江省社会信用体系建设“十四五”规划（征求意见稿）")
SEPTEMBER = Month(date(2020, 9, 1), date(2020, 9, 30))
PLAN_ACTIONS = ("plan.settings", "plan.archive", "plan.restore")


def ids(session, *keys) -> tuple[int, ...]:
    return tuple(sorted(session.scalars(select(Plan.id).where(Plan.key.in_(keys)))))


def account(session, username: str):
    return SimpleNamespace(user_id=session.scalar(select(User.id).where(User.username == username)))


def test_the_import_reads_each_plans_owner_and_period(loaded_app):
    with loaded_app.app_context(), session_scope() as s:
        plans = {p.key: p for p in s.scalars(select(Plan))}
        cities = dict(s.execute(select(Region.id, Region.name)).all())
        owner = {key: cities.get(p.city_id) for key, p in plans.items()}
        period = {key: (p.period_start, p.period_end) for key, p in plans.items()}
    assert owner == {SCENE: None, HUZHOU: "湖州", WENZHOU: "温州", FIVE_YEAR: None}
    assert period[SCENE] == (date(2020, 4, 16), date(2020, 12, 31))  # issue date to the last 年底前
    assert period[WENZHOU] == (date(2018, 5, 17), date(2018, 12, 31))
    assert period[HUZHOU] == (date(2019, 6, 26), date(2020, 12, 31))  # its projects run into 2020
    assert period[FIVE_YEAR] == (date(2021, 1, 1), date(2025, 12, 31))  # its indicators' target year


@pytest.mark.parametrize("as_of, asked, expected", [
    (date(2020, 9, 30), {}, (SCENE,)),  # 湖州's own plan and 温州's ended one stay out of the province's view
    (date(2020, 9, 30), {"city": "湖州"}, (SCENE, HUZHOU)),  # a city's view has its own plans too
    (date(2020, 9, 30), {"city": "温州"}, (SCENE,)),
    (date(2018, 6, 30), {"city": "温州"}, (WENZHOU,)),
    (date(2021, 3, 31), {}, (FIVE_YEAR,)),  # the 2020 plan has ended
    (date(2021, 3, 31), {"plan": SCENE}, (SCENE,)),  # chosen by name: whatever its state
    (date(2021, 3, 31), {"year": 2020}, (SCENE,)),  # a year: its plans, the province's
    (date(2021, 3, 31), {"year": 2019}, ()),
    (date(2021, 3, 31), {"year": 2019, "city": "湖州"}, (HUZHOU,)),
    (date(2017, 1, 1), {}, ()),
])
def test_a_view_covers_the_plans_the_rule_says(loaded_app, as_of, asked, expected):
    with loaded_app.app_context(), session_scope() as s:
        assert scope.plan_ids(s, as_of, **asked) == ids(s, *expected)


def test_the_default_date_stays_within_the_plans_periods(loaded_app):
    with loaded_app.app_context(), session_scope() as s:
        today = date(2026, 12, 6)
        # the demo's last report is of 2021-03-14: a late report on the 2020 plan; the view is its year end
        assert scope.latest_report(s, ids(s, SCENE)) == date(2021, 3, 14)
        assert scope.default_date(s, today) == date(2020, 12, 31)
        assert scope.default_date(s, today, plan=WENZHOU) == date(2018, 12, 31)
        assert scope.default_date(s, date(2020, 8, 1)) == date(2020, 8, 1)  # while the plan runs: today's reports
        assert scope.default_date(s, today, year=2019) == today  # no plan of the province's: today


def test_the_september_review_ranks_the_cities_on_the_provinces_plan_in_force(loaded_app):
    from pages.review import layout, read_params

    with loaded_app.test_request_context():
        params = read_params({"month": "2020-09"})
        with session_scope() as s:
            assert params.scope["ids"] == ids(s, SCENE)
            per_city = dict(s.execute(select(Region.name, func.count(Milestone.id))
                                      .join(WorkItem, WorkItem.city_id == Region.id)
                                      .join(Milestone, Milestone.work_item_id == WorkItem.id)
                                      .where(WorkItem.plan_id.in_(ids(s, SCENE))).group_by(Region.name)).all())
        ranking = city_ranking(SEPTEMBER, params.scope["ids"])
        deck = str(layout(month="2020-09"))
        wider = city_ranking(SEPTEMBER, params.scope["ids"] + read_params({"month": "2020-09", "city": "湖州",
                                                                            "plan": HUZHOU}).scope["ids"])
    assert {r["city"]: r["now"]["total"] for r in ranking} == per_city  # 温州 and 湖州 on the scene plan alone
    assert "2020年9月30日执行中的省级计划（1个）" in deck
    huzhou = {r["city"]: r for r in wider}["湖州"]["now"]["total"]
    assert huzhou > per_city["湖州"]  # (湖州's own plan would have counted, had it been in the ranking)


def test_an_ended_or_archived_plan_leaves_the_default_views_but_stays_readable(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        scene = ids(s, SCENE)[0]
        set_plan(s, account(s, "admin"), scene, "2020-04-16", "2020-08-31", None, "提前结束",
                 PlanSettings(date(2020, 4, 16), date(2020, 12, 31), None))
    with reporting_app.app_context():
        assert api.scope(date(2020, 9, 30))["ids"] == ()  # ended in August
        assert api.scope(date(2020, 6, 30))["ids"] == (scene,)  # June's view is as it was
        assert api.default_as_of() == date(2020, 8, 31)
    with reporting_app.app_context(), session_scope() as s:
        set_plan(s, account(s, "admin"), scene, "2020-04-16", "2021-12-31", None, "延期",
                 PlanSettings(date(2020, 4, 16), date(2020, 8, 31), None))
        archive(s, account(s, "admin"), scene, "年度工作已办结", True)
    with reporting_app.app_context():
        assert api.scope(date(2020, 9, 30))["ids"] == ()
        assert api.scope(date(2020, 9, 30), plan=SCENE)["ids"] == (scene,)
        assert api.scope(date(2020, 9, 30), year=2020)["ids"] == (scene,)
        with session_scope() as s:
            from queries.assessment import year_filters
            assert year_filters(s, 2020).plans == (scene,)  # the year's assessment stands
            actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.action.in_(PLAN_ACTIONS))
                                     .order_by(AuditEntry.id)))
    assert actions == ["plan.settings", "plan.settings", "plan.archive"]


def test_a_reimport_keeps_the_period_the_admin_set(reporting_app):
    from importers import SOURCES_DIR
    from importers.loader import import_file

    with reporting_app.app_context(), session_scope() as s:
        scene = ids(s, SCENE)[0]
        set_plan(s, account(s, "admin"), scene, "2020-04-16", "2021-06-30", "杭州", "试行",
                 PlanSettings(date(2020, 4, 16), date(2020, 12, 31), None))
    with reporting_app.app_context(), session_scope() as s:
        import_file(s, next(SOURCES_DIR.glob("000_*.txt")))
        plan = s.get(Plan, scene)
        assert (plan.period_end, plan.period_set_by) == (date(2021, 6, 30), "admin")


@pytest.mark.parametrize("who, start, end, city, reason, seen_end, message", [
    ("hz", "2020-04-16", "2021-06-30", None, "原因", "2020-12-31", "只有管理员"),
    ("leader", "2020-04-16", "2021-06-30", None, "原因", "2020-12-31", "只有管理员"),
    ("admin", "2020-04-16", "2020-01-01", None, "原因", "2020-12-31", "不能早于"),
    ("admin", "2020-04-16", "明年", None, "原因", "2020-12-31", "结束日期"),
    ("admin", "2020-04-16", "2021-06-30", "上海", "原因", "2020-12-31", "归属"),
    ("admin", "2020-04-16", "2021-06-30", None, " ", "2020-12-31", "原因"),
    ("admin", "2020-04-16", "2021-06-30", None, "原因", "2020-11-30", "已被他人修改"),
    ("admin", "2020-04-16", "2020-12-31", None, "原因", "2020-12-31", "没有需要保存"),
])
def test_a_refused_setting_writes_nothing(reporting_app, who, start, end, city, reason, seen_end, message):
    with reporting_app.app_context(), session_scope() as s:
        scene = ids(s, SCENE)[0]
        seen = PlanSettings(date(2020, 4, 16), date.fromisoformat(seen_end), None)
        with pytest.raises(CorrectionError, match=message):
            set_plan(s, account(s, who), scene, start, end, city, reason, seen)
    with reporting_app.app_context(), session_scope() as s:
        assert s.get(Plan, scene).period_end == date(2020, 12, 31)
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(PLAN_ACTIONS))) == 0


def test_a_crafted_setting_or_archive_by_anyone_else_is_refused(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        scene = ids(s, SCENE)[0]
    shown = {"id": scene, "start": "2020-04-16", "end": "2020-12-31", "city": None, "archived": False}
    for username in ("hz", "wzfg", "leader"):
        client = reporting_app.test_client()
        login(client, username)
        body = payload(dependency(client, "plan-save"), {
            "plan-start": "2020-04-16", "plan-end": "2030-12-31", "plan-owner": "", "plan-reason": "伪造",
            "plan-shown": shown}, clicked="plan-save")
        assert "只有管理员" in post(client, body)[1]
        body = payload(dependency(client, "plan-archive"), {"archive-reason": "伪造", "plan-shown": shown},
                       clicked="plan-archive")
        assert "只有管理员" in post(client, body)[1]
        assert "无权访问" in render_page(client, f"/plan/{scene}")[1]
    client = reporting_app.test_client()
    login(client, "admin")
    for odd in (None, [], {"id": "1"}, {**shown, "id": True}, {**shown, "start": "x"}, {**shown, "archived": "no"}):
        body = payload(dependency(client, "plan-archive"), {"archive-reason": "测试", "plan-shown": odd},
                       clicked="plan-archive")
        assert post(client, body)[0] == 200 and "表单已失效" in post(client, body)[1]
    with reporting_app.app_context(), session_scope() as s:
        plan = s.get(Plan, scene)
        assert (plan.period_end, plan.archived_at) == (date(2020, 12, 31), None)


@pytest.mark.browser
def test_the_admin_ends_and_archives_a_plan_in_the_browser(reporting_app):
    with reporting_app.app_context(), session_scope() as s:
        wenzhou = ids(s, WENZHOU)[0]
    with serve(reporting_app) as url, browser_page() as page:
        log_in(page, url, "admin")
        page.goto(f"{url}/plans")
        page.locator(f"a[href='/plan/{wenzhou}']").first.click()
        expect(page.locator("#plan-facts")).to_contain_text("已结束", timeout=20000)
        page.fill("#plan-end", "2019-06-30")
        page.fill("#plan-reason", "整改工作延至2019年6月底")
        page.click("#plan-save")
        expect(page.locator("#plan-save-done")).to_contain_text("2019-06-30", timeout=20000)
        page.click("#plan-save")  # a second click: the form is stale now, nothing written twice
        expect(page.locator("#plan-save-refused")).to_contain_text("已被他人修改", timeout=20000)
        page.fill("#archive-reason", "已办结")
        page.click("#plan-archive")
        expect(page.locator("#plan-archive-done")).to_contain_text("已归档", timeout=20000)
        page.click("#plan-archive")
        expect(page.locator("#plan-archive-refused")).to_contain_text("已归档", timeout=20000)
        page.goto(f"{url}/plan/{wenzhou}")
        expect(page.locator("#plan-facts")).to_contain_text("已归档", timeout=20000)
        assert page.errors == []
    with reporting_app.app_context(), session_scope() as s:
        plan = s.get(Plan, wenzhou)
        assert plan.period_end == date(2019, 6, 30) and plan.archived_at is not None
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(PLAN_ACTIONS))) == 2


@pytest.mark.browser
def test_the_review_is_scoped_in_the_browser(loaded_app):
    with loaded_app.app_context():
        huzhou = api.rates(date(2020, 9, 30), "city", Filters(plan=HUZHOU))
    with serve(loaded_app) as url, browser_page(1920, 1080) as page:
        page.goto(url + "/review?month=2020-09")
        page.wait_for_selector(".review-deck[data-ready]")
        assert page.locator(".review-slide[id^='review-slide-city-']").count() == 11
        expect(page.locator("#review-slide-ranking")).to_contain_text("执行中的省级计划（1个）")
        page.select_option("#review-scope", urlencode({"plan": HUZHOU}))
        page.wait_for_function("location.search.includes('plan=')")
        page.wait_for_selector(".review-deck[data-ready]")
        assert parse_qs(urlparse(page.url).query) == {"month": ["2020-09"], "plan": [HUZHOU]}
        expect(page.locator("#review-slide-ranking")).to_contain_text(f"计划：{HUZHOU}")
        assert page.locator(".review-slide[id^='review-slide-city-']").count() == len(huzhou) == 1
        assert page.errors == []


def test_an_older_store_gets_each_plans_owner_and_period(tmp_path):
    """Migration 0017 on a store of 0016 holding the bundled plans."""
    from alembic import command
    from alembic.config import Config
    from importers import SOURCES_DIR
    from importers.loader import import_file
    from store import ROOT, Store
    from tests.test_migrations import copy_rows

    current = Store(f"sqlite:///{tmp_path / 'current.db'}")
    current.upgrade()
    with current.session() as s:
        for path in sorted(SOURCES_DIR.glob("*.txt")):
            import_file(s, path)
    old = Store(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0016")
    copy_rows(current, old, ("region", "plan", "department", "work_item", "milestone", "indicator"))
    old.upgrade()
    with old.session() as s, current.session() as c:
        migrated = {p.key: (p.city_id, p.period_start, p.period_end) for p in s.scalars(select(Plan))}
        imported = {p.key: (p.city_id, p.period_start, p.period_end) for p in c.scalars(select(Plan))}
    assert migrated == imported and len(migrated) == 4
    current.engine.dispose()
    old.engine.dispose()


def test_a_city_in_a_ranking_links_to_the_plan_it_is_ranked_on(loaded_app):
    """湖州 is ranked on the scene plan in September 2020; its own 2019 list is in force
    too, and its pages would add it: the review's and the assessment's links name the plan."""
    from urllib.parse import unquote

    from pages.assessment import href
    from pages.review import links, read_params

    with loaded_app.test_request_context("/"):
        params = read_params({"month": "2020-09"})
        city_links = links(params, "湖州")
        assert all("plan=浙信用办〔2020〕5号" in unquote(link) for link in city_links.values()), city_links
        assert not any("plan=" in unquote(link) for link in links(params).values())  # the province's: as the deck
        link = unquote(href({"year": 2020, "as_of": "2021-01-31"}, "/milestones", city="湖州"))
        assert "plan=浙信用办〔2020〕5号" in link and "city=湖州" in link
