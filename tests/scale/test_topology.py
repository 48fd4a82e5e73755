"""Two gunicorn servers behind nginx (TLS), one PostgreSQL, Redis, an S3 endpoint and a worker:
what a user does through one server holds on the other, and stopping one loses nothing."""

import importlib.util
import os
import re
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from emulation.extensions import db
from emulation.models import DossierVersion, EvidenceFile
from tests.conftest import PASSWORD

from .topology import Topology, missing_programs


def _bench_rush():
    # The bench is a script beside the package, not installed with it: load it by its path.
    path = Path(__file__).resolve().parents[2] / "bench" / "rush.py"
    spec = importlib.util.spec_from_file_location("bench_rush", path)
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        # The bench puts the checkout first; the tests use the installed package.
        sys.path[:] = saved
    return module


_rush = _bench_rush()
LOCK, TOKEN, VALUES, pdf = _rush.LOCK, _rush.TOKEN, _rush.VALUES, _rush.pdf

pytestmark = [
    # The servers are other processes: what the test writes must really be committed.
    pytest.mark.commits,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
        reason="several servers share one PostgreSQL database; SQLite is single-machine only",
    ),
    pytest.mark.skipif(
        bool(missing_programs()) and not os.environ.get("CI"),
        reason=f"needs Debian's {', '.join(missing_programs())}",
    ),
]
LOGIN_LIMIT = 15  # per minute and address; the rush below stays under it from 127.0.0.1


@pytest.fixture(scope="module")
def topology(migrated, tmp_path_factory):
    """The running topology for this module's tests, stopped at the end."""
    topo = Topology(migrated, tmp_path_factory.mktemp("topology"), workers=1,
                    login_limit=f"{LOGIN_LIMIT} per minute")  # fmt: skip
    try:
        yield topo.start()
    finally:
        topo.close()


@pytest.fixture
def app_config(app_config, topology):
    """The test process writes through the same database, bucket and Redis."""
    app_config.update(topology.app_config())
    return app_config


@pytest.fixture
def open_round(app, make):
    """A round open in real time (the servers read the real clock), units with editors."""
    movement = make.movement()
    round_ = movement.rounds[0]
    round_.opens_at = datetime.now(UTC) - timedelta(days=1)
    round_.deadline = datetime.now(UTC) + timedelta(days=1)
    units = [make.unit(code=f"DV{n:02d}") for n in range(10)]
    editors = [make.user("unit_editor", unit=u, username=f"canbo{n:02d}")
               for n, u in enumerate(units)]  # fmt: skip
    candidates = [make.candidate(movement, unit) for unit in units]
    make.user("secretariat", username="thuky")
    db.session.commit()
    return round_, editors, candidates


def _token(response) -> str:
    return TOKEN.search(response.text).group(1)


def _login(session, base, username):
    token = _token(session.get(base + "/login", timeout=10))
    answer = session.post(base + "/login", data={"csrf_token": token, "username": username,
                          "password": PASSWORD}, allow_redirects=False, timeout=10)  # fmt: skip
    assert answer.status_code == 302, answer.status_code


def _open_dossier(session, base, round_id) -> str:
    token = _token(session.get(base + "/", timeout=10))
    opened = session.post(base + f"/rounds/{round_id}/dossier", data={"csrf_token": token},
                          allow_redirects=False, timeout=10)  # fmt: skip
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/edit")
    return opened.headers["Location"]


def test_dossier_saved_on_server_a_is_read_and_downloaded_on_server_b(topology, open_round):
    round_, editors, candidates = open_round
    a, b = topology.servers["A"], topology.servers["B"]
    with requests.Session() as session:
        _login(session, a, editors[0].username)
        edit = _open_dossier(session, a, round_.id)
        form = session.get(a + edit, timeout=10)
        data = dict(VALUES, csrf_token=_token(form), lock_version=LOCK.search(form.text).group(1))
        content = pdf("bang-chung-qua-A")
        saved = session.post(a + edit, data=data, allow_redirects=False, timeout=30,
                             files={"ev_TC1": ("bao-cao-A.pdf", content, "application/pdf")})
        assert saved.status_code == 302, saved.status_code
        page = session.get(b + edit, timeout=10)  # the session cookie of A is valid on B
        assert page.status_code == 200 and "bao-cao-A.pdf" in page.text
        link = re.search(r'href="(/evidence/\d+)"', page.text).group(1)
        download = session.get(b + link, timeout=10)
    assert download.status_code == 200 and download.content == content
    assert not (topology.workdir / "instance-A" / "uploads").exists()
    assert not (topology.workdir / "instance-B" / "uploads").exists()


def test_login_throttling_counts_attempts_on_both_servers(topology, open_round):
    headers = {"X-Forwarded-For": "203.0.113.77"}  # one client address, as nginx passes it
    codes = []
    with requests.Session() as session:
        session.headers.update(headers)
        # The CSRF token of A's session is accepted by B: one secret key signs both.
        token = _token(session.get(topology.servers["A"] + "/login", timeout=10))
        for n in range(LOGIN_LIMIT + 2):
            server = topology.servers["AB"[n % 2]]
            # A new name each time: the per-name lock-out stays out of it, only the address counts.
            answer = session.post(server + "/login", timeout=10, data={
                "csrf_token": token, "username": f"khong-co-{n}", "password": "sai"})  # fmt: skip
            codes.append(answer.status_code)
    assert codes[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT
    assert codes[LOGIN_LIMIT:] == [429, 429]  # refused by A and by B


def test_report_job_started_on_a_runs_on_the_worker_and_downloads_on_b(topology, open_round):
    from emulation.dossiers.operations import fill_and_submit
    from tests.security.authz._world import VALUES as WORLD_VALUES

    round_, editors, candidates = open_round
    fill_and_submit(round_, candidates[1], WORLD_VALUES, user=None,
                    now=datetime.now(UTC))  # fmt: skip
    db.session.commit()
    a, b = topology.servers["A"], topology.servers["B"]
    with requests.Session() as session:
        _login(session, a, "thuky")
        token = _token(session.get(a + f"/reports/rounds/{round_.id}", timeout=60))
        started = session.post(a + f"/rounds/{round_.id}/jobs/report", allow_redirects=False,
                               data={"csrf_token": token, "format": "pdf"}, timeout=10)
        assert started.status_code == 302
        job = started.headers["Location"].rsplit("/", 1)[-1]
        deadline = time.time() + 60
        while time.time() < deadline:
            status = session.get(b + f"/jobs/{job}/status", timeout=10).json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.3)
        assert status["status"] == "done", (status, topology.log("worker"))
        download = session.get(b + status["download"], timeout=30)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")


class RushClient(threading.Thread):
    """One person's browser through nginx; retries what a stopping server could not answer."""

    def __init__(self, topology, round_id, usernames, told):
        super().__init__(daemon=True)
        self.base, self.verify = topology.base, str(topology.cert)
        self.round_id, self.usernames, self.told = round_id, usernames, told

    def _retry(self, session, method, path, **kw):
        for _ in range(10):
            try:
                answer = session.request(method, self.base + path, allow_redirects=False,
                                         timeout=30, verify=self.verify, **kw)  # fmt: skip
            except requests.ConnectionError:
                time.sleep(0.3)
                continue
            if answer.status_code not in (502, 503, 504):
                return answer
            time.sleep(0.3)
        raise RuntimeError(f"{method} {path}: no answer after 10 tries")

    def run(self):
        for username in self.usernames:
            try:
                self.told[username] = self._one(username)
            except Exception as exc:  # counted, not raised: the test lists them
                self.told[username] = f"error {exc!r}"[:200]

    def _one(self, username):
        with requests.Session() as s:
            # As a browser does (Referrer-Policy: same-origin); CSRF checks it over HTTPS.
            s.headers["Referer"] = self.base + "/"
            token = _token(self._retry(s, "GET", "/login"))
            answer = self._retry(s, "POST", "/login", data={
                "csrf_token": token, "username": username, "password": PASSWORD})  # fmt: skip
            if answer.status_code != 302:
                return f"login {answer.status_code}"
            token = _token(self._retry(s, "GET", "/"))
            edit = self._retry(s, "POST", f"/rounds/{self.round_id}/dossier",
                               data={"csrf_token": token}).headers["Location"]  # fmt: skip
            form = self._retry(s, "GET", edit)
            # confirmed=1: the person has already said yes on the confirmation page.
            data = dict(VALUES, csrf_token=_token(form), action="submit", confirmed="1",
                        lock_version=LOCK.search(form.text).group(1))  # fmt: skip
            files = {"ev_TC1": (f"{username}.pdf", pdf(username), "application/pdf")}
            answer = self._retry(s, "POST", edit, data=data, files=files)
            if answer.status_code == 302 and "/receipt" in answer.headers["Location"]:
                return "accepted"
            return f"refused {answer.status_code} {answer.headers.get('Location')}"


def test_stopping_server_a_during_a_submission_rush_loses_nothing(topology, open_round):
    from emulation.evidence.backends import evidence_store

    round_, editors, candidates = open_round
    names = [e.username for e in editors]
    told: dict[str, str] = {}
    clients = [RushClient(topology, round_.id, names[i::5], told) for i in range(5)]
    for client in clients:
        client.start()
    while len(told) < 2 and any(c.is_alive() for c in clients):
        time.sleep(0.05)
    topology.stop("A")  # SIGTERM, as systemd stops it: finish what is in flight, take no more
    for client in clients:
        client.join(timeout=60)
    assert told == {name: "accepted" for name in names}, topology.log("nginx-error")
    db.session.expire_all()
    versions = db.session.execute(
        db.select(DossierVersion).where(DossierVersion.dossier.has(round_id=round_.id))
    ).scalars().all()
    assert len(versions) == len(names)
    stored = {b.sha256 for b in evidence_store().blobs()}
    for version in versions:
        (item,) = version.payload["evidence"]
        assert item["sha256"] in stored
    files = db.session.execute(db.select(EvidenceFile.sha256)).scalars().all()
    assert len(files) == len(names) and set(files) <= stored
