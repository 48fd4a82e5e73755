"""State that must agree across servers lives in Redis when REDIS_URL is set."""

import pickle

import pandas as pd
import pytest

from emulation import create_app
from emulation.cache import LocalCache, RedisCache, shared_cache
from emulation.extensions import db


def _attempts(app, count: int, password: str, address: str = "192.0.2.7") -> list[int]:
    """`count` login attempts through a server built from `app`'s config; their status codes."""
    codes = []
    with app.app_context():
        client = app.test_client()
        for _ in range(count):
            response = client.post(
                "/login",
                data={"username": "thuky", "password": password},
                environ_base={"REMOTE_ADDR": address},
            )
            codes.append(response.status_code)
        db.session.remove()
        db.engine.dispose()
    return codes


@pytest.fixture
def two_servers(make, app_config, redis_url, redis_client):
    """Two app instances (two servers) configured with the same Redis."""
    make.user("secretariat", username="thuky")
    db.session.commit()
    config = dict(app_config, REDIS_URL=redis_url, LOGIN_RATE_LIMIT="3 per minute")
    return lambda: create_app(config)


def test_login_limit_counts_attempts_made_on_every_server(two_servers):
    assert _attempts(two_servers(), 2, "sai") == [401, 401]
    # A second server (its own process: a fresh limiter) sees the first one's attempts.
    assert _attempts(two_servers(), 2, "sai") == [401, 429]


def test_without_redis_each_process_counts_alone(make, app_config):
    make.user("secretariat", username="thuky")
    db.session.commit()
    config = dict(app_config, LOGIN_RATE_LIMIT="3 per minute")
    assert create_app(config).config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert _attempts(create_app(config), 2, "sai") == [401, 401]
    assert _attempts(create_app(config), 2, "sai") == [401, 401]


def test_values_cache_is_shared_through_redis(app, redis_url, redis_client):
    app.config["REDIS_URL"] = redis_url
    frame = pd.DataFrame({"HOP": [1.0, 2.5]}, index=["A", "B"])
    built = []

    def build():
        built.append(1)
        return frame

    first = shared_cache(app, "values")
    assert isinstance(first, RedisCache)
    assert first.get_or_build(("r", 1), build).equals(frame)
    app.extensions.pop("caches")  # another process
    again = shared_cache(app, "values").get_or_build(("r", 1), build)
    assert again.equals(frame) and built == [1]


def test_a_cache_entry_not_signed_with_the_secret_is_ignored(app, redis_url, redis_client):
    app.config["REDIS_URL"] = redis_url
    cache = shared_cache(app, "values")
    redis_client.set(cache.redis_key(("r", 2)), pickle.dumps("planted"))
    assert cache.get_or_build(("r", 2), lambda: "built") == "built"


def test_without_redis_the_cache_stays_in_the_process(app):
    cache = shared_cache(app, "values")
    assert isinstance(cache, LocalCache)
    assert cache.get_or_build("k", lambda: 1) == 1
    assert cache.get_or_build("k", lambda: 2) == 1
