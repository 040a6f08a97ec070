"""The Alembic migrations build exactly the schema the models describe (on
SQLite and, in CI, on PostgreSQL), so that a model change without its
migration fails here rather than on a production upgrade."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store.models import Base


def test_migrations_match_the_models(app):
    with app.extensions["store"].engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def copy_rows(current, old, tables: tuple[str, ...]) -> None:
    """The rows of ``tables`` in store ``current``, as store ``old``'s (older) schema holds them."""
    from sqlalchemy import MetaData, text

    then = MetaData()
    then.reflect(old.engine)
    with current.engine.connect() as source, old.engine.begin() as target:
        for table in tables:
            columns = [c.name for c in then.tables[table].columns]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute(text(f'SELECT {quoted} FROM "{table}"')).mappings().all()
            target.execute(text(f'DELETE FROM "{table}"'))
            target.execute(text(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(":" + c for c in columns)})'),
                           [dict(r) for r in rows])


def test_an_upgrade_that_rebuilds_a_table_keeps_its_rows_and_references(tmp_path):
    """On SQLite a column change rebuilds the table (batch mode) while others
    refer to it: the rows and references stay, and references are checked
    again after (0010 widens work_item.scope on a store holding plans)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import func, select, text

    from importers import SOURCES_DIR
    from importers.loader import import_file
    from store import ROOT, Store
    from store.models import Milestone, WorkItem

    current = Store(f"sqlite:///{tmp_path / 'current.db'}")
    current.upgrade()
    with current.session() as s:
        import_file(s, next(SOURCES_DIR.glob("000_*.txt")))
    old = Store(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009")
    copy_rows(current, old, ("region", "plan", "department", "work_item", "item_department", "milestone"))
    with old.session() as s:
        before = s.scalar(select(func.count()).select_from(WorkItem)), s.scalar(select(func.count()).select_from(Milestone))
    old.upgrade()
    with old.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert "VARCHAR(100)" in conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'work_item'"))
    with old.session() as s:
        after = s.scalar(select(func.count()).select_from(WorkItem)), s.scalar(select(func.count()).select_from(Milestone))
    assert after == before and before[1] > 100
    current.engine.dispose()
    old.engine.dispose()
