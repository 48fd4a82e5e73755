"""Health checks and metrics for the load balancer and the monitoring server."""

from ._roles import statuses

ROUTES = {
    # A load balancer asks without signing in; they say nothing but "ok" and each check's state.
    "ops.healthz": {"GET": statuses(200, anonymous=200)},
    "ops.readyz": {"GET": statuses(200, anonymous=200)},
    # The test client calls from 127.0.0.1 without proxy headers: the monitoring server's case.
    # Through nginx (X-Forwarded-For) it is 404 for everyone: tests/scale/test_health.py.
    "ops.metrics": {"GET": statuses(200, anonymous=200)},
}
