"""Health checks, Prometheus metrics and structured request logs for a load balancer and ops.

/healthz answers while the process serves; /readyz checks the database, evidence storage and
job queue. /metrics is for the monitoring server only: a loopback request without proxy
headers, or one bearing METRICS_TOKEN. With several gunicorn workers, set
PROMETHEUS_MULTIPROC_DIR so every worker's counts are added up.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import time
import uuid

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

bp = Blueprint("ops", __name__)
log = logging.getLogger("emulation.requests")

REQUEST_SECONDS = Histogram(
    "emulation_request_seconds",
    "Time to answer a request, by endpoint",
    ["endpoint", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = Counter("emulation_requests", "Requests answered, by status", ["endpoint", "status"])
SUBMISSIONS = Counter(
    "emulation_submissions", "Dossier submissions, accepted or refused late", ["outcome"]
)
JOBS_FINISHED = Counter("emulation_jobs_finished", "Background jobs ended", ["kind", "status"])
JOB_QUEUE_DEPTH = Gauge(
    "emulation_job_queue_depth", "Jobs waiting for a worker", multiprocess_mode="livemax"
)
NOTIFICATIONS = Counter(
    "emulation_notifications", "Notifications delivered or failed", ["channel", "outcome"]
)

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_LOOPBACK = {"127.0.0.1", "::1"}


def count_submission(outcome: str) -> None:
    """Count one submission: 'accepted' or 'refused_late'."""
    SUBMISSIONS.labels(outcome=outcome).inc()


def count_notification(channel: str, outcome: str) -> None:
    """Count one notification: outcome 'sent' or 'failed'."""
    NOTIFICATIONS.labels(channel=channel, outcome=outcome).inc()


@bp.route("/healthz")
def healthz():
    """The process is alive and answering (no database needed)."""
    return jsonify(status="ok")


def readiness(app: Flask) -> dict[str, str]:
    """Each dependency's state: 'ok' or a short reason."""
    from sqlalchemy import text

    from .extensions import db
    from .infra import redis_client

    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means not ready
        db.session.rollback()
        checks["database"] = type(exc).__name__
    try:
        # The evidence store is a feature: the web layer hands its probe in (see register_web).
        app.extensions["storage_ping"]()
        checks["storage"] = "ok"
    except Exception as exc:
        checks["storage"] = type(exc).__name__
    if app.config.get("JOB_QUEUE") == "rq":
        try:
            redis_client(app).ping()
            checks["queue"] = "ok"
        except Exception as exc:
            checks["queue"] = type(exc).__name__
    else:
        checks["queue"] = "in-process"
    return checks


@bp.route("/readyz")
def readyz():
    """Ready for traffic: database, evidence storage and job queue all answer (else 503)."""
    checks = readiness(current_app)
    ready = all(state in ("ok", "in-process") for state in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), (
        200 if ready else 503
    )


def _metrics_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    direct = "X-Forwarded-For" not in request.headers and "X-Real-IP" not in request.headers
    return direct and request.environ.get("REMOTE_ADDR") in _LOOPBACK


@bp.route("/metrics")
def metrics():
    """Prometheus metrics, for the monitoring server only."""
    if not _metrics_allowed():
        abort(404)
    _refresh_queue_depth()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = DEFAULT_REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _refresh_queue_depth() -> None:
    from .infra import queue_depth

    try:
        JOB_QUEUE_DEPTH.set(queue_depth(current_app))
    except Exception:  # the gauge keeps its last value when the queue is unreachable
        logging.getLogger("emulation").warning("job queue depth unavailable", exc_info=True)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extra fields."""

    FIELDS = ("request_id", "method", "path", "endpoint", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged while it is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            try:
                record.request_id = g.get("request_id")
            except RuntimeError:  # outside a request
                record.request_id = None
        return True


def _configure_logging(app: Flask) -> None:
    if not app.config.get("LOG_JSON"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def _user_id(user) -> int | None:
    # From the identity map, not the row: after the view's commit, reading `id` would
    # load the whole account again for a log line.
    from sqlalchemy import inspect

    state = inspect(user, raiseerr=False)
    if state is not None and state.identity is not None:
        return state.identity[0]
    return getattr(user, "id", None)


def init_app(app: Flask) -> None:
    """Register the health and metrics routes, request ids, timing and JSON logs."""
    _configure_logging(app)
    app.register_blueprint(bp)

    @app.before_request
    def start_request():
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        started = g.pop("request_started", None)
        if started is None:
            return response
        elapsed = time.perf_counter() - started
        endpoint = request.endpoint or "unmatched"
        REQUEST_SECONDS.labels(endpoint=endpoint, method=request.method).observe(elapsed)
        REQUESTS.labels(endpoint=endpoint, status=str(response.status_code)).inc()
        response.headers["X-Request-ID"] = g.request_id
        if endpoint not in ("ops.healthz", "ops.readyz", "ops.metrics", "static"):
            from flask_login import current_user

            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "endpoint": endpoint,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": _user_id(current_user._get_current_object()),
                },
            )
        return response
