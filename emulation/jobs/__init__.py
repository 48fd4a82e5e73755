"""Background jobs: long work runs on a queue (RQ on Redis) or, with no broker, in-process.

A job's row (models.Job) holds its status, progress, error and result file, so every server
shows the same state; the result file lives in the evidence store, so any server can send it.
JOB_QUEUE: "rq" (default when REDIS_URL is set), "thread" (default otherwise: a thread of the
web process) or "sync" (run inside the request; tests and the command line).
"""

from .runner import create_job, dispatch, queue_depth, run_job

__all__ = ["create_job", "dispatch", "queue_depth", "run_job"]
