"""Browser-test plumbing: the app served on a free local port in a thread, and
Playwright driving Debian's headless Chromium (/usr/bin/chromium)."""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager

from playwright.sync_api import expect
from werkzeug.serving import make_server

expect.set_options(timeout=15_000)  # a cold page on a busy CI machine can take seconds

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]


@contextmanager
def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@contextmanager
def browser_page(width=1280, height=900):
    """A Playwright page that records console errors and failed requests in
    ``page.errors`` so that a test can assert there were none."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        try:
            yield page
        finally:
            browser.close()


def filter_control(page, name: str):
    """The filter bar's control for URL parameter ``name`` (pattern id, JSON-keyed)."""
    return page.locator(f"""[id='{{"name":"{name}","type":"filter"}}']""")


def pick(page, name: str, option: str) -> None:
    """Choose ``option`` in the filter dropdown ``name``."""
    choose(page, filter_control(page, name), option)


def choose(page, control, option: str, attempts: int = 3) -> None:
    """Choose ``option`` in the dropdown ``control`` (a locator): open it, type to
    search, click the first option showing that text (waiting until the search
    has narrowed the list, so 湖州 is not taken for 杭州).  A page that
    re-renders (after back/forward it may render twice) can close the menu
    under the mouse: then settle and try again, as a person would."""
    for attempt in range(attempts):
        page.wait_for_load_state("networkidle")
        control.click()
        try:  # type only once the menu's search box has the focus, never into another field
            page.wait_for_function("document.activeElement?.classList.contains('dash-dropdown-search')",
                                   timeout=5_000)
            page.keyboard.type(option)
            page.get_by_role("option").filter(has_text=option).first.click(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - the menu was replaced: retry, else re-raise
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def set_as_of(page, iso: str) -> None:
    """Set the as-of date and wait until the URL carries it."""
    page.fill("input[type=date]", iso)
    page.wait_for_function(f"location.search.includes('as_of={iso}')")


def page_filters(as_of, **query):
    """The filters a page of ``as_of`` with these URL values reads
    (components.filters.read_view), the plans it covers (queries.scope)
    included: what its rows are checked against.  In an app context."""
    from components.filters import read_view

    query = {k: ",".join(v) if isinstance(v, tuple) else v for k, v in query.items()}
    return read_view({"as_of": as_of.isoformat(), **query}).filters
