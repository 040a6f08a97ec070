"""The grids speak Chinese: pagination, filter menus and the empty overlay in AG
Grid's own zh-CN texts (components.grid.GRID_TEXT), 筛选 rather than 过滤."""
from __future__ import annotations

import pytest

from components.grid import GRID_TEXT


def test_the_texts_are_chinese_and_say_filter_as_the_office_does():
    assert GRID_TEXT["contains"] == "包含" and GRID_TEXT["applyFilter"] == "应用"
    assert GRID_TEXT["noRowsToShow"] == "没有符合条件的记录"
    assert not [k for k, v in GRID_TEXT.items() if "过滤" in v]
    english = {k for k, v in GRID_TEXT.items() if v.isascii() and any(c.isalpha() for c in v)}
    assert english == {"ctrlC", "dateFormatOoo", "filterSummaryInRangeValues", "filterSummaryTextQuote"}, english
    assert GRID_TEXT["ctrlC"] == "Ctrl+C" and GRID_TEXT["dateFormatOoo"] == "yyyy-mm-dd"  # (keys, formats)


@pytest.mark.browser
def test_a_grid_pages_and_filters_in_chinese(loaded_app):
    from playwright.sync_api import expect

    from tests.browser import browser_page, serve

    with serve(loaded_app) as url, browser_page(1400, 900) as page:
        page.goto(f"{url}/milestones?as_of=2020-09-30")  # 120 milestones: 3 pages of 50
        paging = page.locator(".ag-paging-panel")
        expect(paging).to_contain_text("1 至 50 / 120")
        expect(paging).to_contain_text("页 1 / 3")
        assert "Page" not in paging.inner_text() and " of " not in paging.inner_text()
        page.locator(".ag-header-cell[col-id='milestone'] .ag-header-cell-filter-button, "
                     ".ag-header-cell[col-id='milestone'] .ag-header-icon").first.click()
        menu = page.locator(".ag-filter")
        expect(menu).to_be_visible()
        expect(menu.locator("input[type='text']").first).to_have_attribute("placeholder", "筛选...")
        assert "包含" in menu.inner_text() and "Contains" not in menu.inner_text()
        menu.locator("input[type='text']").first.fill("不会出现的文字")
        expect(page.locator(".ag-overlay")).to_contain_text("没有符合筛选条件的记录")
        assert page.errors == []
