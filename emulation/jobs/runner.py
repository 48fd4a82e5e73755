"""Create, dispatch and run jobs; progress is written in its own short transaction."""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, current_app, g
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from ..extensions import db
from ..infra import QUEUE_NAME, queue_depth  # noqa: F401 (the jobs' public names)
from ..models import Job, User
from ..observability import JOBS_FINISHED
from .tasks import TASKS, JobFailed, Result

JOB_TIMEOUT_SECONDS = 3 * 3600
ERROR_CHARS = 4000
PROGRESS_EVERY_S = 0.5
log = logging.getLogger("emulation.jobs")


def create_job(kind: str, params: dict, *, title: str, user: User | None, now: datetime) -> Job:
    """Record a queued job (flushed, not committed); dispatch it after the commit."""
    if kind not in TASKS:
        raise ValueError(f"unknown job kind {kind!r}")
    from flask import has_request_context
    from flask_babel import get_locale

    locale = str(get_locale()) if has_request_context() else "vi"
    job = Job(
        id=uuid.uuid4().hex, kind=kind, params=dict(params, locale=locale), title=title[:300],
        status="queued", created_by=user, created_at=now,
    )  # fmt: skip
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(app: Flask, job_id: str) -> None:
    """Hand a committed job to the queue, a thread, or run it now (JOB_QUEUE)."""
    mode = app.config.get("JOB_QUEUE") or "thread"
    if mode == "rq":
        from rq import Queue

        from ..infra import redis_client

        Queue(QUEUE_NAME, connection=redis_client(app)).enqueue(
            "emulation.jobs.worker.perform",
            job_id,
            job_id=f"emulation-{job_id}",
            job_timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    elif mode == "thread":
        thread = threading.Thread(
            target=_run_in_context, args=(app, job_id), name=f"job-{job_id}", daemon=True
        )
        thread.start()
    elif mode == "sync":
        _run_in_context(app, job_id)
    else:
        raise ValueError(f"JOB_QUEUE must be rq, thread or sync, not {mode!r}")


def _run_in_context(app: Flask, job_id: str) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def _set(job_id: str, **values) -> None:
    """Write job fields in a transaction of their own: visible at once to every server."""
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(**values))


def _progress(job_id: str, **values) -> None:
    """Best effort: SQLite has one writer, and a job that writes (an import) holds it until it
    commits, so there progress waits at most a moment and is otherwise shown at the end."""
    if db.engine.dialect.name != "sqlite":
        _set(job_id, **values)
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA busy_timeout=50")
        try:
            connection.execute(update(Job).where(Job.id == job_id).values(**values))
            connection.commit()
        except OperationalError:
            connection.rollback()
        finally:
            connection.exec_driver_sql("PRAGMA busy_timeout=10000")


def _now() -> datetime:
    clock = current_app.config.get("NOW")
    return clock() if clock else datetime.now(UTC)


def run_job(job_id: str) -> str:
    """Run a queued job to its end; return its final status ('done' or 'failed')."""
    job = db.session.get(Job, job_id)
    if job is None:
        log.warning("job %s not found", job_id)
        return "failed"
    if job.finished:
        return job.status
    kind, params, user_id = job.kind, dict(job.params or {}), job.created_by_id
    db.session.rollback()
    g.job_locale = params.get("locale")
    _set(job_id, status="running", started_at=_now(), done=0)

    last = [0.0]

    def progress(done: int, total: int) -> None:
        # At most a few writes a second, however often the task reports.
        if done < total and time.monotonic() - last[0] < PROGRESS_EVERY_S:
            return
        last[0] = time.monotonic()
        _progress(job_id, done=max(0, int(done)), total=max(0, int(total)))

    try:
        result = TASKS[kind](params, progress=progress, user_id=user_id, now=_now())
        db.session.commit()
        sha256 = _keep_result(result)
    except JobFailed as exc:
        db.session.rollback()
        return _fail(job_id, kind, str(exc))
    except Exception as exc:  # the starter sees what went wrong; the log keeps the trace
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        return _fail(job_id, kind, f"{type(exc).__name__}: {exc}")
    _set(
        job_id, status="done", finished_at=_now(), result_sha256=sha256,
        result_name=result.name[:255], result_mimetype=result.mimetype[:120],
    )  # fmt: skip
    JOBS_FINISHED.labels(kind=kind, status="done").inc()
    return "done"


def _fail(job_id: str, kind: str, message: str) -> str:
    _set(job_id, status="failed", finished_at=_now(), error=message[:ERROR_CHARS])
    JOBS_FINISHED.labels(kind=kind, status="failed").inc()
    return "failed"


def _keep_result(result: Result) -> str:
    from ..evidence.backends import evidence_store

    sha256 = hashlib.sha256(result.data).hexdigest()
    store = evidence_store()
    if not store.exists(sha256):
        store.put_verified(sha256, io.BytesIO(result.data))
    return sha256


def reconcile(app: Flask, job: Job) -> Job:
    """A queued or running job whose RQ job ended without it (a worker killed) is marked failed."""
    if job.finished or app.config.get("JOB_QUEUE") != "rq":
        return job
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RqJob
    from rq.job import JobStatus

    from ..infra import redis_client

    try:
        state = RqJob.fetch(f"emulation-{job.id}", connection=redis_client(app)).get_status()
    except NoSuchJobError:
        state = None
    if state in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED, None):
        db.session.rollback()
        _fail(job.id, job.kind, _("The worker stopped before the job finished; start it again."))
        db.session.expire_all()
        job = db.session.get(Job, job.id)
    return job
