"""Backup and restore of the store (store/backup.py, `flask --app app backup|restore`):
a restore brings back exactly the data backed up; a backup taken while another
connection writes is a consistent snapshot; a bad file is refused and changes
nothing; an older backup is upgraded.  On SQLite and, with DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from cli import _size
from queries import api
from queries.cache import invalidate
from store import ROOT, Store, backup as backups
from store.audit import record
from store.models import (
    DERIVED,
    AssessmentRules,
    AuditEntry,
    Base,
    Milestone,
    Plan,
    ProgressUpdate,
    StatusRollup,
)
from tests.conftest import fresh_database

DERIVED_TABLES = {model.__tablename__ for model in DERIVED}


def store_of(app) -> Store:
    return app.extensions["store"]


def dialect(app) -> str:
    return store_of(app).engine.dialect.name


def fingerprint(store: Store) -> dict:
    """Row counts of every table (but the derived rollups) and a checksum of the progress reports."""
    with store.session() as s:
        counts = {t.name: s.scalar(select(func.count()).select_from(t))
                  for t in Base.metadata.sorted_tables if t.name not in DERIVED_TABLES}
        rows = s.execute(select(ProgressUpdate.__table__).order_by(ProgressUpdate.id)).all()
    return {**counts, "progress_update_sha256": hashlib.sha256(repr(rows).encode()).hexdigest()}


def change_everything(store: Store) -> None:
    """Delete a plan (with its items and milestones, by cascade), add a report, a rule version."""
    with store.session() as s:
        milestone = s.scalar(select(Milestone).order_by(Milestone.id.desc()).limit(1))
        s.add(ProgressUpdate(milestone_id=milestone.id, reported_on=date(2020, 10, 3), state="done",
                             completed_on=date(2020, 10, 1), reported_by="test"))
        s.add(AssessmentRules(rules="{}", created_by="test"))
        s.execute(delete(Plan).where(Plan.id == s.scalar(select(func.min(Plan.id)))))


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def upgrade_to(store: Store, revision: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


# Backup, change, restore -------------------------------------------------------------------------

def test_restore_brings_back_exactly_the_data_backed_up(reporting_app, tmp_path):
    store = store_of(reporting_app)
    with reporting_app.app_context():
        api.rates(api.default_as_of())  # computes the per-date rollups, which are in the backup
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(StatusRollup)) > 0
    original = fingerprint(store)
    path = backups.backup(store, tmp_path / "store.backup")
    assert path == tmp_path / "store.backup" and path.stat().st_size > 0
    assert backups.check(store, path).revision == backups.check(store, path).head

    change_everything(store)
    changed = fingerprint(store)
    assert changed["plan"] == original["plan"] - 1
    assert changed["progress_update_sha256"] != original["progress_update_sha256"]

    backups.restore(store, path)
    assert fingerprint(store) == original
    with store.session() as s:  # derived data is dropped, to be computed again from the restored data
        assert s.scalar(select(func.count()).select_from(StatusRollup)) == 0
    with reporting_app.app_context():
        invalidate()
        assert api.rates(api.default_as_of())  # the app reads the restored store


def test_a_backup_leaves_no_temporary_file_and_only_its_owner_may_read_it(reporting_app, tmp_path):
    (folder := tmp_path / "backups").mkdir()
    path = backups.backup(store_of(reporting_app), folder / "b")
    assert [p.name for p in folder.iterdir()] == ["b"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a backup holds the password hashes


def test_an_sqlite_backup_is_one_self_contained_file(reporting_app, tmp_path):
    if dialect(reporting_app) != "sqlite":
        pytest.skip("SQLite store only")
    path = backups.backup(store_of(reporting_app), tmp_path / "b.sqlite3")
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM plan").fetchone() == (4,)
    assert not list(tmp_path.glob("b.sqlite3-*"))  # no -wal / -shm beside it


def test_a_backup_taken_while_another_connection_writes_is_a_consistent_snapshot(reporting_app, tmp_path):
    """A writer commits batches of BATCH audit rows; every backup taken meanwhile
    holds whole batches only, and more of them as time goes on."""
    store = store_of(reporting_app)
    batch, stop, written = 5, threading.Event(), []
    writer_store = Store(store.url)

    def write():
        n = 0
        while not stop.is_set():
            with writer_store.session() as s:
                for _ in range(batch):
                    record(s, "writer", "demo.load", f"batch-{n}")
            written.append(n)
            n += 1

    def batches(conn_rows) -> dict[str, int]:
        return {target: count for target, count in conn_rows if target.startswith("batch-")}

    thread = threading.Thread(target=write)
    thread.start()
    try:
        paths = []
        for i in range(3):
            while len(written) < 3 * (i + 1):  # let the writer get going (and keep going) first
                stop.wait(0.01)
            paths.append(backups.backup(store, tmp_path / f"during-{i}"))
    finally:
        stop.set()
        thread.join()
        writer_store.engine.dispose()
    assert len(written) > 9

    seen = []
    for path in paths:
        if dialect(reporting_app) == "sqlite":  # the file opens as it is
            with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                rows = conn.execute("SELECT target, count(*) FROM audit_log GROUP BY target").fetchall()
            assert set(batches(rows).values()) <= {batch}
        backups.restore(store, path)
        with store.session() as s:
            found = batches(s.execute(select(AuditEntry.target, func.count()).group_by(AuditEntry.target)))
        assert found and set(found.values()) == {batch}, found
        assert sorted(found) == sorted(f"batch-{n}" for n in range(len(found)))  # a prefix of the batches
        seen.append(len(found))
    # each backup holds at least the batches committed before it started, and no more than were written
    assert all(n >= 3 * (i + 1) for i, n in enumerate(seen)) and seen == sorted(seen)
    assert seen[-1] <= len(written)



def test_a_backup_restores_into_a_new_empty_database(reporting_app, tmp_path):
    """A new machine: an SQLite file that does not exist yet, an empty PostgreSQL database."""
    path = backups.backup(store_of(reporting_app), tmp_path / "b.backup")
    with fresh_database(tmp_path) as url:
        new = Store(url)
        backups.restore(new, path)
        assert fingerprint(new) == fingerprint(store_of(reporting_app))
        new.engine.dispose()

# Bad files are refused and change nothing --------------------------------------------------------

def other_apps_database(tmp_path, url: str) -> Path:
    """A backup of a database that is not this app's (one table, `notes`)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("INSERT INTO notes (id, body) VALUES (1, 'hello')"))
    engine.dispose()
    if url.startswith("sqlite"):
        return Path(make_url(url).database)
    path = tmp_path / "other.pgdump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={path}", libpq_url(url)], check=True)
    return path


def bad_file(kind: str, store: Store, tmp_path) -> Path:
    path = tmp_path / f"{kind}.backup"
    if kind == "random bytes":
        path.write_bytes(os.urandom(64 * 1024))
    elif kind == "text":
        path.write_text("这不是备份\nnot a backup\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        whole = backups.backup(store, tmp_path / "whole").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "damaged":  # the first page kept, a stretch of pages overwritten with noise
        whole = bytearray(backups.backup(store, tmp_path / "whole").read_bytes())
        whole[8192:8192 + 64 * 1024] = os.urandom(64 * 1024)
        path.write_bytes(bytes(whole))
    elif kind == "other backend":
        path.write_bytes((b"PGDMP" if store.engine.dialect.name == "sqlite" else b"SQLite format 3\x00")
                         + os.urandom(4096))
    elif kind == "newer schema":  # a backup made by a later version of the app
        _write_raw_backup(store, path, "9999_future")
    return path


def _head() -> str:
    return backups._revisions()[1]


def _write_raw_backup(store: Store, path: Path, revision: str) -> None:
    """A backup whose alembic_version says ``revision`` (written without the check)."""
    with store.session() as s:
        s.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    try:
        if store.engine.dialect.name == "sqlite":
            backups._sqlite_backup(Path(store.engine.url.database), path)
        else:
            url, env = backups._pg_url(store)
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", url],
                           env=env, check=True)
    finally:
        with store.session() as s:
            s.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": _head()})


@pytest.mark.parametrize("kind", ["random bytes", "text", "empty", "truncated", "damaged",
                                  "other backend", "newer schema"])
def test_a_bad_file_is_refused_and_the_store_is_unchanged(reporting_app, tmp_path, kind):
    store = store_of(reporting_app)
    path = bad_file(kind, store, tmp_path)
    before = fingerprint(store)
    with pytest.raises(backups.BackupError) as refused:
        backups.restore(store, path)
    message = str(refused.value)
    assert str(path) in message or "unchanged" in message, message
    assert fingerprint(store) == before
    with store.session() as s:
        assert s.scalar(text("SELECT version_num FROM alembic_version")) == _head()
    if kind in ("random bytes", "text", "empty", "other backend"):
        assert "不是本系统的备份文件" in message
    if kind == "newer schema":
        assert "9999_future" in message


def test_a_backup_of_another_apps_database_is_refused(reporting_app, tmp_path):
    store = store_of(reporting_app)
    before = fingerprint(store)
    with fresh_database(tmp_path) as url:
        path = other_apps_database(tmp_path, url)
        with pytest.raises(backups.BackupError, match="不是本系统的备份文件.*no table alembic_version, plan"):
            backups.restore(store, path)
    assert fingerprint(store) == before


def test_an_sqlite_store_refuses_its_own_live_file(reporting_app):
    if dialect(reporting_app) != "sqlite":
        pytest.skip("SQLite store only")
    store = store_of(reporting_app)
    before = fingerprint(store)
    with pytest.raises(backups.BackupError, match="live database"):
        backups.restore(store, Path(store.engine.url.database))
    assert fingerprint(store) == before


def test_a_postgresql_restore_that_fails_half_way_is_rolled_back(reporting_app, tmp_path):
    """An archive whose table of contents reads but whose data ends early passes the
    check; replaying it fails part way and the transaction leaves the store as it was."""
    if dialect(reporting_app) != "postgresql":
        pytest.skip("PostgreSQL store only")
    store = store_of(reporting_app)
    whole = backups.backup(store, tmp_path / "whole.pgdump").read_bytes()
    change_everything(store)  # so that a partial replay would be visible
    before = fingerprint(store)
    path = tmp_path / "cut.pgdump"
    path.write_bytes(whole[: len(whole) - 2048])
    backups.check(store, path)  # the table of contents and the schema revision read
    with pytest.raises(backups.BackupError, match="the database is unchanged"):
        backups.restore(store, path)
    assert fingerprint(store) == before


def test_the_postgresql_password_is_not_on_the_command_line():
    store = Store("postgresql+psycopg://app:s3cret@db.example:5433/credit?sslmode=require")
    url, env = backups._pg_url(store)
    assert url == "postgresql://app@db.example:5433/credit?sslmode=require"
    assert env["PGPASSWORD"] == "s3cret"
    store.engine.dispose()


# An older backup -----------------------------------------------------------------------------------

def test_a_backup_of_an_older_schema_revision_is_restored_and_upgraded(app, tmp_path):
    store = store_of(app)
    with store.session() as s:  # data of the live store, which the restore replaces
        record(s, "test", "demo.load", "live-before-restore")
        s.add(AssessmentRules(rules="{}", created_by="test"))  # a table the old revision has not got
    with fresh_database(tmp_path) as url:
        old = Store(url)
        upgrade_to(old, "0003")
        with old.engine.begin() as conn:
            conn.execute(text("INSERT INTO audit_log (at, actor, action, target) "
                              "VALUES ('2020-10-03 10:00:00', 'old', 'demo.load', 'from-0003')"))
        path = backups.backup(old, tmp_path / "old.backup")
        old.engine.dispose()
    info = backups.check(store, path)
    assert (info.revision, info.older) == ("0003", True)

    backups.restore(store, path)
    with store.session() as s:
        assert s.scalar(text("SELECT version_num FROM alembic_version")) == info.head
        assert list(s.scalars(select(AuditEntry.target))) == ["from-0003"]
        assert s.scalar(select(func.count()).select_from(AssessmentRules)) == 0
    with store.engine.connect() as conn:  # the upgraded schema is the models' schema
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


# The commands ------------------------------------------------------------------------------------

def test_backup_command_writes_a_dated_file_in_the_working_directory(reporting_app, tmp_path, monkeypatch):
    (folder := tmp_path / "backups").mkdir()
    monkeypatch.chdir(folder)
    result = run(reporting_app, "backup")
    assert result.exit_code == 0, result.output
    [path] = folder.iterdir()
    suffix = ".sqlite3" if dialect(reporting_app) == "sqlite" else ".pgdump"
    assert path.name.startswith("backup-") and path.suffix == suffix
    assert len(path.name) == len("backup-20201003-180200") + len(suffix)
    assert f"backup written: {path.name} ({_size(path.stat().st_size)})" in result.output


def test_backup_command_to_a_missing_directory_fails_with_a_message(reporting_app, tmp_path):
    result = run(reporting_app, "backup", "--output", str(tmp_path / "nowhere" / "b.backup"))
    assert result.exit_code == 1
    assert "no such directory" in result.output and "Traceback" not in result.output


def test_restore_command_restores_clears_the_cache_and_audits(reporting_app, tmp_path):
    store = store_of(reporting_app)
    path = tmp_path / "b.backup"
    assert run(reporting_app, "backup", "--output", str(path)).exit_code == 0
    original = fingerprint(store)
    change_everything(store)
    with reporting_app.app_context():
        invalidate()
        assert len(api.choices()["plans"]) == original["plan"] - 1  # now cached

    declined = run(reporting_app, "restore", str(path), input="n\n")
    assert declined.exit_code == 1 and "not restored" in declined.output
    assert fingerprint(store)["plan"] == original["plan"] - 1

    result = run(reporting_app, "restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    assert "restored:" in result.output and "schema revision" in result.output
    with reporting_app.app_context():
        assert len(api.choices()["plans"]) == original["plan"]  # not the cached answer
    after = fingerprint(store)
    assert after.pop("audit_log") == original.pop("audit_log") + 1
    assert after == original
    with store.session() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.action, entry.target) == ("store.restore", "b.backup")
    assert entry.actor.startswith("命令行")


def test_restore_command_asks_first(reporting_app, tmp_path):
    path = tmp_path / "b.backup"
    assert run(reporting_app, "backup", "--output", str(path)).exit_code == 0
    result = run(reporting_app, "restore", str(path), input="y\n")
    assert result.exit_code == 0, result.output
    assert "replace all data" in result.output and "restored:" in result.output


def test_restore_command_refuses_a_bad_file_without_a_traceback(reporting_app, tmp_path):
    store = store_of(reporting_app)
    before = fingerprint(store)
    path = tmp_path / "garbage.backup"
    path.write_bytes(os.urandom(4096))
    result = run(reporting_app, "restore", str(path), "--yes")
    assert result.exit_code == 1
    assert "不是本系统的备份文件" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert fingerprint(store) == before
    missing = run(reporting_app, "restore", str(tmp_path / "missing.backup"), "--yes")
    assert missing.exit_code == 2 and "does not exist" in missing.output
