"""Screenshots of every registered page at 1280×900 and 1920×1080 into
docs/screenshots/ (the app must be running on the bundled data: `make screenshots`).
The pages are taken logged in as SCREENSHOT_USER / SCREENSHOT_PASSWORD (an admin
shows every page), else as a visitor (pages that need a login say so); the
report page as SCREENSHOT_EDITOR / SCREENSHOT_EDITOR_PASSWORD if given (what an
editor sees, rather than the admin's whole province).

    SCREENSHOT_USER=admin SCREENSHOT_PASSWORD=… python -m tools.screenshots [http://127.0.0.1:8050] [NAME …]

With NAMEs, only the shots whose file name starts with one of them (``home``, ``phone``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import dash
from sqlalchemy import select

from app import create_app
from store import session_scope
from store.models import Indicator, WorkItem
from tests.browser import browser_page

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZES = ((1280, 900), (1920, 1080))
# views beyond each page's default: review slides on a projector's screens, a city's score breakdown
EXTRA = (
    ("review-slide1", "/review?month=2020-09#1", (1920, 1080)),
    ("review-slide7", "/review?month=2020-09#7", (1920, 1080)),
    ("review-slide2-light", "/review?month=2020-09&theme=light#2", (1280, 720)),
    ("review-slide4", "/review?month=2020-09#4", (1280, 720)),
    ("assessment-breakdown", "/assessment?city=杭州#breakdown", (1280, 900)),
    ("city-overdue-tab", "/city/舟山?tab=overdue", (1280, 900)),
    # a leader's phone and a tablet (docs/accessibility.md)
    ("phone-home", "/", (390, 844)),
    ("phone-milestones", "/milestones?city=杭州", (390, 844)),
    ("tablet-review", "/review?month=2020-09#1", (768, 1024)),
)


def sample_paths() -> dict[str, str]:
    """page name -> a path showing it with real content (舟山's 信用+金融服务 for items,
    小微企业新增信用贷款 for an indicator)."""
    with session_scope() as s:
        item_id = s.scalar(select(WorkItem.id).where(WorkItem.key == "舟山-3"))
        indicator_id = s.scalar(select(Indicator.id).where(Indicator.name == "小微企业新增信用贷款"))
    paths = {}
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        name = page["module"].split(".")[-1]
        paths[name] = template.replace("<city>", "舟山").replace("<item_id>", str(item_id)).replace("<plan_id>", "1")
        paths[name] = paths[name].replace("<indicator_id>", str(indicator_id))
    return paths


def main(base: str, only: tuple[str, ...] = ()) -> None:
    app = create_app()
    OUT.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        paths = sample_paths()
    shots = [(f"{name}-{w}x{h}", path, (w, h), name) for name, path in paths.items() for w, h in SIZES]
    shots += [(f"{name}-{w}x{h}", path, (w, h), name) for name, path, (w, h) in EXTRA]
    for name, path, (width, height), page_name in shots:
        if only and not name.startswith(only):
            continue
        with browser_page(width, height) as page:
            log_in(page, base, "SCREENSHOT_EDITOR" if page_name == "report" else "SCREENSHOT_USER")
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1200)  # let grids measure their rows
            out = OUT / f"{name}.png"
            page.screenshot(path=str(out), full_page=True)
            print(out.relative_to(OUT.parent.parent), page.errors or "")


PASSWORD_OF = {"SCREENSHOT_USER": "SCREENSHOT_PASSWORD", "SCREENSHOT_EDITOR": "SCREENSHOT_EDITOR_PASSWORD"}


def log_in(page, base: str, who: str) -> None:
    """Log in as the account named by environment variable ``who`` (else SCREENSHOT_USER)."""
    if not os.environ.get(who):
        who = "SCREENSHOT_USER"
    if not os.environ.get(who):
        return
    page.goto(base + "/login")
    page.fill("#username", os.environ[who])
    page.fill("#password", os.environ.get(PASSWORD_OF[who], ""))
    page.click("#login-submit")
    page.wait_for_url(base + "/")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8050", tuple(sys.argv[2:]))
