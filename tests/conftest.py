"""Test fixtures: every test database is created for the test and dropped after.

SQLite by default (a file in tmp_path).  With DATABASE_URL pointing at
PostgreSQL (CI does that), each fixture creates its own database on that server
and drops it afterwards, so the suite never depends on what the server holds.
CACHE_REDIS_URL, when set, puts the cache in Redis under a per-run key prefix.
"""
from __future__ import annotations

import email
import os
import shutil
import socket
import tempfile
import uuid
from contextlib import contextmanager
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app

SERVER_URL = os.environ.get("DATABASE_URL", "")
RUN_ID = uuid.uuid4().hex[:8]
os.environ.setdefault("PDF_CONVERTER_IDLE", "120")  # (the LibreOffice the tests start is not left for an hour)


@contextmanager
def fresh_database(tmp_path):
    """Yield the URL of a new, empty database; drop it afterwards."""
    if not SERVER_URL.startswith("postgres"):
        yield f"sqlite:///{tmp_path / f'test-{uuid.uuid4().hex[:6]}.db'}"
        return
    url = make_url(SERVER_URL.replace("postgresql://", "postgresql+psycopg://", 1)
                   if SERVER_URL.startswith("postgresql://") else SERVER_URL)
    with server_database(url) as created:
        yield created


@contextmanager
def server_database(url, template: str | None = None):
    """A new database on ``url``'s PostgreSQL server (a copy of ``template``), dropped afterwards."""
    name = f"credit_test_{RUN_ID}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_test_app(database_url: str, **settings):
    """An app on ``database_url`` with the schema upgraded.  Dashboards are open
    to visitors (ANONYMOUS_READ) unless a test says otherwise; the login tests
    use the default, closed setting."""
    config = {"DATABASE_URL": database_url, "TESTING": True, "ANONYMOUS_READ": True,
              "SETUP_CODE_FILE": str(Path(tempfile.mkdtemp(prefix="setup-")) / "setup-code"),
              "CACHE_KEY_PREFIX": f"credit-test-{RUN_ID}-{uuid.uuid4().hex[:6]}:", **settings}
    if not os.environ.get("CACHE_REDIS_URL"):
        config["CACHE_TYPE"] = "SimpleCache"
    app = create_app(config)
    with app.app_context():
        app.extensions["store"].upgrade()
    # Dash hands the callbacks its pages register to the first app that serves a
    # request after they were registered (creating an app registers them again):
    # serve one now, or an app created earlier and first used after this one
    # would draw its pages with no callbacks (buttons that send nothing).
    app.test_client().get("/login")
    return app


def bundled_app(url: str):
    """An app on ``url`` with the bundled documents imported and the demo progress loaded."""
    application = make_test_app(url)
    runner = application.test_cli_runner()
    for args in (["init-db"], ["load-demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    return application


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
def seeded_database(tmp_path_factory):
    """A database with the bundled documents, the demo progress and one account
    of each role (PASSWORDS), built once; ``reporting_app`` tests get copies."""
    with fresh_database(tmp_path_factory.mktemp("seed")) as url:
        application = bundled_app(url)
        runner = application.test_cli_runner()
        for username, (password, *options) in ACCOUNTS.items():
            result = runner.invoke(args=["create-user", username, *options], input=password + "\n")
            assert result.exit_code == 0, result.output
        application.extensions["store"].engine.dispose()
        yield url


# username: (password, create-user options)
ACCOUNTS = {
    "admin": ("admin-pass-1", "--role", "admin", "--name", "省信用办管理员"),
    "leader": ("leader-pass-1", "--role", "leader", "--name", "王处长"),
    "hz": ("hz-pass-123", "--role", "city", "--city", "杭州", "--name", "杭州市信用办"),
    "hz2": ("hz-pass-456", "--role", "city", "--city", "杭州", "--name", "杭州市信用办（二）"),
    "nb": ("nb-pass-123", "--role", "city", "--city", "宁波", "--name", "宁波市信用办"),
    "wzfg": ("wz-pass-123", "--role", "department", "--city", "温州", "--department", "市发改委",
             "--name", "温州市发改委"),
}
PASSWORDS = {name: spec[0] for name, spec in ACCOUNTS.items()}


@contextmanager
def copy_of(seed_url: str, tmp_path):
    """A fresh copy of the seeded database (a file copy, or a PostgreSQL TEMPLATE clone)."""
    if seed_url.startswith("sqlite"):
        target = tmp_path / f"copy-{uuid.uuid4().hex[:6]}.db"
        shutil.copy(make_url(seed_url).database, target)
        yield f"sqlite:///{target}"
        return
    seed = make_url(seed_url)
    with server_database(seed, template=seed.database) as created:
        yield created


@pytest.fixture
def reporting_app(seeded_database, tmp_path):
    """An app of its own (bundled documents, demo progress, ACCOUNTS) that a test may write to."""
    with copy_of(seeded_database, tmp_path) as url:
        application = make_test_app(url)
        yield application
        application.extensions["store"].engine.dispose()


@pytest.fixture(scope="session")
def loaded_app(tmp_path_factory):
    """An app with the bundled documents imported and the demo progress loaded.
    Shared by read-only tests: do not write to it."""
    with fresh_database(tmp_path_factory.mktemp("loaded")) as url:
        application = bundled_app(url)
        yield application
        application.extensions["store"].engine.dispose()


class Inbox:
    """A local SMTP server's handler (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def inbox():
    """A real SMTP server on localhost: (its Inbox, with .port; the controller)."""
    from aiosmtpd.controller import Controller

    box = Inbox()
    with socket.socket() as probe:  # a free port (the controller checks its own with a connection)
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box, controller
    controller.stop()
