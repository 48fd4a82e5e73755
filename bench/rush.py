"""Benchmark: the deadline rush over real HTTP — gunicorn workers on PostgreSQL, many clients.

Creates a throw-away PostgreSQL database (dropped at the end), one round whose deadline is a
few seconds ahead in real time, one unit (with its editor account) per dossier, and starts
`gunicorn emulation.wsgi:app` on 127.0.0.1. First the ramp, as before a real deadline: the
people sign in well before the last minutes and have their form open when it approaches, so
each of --clients threads works through its share of the units — sign in (GET + POST /login
with the CSRF token), open the unit's dossier, load the form — as fast as the server answers,
before the measured window (its figures are printed apart, as ramp_*). Then the rush: each
unit's "save and submit" with its indicator values and one PDF of evidence, on a schedule
spread evenly over --window seconds around the deadline; the latency percentiles are those
of the window's requests. Every answer is classed from what the client was told: accepted
(redirect to the receipt), refused_late (sent back to the form after the deadline) or error.
Then the database is compared with what the clients were told: lost = told accepted but no
submitted version; phantom = a version the client was not told about. on_time_refused counts
submissions whose answer arrived before the deadline yet were refused; late_accepted those
sent after it yet accepted.

Loopback only; every request has a timeout and the run a time limit. The per-address login
limit is raised for the run (all clients share 127.0.0.1): EMULATION_LOGIN_RATE_LIMIT.
Plain http, so EMULATION_PLAIN_HTTP=1 (cookies without the Secure flag).

With --topology two-servers the clients go through nginx (TLS) to two gunicorn servers sharing
Redis, an S3-compatible store and the database (tests/scale/topology.py; Debian's nginx and
redis-server); with --stop-server-at S, server A is stopped (SIGTERM) S seconds into the rush.

Run: .venv/bin/python bench/rush.py [--clients 50] [--dossiers 600] [--window 480] [--workers 4]
     [--topology one-server|two-servers] [--stop-server-at S]
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulation import create_app  # noqa: E402
from emulation.extensions import db  # noqa: E402
from emulation.models import Unit, User  # noqa: E402
from emulation.operations import create_movement_from_rules, enrol_unit  # noqa: E402
from emulation.scoring import load_rules  # noqa: E402

RULES = ROOT / "tests" / "data" / "rules_small.toml"
PASSWORD = "Bench-rush-2024!"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LOCK = re.compile(r'name="lock_version"[^>]*value="(\d+)"')
VALUES = {"v_KYSO_a": "97", "v_KYSO_b": "100", "v_HOP": "4", "v_TRUONGBAN": "Thủ trưởng",
          "v_SAOLUU": "1", "note_TC1": "Đã ký số 97/100 văn bản đi."}  # fmt: skip
LIMIT_P95_MS = 400
RETRIES = 4
RAMP_LIMIT = 900  # seconds for every account to sign in and open its form


def pdf(tag: str) -> bytes:
    """A small valid PDF, different for each dossier."""
    body = f"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n% {tag}\n"
    return (body + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n%%EOF\n").encode()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def create_database(base_url: str, prefix: str = "emulation_rush") -> str:
    """Create a fresh database next to `base_url`'s and return its URL."""
    url = make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url_text: str) -> None:
    """Drop the throw-away database."""
    url = make_url(url_text)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, instance: str, dossiers: int, deadline: datetime) -> tuple[int, list[str]]:
    """Migrate, then one open round ending at `deadline` and one unit + editor per dossier."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "rush"})  # fmt: skip
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        rules = load_rules(RULES)
        movement = create_movement_from_rules(
            rules, filename=RULES.name, text=RULES.read_text(encoding="utf-8"), now=deadline
        )
        round_ = movement.rounds[0]
        round_.opens_at = deadline - timedelta(days=1)
        round_.deadline = deadline
        round_.grace_seconds = 0
        round_.late_policy = "reject"
        password_hash = generate_password_hash(PASSWORD)
        names = []
        for n in range(dossiers):
            unit = Unit(code=f"DV{n:04d}", name=f"Đơn vị {n:04d}")
            db.session.add(unit)
            enrol_unit(movement, unit)
            user = User(username=f"canbo{n:04d}", full_name=f"Cán bộ {n:04d}",
                        role="unit_editor", unit=unit, password_hash=password_hash)  # fmt: skip
            db.session.add(user)
            names.append(user.username)
        db.session.commit()
        round_id = round_.id
        db.session.remove()
        db.engine.dispose()
    return round_id, names


def set_deadline(url: str, round_id: int, deadline: datetime) -> None:
    """Move the round's deadline (stored as naive UTC, like UTCDateTime does)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE rounds SET deadline = :d WHERE id = :id"),
            {"d": deadline.astimezone(UTC).replace(tzinfo=None), "id": round_id},
        )
    engine.dispose()


class Client(threading.Thread):
    """One person's browser: signs its accounts in and opens their forms during the ramp, then
    saves and submits each at its scheduled instant in the window."""

    def __init__(self, base, round_id, names, results, latencies, lock, verify=True):
        super().__init__(daemon=True)
        self.verify, self.retries = verify, []
        self.base, self.round_id, self.names = base, round_id, names
        self.results, self.latencies, self.lock = results, latencies, lock
        self.ready: dict[str, tuple] = {}  # username -> (session, edit path, form data)
        self.jobs: list[tuple[float, str]] = []
        self.stop_at = self.deadline_ts = 0.0
        self.window = threading.Event()  # set once the jobs and the deadline are known
        self.prepared = threading.Event()

    def _call(self, session, kind, method, path, **kw):
        # A server stopping mid-rush can drop a request nginx already handed it (502): the
        # person presses again, as a browser user would; a retry is counted, not hidden.
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            try:
                response = session.request(
                    method,
                    self.base + path,
                    timeout=(5, 30),
                    allow_redirects=False,
                    verify=self.verify,
                    **kw,
                )
            except requests.ConnectionError:
                if attempt == RETRIES:
                    raise
                response = None
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.latencies.append((kind, elapsed))
                if response is None or response.status_code in (502, 503, 504):
                    self.retries.append(kind)
            if response is not None and response.status_code not in (502, 503, 504):
                return response
            time.sleep(0.3)
        return response

    def run(self):
        for username in self.names:
            try:
                self._prepare(username)
            except Exception as exc:  # a bench must report, not die: counted as an error
                self._record(username, "error", None, None, repr(exc)[:200])
        self.prepared.set()
        self.window.wait()
        for at, username in self.jobs:
            if username not in self.ready:
                continue
            delay = at - time.time()
            if delay > 0:
                time.sleep(delay)
            if time.time() > self.stop_at:
                self._record(username, "not_run", None, None)
                continue
            try:
                self._submit(username, *self.ready.pop(username))
            except Exception as exc:
                self._record(username, "error", None, None, repr(exc)[:200])

    def _record(self, username, outcome, sent, received, detail=""):
        with self.lock:
            self.results[username] = {"outcome": outcome, "sent": sent, "received": received,
                                      "detail": detail}  # fmt: skip

    def _prepare(self, username):
        session = requests.Session()
        # As a browser sends it; over HTTPS the CSRF check compares it with the host.
        session.headers["Referer"] = self.base + "/"
        page = self._call(session, "ramp_login_form", "GET", "/login")
        token = TOKEN.search(page.text).group(1)
        answer = self._call(session, "ramp_login", "POST", "/login",
                            data={"csrf_token": token, "username": username,
                                  "password": PASSWORD})  # fmt: skip
        if answer.status_code != 302:
            return self._record(username, "error", None, None, f"login {answer.status_code}")
        home = self._call(session, "ramp_home", "GET", "/")
        token = TOKEN.search(home.text).group(1)
        opened = self._call(session, "ramp_start", "POST", f"/rounds/{self.round_id}/dossier",
                            data={"csrf_token": token})  # fmt: skip
        edit_path = opened.headers.get("Location", "")
        if opened.status_code != 302 or "/edit" not in edit_path:
            return self._record(username, "error", None, None, f"start {opened.status_code}")
        form = self._call(session, "ramp_form", "GET", edit_path)
        # confirmed=1: the person has already said yes on the confirmation page.
        data = dict(VALUES, csrf_token=TOKEN.search(form.text).group(1), confirmed="1",
                    lock_version=LOCK.search(form.text).group(1), action="submit")  # fmt: skip
        self.ready[username] = (session, edit_path, data)

    def _submit(self, username, session, edit_path, data):
        with session:
            files = {"ev_TC1": (f"minh-chung-{username}.pdf", pdf(username), "application/pdf")}
            sent = time.time()
            answer = self._call(session, "submit", "POST", edit_path, data=data, files=files)
            received = time.time()
        location = answer.headers.get("Location", "")
        if answer.status_code == 302 and "/receipt" in location:
            outcome = "accepted"
        elif answer.status_code == 302 and location.endswith("/edit"):
            outcome = "refused_late"
        else:
            outcome = "error"
        self._record(username, outcome, sent, received, f"{answer.status_code} {location}")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a gunicorn master and its live workers."""
    pids, ticks = [pid], os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def start_server(url, instance, port, workers) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, waiting until it answers."""
    env = dict(os.environ, DATABASE_URL=url, EMULATION_INSTANCE_PATH=instance,
               SECRET_KEY="rush-secret", EMULATION_PLAIN_HTTP="1",
               EMULATION_LOGIN_RATE_LIMIT="100000 per minute")  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--timeout", "60", "--log-level", "warning", "emulation.wsgi:app"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.5)
    server.send_signal(signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def compare(url: str, instance: str, results: dict) -> dict:
    """What the database holds against what the clients were told."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "rush"})  # fmt: skip
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT u.username, COUNT(v.id) FROM users u"
                " JOIN candidates c ON c.unit_id = u.unit_id"
                " JOIN dossiers d ON d.candidate_id = c.id"
                " JOIN dossier_versions v ON v.dossier_id = d.id GROUP BY u.username"
            )
        ).all()
        db.engine.dispose()
    stored = dict(rows)
    told = {name: r["outcome"] for name, r in results.items()}
    return {
        "lost": sum(1 for n, o in told.items() if o == "accepted" and stored.get(n) != 1),
        "phantom": sum(1 for n in stored if told.get(n) != "accepted"),
        "stored_versions": sum(stored.values()),
    }


def main() -> None:
    """Run the rush and print the figures (JSON last line)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "RUSH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--dossiers", type=int, default=600)
    parser.add_argument("--window", type=float, default=480.0, help="seconds the rush lasts")
    parser.add_argument(
        "--before", type=float, default=0.6, help="share of the window before the deadline"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--topology", choices=["one-server", "two-servers"], default="one-server")
    parser.add_argument(
        "--stop-server-at",
        type=float,
        default=None,
        help="two-servers: stop server A this many seconds into the rush",
    )
    args = parser.parse_args()  # fmt: skip

    url = create_database(args.database_url)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="rush-") as instance:
            far = datetime.now(UTC) + timedelta(days=1)
            t = time.perf_counter()
            round_id, names = seed(url, instance, args.dossiers, far)
            print(f"seeded {len(names)} units and accounts in {time.perf_counter() - t:.1f} s")
            if args.topology == "two-servers":
                from tests.scale.topology import Topology

                topology = Topology(url, Path(instance) / "topology", workers=args.workers)
                server = topology  # closed in the finally below
                topology.start()
                base, verify, where = topology.base, str(topology.cert), "nginx → 2 servers"
            else:
                port = free_port()
                server = start_server(url, instance, port, args.workers)
                base, verify, where = f"http://127.0.0.1:{port}", True, f"127.0.0.1:{port}"
            results, latencies, lock = {}, [], threading.Lock()
            shares = [names[i :: args.clients] for i in range(args.clients)]
            clients = [Client(base, round_id, share, results, latencies, lock, verify)
                       for share in shares]  # fmt: skip
            ramp_started = time.time()
            for client in clients:
                client.start()
            for client in clients:
                client.prepared.wait(timeout=max(1.0, ramp_started + RAMP_LIMIT - time.time()))
            ramp_s = time.time() - ramp_started
            print(f"ramp: {len(names)} accounts signed in with their form open in {ramp_s:.1f} s",
                  flush=True)  # fmt: skip
            # The deadline is set once everyone is ready: a few seconds ahead, in real time.
            started = time.time() + 5
            deadline_ts = float(int(started + args.window * args.before))
            deadline = datetime.fromtimestamp(deadline_ts, UTC)
            set_deadline(url, round_id, deadline)
            print(f"gunicorn ({args.workers} workers) at {where}; the rush starts in 5 s,"
                  f" deadline {deadline.isoformat()}", flush=True)  # fmt: skip
            step = args.window / len(names)
            stop_at = started + args.window + 60
            for i, name in enumerate(names):
                client = clients[i % args.clients]
                client.jobs.append((started + i * step, name))
            # Load-independent: the server's CPU time spent on the window's requests.
            own_server = isinstance(server, subprocess.Popen)
            cpu_before = server_cpu_seconds(server.pid) if own_server else None
            for client in clients:
                client.stop_at, client.deadline_ts = stop_at, deadline_ts
                client.window.set()
            if args.topology == "two-servers" and args.stop_server_at is not None:
                time.sleep(max(0.0, started + args.stop_server_at - time.time()))
                topology.stop("A")
                print(f"server A stopped at {time.time() - started:.1f} s", flush=True)
            for client in clients:
                client.join(timeout=max(1.0, stop_at + 60 - time.time()))
            cpu_window = server_cpu_seconds(server.pid) - cpu_before if own_server else None
            checked = compare(url, instance, results)
    finally:
        if isinstance(server, subprocess.Popen):
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        elif server is not None:
            server.close()
        drop_database(url)

    outcomes = Counter(r["outcome"] for r in results.values())
    on_time_refused = sum(1 for r in results.values() if r["outcome"] != "accepted"
                          and r["received"] and r["received"] < deadline_ts)  # fmt: skip
    late_accepted = sum(1 for r in results.values() if r["outcome"] == "accepted"
                        and r["sent"] and r["sent"] >= deadline_ts + 1)  # fmt: skip
    # The window's requests; the ramp's (sign-in, dossier, form) are figures of their own.
    all_ms = [ms for kind, ms in latencies if not kind.startswith("ramp_")]
    ramp = [ms for kind, ms in latencies if kind.startswith("ramp_")]
    by_kind = {}
    for kind in sorted({k for k, _ms in latencies}):
        values = [ms for k, ms in latencies if k == kind]
        by_kind[kind] = {"n": len(values), "p50_ms": round(statistics.median(values), 1),
                         "p95_ms": round(percentile(values, 95), 1)}  # fmt: skip
    errors = [(n, r["detail"]) for n, r in results.items() if r["outcome"] == "error"]
    retries = sum(len(c.retries) for c in clients)
    for name, detail in errors[:10]:
        print(f"error: {name}: {detail}")
    print(json.dumps(by_kind, ensure_ascii=False))
    summary = {
        "clients": args.clients,
        "dossiers": len(results),
        "workers": args.workers,
        "topology": args.topology,
        "window_s": args.window,
        "accepted": outcomes["accepted"],
        "refused_late": outcomes["refused_late"],
        "errors": outcomes["error"],
        "not_run": outcomes["not_run"],
        "lost": checked["lost"],
        "phantom": checked["phantom"],
        "on_time_refused": on_time_refused,
        "late_accepted": late_accepted,
        "ramp_s": round(ramp_s, 1),
        "ramp_requests": len(ramp),
        "ramp_p95_ms": round(percentile(ramp, 95), 1),
        "requests": len(all_ms),
        "retries": retries,
        "server_cpu_ms_per_request": round(cpu_window * 1000 / len(all_ms), 1)
        if cpu_window is not None
        else None,
        "p50_ms": round(statistics.median(all_ms), 1),
        "p95_ms": round(percentile(all_ms, 95), 1),
        "p99_ms": round(percentile(all_ms, 99), 1),
        "max_ms": round(max(all_ms), 1),
        # Other work on the machine inflates latency: the 1-minute load average at the end.
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    summary["ok"] = (
        summary["errors"] == summary["lost"] == summary["phantom"] == summary["not_run"] == 0
        and on_time_refused == 0 and late_accepted == 0 and summary["p95_ms"] <= LIMIT_P95_MS
    )  # fmt: skip
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
