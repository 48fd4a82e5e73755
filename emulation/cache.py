"""Caches of derived data: in the process by default, in Redis when several servers share it.

Entries are keyed by content (hashes of what they were built from), so a stale entry cannot
be served; sharing them only saves the other servers the work of building them again.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask

from .infra import redis_client

LOCAL_SIZE = 4
REDIS_TTL_SECONDS = 24 * 3600


class LocalCache:
    """A small least-recently-used cache private to this process."""

    def __init__(self, size: int = LOCAL_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable):
        """The cached value for `key`, building and keeping it on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class RedisCache:
    """A cache in Redis, shared by every server; entries are signed with the secret key."""

    def __init__(self, client, namespace: str, secret: str, ttl: int = REDIS_TTL_SECONDS):
        self.client, self.namespace, self.ttl = client, namespace, ttl
        self._secret = secret.encode()

    def redis_key(self, key: Hashable) -> str:
        """Where `key`'s entry lives in Redis."""
        return f"emulation:cache:{self.namespace}:" + hashlib.sha256(repr(key).encode()).hexdigest()

    def _sign(self, blob: bytes) -> bytes:
        return hmac.new(self._secret, blob, hashlib.sha256).digest()

    def get_or_build(self, key: Hashable, build: Callable):
        """The shared value for `key`; build and share it on a miss or a bad signature."""
        name = self.redis_key(key)
        stored = self.client.get(name)
        if stored and len(stored) > 32:
            signature, blob = stored[:32], stored[32:]
            # Only entries this deployment wrote are unpickled: Redis is not trusted with code.
            if hmac.compare_digest(signature, self._sign(blob)):
                return pickle.loads(blob)
        value = build()
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.client.set(name, self._sign(blob) + blob, ex=self.ttl)
        return value


def shared_cache(app: Flask, namespace: str):
    """The app's cache named `namespace`: RedisCache with REDIS_URL, else LocalCache."""
    caches = app.extensions.setdefault("caches", {})
    if namespace not in caches:
        client = redis_client(app)
        if client is not None:
            caches[namespace] = RedisCache(client, namespace, app.config["SECRET_KEY"])
        else:
            caches[namespace] = LocalCache()
    return caches[namespace]
