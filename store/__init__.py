"""The SQL store: engine and sessions for the app and the CLI, schema upgrades.

``init_app(app)`` binds a store to a Flask app from ``app.config["DATABASE_URL"]``;
``session_scope()`` gives a session that commits on success and rolls back on error.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, delete, event, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from store.models import Region
from store.regions import CITIES, COUNTIES, PROVINCE

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'data' / 'app.db'}"


def make_engine(url: str) -> Engine:
    """The engine for ``url``.  For PostgreSQL the pool checks a connection before
    lending it (``pool_pre_ping``: after a server restart the next request gets a
    fresh connection, not a dead one), recycles connections after 30 minutes, and
    a connection attempt gives up after 5 s (``connect_timeout`` in the URL wins),
    so that while the server is down a request fails quickly instead of hanging."""
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    options: dict = {}
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        options = {"pool_pre_ping": True, "pool_recycle": 1800}
        if "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self):
        with self.Session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def upgrade(self) -> None:
        """Create or upgrade the schema to the latest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.set_main_option("script_location", str(ROOT / "migrations"))
        with self.engine.connect() as conn:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            if conn.dialect.name == "sqlite":  # migrations/env.py turned them off for table rebuilds
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        with self.session() as session:
            ensure_regions(session)


def init_app(app) -> Store:
    store = Store(app.config["DATABASE_URL"])
    app.extensions["store"] = store
    return store


def current_store() -> Store:
    return current_app.extensions["store"]


@contextmanager
def session_scope():
    with current_store().session() as session:
        yield session


def ensure_regions(session: Session) -> None:
    """Seed the province, cities and counties (idempotent)."""
    existing = set(session.scalars(select(Region.name)))
    if PROVINCE not in existing:
        session.add(Region(name=PROVINCE, level="province", sort_order=0))
        session.flush()
    province_id = session.scalar(select(Region.id).where(Region.name == PROVINCE))
    for i, city in enumerate(CITIES, start=1):
        if city not in existing:
            session.add(Region(name=city, level="city", parent_id=province_id, sort_order=i))
    session.flush()
    city_ids = dict(session.execute(select(Region.name, Region.id).where(Region.level == "city")).all())
    for city, counties in COUNTIES.items():
        for j, county in enumerate(counties, start=1):
            if county not in existing:
                session.add(Region(name=county, level="county", parent_id=city_ids[city],
                                   sort_order=j))


def analyze(connection, *tables: str) -> None:
    """Gather the planner's statistics of ``tables`` (all when none): without
    them SQLite reads a whole date of the status rollup to find one city's rows
    instead of going through that city's items."""
    for target in tables or ("",):
        connection.exec_driver_sql(f"ANALYZE {target}".strip())


def gather_statistics_after_insert(connection, *tables: str) -> None:
    """After rows for a new key (a rollup date) went into ``tables``.  PostgreSQL's
    statistics list the values seen: a date they do not know is estimated at one
    row, and the planner then joins every row of it before sorting, so they are
    gathered again (ANALYZE samples: ~0.1 s).  SQLite's count rows per key
    prefix, the same for every date: gathered once, in full."""
    postgres = connection.dialect.name == "postgresql"
    stale = [t for t in tables if postgres or not has_statistics(connection, t)]
    if stale:
        analyze(connection, *stale)


def has_statistics(connection, table: str) -> bool:
    if connection.dialect.name == "sqlite":
        if not connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
            return False
        return bool(connection.exec_driver_sql("SELECT 1 FROM sqlite_stat1 WHERE tbl = ?", (table,)).first())
    return bool(connection.exec_driver_sql("SELECT 1 FROM pg_stats WHERE tablename = %(t)s LIMIT 1",
                                           {"t": table}).first())


ROLLUP_LOCK = 0x524F4C4C  # an arbitrary number naming the lock ('ROLL')


def rollup_lock(session: Session, exclusive: bool) -> None:
    """Serialise building a date's rollups with reports refreshing them: on
    PostgreSQL builders share a transaction-scoped advisory lock and a report's
    refresh takes it alone, so a report never commits while a date it does not
    see yet is being built.  (SQLite has one writer at a time already.)"""
    if session.get_bind().dialect.name == "postgresql":
        call = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        session.execute(text(f"SELECT {call}(:key)"), {"key": ROLLUP_LOCK})


def forget_derived(session: Session) -> None:
    """Drop derived data (the per-date status and indicator rollups) after a write
    to plans, progress or indicators."""
    from store.models import DERIVED

    for table in DERIVED:
        session.execute(delete(table))
