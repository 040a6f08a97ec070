"""Alembic environment: runs on the connection the app hands over
(Store.upgrade), or on DATABASE_URL when called as `alembic upgrade head`."""
import os

from alembic import context

from store import DEFAULT_URL, make_engine
from store.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection):
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # a batch migration rebuilds a table others refer to; SQLite allows it with
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # references unchecked (set before any write)
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=sqlite)
    with context.begin_transaction():
        context.run_migrations()


def checked(connection):
    """After the migrations' commit: references checked again (SQLite)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with make_engine(os.environ.get("DATABASE_URL", DEFAULT_URL)).connect() as conn:
        run(conn)
        conn.commit()
        checked(conn)
