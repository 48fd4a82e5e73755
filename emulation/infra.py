"""Connections to shared infrastructure (Redis), made once per process and app."""

from flask import Flask


def redis_client(app: Flask):
    """The app's Redis client (REDIS_URL), or None when no Redis is configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    known = app.extensions.get("redis")
    if known is None or known[0] != url:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        # Keyed by its address: a changed REDIS_URL never reuses a client of the old server.
        known = app.extensions["redis"] = (url, client)
    return known[1]


QUEUE_NAME = "emulation"


def queue_depth(app: Flask) -> int:
    """Jobs waiting to start: the RQ queue's length, or the queued rows without a broker."""
    if app.config.get("JOB_QUEUE") == "rq":
        from rq import Queue

        return len(Queue(QUEUE_NAME, connection=redis_client(app)))
    from .extensions import db
    from .models import Job

    return db.session.execute(
        db.select(db.func.count()).select_from(Job).where(Job.status == "queued")
    ).scalar_one()
