"""Screenshots of every registered page at 1280×900 and 1920×1080 into
docs/screenshots/ (the app must be running: `make run`).

    python -m tools.screenshots [http://127.0.0.1:8050]
"""
from __future__ import annotations

import sys
from pathlib import Path

import dash

from app import create_app
from tests.browser import browser_page

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZES = ((1280, 900), (1920, 1080))


def main(base: str) -> None:
    create_app()  # fills the page registry
    OUT.mkdir(parents=True, exist_ok=True)
    for page_info in dash.page_registry.values():
        for width, height in SIZES:
            with browser_page(width, height) as page:
                page.goto(base + page_info["relative_path"])
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)  # let grids measure their rows
                name = page_info["module"].split(".")[-1]
                path = OUT / f"{name}-{width}x{height}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path.relative_to(OUT.parent.parent), page.errors or "")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8050")
