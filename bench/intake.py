"""What taking in a plan costs (issue 16's speed figures): a 500-row task table
as a Word file read and parsed, imported into the tier's store, and previewed
as 计划管理 does (staged, parsed, imported in a transaction rolled back); and
a 20 MB Word file (a picture and the table) read, with the memory it took.

    python -m bench.intake --tier M [--rows 500] [--repeats 3] [--db URL]

Imports run in a transaction that is rolled back, so the store is unchanged.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import time
import tracemalloc

from app import create_app
from accounts import account_of
from accounts.users import find_user
from bench.run import HERE, USER, prepare
from importers import intake
from importers import parse_text
from importers.formats import read_file
from importers.loader import load_plan

NUMERALS = "一二三四五六七八九十"


def task_table(rows: int, picture_bytes: int = 0) -> bytes:
    """A city's 工作要点 notice with a task table of ``rows`` tasks in 10
    groups (and a picture of ``picture_bytes``, as a scanned seal would add)."""
    import docx

    document = docx.Document()
    for line in ("衢州市人民政府办公室文件", "衢政办发〔2021〕8号",
                 "衢州市人民政府办公室关于印发2021年衢州市社会信用体系建设工作要点的通知",
                 "各县（市、区）人民政府，市政府各部门："):
        document.add_paragraph(line)
    if picture_bytes:
        document.add_picture(io.BytesIO(_png(picture_bytes)))
    document.add_paragraph("衢州市人民政府办公室")
    document.add_paragraph("2021年3月1日")
    table = document.add_table(rows=rows + 1, cols=4)
    for c, word in enumerate(("重点工作", "工作任务", "责任单位", "时间进度")):
        table.cell(0, c).text = word
    for n in range(1, rows + 1):
        group = (n - 1) * 10 // rows
        if (n - 1) % (rows // 10 or 1) == 0:
            table.cell(n, 0).text = f"{NUMERALS[group]}、重点工作第{group + 1}项"
        table.cell(n, 1).text = f"{n}. 推进第{n}项信用应用任务，完成率达到{50 + n % 50}%以上。"
        table.cell(n, 2).text = "市发改委、市市场监管局"
        table.cell(n, 3).text = f"{n % 12 + 1}月底前"
    document.add_paragraph("抄送：省信用办。")
    document.add_paragraph("衢州市人民政府办公室 2021年3月1日印发")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _png(size: int) -> bytes:
    """A PNG of about ``size`` bytes that does not compress (random pixels)."""
    import struct
    import zlib

    side = int((size / 3) ** 0.5)
    raw = b"".join(b"\0" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))


def timed(action, repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=("S", "M", "L"), default="M")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite bench/<tier>.db)")
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.db or f"sqlite:///{HERE / f'{args.tier}.db'}"})
    store = app.extensions["store"]
    raw = task_table(args.rows)

    def preview():
        return parse_text(read_file(raw, "工作要点.docx").text(), "工作要点.docx")

    previews, parsed = timed(preview, args.repeats)
    with app.app_context():
        prepare(app, args.tier, 1.0)

        def imported():
            with store.Session() as session:
                result = load_plan(session, preview(), "bench")
                session.rollback()
            return result

        imports, result = timed(imported, args.repeats)

        def previewed():  # what the page does: stage, then read, parse and load in a rolled-back transaction
            with store.Session() as session:
                account = account_of(session, find_user(session, USER))
                shown = intake.preview(session, account, intake.stage(session, account, "工作要点.docx", raw))
                session.rollback()
            return shown

        pages, _ = timed(previewed, args.repeats)
    big = task_table(args.rows, picture_bytes=19 * 1024 * 1024)  # under the 20 MB limit
    tracemalloc.start()
    started = time.perf_counter()
    parse_text(read_file(big, "工作要点.docx").text(), "工作要点.docx")
    big_ms = (time.perf_counter() - started) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tasks = sum(1 for item in parsed.walk_items() if item.kind == "task")
    print(f"tier {args.tier} · {store.engine.dialect.name} · a {args.rows}-row task table "
          f"({len(raw) / 1024:.0f} KB .docx, {tasks} tasks; import: {result.summary()})")
    print(f"preview (read + parse):  p50 {statistics.median(previews):7.1f}  max {max(previews):7.1f} ms")
    print(f"import (parse + write):  p50 {statistics.median(imports):7.1f}  max {max(imports):7.1f} ms")
    print(f"the page's preview (stage, parse, trial import rolled back): p50 {statistics.median(pages):7.1f}  "
          f"max {max(pages):7.1f} ms")
    print(f"a {len(big) / 1024 / 1024:.1f} MB .docx read and parsed in {big_ms:.0f} ms; "
          f"Python memory at its peak +{peak / 1024 / 1024:.0f} MB; "
          f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
