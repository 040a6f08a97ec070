"""Backup and restore of the store (README, "Scale and deployment").

SQLite: Python's online backup API (``sqlite3.Connection.backup``) copies a
consistent snapshot while the app keeps reading and writing (the database is in
WAL mode), into one self-contained file.  A restore first checks the file (an
SQLite database, ``PRAGMA integrity_check`` ok, this app's tables, a schema
revision this code knows), then copies it into the live database with the same
API in one write transaction: every connection sees the old database or the
restored one, never a mixture.

PostgreSQL: ``pg_dump --format=custom --no-owner`` (a consistent snapshot, online).
A restore checks the archive with ``pg_restore --list``, then replays
``pg_restore --clean --if-exists --no-owner`` in one transaction, together with
dropping the app's tables first (a backup of an older schema
revision), so that the database afterwards is exactly the backup.

A bad file raises BackupError and changes nothing.  After a restore the schema is
upgraded if the backup is of an older revision, and the derived status rollups
are dropped; the caller clears the query cache (``queries.cache.invalidate()``).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, inspect

from store import ROOT, Store, forget_derived
from store.clock import CST
from store.models import Base

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
REQUIRED_TABLES = ("alembic_version", "plan")
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A backup or restore that could not be done; the store was not changed."""


@dataclass(frozen=True)
class BackupInfo:
    """What a checked backup file holds."""

    path: Path
    dialect: str  # sqlite | postgresql
    revision: str  # its schema (Alembic) revision
    head: str  # the revision this code upgrades to

    @property
    def older(self) -> bool:
        return self.revision != self.head


def default_name(store: Store, now: datetime | None = None) -> str:
    """backup-20201003-180200.sqlite3 (or .pgdump), in local time."""
    now = now or datetime.now(CST)
    return f"backup-{now:%Y%m%d-%H%M%S}{SUFFIXES.get(_dialect(store), '.backup')}"


def backup(store: Store, destination: Path) -> Path:
    """Write a consistent snapshot of the store to ``destination`` (safe while the
    app runs); the file appears complete or not at all.  Returns the path."""
    destination = Path(destination)
    if destination.is_dir():
        raise BackupError(f"目标是一个目录 / the destination is a directory: {destination}")
    if not destination.parent.is_dir():
        raise BackupError(f"目录不存在 / no such directory: {destination.parent}")
    dialect = _dialect(store)
    tmp = _private_tmp(destination)
    try:
        if dialect == "sqlite":
            _sqlite_backup(_sqlite_path(store), tmp)
        else:
            url, env = _pg_url(store)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={tmp}", url], env,
                 "pg_dump 失败 / pg_dump failed")
        check(store, tmp)  # what a restore would accept
        os.replace(tmp, destination)
    finally:
        tmp.unlink(missing_ok=True)
    return destination


def check(store: Store, source: Path) -> BackupInfo:
    """Check that ``source`` is a backup of this app that ``restore`` can load into
    ``store``; raises BackupError saying why not."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"备份文件不存在 / no such backup file: {source}")
    with open(source, "rb") as f:
        magic = f.read(16)
    dialect = _dialect(store)
    if dialect == "sqlite":
        if magic != SQLITE_MAGIC:
            other = magic.startswith(PGDUMP_MAGIC)
            raise BackupError(f"不是本系统的备份文件：不是 SQLite 数据库{'（是 PostgreSQL 的备份）' if other else ''}"
                              f" / not a backup of this application: not an SQLite database"
                              f"{' (it is a PostgreSQL backup)' if other else ''}: {source}")
        revision = _sqlite_check(source)
    else:
        if not magic.startswith(PGDUMP_MAGIC):
            other = magic == SQLITE_MAGIC
            raise BackupError(f"不是本系统的备份文件：不是 pg_dump 备份{'（是 SQLite 的备份）' if other else ''}"
                              f" / not a backup of this application: not a pg_dump archive"
                              f"{' (it is an SQLite backup)' if other else ''}: {source}")
        revision = _pg_check(source)
    known, head = _revisions()
    if revision not in known:
        raise BackupError(f"备份的数据库版本 {revision} 本程序不认识（比程序新？）/ "
                          f"the backup's schema revision {revision} is unknown to this version "
                          f"of the application (newer?): {source}")
    return BackupInfo(source, dialect, revision, head)


def restore(store: Store, source: Path) -> None:
    """Replace the store's data with the backup ``source``, all or nothing; then
    upgrade the schema if the backup is older and drop the derived rollups.
    The caller clears the query cache."""
    info = check(store, source)
    if info.dialect == "sqlite":
        _sqlite_restore(store, info.path)
    else:
        _pg_restore(store, info.path)
    store.engine.dispose()  # no pooled connection keeps a view of the old database
    if info.older:
        store.upgrade()
    with store.session() as session:
        forget_derived(session)


# SQLite ------------------------------------------------------------------------------------------

def _sqlite_path(store: Store, must_exist: bool = True) -> Path:
    """The live database file (a restore may create it, in an existing directory)."""
    database = store.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"只支持 SQLite 数据库文件 / only an SQLite database file is supported: "
                          f"{store.engine.url}")
    path = Path(database)
    if not (path.is_file() if must_exist else path.parent.is_dir()):
        raise BackupError(f"数据库文件不存在 / no such database file: {path if must_exist else path.parent}")
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)


def _sqlite_backup(live: Path, target: Path) -> None:
    try:
        with closing(sqlite3.connect(live, timeout=30)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)  # all pages in one step: one read transaction, a consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (no -wal beside it)
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败 / backup failed: {exc}") from None


def _sqlite_check(source: Path) -> str:
    try:
        with closing(_read_only(source)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"备份文件已损坏 / the backup file is damaged "
                                  f"({'; '.join(problems[:3])}): {source}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise BackupError(f"不是本系统的备份文件（没有 {'、'.join(missing)} 表）/ not a backup of "
                                  f"this application (no table {', '.join(missing)}): {source}")
            versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是本系统的备份文件：无法读取（{exc}）/ not a backup of this application: "
                          f"cannot read it ({exc}): {source}") from None
    return _one_revision(versions, source)


def _sqlite_restore(store: Store, source: Path) -> None:
    live = _sqlite_path(store, must_exist=False)
    if live.resolve() == source.resolve():
        raise BackupError(f"备份文件就是当前数据库 / the backup file is the live database: {source}")
    store.engine.dispose()  # this process holds no connection (or lock) on the live file
    try:
        with closing(_read_only(source)) as src, closing(sqlite3.connect(live, timeout=30)) as dst:
            src.backup(dst)  # one write transaction on the live database: all or nothing
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败，数据库未改变 / restore failed, the database is unchanged: {exc}") from None


# PostgreSQL --------------------------------------------------------------------------------------

def _pg_url(store: Store) -> tuple[str, dict[str, str]]:
    """The libpq URL of the store (postgresql://user@host:port/db) and the environment
    for the client tools; a password goes in PGPASSWORD, not on the command line."""
    url = store.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                       database=url.database, query=url.query)
    return libpq.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not os.access(path, os.X_OK):
        raise BackupError(f"找不到 {name}（请安装 postgresql-client）/ {name} not found "
                          f"(install the PostgreSQL client tools)")
    return path


def _run(args: list[str], env: dict[str, str] | None, failure: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True)
    if done.returncode != 0:
        raise BackupError(f"{failure}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8", "replace")


TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", re.MULTILINE)


def _pg_tables(source: Path) -> set[tuple[str, str]]:
    """(schema, table) of the tables in a pg_dump archive."""
    listing = _run([_tool("pg_restore"), "--list", str(source)], None,
                   f"不是本系统的备份文件：pg_restore 无法读取 / not a backup of this application: "
                   f"pg_restore cannot read it ({source})")
    return set(TOC_TABLE.findall(listing))


def _pg_check(source: Path) -> str:
    tables = {name for schema, name in _pg_tables(source) if schema == "public"}
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"不是本系统的备份文件（没有 {'、'.join(missing)} 表）/ not a backup of "
                          f"this application (no table {', '.join(missing)}): {source}")
    script = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(source)],
                  None, f"备份文件已损坏 / the backup file is damaged ({source})")
    data = re.search(r"^COPY public\.alembic_version \(version_num\) FROM stdin;\n(.*?)^\\\.$",
                     script, re.MULTILINE | re.DOTALL)
    return _one_revision(data.group(1).split() if data else [], source)


def _pg_restore(store: Store, source: Path) -> None:
    """Replay the archive in one transaction (psql, ON_ERROR_STOP, COMMIT only once
    pg_restore has written the whole script); first drop every table of the app
    (CASCADE), so that an older backup leaves no newer table behind, nor a newer
    column's foreign key that would keep pg_restore from dropping what it refers
    to (plan.city_id → region: migration 0017).  The archive recreates its own."""
    url, env = _pg_url(store)
    ours = set(Base.metadata.tables) | {"alembic_version"}
    live = set(inspect(store.engine).get_table_names(schema="public"))
    stale = sorted(live & ours)
    store.engine.dispose()
    prologue = "SET client_min_messages = warning;\nBEGIN;\n" + "".join(
        f'DROP TABLE IF EXISTS public."{name}" CASCADE;\n' for name in stale)
    with tempfile.TemporaryFile() as psql_err, tempfile.TemporaryFile() as script_err:
        psql = subprocess.Popen([_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env)
        script = subprocess.Popen([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                                   "--exit-on-error", "--file=-", str(source)],
                                  stdout=subprocess.PIPE, stderr=script_err)
        complete = False
        try:
            psql.stdin.write(prologue.encode())
            shutil.copyfileobj(script.stdout, psql.stdin, 1 << 20)
            complete = script.wait() == 0
            if complete:
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: its transaction is rolled back
            pass
        finally:
            if script.poll() is None:
                script.kill()
            script.wait()
            script.stdout.close()
            try:
                psql.stdin.close()
            except BrokenPipeError:
                pass
            committed = psql.wait() == 0 and complete
        if not committed:
            psql_err.seek(0)
            script_err.seek(0)
            detail = (script_err.read() + psql_err.read()).decode("utf-8", "replace").strip()
            raise BackupError(f"恢复失败，数据库未改变 / restore failed, the database is unchanged: {detail}")


# Shared ------------------------------------------------------------------------------------------

def _dialect(store: Store) -> str:
    name = store.engine.dialect.name
    if name not in SUFFIXES:
        raise BackupError(f"不支持的数据库 / unsupported database: {name}")
    return name


def _private_tmp(destination: Path) -> Path:
    """An empty file beside ``destination``, readable by its owner only (a backup
    holds the password hashes), that is renamed into place when complete."""
    fd, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(fd)
    return Path(name)


def _one_revision(versions: list[str], source: Path) -> str:
    if len(versions) != 1:
        raise BackupError(f"不是本系统的备份文件（数据库版本记录不完整）/ not a backup of this "
                          f"application (no single schema revision): {source}")
    return versions[0]


def _revisions() -> tuple[set[str], str]:
    """The schema revisions this code knows, and its head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    scripts = ScriptDirectory.from_config(cfg)
    return {rev.revision for rev in scripts.walk_revisions()}, scripts.get_current_head()
