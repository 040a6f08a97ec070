"""月度推进会: the month's figures equal the status engine's at the month end
and the month before, the month's lists match the status tables at both dates,
the URL's bad values fall back with a note; in Chromium every slide pages by
keyboard and fits 1920×1080 and 1280×720 without scrolling, themes and
auto-advance work, a report made today leaves a past month as it was, and the
deck prints one slide per A4 page."""
import json
import subprocess
from urllib.parse import urlencode
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from accounts import account_of
from accounts.scope import Scope
from accounts.users import find_user
from components.status import pct
from queries import api
from queries.cache import invalidate
from queries.review import (
    Month,
    city_ranking,
    default_month,
    first_month,
    indicator_moves,
    month_ids,
    rank_cities,
)
from queries.status import DONE, Filters
from reporting.entries import Reader, Report, read_milestone
from reporting.form import milestone_rows
from reporting.review import decide
from reporting.submit import submit
from store import clock, session_scope
from store.models import ProgressUpdate
from tests.browser import browser_page, serve

SEPTEMBER = Month(date(2020, 9, 1), date(2020, 9, 30))
FITS = """() => {
  const s = document.querySelector('.review-slide.is-current'), b = s.getBoundingClientRect();
  const inside = [...s.querySelectorAll('*')].every(e => e.getBoundingClientRect().bottom <= b.bottom + 1);
  return document.documentElement.scrollHeight <= innerHeight && s.scrollHeight <= s.clientHeight + 1
    && b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth && inside;
}"""


def find(component, wanted: str):
    """The component with id ``wanted`` in a Dash layout tree."""
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json") and (hit := find(child, wanted)) is not None:
            return hit
    return None


def text(component) -> str:
    children = getattr(component, "children", component)
    if isinstance(children, list):
        return "".join(text(c) for c in children)
    return children if isinstance(children, str) else text(children) if hasattr(children, "children") else ""


def city_slide_bodies(app, period, cities: list[str]) -> dict[str, list]:
    """The city slides' bodies as the deck's second callback sends them (JSON), by city
    (``period``: a month, or the deck's store as it holds them: month, plan, year)."""
    period = {"month": period, "plan": None, "year": None} if isinstance(period, str) else period
    ids = [{"city": city, "type": "review-city"} for city in cities]
    response = app.test_client().post("/_dash-update-component", json={
        "output": '{"city":["ALL"],"type":"review-city"}.children',
        "outputs": [{"id": i, "property": "children"} for i in ids],
        "inputs": [{"id": "review-period", "property": "data", "value": period}], "changedPropIds": [], "state": []})
    assert response.status_code == 200, response.data[:300]
    sent = response.get_json()["response"]
    return {i["city"]: sent[json.dumps(i, sort_keys=True, separators=(",", ":"))]["children"] for i in ids}


def json_find(node, wanted: str):
    """The component with id ``wanted`` in a layout as JSON."""
    if isinstance(node, list):
        return next((hit for child in node if (hit := json_find(child, wanted)) is not None), None)
    if not isinstance(node, dict):
        return None
    return node if node["props"].get("id") == wanted else json_find(node["props"].get("children"), wanted)


def json_text(node) -> str:
    if isinstance(node, list):
        return "".join(json_text(child) for child in node)
    if isinstance(node, dict):
        return json_text(node["props"].get("children"))
    return node if isinstance(node, str) else ""


def test_default_month_and_month_bounds():
    assert default_month(date(2021, 3, 14)) == date(2021, 2, 1)
    assert default_month(date(2020, 9, 30)) == date(2020, 9, 1)
    assert default_month(date(2021, 1, 5)) == date(2020, 12, 1)
    feb = Month.of(date(2020, 2, 1), today=date(2026, 12, 2))
    assert (feb.end, feb.previous_end, feb.horizon, feb.running) == (
        date(2020, 2, 29), date(2020, 1, 31), date(2020, 3, 31), False)
    running = Month.of(date(2026, 12, 1), today=date(2026, 12, 2))
    assert (running.end, running.running, running.label) == (date(2026, 12, 2), True, "2026年12月")


def test_url_values_and_their_fallbacks(loaded_app):
    from pages.review import read_params  # (a page module: imported once the app has registered it)

    with loaded_app.test_request_context():
        default = default_month(api.default_as_of())
        plain = read_params({})
        assert (plain.month.first, plain.theme, plain.auto, plain.problems) == (default, "dark", 0, ())
        good = read_params({"month": "2020-09", "theme": "light", "auto": "15"})
        assert (good.month, good.theme, good.auto, good.problems) == (SEPTEMBER, "light", 15, ())
        for bad in ("2020-13", "九月", "2999-01", "2001-01"):
            params = read_params({"month": bad})
            assert params.month.first == default and len(params.problems) == 1, bad
        assert first_month() == date(2018, 5, 1)
        odd = read_params({"theme": "blue", "auto": "-3"})
        assert (odd.theme, odd.auto, len(odd.problems)) == ("dark", 0, 2)


def test_headline_figures_are_the_status_engines_at_the_month_ends(loaded_app):
    from pages.review import layout

    with loaded_app.test_request_context():
        plans = api.scope(SEPTEMBER.end)["ids"]
        now, before = (api.summary(day, Filters(plans=plans)) for day in (SEPTEMBER.end, SEPTEMBER.previous_end))
        deck = layout(month="2020-09")
        ranking = city_ranking(SEPTEMBER, plans)
        for r in ranking:
            city = {"city": r["city"]}
            assert r["now"] == {**api.summary(SEPTEMBER.end, Filters(plans=plans, **city)), **city}
            assert r["before"] == {**api.summary(SEPTEMBER.previous_end, Filters(plans=plans, **city)), **city}
    assert text(find(deck, "review-progress")) == pct(now["done_due"], now["due_by"])
    assert text(find(deck, "review-on-time")) == pct(now["on_time_due"], now["due_by"])
    assert text(find(deck, "review-overall")) == pct(now["done"], now["total"])
    assert text(find(deck, "review-overdue")) == f"{now['overdue']:,}个"
    assert text(find(deck, "review-due-soon")) == f"{now['due_soon']:,}个"
    change = round((now["progress_rate"] - before["progress_rate"]) * 100, 1)
    assert f"{change:+.1f}个百分点".replace("-", "−") in text(find(deck, "review-slide-summary"))
    assert len(ranking) == 11 and [r["rank"] for r in ranking] == sorted(r["rank"] for r in ranking)
    # a city's figures come with its slide's body, from the second callback
    assert "正在载入" in text(find(deck, "review-slide-city-杭州"))
    bodies = city_slide_bodies(loaded_app, "2020-09", [r["city"] for r in ranking])
    hz = next(r for r in ranking if r["city"] == "杭州")["now"]
    assert json_text(json_find(bodies["杭州"], "review-杭州-progress")) == pct(hz["done_due"], hz["due_by"])
    assert all(json_find(bodies[r["city"]], f"review-{r['city']}-overall") for r in ranking)


def test_the_city_slides_callback_checks_the_month(loaded_app):
    for bad in ("2020-13", "2999-01", "2001-01", None, 202009, {"month": "2020-09", "plan": "某计划"},
                {"month": "2020-09", "year": ["2020"]}, ["2020-09"]):
        with pytest.raises(AssertionError, match="204"):  # nothing sent: PreventUpdate
            city_slide_bodies(loaded_app, bad, ["杭州"])


@pytest.mark.parametrize("month", [SEPTEMBER, Month(date(2020, 6, 1), date(2020, 6, 30))])
def test_the_months_lists_match_the_status_tables(loaded_app, month):
    with loaded_app.test_request_context():
        covered = Filters(plans=api.scope(month.end)["ids"])
        listed = month_ids(month.previous_end, month.end, month.horizon, covered.plans)
        at_end = {r["milestone_id"]: r for r in api.status_table(month.end, covered)}
        before = {r["milestone_id"]: r for r in api.status_table(month.previous_end, covered)}
    ids = {kind: [i for i, _ in pairs] for kind, pairs in listed.items()}
    assert all(ids.values())
    assert set(ids["completed"]) == {i for i, r in at_end.items()
                                     if r["status"] in DONE and before[i]["status"] not in DONE}
    assert all(month.previous_end.isoformat() < at_end[i]["last_reported_on"] <= month.end.isoformat()
               for i in ids["completed"])
    assert set(ids["overdue"]) == {i for i, r in at_end.items()
                                   if r["status"] == "overdue" and before[i]["status"] != "overdue"}
    assert all(i in ids["overdue"] or before[i]["status"] == "overdue"
               for i, r in at_end.items() if r["status"] == "overdue")
    assert set(ids["due_next"]) == {i for i, r in at_end.items() if r["status"] in ("due_soon", "not_due")
                                    and month.end.isoformat() < r["due"] <= month.horizon.isoformat()}
    days = [at_end[i]["days_overdue"] for i in ids["overdue"]]
    assert days == sorted(days, reverse=True)


def test_cities_rank_by_progress_then_fewer_overdue_days():
    rows = [{"city": "甲", "progress_rate": 0.5, "overdue_days": 10},
            {"city": "乙", "progress_rate": 0.5, "overdue_days": 3},
            {"city": "丙", "progress_rate": None, "overdue_days": 0},
            {"city": "丁", "progress_rate": 0.9, "overdue_days": 40},
            {"city": "戊", "progress_rate": 0.5, "overdue_days": 3}]
    assert rank_cities(rows) == {"丁": 1, "乙": 2, "戊": 2, "甲": 4, "丙": 5}


def test_indicator_movement_is_a_new_actual_in_the_month(loaded_app):
    with loaded_app.test_request_context():
        covered = Filters(plans=api.scope(SEPTEMBER.end)["ids"])
        moves = indicator_moves(SEPTEMBER, covered.plans)
        before = {i["indicator_id"]: i for i in api.indicator_table(SEPTEMBER.previous_end, covered)}
        unmoved = [i for i in api.indicator_table(SEPTEMBER.end, covered)
                   if i["indicator_id"] not in {m["indicator_id"] for m in moves}]
    assert moves and all(m["before"] == before[m["indicator_id"]] for m in moves)
    assert all((m["latest_actual"], m["latest_on"]) != (m["before"]["latest_actual"],
                                                       m["before"]["latest_on"]) for m in moves)
    assert all(i["latest_on"] == before[i["indicator_id"]]["latest_on"] for i in unmoved)


def deck_ready(page) -> None:
    """Set up by assets/review.js, and the city slides' bodies arrived (the second callback)."""
    page.wait_for_selector(".review-deck[data-ready]")
    page.wait_for_function("!document.querySelector('.review-pending')")


def counter(page) -> str:
    return page.inner_text("#review-counter")


def count(text: str) -> int:
    """'1,234个' -> 1234."""
    return int(text.rstrip("个").replace(",", ""))


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
def test_every_slide_pages_by_keyboard_and_fits_the_screen(loaded_app, tmp_path, width, height):
    with loaded_app.test_request_context():
        now = api.summary(SEPTEMBER.end, Filters(plans=api.scope(SEPTEMBER.end)["ids"]))
    with serve(loaded_app) as url, browser_page(width, height) as page:
        page.goto(url + "/review?month=2020-09")
        deck_ready(page)
        assert page.inner_text("#review-progress") == pct(now["done_due"], now["due_by"])
        assert not page.locator(".navbar").is_visible()
        total = page.locator(".review-slide").count()
        assert total == 6 + 11
        keys = ["ArrowRight", "PageDown", " ", "ArrowDown"]
        for n in range(1, total + 1):
            assert counter(page) == f"{n} / {total}" and page.evaluate("location.hash") == f"#{n}"
            expect(page.locator(".review-slide.is-current")).to_have_count(1)
            assert page.evaluate(FITS), f"slide {n} does not fit {width}×{height}"
            page.screenshot(path=str(tmp_path / f"slide-{n:02d}.png"))
            page.keyboard.press(keys[n % len(keys)])
        assert counter(page) == f"{total} / {total}"  # the last slide stays the last
        for n in range(total - 1, 0, -1):
            page.keyboard.press("PageUp" if n % 2 else "ArrowLeft")
            assert counter(page) == f"{n} / {total}"
        page.keyboard.press("End")
        assert counter(page) == f"{total} / {total}"
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.reload()  # the hash keeps the place
        deck_ready(page)
        assert counter(page) == f"3 / {total}"
        assert page.locator(".review-slide.is-current").get_attribute("id") == "review-slide-completed"
        page.focus("#review-auto")  # keys typed into a control are the control's
        page.keyboard.press("ArrowRight")
        assert counter(page) == f"3 / {total}"
        page.click("[data-review-go=next]")
        assert counter(page) == f"4 / {total}"
        page.goto(url + "/review?month=2020-09&theme=light#9")  # a city slide: shown as the deck comes, filled after
        deck_ready(page)
        assert counter(page) == f"9 / {total}"
        expect(page.locator(".review-slide.is-current .review-tile")).to_have_count(5)
        assert page.errors == []


@pytest.mark.browser
def test_theme_auto_advance_warnings_and_exit(loaded_app):
    with serve(loaded_app) as url, browser_page(1280, 720) as page:
        page.goto(url + "/review?month=2020-09&theme=light")
        deck = page.locator("#review-deck")
        expect(deck).to_have_class("review-deck review-light")
        page.click("#review-theme")  # switches in place, the URL follows
        expect(deck).to_have_class("review-deck review-dark")
        assert "theme=dark" in page.url
        page.goto(url + "/review?month=2020-09&auto=2")
        deck_ready(page)
        total = page.locator(".review-slide").count()
        expect(page.locator("#review-counter")).to_have_text(f"2 / {total}", timeout=5_000)
        expect(page.locator("#review-counter")).to_have_text(f"3 / {total}", timeout=5_000)
        page.select_option("#review-auto", "0")
        shown = counter(page)
        page.wait_for_timeout(2_500)
        assert counter(page) == shown and "auto=" not in page.url
        page.goto(url + "/review?month=2020-13&theme=blue")
        expect(page.locator("#review-problems")).to_contain_text("2020-13")
        expect(page.locator("#review-problems")).to_contain_text("blue")
        page.click("#review-problems [data-review-go=dismiss]")
        expect(page.locator("#review-problems")).to_be_hidden()
        page.click("#review-exit")
        page.wait_for_function("location.pathname == '/'")
        expect(page.locator(".navbar")).to_be_visible()
        page.click(".navbar >> text=月度推进会")  # rendered by the router: set up all the same
        deck_ready(page)
        page.keyboard.press("ArrowRight")
        assert counter(page).startswith("2 / ")
        assert page.errors == []


@pytest.mark.browser
def test_a_past_month_stays_as_it_was_known(reporting_app):
    today = clock.today()
    # this month's review of the 2020 plan (ended: chosen by name, as the review's 范围 select does)
    month = "/review?" + urlencode({"month": f"{today:%Y-%m}", "plan": "浙信用办〔2020〕5号"})
    with reporting_app.app_context():
        with session_scope() as s:
            account = account_of(s, find_user(s, "hz"))
        with reporting_app.test_request_context():
            row = next(r for r in milestone_rows(Scope.of(account), today) if r["status"] == "overdue")
    ids = ("#review-progress", "#review-overall", "#review-overdue", "#review-completed",
           "#review-杭州-overall")
    with serve(reporting_app) as url, browser_page(1920, 1080) as page:
        def figures(path):
            page.goto(url + path)
            deck_ready(page)
            return [page.inner_text(i) for i in ids]

        past, current = figures("/review?month=2020-09"), figures(month)
        reader = Reader("工作节点")
        done = read_milestone(reader, {**row, "state": "done", "completed_on": today - timedelta(days=1),
                                       "note": "已完成"}, row["row"])
        assert not reader.problems
        with reporting_app.test_request_context():
            assert submit(Report(today.strftime("%Y-%m"), (done,), ()), account).ok
            with session_scope() as s:  # (审核: the city's completion counts once the province approved it)
                update_id = s.scalar(select(func.max(ProgressUpdate.id)))
                decide(s, account_of(s, find_user(s, "admin")), [update_id], True, "", today, 1)
            invalidate()
        assert figures("/review?month=2020-09") == past
        after = figures(month)
        assert after[1] != current[1] and after[2] != current[2]
        assert count(after[3]) == count(current[3]) + 1
        assert after[4] != current[4]
        assert row["milestone"][:10] in page.inner_text("#review-slide-city-杭州")
        assert page.errors == []


@pytest.mark.browser
def test_the_deck_prints_one_slide_per_a4_page(loaded_app, tmp_path):
    with serve(loaded_app) as url, browser_page(1920, 1080) as page:
        page.goto(url + "/review?month=2020-09")
        deck_ready(page)
        titles = [t.split("（")[0] for t in page.eval_on_selector_all(
            ".review-slide", "slides => slides.map(s => s.getAttribute('aria-label'))")]
        page.emulate_media(media="print")
        expect(page.locator(".review-controls")).to_be_hidden()
        page.pdf(path=str(tmp_path / "review.pdf"), prefer_css_page_size=True, print_background=True)
        assert page.errors == []

    def run(*command: str) -> str:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    pdf = str(tmp_path / "review.pdf")
    fields = dict(line.split(":", 1) for line in run("pdfinfo", pdf).splitlines() if ":" in line)
    assert int(fields["Pages"]) == len(titles) == 17
    assert fields["Page size"].split()[:3] == ["841.92", "x", "594.96"]  # A4 landscape, in points
    pages = run("pdftotext", pdf, "-").split("\f")
    assert all(title in text for title, text in zip(titles, pages))  # each slide on its own page, in order
    assert "退出演示" not in "".join(pages)  # no controls


@pytest.mark.browser
def test_f_toggles_full_screen(loaded_app):
    with serve(loaded_app) as url, browser_page(1280, 720) as page:
        page.goto(url + "/review?month=2020-09")
        deck_ready(page)
        page.keyboard.press("f")
        page.wait_for_function("document.fullscreenElement === document.documentElement")
        page.keyboard.press("F")
        page.wait_for_function("document.fullscreenElement === null")
        assert counter(page).startswith("1 / ")  # F pages nowhere
        assert page.errors == []
