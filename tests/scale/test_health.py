"""Health checks for a load balancer, Prometheus metrics, and JSON logs with a request id."""

import json
import logging

from emulation import create_app
from emulation.extensions import db
from emulation.observability import JsonFormatter, RequestIdFilter
from tests.security.authz._world import build_world
from tests.signin import signed_in_token


def test_healthz_needs_no_login_and_no_database(app_config):
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://x@127.0.0.1:1/x"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_database_storage_and_queue(app, client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json()["checks"] == {
        "database": "ok", "storage": "ok", "queue": "in-process",
    }  # fmt: skip


def test_readyz_is_503_when_the_database_is_unreachable(app_config):
    app = create_app(
        dict(app_config, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://x@127.0.0.1:1/x",
             SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    )  # fmt: skip
    with app.app_context():
        answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["database"] == "OperationalError"


def test_readyz_is_503_when_redis_is_unreachable(app_config):
    from tests.scale.conftest import free_port

    app = create_app(dict(app_config, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"))
    with app.app_context():
        answer = app.test_client().get("/readyz")
        db.session.remove()
        db.engine.dispose()
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["queue"] != "ok"


def test_readyz_sees_the_bucket(app_config, s3_settings):
    app = create_app(dict(app_config, **s3_settings))
    with app.app_context():
        ok = app.test_client().get("/readyz").get_json()["checks"]["storage"]
        app.config["S3_BUCKET"] = "khong-ton-tai"
        app.extensions.pop("evidence_store")
        missing = app.test_client().get("/readyz")
        db.session.remove()
        db.engine.dispose()
    assert ok == "ok"
    assert missing.status_code == 503 and missing.get_json()["checks"]["storage"] == "ClientError"


def _metric(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_submissions_and_jobs(app, client, make, set_now):
    from datetime import timedelta

    from tests.security.authz._world import DEADLINE

    w = build_world(make, set_now)
    before = client.get("/metrics").get_data(as_text=True)
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(w.users["editor_b"])
    set_now(DEADLINE + timedelta(days=1))
    lock = w.dossier_b.lock_version
    client.post(f"/dossiers/{w.dossier_b.id}/submit", data={"lock_version": lock, "confirmed": "1"})
    set_now(DEADLINE - timedelta(hours=1))
    client.post(f"/dossiers/{w.dossier_b.id}/submit", data={"lock_version": lock, "confirmed": "1"})
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(w.users["secretariat"])
    client.post(f"/rounds/{w.round.id}/jobs/export", data={"format": "csv"})
    after = client.get("/metrics").get_data(as_text=True)
    for name, labels in [
        ("emulation_submissions_total", {"outcome": "refused_late"}),
        ("emulation_submissions_total", {"outcome": "accepted"}),
        ("emulation_jobs_finished_total", {"kind": "export", "status": "done"}),
        ("emulation_request_seconds_count", {"endpoint": "dossiers.submit", "method": "POST"}),
    ]:
        delta = _metric(after, name, **labels) - _metric(before, name, **labels)
        assert delta >= 1, (name, labels)
    assert "emulation_job_queue_depth" in after
    assert "emulation_notifications_total" in after or "emulation_notifications" in after


def test_metrics_are_not_served_through_the_proxy(client):
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 404


def test_metrics_with_the_token(app, client):
    app.config["METRICS_TOKEN"] = "bi-mat"
    headers = {"X-Forwarded-For": "203.0.113.5"}
    assert client.get("/metrics", headers=headers).status_code == 404
    headers["Authorization"] = "Bearer bi-mat"
    assert client.get("/metrics", headers=headers).status_code == 200


def test_every_response_carries_a_request_id_and_keeps_a_safe_one(client):
    fresh = client.get("/healthz").headers["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"
    ] == "abc-123"
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>" * 20})
    assert len(hostile.headers["X-Request-ID"]) == 32


def test_json_log_line_has_the_request_id(app, client, caplog):
    handler_records = []

    class Keep(logging.Handler):
        def emit(self, record):
            handler_records.append(JsonFormatter().format(record))

    keep = Keep()
    keep.addFilter(RequestIdFilter())
    logger = logging.getLogger("emulation.requests")
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    try:
        client.get("/login", headers={"X-Request-ID": "req-42"})
    finally:
        logger.removeHandler(keep)
    entry = json.loads(handler_records[-1])
    assert entry["request_id"] == "req-42"
    assert entry["status"] == 200 and entry["path"] == "/login" and entry["level"] == "INFO"
    assert entry["time"].endswith("Z")
