"""Fixtures for running on shared infrastructure: an S3-compatible endpoint and a Redis server,
both started by the tests on free loopback ports."""

import shutil
import socket
import subprocess
import time
import uuid

import pytest


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free loopback port, for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint):
    """Config keys for a fresh private bucket of this test's own."""
    import boto3

    settings = {
        "EVIDENCE_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_BUCKET": f"bang-chung-{uuid.uuid4().hex[:12]}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
    }
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    ).create_bucket(Bucket=settings["S3_BUCKET"])
    return settings


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of the tests' own on a free port (Debian's redis-server), no persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_client(redis_url):
    """A client of the tests' Redis, emptied after the test."""
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.flushdb()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Jobs, readiness and the shared caches use connections and processes of their own: what
    these tests write must really be committed, not held in a rolled-back transaction."""
    for item in items:
        if "tests/scale/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.commits)
            # A job's worker thread can leave a PostgreSQL connection for the garbage collector;
            # collected here (see below), so it never surfaces in a later, unrelated test.
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )


@pytest.fixture(scope="module", autouse=True)
def _collect_leftover_connections():
    """Collect garbage when each module of these tests ends, while the warning above is
    ignored (the module's last test is still running its teardown)."""
    yield
    import gc

    gc.collect()
