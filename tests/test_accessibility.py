"""WCAG 2.1 A/AA (GB/T 37668 follows it), checked by axe-core (from the npm registry:
`make test` installs it) on every page, as the admin, an editor and a visitor; and by
keyboard: grid links reached and opened without a mouse."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import browser_page, serve
from tests.test_page_report import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ADMIN_PAGES = ["/?as_of=2020-09-30", "/cities?as_of=2020-09-30", "/city/杭州?as_of=2020-09-30",
               "/city/杭州?as_of=2020-09-30&tab=indicators", "/milestones?as_of=2020-09-30",
               "/schedule?as_of=2020-09-30&city=杭州", "/overdue?as_of=2020-09-30&city=温州",
               "/departments?as_of=2020-09-30", "/departments?as_of=2020-09-30&city=温州&department=市发展改革委",
               "/indicators?as_of=2020-09-30", "/review?month=2020-09", "/assessment?year=2020", "/report",
               "/approvals", "/notifications", "/data-quality", "/audit", "/users", "/plans", "/requests",
               "/departments/manage", "/item/1/edit", "/indicator/1/edit", "/plan/1", "/no-such-page"]


def violations(page) -> list[str]:
    assert AXE.exists(), "axe-core is needed: make test (npm install axe-core into .axe/)"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async rules => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: rules}});
        return r.violations.map(v => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
    }""", RULES)
    return found


def settled(page) -> None:
    """The page drawn: its callbacks answered, the loading marks gone."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.querySelector('._dash-loading, [data-dash-is-loading=\"true\"]')")
    page.wait_for_timeout(300)  # (a11y.js patches once per frame)


def test_no_page_breaks_a_rule_for_the_admin(reporting_app):
    with serve(reporting_app) as url, browser_page(1400, 900) as page:
        log_in(page, url, "admin")
        page.goto(url + "/item/1")  # (an item page too)
        settled(page)
        found = {"/item/1": violations(page)}
        for path in ADMIN_PAGES:
            page.goto(url + path)
            settled(page)
            found[path] = violations(page)
        assert {p: v for p, v in found.items() if v} == {}
        assert page.errors == []


def test_no_page_breaks_a_rule_for_an_editor_or_a_visitor(reporting_app):
    with serve(reporting_app) as url, browser_page(1400, 900) as page:
        page.goto(url + "/login")
        settled(page)
        found = {"/login": violations(page)}
        log_in(page, url, "wzfg")
        for path in ("/report", "/notifications", "/requests", "/?as_of=2020-09-30"):
            page.goto(url + path)
            settled(page)
            found[path] = violations(page)
        assert {p: v for p, v in found.items() if v} == {}


def test_a_grid_link_is_reached_and_opened_by_keyboard(loaded_app):
    with serve(loaded_app) as url, browser_page(1400, 900) as page:
        page.goto(url + "/cities?as_of=2020-09-30")
        first = page.locator(".ag-center-cols-container .ag-row a, .ag-pinned-left-cols-container .ag-row a").first
        expect(first).to_be_visible()
        target = first.get_attribute("href")
        first.focus()
        expect(first).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_function("u => location.pathname + location.search === u", arg=target)


def test_the_review_loads_another_month_only_when_asked(loaded_app):
    """↓ in the month select moves the choice; Enter goes there (WCAG 3.2.2: no change of context on input)."""
    with serve(loaded_app) as url, browser_page(1400, 900) as page:
        page.goto(url + "/review?month=2020-09")
        expect(page.locator("#review-slide-summary")).to_be_visible()
        page.focus("#review-month")
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(1000)
        assert "month=2020-09" in page.url
        page.keyboard.press("Enter")
        page.wait_for_function("!location.search.includes('month=2020-09')")
        expect(page.locator("#review-slide-summary")).to_be_visible()
