"""Flask extensions, created once and bound to the app in create_app."""

import click
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _MigrateSettings:
    """`app.extensions["migrate"]` until a migration reads it; then Flask-Migrate's own record."""

    def __init__(self, app, db, directory: str, options: dict):
        self.directory = directory
        self._bind = (app, db, options)

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "_bind":
            raise AttributeError(name)
        app, db, options = self._bind
        if app.extensions.get("migrate") is self:
            from flask_migrate import Migrate

            Migrate(app, db, directory=self.directory, **options)
        return getattr(app.extensions["migrate"], name)


class _MigrationCommands(click.Command):
    """`db`, Flask-Migrate's command group, loaded when it runs."""

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


class LazyMigrate:
    """Flask-Migrate, imported when a migration or a `db` command runs: keeps start-up fast."""

    def init_app(self, app, db, *, directory: str, **options) -> None:
        app.extensions["migrate"] = _MigrateSettings(app, db, directory, options)
        app.cli.add_command(_MigrationCommands("db", help="Perform database migrations."))


db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
