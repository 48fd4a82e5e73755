"""Shared fixtures: a fresh database per test session (SQLite or PostgreSQL), apps and factories.

Each test runs in a transaction rolled back at its end, on one app kept for the session
(tests/support/database.py). Mark a test `@pytest.mark.commits` when other connections must
see its writes (threads, a subprocess, `db.engine`); asking for `app_config` outside `app`
(to build a second app) does the same by itself.
"""

import gc
import hashlib
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from werkzeug.security import generate_password_hash

from emulation import create_app
from emulation.extensions import db
from emulation.models import Candidate, Cluster, Dossier, Movement, Round, Unit, User
from emulation.security import limiter
from tests.support.database import (
    LAYERS,
    AppState,
    FreshContextClient,
    app_key,
    empty_all_tables,
    forget_shared_app,
    shared_app,
    test_config,
    use_instance,
)
from tests.support.instants import DEADLINE

PASSWORD = "Mat-khau-2024"
# The product hashes with a deliberately slow method (scrypt, ~0.1 s a check). The factory's
# users are about who may do what, not about hashing, so one quick hash serves them all and
# each sign-in in a test costs milliseconds; users the product creates keep the slow method.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
SMALL_RULES = Path(__file__).parent / "data" / "rules_small.toml"


def _admin_url(url) -> str:
    return url.set(database="postgres").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database nobody else uses: a temp SQLite file, or a new PostgreSQL database."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = make_url(configured)
    name = f"emulation_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A throw-away database: a commit need not wait for the disk (nothing is at risk if the
        # machine stops, and the e2e server and the tests that really commit do it often).
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated(database_url, tmp_path_factory):
    """The test database upgraded with the project's migrations, once per session."""
    from flask_migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        }
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    return database_url


_empty_all_tables = empty_all_tables


def pytest_collection_finish(session):
    """Leave what is loaded by now (the app, pandas, matplotlib, the tests) out of every later
    garbage collection: the full collections walked those objects again and again, about a
    sixth of the time of the tests that collect after each test."""
    gc.collect()
    gc.freeze()


def pytest_configure(config):
    """Register the markers of the fixtures plugin."""
    config.addinivalue_line(
        "markers",
        "commits: the test's writes must be seen by other connections (threads, a subprocess, "
        "a second app); it gets its own app and really commits, and every table is wiped after",
    )


@pytest.fixture
def app_config(migrated, tmp_path):
    """Configuration for a test app; tests may change it before asking for `app`."""
    return test_config(migrated, tmp_path / "instance")


OTHER_CONNECTIONS = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a rolled-back test that opened a second connection fails, say what may be wrong."""
    report = yield
    start = item.stash.get(OTHER_CONNECTIONS, None)
    if report.failed and start is not None and LAYERS.other_connections > start:
        report.sections.append(
            (
                "database",
                "This test ran in a transaction rolled back at its end, and something opened "
                "another database connection, which cannot see the test's uncommitted rows. "
                "If the test needs its writes committed (threads, a second app, a subprocess, "
                "db.engine), mark it @pytest.mark.commits.",
            )
        )
    return report


def needs_commits(request) -> bool:
    """Marked `commits`, or something besides `app` builds its own app from `app_config`."""
    if request.node.get_closest_marker("commits"):
        return True
    info = request.node._fixtureinfo
    if "app_config" in info.argnames:
        return True
    for definitions in info.name2fixturedefs.values():
        for definition in definitions:
            if "app_config" in definition.argnames and definition.argname not in (
                "app",
                "app_config",
            ):
                return True
    return False


@pytest.fixture(autouse=True)
def _limiter_storage_restored():
    """Put back the rate limiter's storage after a test that built apps of its own.

    Flask-Limiter keeps one storage per limiter, set by the last app initialised: a test that
    builds a server with its own Redis would otherwise leave every later test counting there.
    """
    saved = (limiter._storage, limiter._limiter)
    yield
    limiter._storage, limiter._limiter = saved


@pytest.fixture
def app(request, app_config):
    """The app on the session database; whatever the test writes is gone afterwards.

    One app serves the whole session (its config is put back after each test) and each test
    runs in a transaction rolled back at its end. A test marked `commits` (or one that builds
    a second app from `app_config`) gets a fresh app, and every table is emptied after it.
    """
    if needs_commits(request):
        app = create_app(app_config)
        app.test_client_class = FreshContextClient
        with app.app_context():
            yield app
            db.session.rollback()
            empty_all_tables()
            db.session.remove()
            db.engine.dispose()
        return
    key = app_key(app_config)
    app = shared_app(app_config)
    state = AppState(app)
    if not LAYERS.depth:
        use_instance(app, Path(app_config["INSTANCE_PATH"]), app_config)
    app._got_first_request = False  # a test may still add a route, as on a fresh app
    try:
        with LAYERS.rolled_back(app), app.app_context():
            limiter.reset()
            request.node.stash[OTHER_CONNECTIONS] = LAYERS.other_connections
            yield app
    finally:
        if not state.restore():
            # The test added routes or hooks: later tests get a new app.
            forget_shared_app(key)


class Clock:
    """The app's clock (config NOW), settable by the test."""

    def __init__(self, instant):
        self.instant = instant

    def __call__(self):
        return self.instant


@pytest.fixture
def set_now(app):
    """Freeze the app's clock at an instant; returns the Clock so a test can move it."""

    def freeze(instant) -> Clock:
        clock = Clock(instant)
        app.config["NOW"] = clock
        return clock

    return freeze


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner bound to the app."""
    return app.test_cli_runner()


class Factory:
    """Create rows with sensible defaults; each call flushes so ids exist."""

    def __init__(self, start: int = 0):
        self._n = start  # rows are numbered on from here (after a world's rows)

    @property
    def made(self) -> int:
        """The last number given (a later factory may start from it)."""
        return self._n

    def _next(self) -> int:
        self._n += 1
        return self._n

    def cluster(self, **kw) -> Cluster:
        """A cluster."""
        n = self._next()
        cluster = Cluster(code=kw.pop("code", f"C{n}"), name=kw.pop("name", f"Cụm {n}"), **kw)
        db.session.add(cluster)
        db.session.flush()
        return cluster

    def unit(self, **kw) -> Unit:
        """A unit."""
        n = self._next()
        unit = Unit(code=kw.pop("code", f"U{n}"), name=kw.pop("name", f"Đơn vị {n}"), **kw)
        db.session.add(unit)
        db.session.flush()
        return unit

    def user(self, role="unit_editor", unit=None, **kw) -> User:
        """A user whose password is PASSWORD."""
        n = self._next()
        if role in ("unit_editor", "unit_head") and unit is None:
            unit = self.unit()
        user = User(
            username=kw.pop("username", f"user{n}"),
            full_name=kw.pop("full_name", f"Người dùng {n}"),
            role=role,
            unit=unit,
            **kw,
        )
        user.password_hash = PASSWORD_HASH
        db.session.add(user)
        db.session.flush()
        return user

    def movement(self, **kw) -> Movement:
        """A movement with one interim round whose deadline is DEADLINE."""
        n = self._next()
        movement = Movement(
            code=kw.pop("code", f"M{n}"), name=kw.pop("name", f"Phong trào {n}"), **kw
        )
        movement.rounds.append(self.round_(movement=None))
        db.session.add(movement)
        db.session.flush()
        return movement

    def round_(self, movement=None, **kw) -> Round:
        """A round (added to `movement` when given)."""
        n = self._next()
        values = {
            "code": f"R{n}",
            "kind": "interim",
            "name": f"Sơ kết {n}",
            "opens_at": DEADLINE - timedelta(days=60),
            "deadline": DEADLINE,
            "grace_seconds": 0,
            "late_policy": "reject",
            "rules_filename": SMALL_RULES.name,
            "rules_text": SMALL_RULES.read_text(encoding="utf-8"),
            "rules_hash": hashlib.sha256(SMALL_RULES.read_bytes()).hexdigest(),
        }
        values.update(kw)
        round_ = Round(**values)
        if movement is not None:
            movement.rounds.append(round_)
            db.session.flush()
        return round_

    def candidate(self, movement, unit, **kw) -> Candidate:
        """A candidate of `unit` in `movement` (collective by default)."""
        candidate = Candidate(movement=movement, unit=unit, **kw)
        db.session.add(candidate)
        db.session.flush()
        return candidate

    def dossier(self, round_, candidate, **kw) -> Dossier:
        """A dossier of `candidate` in `round_`."""
        dossier = Dossier(round=round_, candidate=candidate, **kw)
        db.session.add(dossier)
        db.session.flush()
        return dossier


@pytest.fixture
def make(app):
    """The row factory."""
    return Factory()


class Auth:
    """Log a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, user_or_name, password=PASSWORD):
        """Post the login form."""
        name = getattr(user_or_name, "username", user_or_name)
        return self.client.post("/login", data={"username": name, "password": password})

    def logout(self):
        """Post the logout form."""
        return self.client.post("/logout")


@pytest.fixture
def password():
    """The password every factory-made user has."""
    return PASSWORD


@pytest.fixture
def auth(client):
    """Login helper for `client`."""
    return Auth(client)
