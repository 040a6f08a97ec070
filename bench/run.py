"""Time every page callback (the layout a URL renders, serialised as Dash sends
it) on a generated tier, cold (query cache and status rollups cleared before each
run) and warm (the same request again).

    python -m bench.generate M sqlite:///bench/M.db
    python -m bench.run sqlite:///bench/M.db [repeats]
"""
from __future__ import annotations

import json
import statistics
import sys
import time

import dash
import plotly
from sqlalchemy import select

from app import create_app
from queries.cache import invalidate
from store import forget_derived, session_scope
from store.models import WorkItem

AS_OF = "2022-09-30"


def sample_urls() -> dict[str, tuple[str, dict]]:
    """page module -> (path variables / query used for timing)."""
    with session_scope() as s:
        item_id = s.scalar(select(WorkItem.id).where(WorkItem.kind == "scene").order_by(WorkItem.id))
    urls = {}
    for module, page in dash.page_registry.items():
        template = page.get("path_template") or ""
        args = {"as_of": AS_OF}
        if "<city>" in template:
            args["city"] = "杭州"
        if "<item_id>" in template:
            args["item_id"] = str(item_id)
        urls[module] = (page["path"], args)
    return urls


def render(layout, args) -> None:
    json.dumps(layout(**args), cls=plotly.utils.PlotlyJSONEncoder)


def cold(layout, args) -> float:
    invalidate()
    with session_scope() as s:
        forget_derived(s)
    t0 = time.perf_counter()
    render(layout, args)
    return (time.perf_counter() - t0) * 1000


def warm(layout, args) -> float:
    render(layout, args)
    t0 = time.perf_counter()
    render(layout, args)
    return (time.perf_counter() - t0) * 1000


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main(url: str, repeats: int = 5) -> None:
    app = create_app({"DATABASE_URL": url, "CACHE_TYPE": "SimpleCache"})
    with app.test_request_context():  # a visitor's request (pages read the logged-in account)
        app.extensions["store"].upgrade()
        print(f"{'page callback':28} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9}   (ms)")
        for module, (path, args) in sample_urls().items():
            layout = dash.page_registry[module]["layout"]
            colds = [cold(layout, args) for _ in range(repeats)]
            warms = [warm(layout, args) for _ in range(repeats)]
            print(f"{path:28} {statistics.median(colds):9.1f} {p95(colds):9.1f} "
                  f"{statistics.median(warms):9.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
