"""What the month-end files cost at a tier (issue 19: each ≤ 3 s at tier M).

    python -m bench.outputs --tier M [--db URL] [--repeats 3]

Each file is downloaded as a user does (the test client, logged in as the
admin): the 月度通报, the deck as PowerPoint and as PDF (LibreOffice), and the
督办单 of the city with the most overdue milestones (Word and PDF) for the
review's default month, in seconds: the first download (cold: the status
rollups of the month's dates not built, the caches empty — as after an
import, from the CLI); the download as a user makes it, from its page (the
rollups and caches emptied, the page drawn — the review, or the overdue page
of that city — then the file: the page has built the rollups it shares with
the file, and every write keeps them); then p50 / p95 of the repeats (the
file cached); and the size.
LibreOffice is running (outputs.pdf.warm, as when the server starts); a PDF's
line also says what its cold download takes when LibreOffice must start first
(the first PDF after PDF_CONVERTER_IDLE without one).
"""
from __future__ import annotations

import argparse
import json
import time
from urllib.parse import urlencode

from bench.load import percentile, render_payload
from outputs.pdf import soffice, stop_converter, warm
from bench.run import HERE, PASSWORD, USER, prepare
from app import create_app
from queries import api
from queries.cache import invalidate
from queries.review import default_month
from queries.rollup import drop_all
from queries.status import Filters
from store import clock


def files(app) -> dict[str, tuple[str, str]]:
    """The downloads: name -> (URL, the page its button is on)."""
    with app.test_request_context():
        month = default_month(api.default_as_of()).strftime("%Y-%m")
        cities = api.rates(api.default_as_of(), "city", Filters())
        city = max((r for r in cities if r["city"]), key=lambda r: r["overdue"])["city"]
    review, overdue = ("/review", f"?month={month}"), ("/overdue", "?" + urlencode({"city": city}))
    urge = "/overdue/urge-letter" + overdue[1]
    return {"通报 .docx": (f"/review/bulletin?month={month}", review),
            "演示文稿 .pptx": (f"/review/deck?month={month}", review),
            "演示文稿 .pdf": (f"/review/deck?month={month}&format=pdf", review),
            f"督办单（{city}）.docx": (urge, overdue), f"督办单（{city}）.pdf": (urge + "&format=pdf", overdue)}


def download(client, url: str) -> tuple[float, int]:
    """(seconds, bytes) of one download."""
    started = time.perf_counter()
    got = client.get(url)
    if got.status_code != 200:
        raise SystemExit(f"{url}: {got.status_code} {got.get_data(as_text=True)[:200]}")
    return time.perf_counter() - started, len(got.data)


def emptied(app) -> None:
    """The status rollups and the caches dropped."""
    with app.app_context(), app.extensions["store"].session() as s:
        drop_all(s)
        s.commit()
        invalidate()


def cold(app, client, url: str) -> tuple[float, int]:
    """A download with the status rollups and the caches empty."""
    emptied(app)
    return download(client, url)


def from_page(app, client, url: str, page: tuple[str, str]) -> float:
    """A download just after its page was drawn (from empty rollups and caches)."""
    emptied(app)
    drawn = client.post("/_dash-update-component", data=json.dumps(render_payload(*page)),
                        content_type="application/json")
    if drawn.status_code != 200:
        raise SystemExit(f"{page}: {drawn.status_code}")
    return download(client, url)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.db or f"sqlite:///{HERE / f'{args.tier}.db'}"})
    with app.app_context():
        prepare(app, args.tier, 1.0)
    client = app.test_client()
    client.post("/login", data={"username": USER, "password": PASSWORD})
    warm()
    results = {}
    print(f"tier {args.tier}, today {clock.today()}: seconds per download (cold: rollups and caches empty; from its page: just after the page was drawn)")
    for name, (url, page) in files(app).items():
        pdf = name.endswith(".pdf")
        if pdf:
            stop_converter(soffice())
            starting, _ = cold(app, client, url)
        first, size = cold(app, client, url)
        user = from_page(app, client, url, page)
        cached = [download(client, url)[0] for _ in range(args.repeats)]
        results[name] = {"cold": first, "from_its_page": user, "p50": percentile(cached, 0.5),
                         "p95": percentile(cached, 0.95), "bytes": size}
        if pdf:
            results[name]["cold_libreoffice_starting"] = starting
        print(f"  {name:<24} cold {first:5.2f}  from its page {user:5.2f}  cached p50 {results[name]['p50']:5.2f}"
              f"  p95 {results[name]['p95']:5.2f}  {size / 1024:7.0f} KB"
              + (f"  (cold, LibreOffice starting: {starting:5.2f})" if pdf else ""))
    (HERE / f"result-outputs-{args.tier}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
