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
