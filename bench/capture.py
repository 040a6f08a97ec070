"""Record what the browser really sends: open each page in headless Chromium,
log every Dash callback request (its JSON body) and time the page until it is
fully drawn (no request in flight, no Dash loading marker, the grids filled)."""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

from tests.browser import browser_page, serve

# Counts the Dash callback requests in flight (installed before the page's own scripts).
COUNT_REQUESTS = """(() => { window.__dashDone = 0; window.__dashPending = 0; const f = window.fetch;
  window.fetch = (...a) => { const dash = String(a[0]).includes('_dash-update-component');
    if (!dash) return f(...a); window.__dashPending++;
    return f(...a).finally(() => { window.__dashPending--; window.__dashDone++; }); }; })()"""
# Drawn: the page's callbacks answered and none in flight, no loading marker,
# every chart drawn, every grid showing rows or its "no rows" overlay.
DRAWN = """() => window.__dashDone > 0 && window.__dashPending === 0
  && !document.querySelector('[data-dash-is-loading="true"], ._dash-loading')
  && document.querySelector('#_pages_content')?.children.length > 0
  && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))
  && [...document.querySelectorAll('.ag-root-wrapper')].every(g =>
       g.querySelector('.ag-row') || g.querySelector('.ag-overlay-no-rows-wrapper, .ag-overlay-no-rows-center')
       || g.innerText.includes('没有'))"""


@dataclass
class Capture:
    url: str
    callbacks: list[dict] = field(default_factory=list)  # the request bodies, in order
    load_ms: float | None = None


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def capture(app, urls: list[str], username: str, password: str, before_each=lambda: None) -> list[Capture]:
    """Open every URL (after ``before_each()``, e.g. emptying the caches); returns
    each one's callback bodies and its load time in ms."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    results = []
    with serve(app) as base, browser_page(1440, 900) as page:
        login(page, base, username, password)
        page.add_init_script(COUNT_REQUESTS)
        current: list[dict] = []
        page.on("request", lambda r: "/_dash-update-component" in r.url and current.append(json.loads(r.post_data)))
        for url in urls:
            before_each()
            current.clear()
            t0 = time.perf_counter()
            page.goto(base + url, wait_until="commit")
            page.wait_for_function(DRAWN, timeout=120_000)
            drawn = (time.perf_counter() - t0) * 1000
            page.wait_for_load_state("networkidle")  # (late callbacks are recorded, not timed)
            results.append(Capture(url, list(current), drawn))
    return results
