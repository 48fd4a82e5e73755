"""A several-server deployment on loopback: nginx (deploy/nginx/emulation.conf, TLS) in front of
two gunicorn servers, one RQ worker, Redis, an S3-compatible endpoint (moto) and the caller's
PostgreSQL database. Used by tests/scale/test_topology.py and `bench/rush.py --topology`.

Every process is started here, on free 127.0.0.1 ports, and stopped by close().
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
NGINX_SITE = ROOT / "deploy" / "nginx" / "emulation.conf"
SECRET_KEY = "topology-" + uuid.uuid4().hex


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_programs() -> list[str]:
    """Debian programs the topology needs that are not installed."""
    return [p for p in ("nginx", "redis-server") if shutil.which(p) is None]


def _self_signed(workdir: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = workdir / "tls.pem", workdir / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def render_nginx(site: str, *, upstreams: list[int], http_port: int, https_port: int,
                 cert: Path, key: Path, workdir: Path) -> str:  # fmt: skip
    """A complete nginx.conf running the deploy site file on loopback ports."""
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in upstreams
    )
    site = re.sub(r"(upstream emulation_app \{\n)(?:.*\n)*?(    keepalive)",
                  lambda m: m.group(1) + servers + m.group(2), site)  # fmt: skip
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    site = site.replace("/etc/ssl/certs/thidua.pem", str(cert))
    site = site.replace("/etc/ssl/private/thidua.key", str(key))
    temp = workdir / "nginx-temp"
    temp.mkdir(exist_ok=True)
    return f"""daemon off;
master_process on;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
"""


def _wait(url: str, process: subprocess.Popen, what: str, *, verify=True, seconds=60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        try:
            requests.get(url, timeout=2, verify=verify)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer at {url} within {seconds} s")


class Topology:
    """Start with start(); `base` is nginx's https address; `servers` maps A/B to gunicorn's."""

    def __init__(self, database_url: str, workdir: Path, *, workers: int = 2,
                 login_limit: str = "100000 per minute"):  # fmt: skip
        self.database_url, self.workdir = database_url, Path(workdir)
        self.workers, self.login_limit = workers, login_limit
        self.processes: dict[str, subprocess.Popen] = {}
        self.servers: dict[str, str] = {}
        self.bucket = f"thidua-{uuid.uuid4().hex[:10]}"

    def settings(self) -> dict[str, str]:
        """The environment every application process shares (as /etc/emulation/emulation.env)."""
        return {
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "EMULATION_REDIS_URL": self.redis_url,
            "EMULATION_EVIDENCE_STORAGE": "s3",
            "EMULATION_S3_BUCKET": self.bucket,
            "EMULATION_S3_ENDPOINT_URL": self.s3_url,
            "EMULATION_S3_ACCESS_KEY_ID": "topology",
            "EMULATION_S3_SECRET_ACCESS_KEY": "topology-secret",
            "EMULATION_PROXY_FIX_X_FOR": "1",
            # The tests also talk to each server directly over http, so cookies go without Secure.
            "EMULATION_PLAIN_HTTP": "1",
            "EMULATION_LOGIN_RATE_LIMIT": self.login_limit,
            "EMULATION_LOG_JSON": "1",
        }

    def app_config(self) -> dict:
        """The same settings as config keys, for an app built in the test process."""
        return {
            "SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": SECRET_KEY,
            "REDIS_URL": self.redis_url, "EVIDENCE_STORAGE": "s3", "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.s3_url, "S3_ACCESS_KEY_ID": "topology",
            "S3_SECRET_ACCESS_KEY": "topology-secret", "JOB_QUEUE": "rq",
        }  # fmt: skip

    def _spawn(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        with (self.workdir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})),
                start_new_session=True,
            )  # fmt: skip
        self.processes[name] = process
        return process

    def start(self) -> Topology:
        """Start Redis, S3, two gunicorn servers, a worker and nginx; wait until all answer."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        redis_port, s3_port = free_port(), free_port()
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.s3_url = f"http://127.0.0.1:{s3_port}"
        self._spawn("redis", ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", str(self.workdir)])
        s3 = self._spawn("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                "-p", str(s3_port)])  # fmt: skip
        _wait(self.s3_url, s3, "moto")
        import boto3

        boto3.client("s3", endpoint_url=self.s3_url, region_name="us-east-1",
                     aws_access_key_id="topology", aws_secret_access_key="topology-secret",
                     ).create_bucket(Bucket=self.bucket)  # fmt: skip
        ports = {}
        for name in ("A", "B"):
            ports[name] = free_port()
            self.start_server(name, ports[name])
        self._spawn("worker", [sys.executable, "-c", "from emulation.cli import main; main()",
                              "worker"], self.settings())
        for name, port in ports.items():
            _wait(f"http://127.0.0.1:{port}/healthz", self.processes[name], f"gunicorn {name}")
            self.servers[name] = f"http://127.0.0.1:{port}"
        self.cert, key = _self_signed(self.workdir)
        https_port = free_port()
        conf = self.workdir / "nginx.conf"
        conf.write_text(render_nginx(
            NGINX_SITE.read_text(), upstreams=list(ports.values()), http_port=free_port(),
            https_port=https_port, cert=self.cert, key=key, workdir=self.workdir))  # fmt: skip
        nginx = self._spawn("nginx", [shutil.which("nginx"), "-c", str(conf), "-p",
                                      str(self.workdir), "-e", str(self.workdir / "nginx-e.log")])
        self.base = f"https://127.0.0.1:{https_port}"
        _wait(self.base + "/healthz", nginx, "nginx", verify=str(self.cert))
        return self

    def start_server(self, name: str, port: int) -> None:
        """Start gunicorn server `name` on `port`, with its own instance folder."""
        instance = self.workdir / f"instance-{name}"
        instance.mkdir(exist_ok=True)
        env = dict(self.settings(), EMULATION_INSTANCE_PATH=str(instance))
        self._spawn(name, [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                           "--workers", str(self.workers), "--timeout", "60",
                           "--graceful-timeout", "20", "--no-control-socket",
                           "emulation.wsgi:app"], env)  # fmt: skip

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        """Stop one process (as systemd would: SIGTERM, gunicorn finishes requests in flight)."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def close(self) -> None:
        """Stop every process this topology started (all at once, then wait for each)."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name in self.processes:
            self.stop(name)

    def log(self, name: str) -> str:
        """What a process printed (for a failing test's message)."""
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""
