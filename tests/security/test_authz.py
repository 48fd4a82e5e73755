"""Authorisation matrix: every route of the app × every role → the expected status.

Expectations live in tests/security/authz/<area>.py (format in authz/README.md); a route
without an entry fails `test_every_route_has_expectations`.
"""

import contextlib
import importlib
import pkgutil
import tempfile
from urllib.parse import urlsplit

import pytest

from emulation import create_app
from tests.conftest import Clock, Factory
from tests.signin import signed_in_token
from tests.support.database import rebind, shared_app, test_config, world_layer

from . import authz
from .authz._roles import LOGIN, ROLES
from .authz._world import build_world

IGNORED_METHODS = {"HEAD", "OPTIONS"}
# Methods that change state run once per role, each rolled back to the area's world, so one
# role's effect can't mask another's.
SAFE_METHODS = {"GET"}


def _load_expectations() -> tuple[dict, dict, list[str]]:
    """Merge every area module's ROUTES; report endpoints claimed by two modules."""
    merged, owner, clashes = {}, {}, []
    for info in pkgutil.iter_modules(authz.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{authz.__name__}.{info.name}")
        for endpoint, entry in module.ROUTES.items():
            if endpoint in merged:
                clashes.append(f"{endpoint} in both {owner[endpoint]} and {info.name}")
            merged[endpoint] = entry
            owner[endpoint] = info.name
    return merged, owner, clashes


def _app_rules():
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "INSTANCE_PATH": instance}
        )
        return {
            rule.endpoint: sorted(rule.methods - IGNORED_METHODS)
            for rule in app.url_map.iter_rules()
        }


RULES = _app_rules()
EXPECTED, AREA, CLASHES = _load_expectations()
CASES = []
# Area by area, so each area's world is built once.
for _endpoint, _methods in sorted(RULES.items(), key=lambda item: (AREA.get(item[0], ""), item[0])):
    for _method in _methods:
        if _endpoint not in EXPECTED or _method not in EXPECTED[_endpoint]:
            continue
        _area = AREA[_endpoint]
        if _method in SAFE_METHODS:
            CASES.append(pytest.param(_area, _endpoint, _method, None, id=f"{_endpoint}-{_method}"))
        else:
            CASES += [
                pytest.param(_area, _endpoint, _method, role, id=f"{_endpoint}-{_method}-{role}")
                for role in ROLES
            ]


def test_every_route_has_expectations():
    """Each endpoint and method of the app has an expectation for every role, and no stale ones."""
    problems = list(CLASHES)
    missing = {}
    for endpoint, methods in sorted(RULES.items()):
        entry = EXPECTED.get(endpoint)
        if entry is None:
            missing.setdefault(endpoint.partition(".")[0] or "app", []).append(endpoint)
            continue
        for method in methods:
            table = entry.get(method)
            if table is None:
                problems.append(f"{endpoint}: no expectations for {method}")
            elif set(table) != set(ROLES):
                problems.append(f"{endpoint} {method}: roles {sorted(set(ROLES) ^ set(table))}")
        extra = set(entry) - set(methods) - {"url", "data", "query"}
        if extra:
            problems.append(f"{endpoint}: expectations for methods it lacks: {sorted(extra)}")
    for endpoint in sorted(set(EXPECTED) - set(RULES)):
        problems.append(f"{endpoint}: expected but the app has no such route")
    for area, endpoints in sorted(missing.items()):
        problems.append(
            f"no expectations for {', '.join(endpoints)} "
            f"(add them to tests/security/authz/{area}.py)"
        )
    assert not problems, "\n".join(problems)


def _sign_in(client, user) -> None:
    if user is None:
        return
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(user)
        session["_fresh"] = True


def _request(app, world, endpoint, method, role):
    from flask import url_for

    entry = EXPECTED[endpoint]
    values = entry.get("url", lambda w: {})(world)
    with app.test_request_context():
        url = url_for(endpoint, **values, **entry.get("query", {}))
    client = app.test_client()
    _sign_in(client, world.users.get(role))
    data = entry.get("data", lambda w: {})(world) if method != "GET" else None
    response = client.open(url, method=method, data=data)
    response.close()
    return url, response


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = urlsplit(response.headers["Location"]).path
        if location == "/login":
            return LOGIN
    return response.status_code


class AreaWorlds:
    """One world per area of the matrix, built when the first case of the area runs.

    The cases run area by area; each rolls back to its area's world, so a POST by one role
    cannot change what the next role sees, without building the world again for every case.
    """

    def __init__(self, database_url, tmp_path_factory):
        self.database_url = database_url
        self.tmp_path_factory = tmp_path_factory
        self.area, self.world, self.layer = None, None, None

    def get(self, area: str):
        """The world of `area` (the previous area's is rolled back)."""
        if area != self.area:
            self.close()
            instance = self.tmp_path_factory.mktemp(f"authz-{area}")
            app = shared_app(test_config(self.database_url, instance))
            self.layer = contextlib.ExitStack()
            self.layer.enter_context(world_layer(app, instance))
            with app.app_context():
                self.world = build_world(
                    Factory(), lambda at: app.config.__setitem__("NOW", Clock(at))
                )
            self.area = area
        return self.world

    def close(self) -> None:
        """Roll back the current area's world."""
        if self.layer is not None:
            self.layer.close()
        self.area, self.world, self.layer = None, None, None


@pytest.fixture(scope="module")
def area_worlds(migrated, tmp_path_factory):
    """The matrix's worlds, rolled back when the module ends."""
    worlds = AreaWorlds(migrated, tmp_path_factory)
    yield worlds
    worlds.close()


@pytest.fixture
def area_world(area_worlds, area):
    """The world of this case's area."""
    return area_worlds.get(area)


@pytest.mark.parametrize(("area", "endpoint", "method", "role"), CASES)
def test_route_answers_each_role_as_expected(
    area_world, app, endpoint, method, role, monkeypatch
):
    """The route gives each role exactly the status its area file expects.

    Every case starts from its area's world as built: what a POST changes is rolled back.
    """
    world = rebind(area_world)
    if endpoint.startswith("jobs."):
        # Who may start a job is asked here; running it (its own connection) is tested in scale.
        monkeypatch.setattr("emulation.jobs.views.dispatch", lambda app, job_id: None)
    roles = ROLES if role is None else (role,)
    wrong = []
    for who in roles:
        url, response = _request(app, world, endpoint, method, who)
        expected = EXPECTED[endpoint][method][who]
        if _outcome(response) != expected:
            wrong.append(f"{who}: {method} {url} gave {_outcome(response)}, expected {expected}")
    assert not wrong, "\n".join(wrong)
