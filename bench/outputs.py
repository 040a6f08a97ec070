"""What the month-end files cost at a tier (issue 19: each ≤ 3 s at tier M).

    python -m bench.outputs --tier M [--db URL] [--repeats 3]

Each file is downloaded as a user does (the test client, logged in as the
admin): the 月度通报, the deck as PowerPoint and as PDF (LibreOffice), and the
督办单 of the city with the most overdue milestones (Word and PDF) for the
review's default month, in seconds: the first download (cold: the status
rollups of the month's dates built, the caches empty), one with the rollups
stored and the cache empty (as after someone opened the review page and
someone else wrote a report), then p50 / p95 of the repeats; and the size.
LibreOffice is running (outputs.pdf.warm, as when the server starts); a PDF's
line also says what its cold download takes when LibreOffice must start first
(the first PDF after PDF_CONVERTER_IDLE without one).
"""
from __future__ import annotations

import argparse
import json
import time
from urllib.parse import urlencode

from bench.load import percentile
from outputs.pdf import soffice, stop_converter, warm
from bench.run import HERE, PASSWORD, USER, prepare
from app import create_app
from queries import api
from queries.cache import invalidate
from queries.review import default_month
from queries.rollup import drop_all
from queries.status import Filters
from store import clock


def files(app) -> dict[str, str]:
    """The downloads: name -> URL."""
    with app.test_request_context():
        month = default_month(api.default_as_of()).strftime("%Y-%m")
        cities = api.rates(api.default_as_of(), "city", Filters())
        city = max((r for r in cities if r["city"]), key=lambda r: r["overdue"])["city"]
    urge = "/overdue/urge-letter?" + urlencode({"city": city})
    return {"通报 .docx": f"/review/bulletin?month={month}", "演示文稿 .pptx": f"/review/deck?month={month}",
            "演示文稿 .pdf": f"/review/deck?month={month}&format=pdf", f"督办单（{city}）.docx": urge,
            f"督办单（{city}）.pdf": urge + "&format=pdf"}


def download(client, url: str) -> tuple[float, int]:
    """(seconds, bytes) of one download."""
    started = time.perf_counter()
    got = client.get(url)
    if got.status_code != 200:
        raise SystemExit(f"{url}: {got.status_code} {got.get_data(as_text=True)[:200]}")
    return time.perf_counter() - started, len(got.data)


def cold(app, client, url: str) -> tuple[float, int]:
    """A download with the status rollups and the caches empty."""
    with app.app_context(), app.extensions["store"].session() as s:
        drop_all(s)
        s.commit()
        invalidate()
    return download(client, url)


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
    print(f"tier {args.tier}, today {clock.today()}: seconds per download (cold = rollups and caches empty)")
    for name, url in files(app).items():
        pdf = name.endswith(".pdf")
        if pdf:
            stop_converter(soffice())
            starting, _ = cold(app, client, url)
        first, size = cold(app, client, url)
        with app.app_context():
            invalidate()
        stored, _ = download(client, url)
        cached = [download(client, url)[0] for _ in range(args.repeats)]
        results[name] = {"cold": first, "rollups_stored": stored, "p50": percentile(cached, 0.5),
                         "p95": percentile(cached, 0.95), "bytes": size}
        if pdf:
            results[name]["cold_libreoffice_starting"] = starting
        print(f"  {name:<24} cold {first:5.2f}  rollups stored {stored:5.2f}  cached p50 {results[name]['p50']:5.2f}"
              f"  p95 {results[name]['p95']:5.2f}  {size / 1024:7.0f} KB"
              + (f"  (cold, LibreOffice starting: {starting:5.2f})" if pdf else ""))
    (HERE / f"result-outputs-{args.tier}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
