"""Phones (390×844, 浙政钉's browser), tablets (768×1024), keyboards and paper: the
navbar folds behind 菜单, the filters behind 筛选条件, nothing runs off the
screen's side; a skip link leads past the navbar; grids print whole."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_on_a_phone_the_navbar_and_the_filters_fold(loaded_app, tmp_path):
    with serve(loaded_app) as url, browser_page(390, 844) as page:
        page.goto(url + "/?as_of=2020-09-30")
        expect(page.locator("#kpi-progress")).to_be_visible()
        assert page.locator("#navbar").bounding_box()["height"] < 110  # the brand and 菜单, not every page
        expect(page.locator("#navbar-collapse")).not_to_be_visible()
        expect(page.locator("#filters-collapse")).not_to_be_visible()
        expect(page.locator("#filters-toggle")).to_contain_text("2020-09-30")
        assert page.locator("#kpi-progress").bounding_box()["y"] < 844 * 1.5  # the figures, near the top
        assert no_sideways_scroll(page)
        page.screenshot(path=str(tmp_path / "phone-home.png"), full_page=False)
        page.click("#navbar-toggler")
        expect(page.get_by_role("link", name="逾期与临期")).to_be_visible()
        page.click("#filters-toggle")
        expect(page.locator("#filters-collapse")).to_be_visible()
        page.goto(url + "/milestones?as_of=2020-09-30")
        expect(page.locator(".ag-row").first).to_be_visible()
        assert no_sideways_scroll(page)  # (the grid scrolls inside itself)
        assert page.errors == []


def test_on_a_tablet_the_navbar_folds_and_the_filters_stay(loaded_app):
    with serve(loaded_app) as url, browser_page(768, 1024) as page:
        page.goto(url + "/cities?as_of=2020-09-30")
        expect(page.locator("#navbar-collapse")).not_to_be_visible()
        expect(page.locator("#filters-collapse")).to_be_visible()
        expect(page.locator("#filters-toggle")).not_to_be_visible()
        assert no_sideways_scroll(page)
        page.goto(url + "/review?month=2020-09")
        expect(page.locator("#review-slide-summary")).to_be_visible()
        assert no_sideways_scroll(page)
        assert page.errors == []


def test_a_keyboard_skips_the_navbar(loaded_app):
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/?as_of=2020-09-30")
        expect(page.locator("#kpi-progress")).to_be_visible()
        page.keyboard.press("Tab")
        expect(page.locator("#skip-link")).to_be_focused()
        expect(page.locator("#skip-link")).to_be_visible()
        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()
        outline = page.evaluate("""() => { const a = document.querySelector('#navbar .nav-link');
            a.focus(); return getComputedStyle(a).outlineStyle; }""")
        assert outline != "none"  # (focus-visible after a key press)


def test_a_grid_prints_whole_without_its_filter_buttons(loaded_app):
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/milestones?as_of=2020-09-30&city=杭州")
        expect(page.locator(".ag-row").first).to_be_visible()
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        expect(page.locator(".ag-layout-print").first).to_be_attached()
        expect(page.locator(".ag-header-cell-filter-button").first).not_to_be_visible()
        expect(page.locator(".navbar")).not_to_be_visible()
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
        expect(page.locator(".ag-layout-print")).to_have_count(0)
        assert page.errors == []


def test_on_a_tablet_every_review_control_is_on_screen(loaded_app):
    with serve(loaded_app) as url, browser_page(768, 1024) as page:
        page.goto(url + "/review?month=2020-09")
        expect(page.locator("#review-exit")).to_be_visible()
        for control in ("#review-pdf", "#review-pptx", "#review-exit", "#review-month"):
            box = page.locator(control).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 768, control


@pytest.mark.parametrize("path, name, first", [("/milestones?as_of=2020-09-30&city=杭州", "场景/项目/任务", "计划文件"),
                                              ("/city/杭州?as_of=2020-09-30", "工作事项", "计划文件"),
                                              ("/?as_of=2020-09-30", "工作事项", "地市")])
def test_on_a_phone_a_grid_scrolls_sideways_under_its_row_name(loaded_app, path, name, first):
    """The row's name (the item's column) stays in sight; on a wide screen it is back in its place."""
    with serve(loaded_app) as url, browser_page(390, 844) as page:
        page.goto(url + path)
        expect(page.locator(".ag-pinned-left-header .ag-header-cell-text").first).to_have_text(name)
        first_cell = page.locator(".ag-pinned-left-cols-container .ag-row").first
        before = page.locator(".ag-center-cols-container .ag-row .ag-cell").first.bounding_box()["x"]
        page.wait_for_function("""x => {  // (scrolled sideways, again while the grid may still lay itself out)
            document.querySelector('.ag-body-horizontal-scroll-viewport').scrollLeft = 300;
            const c = document.querySelector('.ag-center-cols-container .ag-row .ag-cell');
            return c.getBoundingClientRect().x < x; }""", arg=before)
        box = first_cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # (the name stays in sight)
        assert no_sideways_scroll(page)
        page.set_viewport_size({"width": 1280, "height": 900})  # (a wide screen: unpinned again)
        expect(page.locator(".ag-pinned-left-cols-container .ag-row")).to_have_count(0)
        expect(page.locator(".ag-header-cell-text").first).to_have_text(first)  # (the item back in its place)
        assert page.errors == []


@pytest.mark.parametrize("path, chart, least", [("/?as_of=2020-09-30", "city-rates", 11),
                                                ("/cities?as_of=2020-09-30", "cities-chart", 11),
                                                ("/overdue?as_of=2020-09-30", "overdue-chart", 2),
                                                ("/assessment?as_of=2020-09-30", "assessment-chart", 11)])
def test_on_a_phone_chart_labels_do_not_overlap(loaded_app, path, chart, least):
    """A chart's labels (its ticks, legend and title) each in their own space, inside the chart."""
    with serve(loaded_app) as url, browser_page(390, 844) as page:
        page.goto(url + path)
        expect(page.locator(f"#{chart} .main-svg").first).to_be_visible()
        boxes = page.evaluate("""chart => {
            const svg = document.querySelector(`#${chart} .main-svg`).getBoundingClientRect();
            const labels = [...document.querySelectorAll(['.xtick text', '.ytick text', '.legendtext', '.gtitle']
                                                         .map(s => `#${chart} ${s}`).join(', '))];
            return {svg: [svg.left, svg.right],
                    labels: labels.map(t => { const r = t.getBoundingClientRect();
                                              return [t.textContent, r.left, r.top, r.right, r.bottom]; })};
        }""", chart)
        labels = [b for b in boxes["labels"] if b[0].strip()]
        assert len(labels) >= least
        for text, left, _, right, _ in labels:
            assert boxes["svg"][0] - 1 <= left and right <= boxes["svg"][1] + 1, text
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                apart = a[3] <= b[1] + 1 or b[3] <= a[1] + 1 or a[4] <= b[2] + 1 or b[4] <= a[2] + 1
                assert apart, (a[0], b[0])
        assert page.errors == []
