"""Test fixtures: every test database is created for the test and dropped after.

SQLite by default (a file in tmp_path).  With DATABASE_URL pointing at
PostgreSQL (CI does that), each fixture creates its own database on that server
and drops it afterwards, so the suite never depends on what the server holds.
CACHE_REDIS_URL, when set, puts the cache in Redis under a per-run key prefix.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app

SERVER_URL = os.environ.get("DATABASE_URL", "")
RUN_ID = uuid.uuid4().hex[:8]


@contextmanager
def fresh_database(tmp_path):
    """Yield the URL of a new, empty database; drop it afterwards."""
    if not SERVER_URL.startswith("postgres"):
        yield f"sqlite:///{tmp_path / f'test-{uuid.uuid4().hex[:6]}.db'}"
        return
    url = make_url(SERVER_URL.replace("postgresql://", "postgresql+psycopg://", 1)
                   if SERVER_URL.startswith("postgresql://") else SERVER_URL)
    name = f"credit_test_{RUN_ID}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_test_app(database_url: str):
    config = {"DATABASE_URL": database_url, "TESTING": True,
              "CACHE_KEY_PREFIX": f"credit-test-{RUN_ID}-{uuid.uuid4().hex[:6]}:"}
    if not os.environ.get("CACHE_REDIS_URL"):
        config["CACHE_TYPE"] = "SimpleCache"
    app = create_app(config)
    with app.app_context():
        app.extensions["store"].upgrade()
    return app


@pytest.fixture
def app(tmp_path):
    """An app on a fresh, empty (schema only) database."""
    with fresh_database(tmp_path) as url:
        application = make_test_app(url)
        yield application
        application.extensions["store"].engine.dispose()


@pytest.fixture
def session(app):
    """A session on the fresh database; what a test writes is never committed."""
    with app.app_context(), app.extensions["store"].Session() as s:
        yield s
        s.rollback()


@pytest.fixture(scope="session")
def loaded_app(tmp_path_factory):
    """An app with the bundled documents imported and the demo progress loaded.
    Shared by read-only tests: do not write to it."""
    with fresh_database(tmp_path_factory.mktemp("loaded")) as url:
        application = make_test_app(url)
        runner = application.test_cli_runner()
        for args in (["init-db"], ["load-demo"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output
        yield application
        application.extensions["store"].engine.dispose()
