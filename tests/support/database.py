"""One app per session and a transaction per test, rolled back at its end instead of wiping tables.

Every session made while a test runs (the test's own and each request's) is bound to one
connection and joins its transaction through a savepoint, so a view's commit is visible to the
test at once and nothing outlives the test. Layers nest: a fixture may hold a world in an outer
transaction that each test under it rolls back to (the authorisation matrix does, once per area).

A test whose writes must be seen by other connections (threads, a subprocess, a second app)
is marked `commits`: it gets its own app, really commits, and the tables are wiped after it.
"""

import contextlib
import copy
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session
from sqlalchemy import event, text

from emulation import create_app
from emulation.extensions import db


def test_config(database_url: str, instance: Path) -> dict:
    """The configuration every test app starts from."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance),
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
    }


test_config.__test__ = False  # a helper, not a test


class FreshContextClient(FlaskClient):
    """Run each request in its own app context, as a real server does.

    The `app` fixture keeps a context open for factories; without this, requests would
    share its `g` (cached locale, logged-in user) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class BoundSession(Session):
    """A Flask-SQLAlchemy session that uses the connection it was given as its bind."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        """The test's connection, whatever the model."""
        return bind or self.bind or super().get_bind(mapper, clause, bind, **kwargs)


def empty_all_tables() -> None:
    """Delete every row of every table (committed), for tests that really commit."""
    # DELETE, children first, rather than TRUNCATE: on PostgreSQL a TRUNCATE of the ~40 small
    # tables gives each a new file and took over a second; deleting their few rows takes ms.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        # Ids start at 1 again for the next test, as after TRUNCATE … RESTART IDENTITY.
        db.session.execute(
            text("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c WHERE c.relkind = 'S'")
        )
    db.session.commit()


def _sqlite_savepoints(engine) -> None:
    # pysqlite emits BEGIN itself, late and not before SAVEPOINT; let SQLAlchemy emit it.
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


def _postgresql_lock_timeout(engine) -> None:
    # A second connection waiting on the test's open transaction would hang; fail instead.
    @event.listens_for(engine, "connect")
    def _timeout(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '20s'")
        dbapi_connection.commit()


def _count_other_connections(engine) -> None:
    # A test that opens its own connection cannot see the test's uncommitted rows (and may
    # wait on its locks); counted so a failure can say the test needs the `commits` marker.
    @event.listens_for(engine, "checkout")
    def _checkout(_dbapi_connection, _record, _proxy):
        if LAYERS.connection is not None:
            LAYERS.other_connections += 1


def transactional_app(config: dict) -> Flask:
    """An app whose engine supports savepoints on both databases."""
    app = create_app(config)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _sqlite_savepoints(engine)
        elif engine.dialect.name == "postgresql":
            _postgresql_lock_timeout(engine)
        _count_other_connections(engine)
        engine.dispose()
    return app


_SHARED_APPS: dict[str, Flask] = {}


def app_key(config: dict) -> str:
    """What tells two test configurations apart (each test has its own instance folder)."""
    return repr(sorted((k, repr(v)) for k, v in config.items() if k != "INSTANCE_PATH"))


def shared_app(config: dict) -> Flask:
    """The session's app for this configuration, built on first use."""
    key = app_key(config)
    if key not in _SHARED_APPS:
        _SHARED_APPS[key] = transactional_app(config)
        _SHARED_APPS[key].test_client_class = FreshContextClient
    return _SHARED_APPS[key]


def forget_shared_app(key: str) -> None:
    """Build a new app for the next test (this one changed the app beyond its config)."""
    app = _SHARED_APPS.pop(key, None)
    if app is not None:
        # Its pooled connections would otherwise be closed by the garbage collector, whose
        # warning fails whichever later test happens to be running.
        with app.app_context():
            db.engine.dispose()


class Layers:
    """The stack of open transactions on the one test connection."""

    def __init__(self):
        self.connection = None
        self.depth = 0
        self.other_connections = 0

    @contextlib.contextmanager
    def rolled_back(self, app: Flask):
        """Bind `db.session` to a transaction (or savepoint) that is rolled back on exit."""
        if self.connection is None:
            with app.app_context():
                self.connection = db.engine.connect()
            transaction = self.connection.begin()
        else:
            transaction = self.connection.begin_nested()
        self.depth += 1
        outer_session = db.session
        db.session = db._make_scoped_session(
            {
                "class_": BoundSession,
                "bind": self.connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield self.connection
        finally:
            for session in list(db.session.registry.registry.values()):
                session.close()
            db.session = outer_session
            self.depth -= 1
            if transaction.is_active:
                transaction.rollback()
            if self.depth == 0:
                self.connection.close()
                self.connection = None
                self.other_connections = 0


LAYERS = Layers()


def _filled(mapping) -> dict:
    # Flask keeps hooks in defaultdicts: looking one up adds an empty entry, which is no change.
    if isinstance(mapping, dict):
        filled = {key: _filled(value) for key, value in mapping.items()}
        return {key: value for key, value in filled.items() if value}
    return mapping


class AppState:
    """What a test may change on the shared app, saved so it can be put back."""

    def __init__(self, app: Flask):
        self.app = app
        self.config = dict(app.config)
        self.instance_path = app.instance_path
        self.shape = self._shape()

    def _shape(self):
        app = self.app
        hooks = (
            app.error_handler_spec,
            app.before_request_funcs,
            app.after_request_funcs,
            app.teardown_request_funcs,
            app.template_context_processors,
            app.url_value_preprocessors,
            app.url_default_functions,
        )
        return (
            sorted(str(rule) for rule in app.url_map.iter_rules()),
            sorted(app.view_functions),
            [_filled(hook) for hook in hooks],
            sorted(app.extensions),
            sorted(app.jinja_env.globals),
            sorted(app.jinja_env.filters),
        )

    def restore(self) -> bool:
        """Put the config back; False when the test changed the app in a way we cannot undo."""
        app = self.app
        app.config.clear()
        app.config.update(copy.copy(self.config))
        app.instance_path = self.instance_path
        # Made on first use (caches, the evidence store, a Redis client): what one test cached
        # must not be found by the next, whose rolled-back rows may reuse the same ids.
        for name in set(app.extensions) - set(self.shape[3]):
            app.extensions.pop(name)
        return self._shape() == self.shape


def use_instance(app: Flask, instance: Path, given: dict) -> None:
    """Point the app's instance folder (and what is derived from it) at the test's own."""
    instance.mkdir(parents=True, exist_ok=True)
    old = Path(app.instance_path)
    app.instance_path = str(instance)
    # create_app derives the upload folder from the instance folder unless it is configured.
    if "UPLOAD_DIR" not in given and app.config.get("UPLOAD_DIR") == str(old / "uploads"):
        app.config["UPLOAD_DIR"] = str(instance / "uploads")


@contextlib.contextmanager
def world_layer(app: Flask, instance: Path):
    """An outer transaction for a world that the tests under it each roll back to."""
    state = AppState(app)
    use_instance(app, instance, {})
    try:
        with LAYERS.rolled_back(app):
            yield
    finally:
        state.restore()


def rebind(value):
    """A copy of a world (namespaces, dicts, lists of rows) whose rows belong to `db.session`.

    Each test gets its own copies, so what one test loads or caches on them never leaks into
    the next; the rows are read again from the test's transaction when first used.
    """
    from types import SimpleNamespace

    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.exc import NoInspectionAvailable

    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{k: rebind(v) for k, v in vars(value).items()})
    if isinstance(value, dict):
        return {k: rebind(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(rebind(v) for v in value)
    try:
        state = sa_inspect(value)
    except NoInspectionAvailable:
        return value
    if getattr(state, "key", None) is None:
        return value
    return db.session.merge(value, load=False)
