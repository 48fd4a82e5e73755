"""The migrations build the same schema as the models, from empty, on this backend."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url

from emulation import create_app
from emulation.extensions import db


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """An empty database: a new SQLite file, or a new PostgreSQL schema on the test server."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = create_engine(database_url)
    with admin.begin() as connection:
        connection.exec_driver_sql("CREATE SCHEMA migration_check")
    try:
        yield (
            make_url(database_url)
            .update_query_dict({"options": "-csearch_path=migration_check"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA migration_check CASCADE")
        admin.dispose()


def test_upgrade_from_empty_then_downgrade(empty_database_url, tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path / "i")}
    )
    directory = app.extensions["migrate"].directory
    with app.app_context():
        try:
            assert inspect(db.engine).get_table_names() == []
            upgrade(directory=directory)
            tables = set(inspect(db.engine).get_table_names())
            assert {t.name for t in db.metadata.sorted_tables} | {"alembic_version"} == tables
            downgrade(directory=directory, revision="base")
            assert inspect(db.engine).get_table_names() == ["alembic_version"]
        finally:
            db.engine.dispose()
