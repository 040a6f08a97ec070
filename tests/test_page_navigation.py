"""Overview -> city -> item -> back, as a leader would click through."""
import pytest
from playwright.sync_api import expect

from queries import api
from queries.status import Filters
from tests.browser import browser_page, serve

pytestmark = pytest.mark.browser


def test_overview_to_city_to_item_and_back(loaded_app):
    with loaded_app.app_context():
        as_of = api.default_as_of()
        first = api.rates(as_of, "item", Filters(city="宁波"))[0]
    with serve(loaded_app) as url, browser_page() as page:
        page.goto(url + "/")
        page.wait_for_selector("#city-rates .bars path")
        bar = page.locator("#city-rates .bars path").nth(1)  # the first series' second bar: 宁波
        bar.click(force=True)
        page.wait_for_function("decodeURIComponent(location.pathname) == '/city/宁波'")
        items = page.locator(".ag-root a", has_text=first["item"]).first
        expect(items).to_be_visible()
        items.click()
        page.wait_for_function(f"location.pathname == '/item/{first['item_id']}'")
        expect(page.get_by_text(first["item"]).first).to_be_visible()
        page.go_back()
        page.wait_for_function("decodeURIComponent(location.pathname) == '/city/宁波'")
        expect(page.locator(".ag-root a", has_text=first["item"]).first).to_be_visible()
        page.go_back()
        page.wait_for_function("location.pathname == '/'")
        expect(page.locator("#kpi-progress")).to_be_visible()
        assert page.errors == []
