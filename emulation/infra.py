"""Connections to shared infrastructure (Redis), made once per process and app."""

from flask import Flask


def redis_client(app: Flask):
    """The app's Redis client (REDIS_URL), or None when no Redis is configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        app.extensions["redis"] = client
    return client
