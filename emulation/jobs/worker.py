"""The RQ worker side: `emulation worker` listens on the queue and runs jobs in an app context."""

from __future__ import annotations

from flask import Flask

_APP: Flask | None = None


def _app() -> Flask:
    global _APP
    if _APP is None:
        from .. import create_app

        _APP = create_app()
    return _APP


def perform(job_id: str) -> str:
    """Run one job (called by the RQ worker)."""
    from ..extensions import db
    from .runner import run_job

    app = _app()
    with app.app_context():
        # RQ runs each job in a forked child: it must not share the parent's connections.
        db.engine.dispose(close=False)
        try:
            return run_job(job_id)
        finally:
            db.session.remove()


def run_worker(app: Flask, *, burst: bool = False) -> None:
    """Process jobs from the queue until stopped (or, with burst, until it is empty)."""
    from rq import Queue

    from ..infra import redis_client
    from .runner import QUEUE_NAME

    global _APP
    _APP = app
    if redis_client(app) is None:
        raise RuntimeError("REDIS_URL is not set: without a broker, jobs run in the web process")
    import redis

    # A connection of the worker's own, without a read timeout: RQ blocks on it between jobs.
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    worker = _worker_class()([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=False)


def _worker_class():
    from rq import Worker

    class QuietWorker(Worker):
        """An RQ worker that takes no remote commands, so it does not subscribe to them.

        RQ's listener thread waits on Redis up to a minute at a time, and on leaving (queue
        empty with --burst, or SIGTERM from systemd) the worker waits for it: stopping took up
        to a minute. Our product sends workers no commands; they stop by signal.
        """

        def subscribe(self):
            """Take no remote commands."""

        def unsubscribe(self):
            """Nothing was subscribed."""

    return QuietWorker
